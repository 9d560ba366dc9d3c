tern-obj += util/error.o util/alloc.o util/log.o
tern-obj += util/option.o util/json.o
tern-obj += util/softfloat.o
# its host fast path must round each operation alone: no fused multiply-add
$(O)/util/softfloat.o: CFLAGS += -ffp-contract=off
tern-obj += util/softfloat-x80.o
