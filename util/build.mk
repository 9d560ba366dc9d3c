tern-obj += util/error.o util/alloc.o util/log.o
