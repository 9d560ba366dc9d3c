# tests/linux: the guest kit (Debian's kernel, busybox, initramfs) and the
# Linux boot test.  The kit lives in build/guest for every build flavour:
# it does not depend on how tern is compiled.
#
#   make guest                       fetch and build the kit (apt-get download)
#   make check-linux                 the kit, then only the boot tests (1 CPU, -smp 4)
#   make check                       includes the boot test (LINUX_BOOT_TEST=0: not)

GUEST := build/guest

.PHONY: guest check-linux guest-for-check
guest:
	sh tests/linux/fetch-guest.sh $(GUEST)

check-linux: all guest
	@{ O=$(O) TERN=$(RUN_TERN) GUEST=$(GUEST) sh tests/linux/boot-test.sh; \
	   O=$(O) TERN=$(RUN_TERN) GUEST=$(GUEST) sh tests/linux/boot-test.sh -smp 4; } | tee $(O)/check-linux.log; \
	  ! grep -q "^FAIL " $(O)/check-linux.log

# Under make check a kit that cannot be fetched (no network) is a SKIP of
# the boot test, not a failed build.
guest-for-check:
	-@sh tests/linux/fetch-guest.sh $(GUEST) || echo "make: no guest kit; the Linux boot test will SKIP"

ifneq ($(LINUX_BOOT_TEST),0)
check: guest-for-check
endif
