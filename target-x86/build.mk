# target-x86: objects this directory adds to tern
