# tests: unit tests (host programs linked with libtern.a), guest tests
# (freestanding x86-64 ELF programs run under tern) and the check driver.
#
# A unit test tests/unit/test-foo.c is added with:   unit-tests += foo
# A guest test tests/x86/foo.c (or .S) is added with: guest-tests += foo

unit-tests += util
include tests/unit/build.mk
include tests/x86/build.mk
include tests/firmware/build.mk
include tests/multiboot/build.mk
include tests/linuxboot/build.mk
include tests/diff/build.mk
include tests/linux/build.mk
include tests/kvm/build.mk

UNIT_BINS := $(addprefix $(O)/tests/unit/test-,$(unit-tests))

$(O)/tests/unit/test-%: $(O)/tests/unit/test-%.o $(LIBTERN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

.PHONY: tests-unit tests-x86
tests-unit: $(UNIT_BINS)

check: all tests-unit tests-x86
	@O=$(O) TERN=$(RUN_TERN) sh tests/scripts/check.sh
