# tests/linuxboot: a synthetic bzImage (no real kernel): the setup header
# (setup.S) and a small 64-bit kernel (head.S, lbtest.c) that checks what
# the 64-bit boot protocol promises.  tests/scripts/suite-linuxboot.sh
# boots it.  Two forms:
#   $(O)/tests/linuxboot/lbtest.bzImage        not relocatable, at 1 MiB
#   $(O)/tests/linuxboot/lbtest-reloc.bzImage  relocatable, pref_address 16 MiB
LB_DIR := tests/linuxboot
LB_OUT := $(O)/tests/linuxboot
LB_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -ffreestanding -fno-pie \
    -fno-stack-protector -mno-red-zone -fno-asynchronous-unwind-tables \
    -fcf-protection=none -mgeneral-regs-only -I$(LB_DIR) -I$(GUEST_RT_DIR) -MMD -MP
LB_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,$(LB_DIR)/lb.ld \
    -Wl,--build-id=none -Wl,-z,noexecstack
LB_IMAGES := $(LB_OUT)/lbtest.bzImage $(LB_OUT)/lbtest-reloc.bzImage
# output, checks and exit: the guest tests' mode-neutral runtime
LB_RT_OBJS := $(addprefix $(O)/tests/x86/rt/,serial.o printf.o check.o libc.o)

# FORM: "" or "-reloc"; the defines and load address of each
lb-defs = $(if $(1),-DLB_RELOC)
lb-load = $(if $(1),0x1000000,0x100000)

define lb-form
$(LB_OUT)/lbtest$(1).o: $(LB_DIR)/lbtest.c
	@mkdir -p $$(@D)
	$(GUEST_CC) $(LB_CFLAGS) $(call lb-defs,$(1)) -c -o $$@ $$<
$(LB_OUT)/head$(1).o: $(LB_DIR)/head.S
	@mkdir -p $$(@D)
	$(GUEST_CC) $(LB_CFLAGS) -c -o $$@ $$<
$(LB_OUT)/lbtest$(1).elf: $(LB_OUT)/head$(1).o $(LB_OUT)/lbtest$(1).o $(LB_RT_OBJS) $(LB_DIR)/lb.ld
	$(GUEST_CC) $(LB_LDFLAGS) -Wl,--defsym=lb_load=$(call lb-load,$(1)) -o $$@ \
	    $$(filter %.o,$$^)
$(LB_OUT)/kernel$(1).bin: $(LB_OUT)/lbtest$(1).elf
	objcopy -O binary $$< $$@
	truncate -s %16 $$@
$(LB_OUT)/setup$(1).bin: $(LB_DIR)/setup.S $(LB_DIR)/lbtest.h $(LB_OUT)/kernel$(1).bin
	$(GUEST_CC) $(LB_CFLAGS) $(call lb-defs,$(1)) \
	    -DSYSSIZE=$$$$(( ($$$$(wc -c <$(LB_OUT)/kernel$(1).bin) + 15) / 16 )) \
	    -c -o $(LB_OUT)/setup$(1).o $$<
	objcopy -O binary -j .setup $(LB_OUT)/setup$(1).o $$@
$(LB_OUT)/lbtest$(1).bzImage: $(LB_OUT)/setup$(1).bin $(LB_OUT)/kernel$(1).bin
	cat $$^ >$$@
endef
$(eval $(call lb-form,))
$(eval $(call lb-form,-reloc))

# The -initrd's POSIX cksum "CRC:SIZE", made here because the nested KVM
# environment (tests/kvm/nested.sh) has busybox, which has no cksum.
$(LB_OUT)/lbtest.elf.cksum: $(LB_OUT)/lbtest.elf
	cksum <$< | awk '{ print $$1 ":" $$2 }' >$@

-include $(wildcard $(LB_OUT)/*.d)

.PHONY: tests-linuxboot
tests-linuxboot: $(LB_IMAGES) $(LB_OUT)/lbtest.elf.cksum
tests-x86: tests-linuxboot
