tern-obj += util/error.o util/alloc.o util/log.o
tern-obj += util/option.o
