# unit tests: add 'unit-tests += NAME' for tests/unit/test-NAME.c
unit-tests += option
unit-tests += memory
unit-tests += runstate
unit-tests += mmu
unit-tests += tb
unit-tests += decode
unit-tests += tcg
unit-tests += softfloat
unit-tests += softfloat-x80
unit-tests += sse-helper
unit-tests += sse41-helper
# SSE4.2, AES-NI, PCLMULQDQ helpers against the host (intrinsics need the ISA flags)
unit-tests += sse42-helper aes-helper
sse42-helper_UNIT_CFLAGS := -msse4.2
aes-helper_UNIT_CFLAGS := -maes -mpclmul
$(O)/tests/unit/test-sse42-helper.o: CFLAGS += $(sse42-helper_UNIT_CFLAGS)
$(O)/tests/unit/test-aes-helper.o: CFLAGS += $(aes-helper_UNIT_CFLAGS)
