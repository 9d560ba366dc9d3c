tern-obj += util/error.o util/alloc.o util/log.o util/perfmap.o
tern-obj += util/option.o util/json.o
tern-obj += util/softfloat.o
tern-obj += util/softfloat-x80.o
