# bench: benchmarks, not tests (not part of make check).
#   make bench    build the bench guests, their native twins and tern, then
#                 run bench/loop.sh (native vs tern, median of 3, ratios)
#   make bench-suite  the CPU-bound workloads natively, under tern and under
#                 QEMU TCG, interleaved (bench/run.sh; BENCH=a,b  QUICK=1)
#   make bench-boot  the guest kit's kernel to userspace: tern vs QEMU TCG
#   make bench-kvm-boot  the same under KVM: tern vs QEMU -accel kvm
#   make bench-smp   a parallel guest workload with 1, 2 and 4 vCPUs: speed-up
#   make bench-disk  dd in the guest kit's Linux on IDE and virtio-blk: tern vs QEMU
# Each bench/guest/NAME.c builds as $(O)/bench/NAME.elf (a tern guest, with
# the tests/x86 runtime and flags) and $(O)/bench/NAME-native (the same
# source as a native Linux program).  The suite's workloads build as
# $(O)/bench/mb/NAME.elf instead: a Multiboot ELF64 that tern and QEMU
# both boot (bench/guest/rt/), plus NAME-native and NAME-static (the
# native program linked -static, for bench/linux.sh's initramfs).
# Nothing here is linked into tern.

bench-progs := intloop memloop
# guests without a native twin (they start APs: ring 0)
bench-guest-only := smpwork

BENCH_ELFS := $(addprefix $(O)/bench/,$(addsuffix .elf,$(bench-progs) $(bench-guest-only)))
BENCH_NATIVE := $(addprefix $(O)/bench/,$(addsuffix -native,$(bench-progs)))

$(O)/bench/obj/%.o: bench/guest/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<
$(O)/bench/native-obj/%.o: bench/guest/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(NATIVE_CFLAGS) $(BENCH_CODE_FLAGS) $(call bench-cflags,$*) -c -o $@ $<

$(BENCH_ELFS): $(O)/bench/%.elf: $(O)/bench/obj/%.o $(GUEST_RT_OBJS) $(GUEST_LDS)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)
$(BENCH_NATIVE): $(O)/bench/%-native: $(O)/bench/native-obj/%.o $(NATIVE_RT_OBJS)
	$(GUEST_CC) $(NATIVE_LDFLAGS) -o $@ $^

# The suite (bench/run.sh).  bench-cpu-progs: the CPU-bound workloads,
# the one list that run.sh and bench/linux.sh both take (make -s
# bench-cpu-progs prints it).
bench-cpu-progs := hash compress sort interp sieve strsearch fp-x87 fp-sse \
    memrand memcopy codegen intloop memloop
# Per-workload flags replace the default -mgeneral-regs-only, in every
# build of that source (bench_NAME_CFLAGS, as tests/x86's NAME_CFLAGS).
# -fno-math-errno: sqrt is the instruction, with no libm call for errno.
bench_fp-sse_CFLAGS := -msse2 -fno-math-errno
bench_fp-x87_CFLAGS := -mno-sse -mno-mmx -m80387 -fno-math-errno
bench-cflags = $(if $(bench_$(1)_CFLAGS),$(bench_$(1)_CFLAGS),-mgeneral-regs-only)
BENCH_RT_DIR := bench/guest/rt
# copy loops stay loops: no memcpy calls that differ between the builds
BENCH_CODE_FLAGS := -I$(BENCH_RT_DIR) -fno-tree-loop-distribute-patterns
BENCH_MB_LDS := $(BENCH_RT_DIR)/bench.ld
# one RWX segment on purpose (bench.ld)
BENCH_MB_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,$(BENCH_MB_LDS) \
    -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments
# serial output, tern_exit and libc from tests/x86; not idt.o, sys.o or
# desc.o, which assume tern's own ELF64 boot state (its GDT, page tables)
BENCH_MB_RT_OBJS := $(O)/bench/rt/mb-crt0.o $(O)/bench/rt/mem-guest.o \
    $(addprefix $(O)/tests/x86/rt/,serial.o printf.o libc.o)
BENCH_NATIVE_RT_OBJS := $(NATIVE_RT_OBJS) $(O)/bench/native-rt/mem-native.o

BENCH_MB_ELFS := $(addprefix $(O)/bench/mb/,$(addsuffix .elf,$(bench-cpu-progs)))
# (intloop-native and memloop-native: bench-progs' rule above)
BENCH_SUITE_NATIVE := $(addprefix $(O)/bench/,$(addsuffix -native,$(filter-out $(bench-progs),$(bench-cpu-progs))))
BENCH_STATIC := $(addprefix $(O)/bench/,$(addsuffix -static,$(bench-cpu-progs)))

$(O)/bench/rt/%.o: $(BENCH_RT_DIR)/%.S
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<
$(O)/bench/rt/%.o: $(BENCH_RT_DIR)/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(BENCH_CODE_FLAGS) -c -o $@ $<
$(O)/bench/native-rt/%.o: $(BENCH_RT_DIR)/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(NATIVE_RT_CFLAGS) -c -o $@ $<
$(O)/bench/mb-obj/%.o: bench/guest/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CODE_FLAGS) $(BENCH_CODE_FLAGS) $(call bench-cflags,$*) -c -o $@ $<

$(BENCH_MB_ELFS): $(O)/bench/mb/%.elf: $(O)/bench/mb-obj/%.o $(BENCH_MB_RT_OBJS) $(BENCH_MB_LDS)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(BENCH_MB_LDFLAGS) -o $@ $(filter %.o,$^)
$(BENCH_SUITE_NATIVE): $(O)/bench/%-native: $(O)/bench/native-obj/%.o $(BENCH_NATIVE_RT_OBJS)
	$(GUEST_CC) $(NATIVE_LDFLAGS) -o $@ $^
$(BENCH_STATIC): $(O)/bench/%-static: $(O)/bench/native-obj/%.o $(BENCH_NATIVE_RT_OBJS)
	$(GUEST_CC) $(NATIVE_LDFLAGS) -static -o $@ $^

.PHONY: bench-suite bench-suite-build bench-cpu-progs
bench-suite-build: $(BENCH_MB_ELFS) $(BENCH_NATIVE) $(BENCH_SUITE_NATIVE) $(BENCH_STATIC)
# with the guest kit, run.sh also runs bench/linux.sh: its initramfs
# carries the -static builds, so it is rebuilt first
bench-suite: $(RUN_TERN) bench-suite-build $(if $(wildcard $(GUEST)/vmlinuz),bench-linux-build)
	O=$(O) TERN=$(RUN_TERN) GUEST=$(GUEST) BENCH_PROGS="$(bench-cpu-progs)" sh bench/run.sh
bench-cpu-progs:
	@echo $(bench-cpu-progs)

.PHONY: bench bench-build
bench-build: $(BENCH_ELFS) $(BENCH_NATIVE)
bench: $(RUN_TERN) bench-build
	O=$(O) TERN=$(RUN_TERN) sh bench/loop.sh

# make bench-boot: Debian's kernel to userspace, tern vs QEMU (bench/boot.sh)
.PHONY: bench-boot
bench-boot: $(RUN_TERN) guest
	O=$(O) TERN=$(RUN_TERN) GUEST=$(GUEST) sh bench/boot.sh

# make bench-kvm-boot: the same under KVM (bench/kvm-boot.sh), where
# /dev/kvm is hardware-backed
.PHONY: bench-kvm-boot
bench-kvm-boot: $(RUN_TERN) guest
	O=$(O) TERN=$(RUN_TERN) GUEST=$(GUEST) sh bench/kvm-boot.sh

# make bench-smp: bench/guest/smpwork.c with -smp 1, 2 and 4 (bench/smp.sh)
.PHONY: bench-smp
bench-smp: $(RUN_TERN) $(O)/bench/smpwork.elf
	O=$(O) TERN=$(RUN_TERN) sh bench/smp.sh

# make bench-disk: disk throughput in the guest, IDE and virtio-blk, tern
# vs QEMU (bench/disk.sh; rootfs.img comes with the kit)
.PHONY: bench-disk
bench-disk: $(RUN_TERN) guest
	O=$(O) TERN=$(RUN_TERN) GUEST=$(GUEST) sh bench/disk.sh

# Linux-side benchmarks: bench/linux/build.mk (make bench-linux)
include bench/linux/build.mk
