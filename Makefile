# tern: one non-recursive Makefile.  Each directory contributes a build.mk
# that appends its objects to the lists below; nothing recurses.
#
#   make            build build/tern (BUILD=DIR: the build configured in DIR)
#   make check      build everything and run every test (SANITIZE=1: ASan+UBSan,
#                   TSAN=1: ThreadSanitizer in build/tsan)
#   make run        configure (installing missing packages), build, boot Linux to a shell
#   make install    install the binary and docs under $(PREFIX)

SRC := .
# BUILD: the configured build directory (./configure --builddir=DIR); one per
# configuration, e.g. build-aarch64 for --cross-prefix=aarch64-linux-gnu-
BUILD ?= build
CONFIG := $(BUILD)/config.mak

ifeq ($(filter help configure,$(MAKECMDGOALS)),)
$(CONFIG):
	./configure --builddir=$(BUILD)
-include $(CONFIG)
endif

ifeq ($(SANITIZE),1)
O := $(BUILD)/san
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else ifeq ($(TSAN),1)
# ThreadSanitizer: a report fails the run; tests/tsan.supp says why each
# suppressed one is benign.  -Wno-tsan: TSan does not model the seq_cst
# fences of cputlb.c (their pairs are atomics, so no false report follows)
O := $(BUILD)/tsan
SAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer -Wno-tsan
export TSAN_OPTIONS ?= suppressions=$(CURDIR)/tests/tsan.supp halt_on_error=1 exitcode=66
else
O := $(BUILD)
SAN_FLAGS :=
endif

CFLAGS := $(CFLAGS_BASE) $(SAN_FLAGS) -MMD -MP -I$(BUILD) -Iinclude -Itcg/$(HOST_ARCH) -I. $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDFLAGS := $(LDFLAGS_BASE) $(SAN_FLAGS)

# Object lists filled by the build.mk files.  Paths are relative to the
# source root; $(O)/ is prepended below.
tern-obj :=
TERN := $(O)/tern
LIBTERN := $(O)/libtern.a
unit-tests :=
guest-tests :=
guest32-tests :=

include util/build.mk
include softmmu/build.mk
include monitor/build.mk
include gdbstub/build.mk
include block/build.mk
include hw/build.mk
include tcg/build.mk
include target-x86/build.mk
include accel/build.mk
include tests/build.mk
include bench/build.mk

TERN_OBJS := $(addprefix $(O)/,$(tern-obj))

# RUN_TERN: what the tests and benchmarks run.  For a host this machine
# cannot run (a cross build), a script that runs $(TERN) under HOST_EXEC
# (QEMU's user-mode emulation); the test scripts prefix the host's other
# programs (unit tests, difftest) with $HOST_EXEC themselves.
export HOST_EXEC
ifneq ($(strip $(HOST_EXEC)),)
RUN_TERN := $(O)/tern-run
$(RUN_TERN): $(TERN)
	printf '#!/bin/sh\nexec %s "$$(dirname "$$0")/tern" "$$@"\n' '$(HOST_EXEC)' >$@ && chmod +x $@
all: $(RUN_TERN)
else
RUN_TERN := $(TERN)
endif

.PHONY: all check run run-hello install clean distclean help
.DEFAULT_GOAL := all
all: $(TERN)

$(O)/%.o: %.c $(CONFIG)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(LIBTERN): $(TERN_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(TERN): $(O)/main.o $(LIBTERN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

-include $(shell find $(O) -name '*.d' 2>/dev/null)

# make run: Debian's kernel and a busybox initramfs (tests/linux/fetch-guest.sh,
# cached in build/guest) to a shell on this terminal; poweroff -f or
# Ctrl-A x ends it.  make run-hello: the tiny demo guest, no download.
RUN_ARGS := -m 512 -nographic -kernel $(GUEST)/vmlinuz -initrd $(GUEST)/initramfs.cpio.gz \
    -append "console=ttyS0 quiet"
run:
	@test -f $(CONFIG) || ./configure --install-deps --builddir=$(BUILD)
	$(MAKE) all
	$(MAKE) guest
	$(RUN_TERN) $(RUN_ARGS)

run-hello:
	@test -f $(CONFIG) || ./configure --install-deps --builddir=$(BUILD)
	$(MAKE) all tests-x86
	$(RUN_TERN) -nographic -kernel $(O)/tests/x86/hello.elf -device isa-debug-exit,iobase=0xf4,iosize=0x04; \
	  st=$$?; echo "tern: guest exited with status $$st"; test $$st -eq 1

install: $(TERN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/doc/tern
	install -m 0755 $(TERN) $(DESTDIR)$(PREFIX)/bin/tern
	install -m 0644 README.md docs/*.md $(DESTDIR)$(PREFIX)/share/doc/tern/

clean:
	rm -rf $(BUILD)/san $(BUILD)/tsan $(filter-out $(BUILD)/config.mak $(BUILD)/config-host.h,$(wildcard $(BUILD)/*))

distclean:
	rm -rf $(BUILD)

help:
	@sed -n '2,9p' Makefile | sed 's/^# \{0,1\}//'
.SECONDARY:
