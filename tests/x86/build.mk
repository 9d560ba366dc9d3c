# tests/x86: self-checking guest programs, and the same programs built as
# native Linux programs (the proof that their expected values are right).
#
# A guest test tests/x86/NAME.c (or NAME.S) is added with: guest-tests += NAME
#   $(O)/tests/x86/NAME.elf        the guest (freestanding, linked at 1 MiB)
#   $(O)/tests/x86/native/NAME     the native build (x86_64 hosts, .c tests only)
#
# Guests are built with their own compiler and flags, never with the
# sanitizer flags of the emulator build.  On a non-x86 host set GUEST_CC to
# an x86_64 cross gcc.

guest-tests += hello alu shifts muldiv branches memory io cpuid debugexit bigblock
# loops of several basic blocks inside one translated block
guest-tests += region
# console input and the Ctrl-A keys (its stdin: the "// tern-stdin:" line)
guest-tests += console
# 16550A receive timeout on the virtual clock; the POST port 0x80
guest-tests += uart-timeout ioport80
guest-tests += bmi
guest-tests += strings bitops shld atomics misc faults
guest-tests += x87 x87rand x87fault
guest-tests += sse sse-faults
# faults and system instructions (runtime/sys.c: ring 3, TSS)
guest-tests += ud de canonical ac cr xsave sysregs fsgsbase
# privileged instructions at CPL 3, IOPL and the TSS I/O bitmap, UMIP
guest-tests += priv
# far jmp/call/ret in 64-bit mode (real/protected mode: tests/firmware)
guest-tests += far
# VERR, VERW, LAR, LSL (legacy protected mode's system types: segcheck32)
guest-tests += segcheck
# no task switching in IA-32e mode (the switches: guest32 task)
guest-tests += task64
# privilege-changing far transfers: call gates to ring 0, RETF outward
guest-tests += gates
# CPU models: each runs under the -cpu of its "// tern-args:" line
guest-tests += cpu-nosse41 cpu-qemu64
# the MC146818 RTC and CMOS (its "// tern-args: -m 512")
guest-tests += rtc
# debug registers, single step, INT1
guest-tests += debug doublefault
# the guest tests/scripts/suite-gdb.sh debugs (symbols: a breakpoint, a watchpoint)
guest-tests += gdbtarget
# data breakpoints, I/O breakpoints (CR4.DE), RF in fault frames
guest-tests += watch
# 8254 PIT and port 0x61: TSC calibration as Linux does it, read-back
guest-tests += pit
# local APIC (xAPIC, x2APIC, timer, TSC-deadline) and IOAPIC routing COM1
guest-tests += apic
# HPET: capabilities, counter rate against RDTSC, comparator interrupts via the IOAPIC
guest-tests += hpet
# ACPI PM timer, PM1 registers, S5 power-off (exits with status 0)
guest-tests += acpipm
# the ACPI tables in guest memory (docs/pc.md, "Firmware tables")
guest-tests += acpi
# PCI bus 0 through 0xCF8/0xCFC: i440FX 00:00.0, PIIX3 00:01.0, nothing else
guest-tests += pci
# QEMU's fw_cfg: ports, file directory, etc/e820, -fw_cfg files, DMA
guest-tests += fwcfg
# system reset: triple fault, port 0x92, -no-reboot
guest-tests += triple reset
# -icount: exact instruction counts in RDTSC and in a timer's interrupt
guest-tests += icount
# the 8042 keyboard controller: Linux's probe, IRQ 1/12, A20; reset via 0xFE and 0xD1
guest-tests += i8042 i8042-reset
# MSRs, SYSCALL/SYSRET, SYSENTER/SYSEXIT
guest-tests += msr syscall
# machine-check architecture MSRs (MCG_*, banks)
guest-tests += mce
# paging: A/D bits, #PF error codes, NX/WP/SMEP/SMAP, global pages, INVLPG
guest-tests += paging
# protection keys: RDPKRU/WRPKRU, PKRU.AD/WD faults
guest-tests += pku
# SMP: AP start-up, LOCKed atomics across CPUs, IPIs, TLB shootdown (-smp 4; smp2: -smp 2)
guest-tests += smp smp2
sse_CFLAGS := -msse2 -fno-tree-vectorize
sse-faults_CFLAGS := -msse2
guest-tests += sse41
sse41_CFLAGS := -msse2 -fno-tree-vectorize
guest-tests += sse42 aes
sse42_CFLAGS := -msse2 -fno-tree-vectorize
aes_CFLAGS := -msse2 -fno-tree-vectorize
guest-tests += mmx
mmx_CFLAGS := -mmmx -msse2 -fno-tree-vectorize
# self-modifying code (16-byte SSE stores to code)
guest-tests += smc
smc_CFLAGS := -msse2 -fno-tree-vectorize
# virtio-blk-pci: a guest driver (BAR assignment, negotiation, I/O, a malformed ring)
guest-tests += virtio-blk
# the PIIX3 IDE: PCI header, ATA PIO and bus-master DMA, ATAPI (the suite gives it a disk and a CD)
guest-tests += ide
# QEMU's test devices (-device pc-testdev, -device pci-testdev): registers, IRQs, BARs
guest-tests += pc-testdev pci-testdev

# 32-bit protected-mode guests (runtime32/: Multiboot ELF32, paging off):
# guest32-tests += NAME builds tests/x86/NAME.c with -m32 into
# $(O)/tests/x86/NAME.elf, which the same suite boots with -kernel.
# They have no native build (they need ring 0).
guest32-tests += prot32
# 32-bit and PAE paging, 5-level paging entered from 32-bit code
guest32-tests += paging32
# SYSENTER/SYSEXIT in legacy protected mode
guest32-tests += sysenter32
# virtual-8086 mode: entry, sensitive instructions, I/O bitmap, frames
guest32-tests += v86
# hardware task switches: CALL/JMP to TSSes and task gates, IRET with NT,
# exceptions through IDT task gates
guest32-tests += task
# segment limit and type checks outside 64-bit mode
guest32-tests += segments32
# code fetch and near branches beyond CS.limit, the helpers' stack limits
guest32-tests += seglimit32
# call gates to inner levels with parameter copy, RETF imm16 outward
guest32-tests += gates32
# BCD, BOUND, INTO, ARPL, SALC and other 16/32-bit-only opcodes
guest32-tests += legacy32
# the system types LAR and LSL accept outside IA-32e mode
guest32-tests += segcheck32
# the 8259A pair: Linux's initialisation, COM1's IRQ 4 masked, taken, EOI
guest32-tests += pic
# the 8254's counter 0 on IRQ 0 at the programmed rate
guest32-tests += pit-irq

ifeq ($(HOST_CPU),x86_64)
GUEST_CC ?= gcc
X86_NATIVE := yes
else
GUEST_CC ?= x86_64-linux-gnu-gcc
X86_NATIVE := no
endif

GUEST_RT_DIR := tests/x86/runtime
GUEST_LDS := $(GUEST_RT_DIR)/guest.ld
GUEST_WARN := -std=gnu11 -Wall -Wextra -Werror
# Flags shared by the guest and the native build of a test's own source.
GUEST_CODE_FLAGS := $(GUEST_WARN) -O2 -g -ffreestanding -fno-pie \
    -fno-stack-protector -mno-red-zone \
    -fno-asynchronous-unwind-tables -fcf-protection=none \
    -I$(GUEST_RT_DIR) -MMD -MP
GUEST_CFLAGS := $(GUEST_CODE_FLAGS) -mgeneral-regs-only
# Per-test flags: NAME_CFLAGS := ... replaces the default -mgeneral-regs-only
# (the compiler keeps to integer registers unless a test says otherwise,
# e.g. sse_CFLAGS := -msse2).
guest-test-cflags = $(if $($(1)_CFLAGS),$($(1)_CFLAGS),-mgeneral-regs-only)
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,$(GUEST_LDS) \
    -Wl,--build-id=none -Wl,-z,noexecstack
NATIVE_CFLAGS := $(GUEST_CODE_FLAGS) -DTERN_NATIVE -Dmain=tern_guest_main
NATIVE_RT_CFLAGS := $(GUEST_WARN) -O2 -g -fno-pie -DTERN_NATIVE \
    -I$(GUEST_RT_DIR) -MMD -MP
NATIVE_LDFLAGS := -no-pie

# Runtime objects.
GUEST_RT_OBJS := $(addprefix $(O)/tests/x86/rt/,crt0.o serial.o printf.o check.o libc.o idt.o sys.o desc.o msr.o \
    irq.o smp.o pci.o)
NATIVE_RT_OBJS := $(addprefix $(O)/tests/x86/native/rt/,native.o printf.o check.o irq.o smp.o pci.o)

$(O)/tests/x86/rt/%.o: $(GUEST_RT_DIR)/%.S
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<
$(O)/tests/x86/rt/libc.o: $(GUEST_RT_DIR)/libc.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -fno-tree-loop-distribute-patterns -c -o $@ $<
$(O)/tests/x86/rt/%.o: $(GUEST_RT_DIR)/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<
$(O)/tests/x86/native/rt/%.o: $(GUEST_RT_DIR)/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(NATIVE_RT_CFLAGS) -c -o $@ $<

# Guests.
GUEST_ELFS := $(addprefix $(O)/tests/x86/,$(addsuffix .elf,$(guest-tests)))

$(O)/tests/x86/obj/%.o: tests/x86/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CODE_FLAGS) $(call guest-test-cflags,$*) -c -o $@ $<
$(O)/tests/x86/obj/%.o: tests/x86/%.S
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<

$(GUEST_ELFS): $(O)/tests/x86/%.elf: $(O)/tests/x86/obj/%.o $(GUEST_RT_OBJS) $(GUEST_LDS)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

# Native builds of the C tests.
x86-native-tests := $(basename $(notdir $(wildcard $(addprefix tests/x86/,$(addsuffix .c,$(guest-tests))))))
ifeq ($(X86_NATIVE),yes)
NATIVE_BINS := $(addprefix $(O)/tests/x86/native/,$(x86-native-tests))
else
NATIVE_BINS :=
endif

$(O)/tests/x86/native/obj/%.o: tests/x86/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(NATIVE_CFLAGS) $(call guest-test-cflags,$*) -c -o $@ $<

$(NATIVE_BINS): $(O)/tests/x86/native/%: $(O)/tests/x86/native/obj/%.o $(NATIVE_RT_OBJS)
	$(GUEST_CC) $(NATIVE_LDFLAGS) -o $@ $^

# 32-bit guests and their runtime (runtime32/, plus the mode-neutral
# serial, printf, check, libc and desc of runtime/).
GUEST32_RT_DIR := tests/x86/runtime32
GUEST32_LDS := $(GUEST32_RT_DIR)/guest.ld
GUEST32_CFLAGS := -m32 $(GUEST_CFLAGS)
GUEST32_RT_OBJS := $(addprefix $(O)/tests/x86/rt32/,crt0.o idt.o sys.o divdi.o serial.o printf.o check.o libc.o desc.o)
GUEST32_LDFLAGS := -m32 -nostdlib -static -no-pie -Wl,-T,$(GUEST32_LDS) \
    -Wl,--build-id=none -Wl,-z,noexecstack
GUEST32_ELFS := $(addprefix $(O)/tests/x86/,$(addsuffix .elf,$(guest32-tests)))

$(O)/tests/x86/rt32/%.o: $(GUEST32_RT_DIR)/%.S
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST32_CFLAGS) -c -o $@ $<
$(O)/tests/x86/rt32/%.o: $(GUEST32_RT_DIR)/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST32_CFLAGS) -c -o $@ $<
$(O)/tests/x86/rt32/libc.o: $(GUEST_RT_DIR)/libc.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST32_CFLAGS) -fno-tree-loop-distribute-patterns -c -o $@ $<
$(O)/tests/x86/rt32/%.o: $(GUEST_RT_DIR)/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST32_CFLAGS) -c -o $@ $<
$(O)/tests/x86/obj32/%.o: tests/x86/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) -m32 $(GUEST_CODE_FLAGS) $(call guest-test-cflags,$*) -c -o $@ $<
$(O)/tests/x86/obj32/%.o: tests/x86/%.S
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST32_CFLAGS) -c -o $@ $<
$(GUEST32_ELFS): $(O)/tests/x86/%.elf: $(O)/tests/x86/obj32/%.o $(GUEST32_RT_OBJS) $(GUEST32_LDS)
	$(GUEST_CC) $(GUEST32_CFLAGS) $(GUEST32_LDFLAGS) -o $@ $(filter %.o,$^)

.PHONY: tests-x86 tests-x86-native
tests-x86: $(GUEST_ELFS) $(GUEST32_ELFS)
tests-x86-native: $(NATIVE_BINS)
check: tests-x86-native
