# unit tests: add 'unit-tests += NAME' for tests/unit/test-NAME.c
unit-tests += option
# -d items, -dfilter ranges
unit-tests += log
unit-tests += memory
unit-tests += runstate
# terminating signals: a stuck main loop still ends (watchdog)
unit-tests += main-loop
unit-tests += timer
unit-tests += i8254
unit-tests += rtc
unit-tests += e820
unit-tests += mmu
unit-tests += cpu-interrupt
unit-tests += apic ioapic
# SMP: the APIC bus, IPIs, INIT/SIPI; CPUID topology and APIC IDs
unit-tests += apic-smp cpu-topology
unit-tests += i8259
# QEMU's pc-testdev and pci-testdev (-device)
unit-tests += testdev
unit-tests += i8042
unit-tests += watchpoint
# the gdb remote protocol's framing and hex (gdbstub/packet.c)
unit-tests += gdb-packet
unit-tests += tb
unit-tests += decode
unit-tests += tcg
unit-tests += softfloat
unit-tests += softfloat-x80
# util/x87-transcendental.c (no x87) against the host's x87 transcendentals
unit-tests += x87-transcendental
# softfloat's host fast path against its soft path
unit-tests += softfloat-host
unit-tests += sse-helper
unit-tests += sse41-helper
# SSE4.2, AES-NI, PCLMULQDQ helpers against the host (intrinsics need the ISA flags)
unit-tests += sse42-helper aes-helper
# (the host comparisons are x86-64's; elsewhere the tests check known vectors)
ifeq ($(HOST_CPU),x86_64)
sse42-helper_UNIT_CFLAGS := -msse4.2
aes-helper_UNIT_CFLAGS := -maes -mpclmul
endif
$(O)/tests/unit/test-sse42-helper.o: CFLAGS += $(sse42-helper_UNIT_CFLAGS)
$(O)/tests/unit/test-aes-helper.o: CFLAGS += $(aes-helper_UNIT_CFLAGS)
unit-tests += acpi
# SMBIOS 3.0 tables: entry point, structures, strings, memory
unit-tests += smbios
unit-tests += acpi-pm
# PCI bus, 0xCF8/0xCFC host bridge, i440FX and PIIX3 (PIRQ routing)
unit-tests += pci
# the pc board's shared GSIs: device and PIRQ lines ORed
unit-tests += pc-gsi
# the same board with the accelerator's interrupt controllers (KVM's in-kernel irqchip)
unit-tests += pc-irqchip
unit-tests += hpet
# 16550A character timeout on the virtual clock; the POST port 0x80
unit-tests += serial ioport80
unit-tests += fwcfg
# multi-threaded TCG: host atomics, exclusive sections, async work
unit-tests += mttcg
# util/json.c: the JSON parser/writer QMP speaks
unit-tests += json
# util/write-undo.c: page-protection undo of an interval's writes, and its
# SIGSEGV handler passing other faults on
unit-tests += write-undo
# the block layer: raw images, cache modes, -snapshot, locks, drive tables
unit-tests += block
# virtio-blk-pci: transport, split rings (malformed ones too), block requests
unit-tests += virtio
# IDE channel: ATA/ATAPI registers, PIO, bus-master DMA (a fake block layer)
unit-tests += ide
# -chardev and -mon: the property parsers and the chardev:ID registry
unit-tests += chardev-opts
