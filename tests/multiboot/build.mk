# tests/multiboot: a 32-bit Multiboot 1 guest (gcc -m32, freestanding),
# booted by tests/scripts/suite-multiboot.sh in three forms:
#   $(O)/tests/multiboot/mbtest.elf        ELF32, loaded by its program headers
#   $(O)/tests/multiboot/mbtest-aout.bin   raw binary, header flag 16 (address fields)
#   $(O)/tests/multiboot/mbtest-aout64.elf the flag-16 image as an ELF64 file
MB_DIR := tests/multiboot
MB_OUT := $(O)/tests/multiboot
MB_CFLAGS := -m32 -std=gnu11 -Wall -Wextra -Werror -O2 -ffreestanding -fno-pie \
    -fno-stack-protector -fno-asynchronous-unwind-tables -fcf-protection=none \
    -mgeneral-regs-only -I$(GUEST_RT_DIR) -MMD -MP
MB_LDFLAGS := -m32 -nostdlib -static -no-pie -Wl,-T,$(MB_DIR)/mb.ld \
    -Wl,--build-id=none -Wl,-z,noexecstack
# output, checks and exit: the 32-bit guest tests' mode-neutral runtime
MB_RT_OBJS := $(addprefix $(O)/tests/x86/rt32/,serial.o printf.o check.o libc.o divdi.o)
MB_IMAGES := $(MB_OUT)/mbtest.elf $(MB_OUT)/mbtest-aout.bin $(MB_OUT)/mbtest-aout64.elf

$(MB_OUT)/mbtest.o: $(MB_DIR)/mbtest.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(MB_CFLAGS) -c -o $@ $<
$(MB_OUT)/entry.o: $(MB_DIR)/entry.S
	@mkdir -p $(@D)
	$(GUEST_CC) $(MB_CFLAGS) -c -o $@ $<
$(MB_OUT)/entry-aout.o: $(MB_DIR)/entry.S
	@mkdir -p $(@D)
	$(GUEST_CC) $(MB_CFLAGS) -DMB_AOUT -c -o $@ $<
$(MB_OUT)/mbtest.elf: $(MB_OUT)/entry.o $(MB_OUT)/mbtest.o $(MB_RT_OBJS) $(MB_DIR)/mb.ld
	$(GUEST_CC) $(MB_LDFLAGS) -o $@ $(filter %.o,$^)
$(MB_OUT)/mbtest-aout.elf: $(MB_OUT)/entry-aout.o $(MB_OUT)/mbtest.o $(MB_RT_OBJS) $(MB_DIR)/mb.ld
	$(GUEST_CC) $(MB_LDFLAGS) -o $@ $(filter %.o,$^)
$(MB_OUT)/mbtest-aout.bin: $(MB_OUT)/mbtest-aout.elf
	objcopy -O binary $< $@
$(MB_OUT)/mbtest-aout64.elf: $(MB_OUT)/mbtest-aout.elf
	objcopy -I elf32-i386 -O elf64-x86-64 $< $@

.PHONY: tests-multiboot
tests-multiboot: $(MB_IMAGES)
tests-x86: tests-multiboot
