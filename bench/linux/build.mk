# bench/linux: system-heavy benchmarks as static Linux programs, run in the
# guest kit's Linux under tern and QEMU and natively (bench/linux.sh).
#   make bench-linux   build them, the runner and the initramfs, then run
#                      bench/linux.sh (REPS boots of each emulator)
# Each bench/linux/NAME.c of linux-bench-progs builds as the static
# $(O)/bench/linux/NAME; runbench.c, the runner that times one program the
# same way on the host and in the guest, as $(O)/bench/linux/runbench.
# The initramfs also carries the CPU-bound programs of bench/build.mk as
# $(O)/bench/NAME-static for NAME in bench-cpu-progs.  Built with the x86
# guest compiler against the host's static glibc; nothing here is linked
# into tern.

linux-bench-progs := sys pagefault ctxswitch

LINUX_BENCH_DIR := $(O)/bench/linux
LINUX_BENCH_CFLAGS := $(GUEST_WARN) -O2 -MMD -MP
LINUX_BENCH_RUNNER := $(LINUX_BENCH_DIR)/runbench
LINUX_BENCH_BINS := $(addprefix $(LINUX_BENCH_DIR)/,$(linux-bench-progs)) \
    $(addprefix $(O)/bench/,$(addsuffix -static,$(bench-cpu-progs)))
LINUX_BENCH_INITRD := $(LINUX_BENCH_DIR)/bench.cpio.gz

$(LINUX_BENCH_DIR)/obj/%.o: bench/linux/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(LINUX_BENCH_CFLAGS) -c -o $@ $<
$(addprefix $(LINUX_BENCH_DIR)/,$(linux-bench-progs) runbench): $(LINUX_BENCH_DIR)/%: $(LINUX_BENCH_DIR)/obj/%.o
	$(GUEST_CC) -static -o $@ $<

# The kit's archive is rebuilt by `make guest` (order-only: it runs first).
$(LINUX_BENCH_INITRD): $(LINUX_BENCH_RUNNER) $(LINUX_BENCH_BINS) bench/linux/mkinitramfs.sh \
        bench/linux/init.sh tests/linux/init.sh tests/linux/mkcpio.sh \
        $(wildcard $(GUEST)/kit.version) | guest
	sh bench/linux/mkinitramfs.sh $(GUEST) $@ $(LINUX_BENCH_RUNNER) $(LINUX_BENCH_BINS)

.PHONY: bench-linux bench-linux-build
bench-linux-build: $(LINUX_BENCH_INITRD)
bench-linux: $(TERN) bench-linux-build
	O=$(O) TERN=$(TERN) GUEST=$(GUEST) INITRD=$(LINUX_BENCH_INITRD) \
	    RUNNER=$(LINUX_BENCH_RUNNER) PROGS="$(LINUX_BENCH_BINS)" sh bench/linux.sh
