# accel: objects this directory adds to tern
tern-obj += accel/accel.o accel/tcg/tcg-accel-ops.o accel/tcg/cpu-exec.o \
            accel/tcg/tb-cache.o accel/tcg/tb-maint.o accel/tcg/cputlb.o \
            accel/tcg/watchpoint.o accel/tcg/tcg-cpus.o accel/tcg/atomic.o \
            accel/tcg/tcg-debug.o \
            accel/compare/compare-accel.o accel/compare/shadow.o accel/compare/report.o \
            accel/compare/ref-tcg.o accel/compare/replay-file.o
# KVM: where configure found <linux/kvm.h>
ifeq ($(CONFIG_KVM),yes)
tern-obj += accel/kvm/kvm-all.o accel/kvm/kvm-irqchip.o accel/compare/ref-kvm.o
endif
