# monitor: the human monitor (HMP) and its commands
tern-obj += monitor/monitor.o monitor/hmp-cmds.o monitor/hmp-mmu.o
tern-obj += monitor/qmp.o
