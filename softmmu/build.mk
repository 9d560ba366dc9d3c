# softmmu: objects this directory adds to tern
tern-obj += softmmu/memory.o softmmu/flatview.o softmmu/runstate.o
tern-obj += softmmu/chardev.o softmmu/timer.o softmmu/main-loop.o
tern-obj += softmmu/chardev-opts.o softmmu/chardev-socket.o softmmu/chardev-pty.o
