# unit tests: add 'unit-tests += NAME' for tests/unit/test-NAME.c
