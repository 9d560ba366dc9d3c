# hw: objects this directory adds to tern
tern-obj += hw/char/serial.o
tern-obj += hw/misc/debugexit.o hw/misc/ioport80.o
tern-obj += hw/i386/pc.o
tern-obj += hw/i386/boot/elf.o hw/i386/boot/longmode.o hw/i386/boot/multiboot.o
tern-obj += hw/i386/boot/linux.o hw/i386/boot/e820.o
tern-obj += hw/i386/boot/bios.o hw/i386/port92.o
tern-obj += hw/input/i8042.o hw/input/ps2.o
tern-obj += hw/rtc/mc146818rtc.o hw/i386/pc_cmos.o
tern-obj += hw/intc/i8259.o
tern-obj += hw/intc/apic.o hw/intc/ioapic.o
tern-obj += hw/timer/i8254.o hw/i386/port61.o
tern-obj += hw/timer/hpet.o
tern-obj += hw/i386/acpi/acpi-build.o hw/i386/acpi/aml.o
tern-obj += hw/smbios/smbios.o
tern-obj += hw/acpi/acpi-pm.o hw/i386/portcf9.o
tern-obj += hw/pci/pci.o hw/pci/pci-host.o hw/pci/i440fx.o hw/pci/piix3.o
tern-obj += hw/nvram/fw_cfg.o hw/i386/fw_cfg.o
