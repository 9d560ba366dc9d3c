# tests/firmware: raw 64 KiB firmware images of the project's own, booted
# with -bios by tests/scripts/suite-x86.sh.  Each NAME.S starts at the
# reset vector (F000:FFF0) and reports like a guest test (PASS/FAIL lines,
# "N passed, N failed", isa-debug-exit).  Add one with: firmware-tests += NAME

firmware-tests += modes

FIRMWARE_LDS := tests/firmware/firmware.ld
FIRMWARE_BINS := $(addprefix $(O)/tests/firmware/,$(addsuffix .bin,$(firmware-tests)))

$(O)/tests/firmware/%.o: tests/firmware/%.S
	@mkdir -p $(@D)
	$(GUEST_CC) -c -MMD -MP -o $@ $<

$(FIRMWARE_BINS): $(O)/tests/firmware/%.bin: $(O)/tests/firmware/%.o $(FIRMWARE_LDS)
	$(GUEST_CC) -nostdlib -static -no-pie -Wl,-T,$(FIRMWARE_LDS) -Wl,--build-id=none \
	    -o $@ $<

.PHONY: tests-firmware
tests-firmware: $(FIRMWARE_BINS)
tests-x86: tests-firmware
