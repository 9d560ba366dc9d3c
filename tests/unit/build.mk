# unit tests: add 'unit-tests += NAME' for tests/unit/test-NAME.c
unit-tests += option
unit-tests += memory
unit-tests += runstate
unit-tests += mmu
unit-tests += tb
unit-tests += decode
unit-tests += tcg
