# gdbstub: the gdb remote protocol server (-gdb, -s)
tern-obj += gdbstub/gdbstub.o gdbstub/packet.o
