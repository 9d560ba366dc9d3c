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

# The compare mode's planted-bug flavour (tests/scripts/suite-compare.sh,
# docs/compare.md): tern with translate-alu.c rebuilt with TERN_PLANTED_BUG
# (as ./configure --enable-planted-bug does for a whole build directory);
# the other objects are this build's.
TERN_PLANTED := $(O)/tern-planted
$(O)/planted/translate-alu.o: target-x86/translate-alu.c $(CONFIG)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DTERN_PLANTED_BUG -c -o $@ $<
$(TERN_PLANTED): $(O)/main.o $(O)/planted/translate-alu.o $(LIBTERN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

check: all tests-unit tests-x86 $(TERN_PLANTED)
	@O=$(O) TERN=$(RUN_TERN) sh tests/scripts/check.sh
