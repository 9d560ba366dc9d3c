# bench: benchmarks, not tests (not part of make check).
#   make bench    build the bench guests, their native twins and tern, then
#                 run bench/loop.sh (native vs tern, median of 3, ratios)
#   make bench-boot  the guest kit's kernel to userspace: tern vs QEMU TCG
#   make bench-kvm-boot  the same under KVM: tern vs QEMU -accel kvm
#   make bench-smp   a parallel guest workload with 1, 2 and 4 vCPUs: speed-up
#   make bench-disk  dd in the guest kit's Linux on IDE and virtio-blk: tern vs QEMU
# Each bench/guest/NAME.c builds as $(O)/bench/NAME.elf (a tern guest, with
# the tests/x86 runtime and flags) and $(O)/bench/NAME-native (the same
# source as a native Linux program).  Nothing here is linked into tern.

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
	$(GUEST_CC) $(NATIVE_CFLAGS) -c -o $@ $<

$(BENCH_ELFS): $(O)/bench/%.elf: $(O)/bench/obj/%.o $(GUEST_RT_OBJS) $(GUEST_LDS)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)
$(BENCH_NATIVE): $(O)/bench/%-native: $(O)/bench/native-obj/%.o $(NATIVE_RT_OBJS)
	$(GUEST_CC) $(NATIVE_LDFLAGS) -o $@ $^

.PHONY: bench bench-build
bench-build: $(BENCH_ELFS) $(BENCH_NATIVE)
bench: $(TERN) bench-build
	O=$(O) TERN=$(TERN) sh bench/loop.sh

# make bench-boot: Debian's kernel to userspace, tern vs QEMU (bench/boot.sh)
.PHONY: bench-boot
bench-boot: $(TERN) guest
	O=$(O) TERN=$(TERN) GUEST=$(GUEST) sh bench/boot.sh

# make bench-kvm-boot: the same under KVM (bench/kvm-boot.sh), where
# /dev/kvm is hardware-backed
.PHONY: bench-kvm-boot
bench-kvm-boot: $(TERN) guest
	O=$(O) TERN=$(TERN) GUEST=$(GUEST) sh bench/kvm-boot.sh

# make bench-smp: bench/guest/smpwork.c with -smp 1, 2 and 4 (bench/smp.sh)
.PHONY: bench-smp
bench-smp: $(TERN) $(O)/bench/smpwork.elf
	O=$(O) TERN=$(TERN) sh bench/smp.sh

# make bench-disk: disk throughput in the guest, IDE and virtio-blk, tern
# vs QEMU (bench/disk.sh; rootfs.img comes with the kit)
.PHONY: bench-disk
bench-disk: $(TERN) guest
	O=$(O) TERN=$(TERN) GUEST=$(GUEST) sh bench/disk.sh
