# the x86-64 back end: machine code, disassembled with capstone
tern-obj += tcg/x86_64/tcg-target.o tcg/disas-capstone.o
