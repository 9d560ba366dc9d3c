tern-obj += util/error.o util/alloc.o util/log.o util/perfmap.o
tern-obj += util/option.o util/option-props.o util/option-device.o util/json.o
# the compare mode's shadow RAM: undo an interval's writes (page protection)
tern-obj += util/write-undo.o
tern-obj += util/softfloat.o
tern-obj += util/softfloat-x80.o
# the x87 transcendentals without an x87 (binary128 libm)
tern-obj += util/x87-transcendental.o
# the host CPU's vendor (CPUID): where host instructions give Intel's results
tern-obj += util/host-cpu.o
