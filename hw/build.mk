# hw: objects this directory adds to tern
tern-obj += hw/char/serial.o
tern-obj += hw/misc/debugexit.o
tern-obj += hw/i386/pc.o
tern-obj += hw/i386/boot/elf.o hw/i386/boot/longmode.o hw/i386/boot/multiboot.o
tern-obj += hw/i386/boot/bios.o hw/i386/port92.o
