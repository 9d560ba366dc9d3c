# the AArch64 back end: machine code, disassembled with capstone
tern-obj += tcg/aarch64/tcg-target.o tcg/disas-capstone.o
