# guest tests: add 'guest-tests += NAME' for tests/x86/NAME.c or NAME.S
.PHONY: tests-x86
tests-x86:
