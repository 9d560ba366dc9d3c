# target-x86: objects this directory adds to tern
tern-obj += target-x86/cpu.o target-x86/mmu.o target-x86/excp_helper.o target-x86/seg_helper.o
tern-obj += target-x86/decode.o target-x86/decode-table.o target-x86/translate.o \
            target-x86/translate-alu.o target-x86/cc_helper.o target-x86/int_helper.o \
            target-x86/misc_helper.o
