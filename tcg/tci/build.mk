# the portable back end: bytecode (tcg-target.o emits and disassembles it)
# run by a C interpreter (tci.o)
tern-obj += tcg/tci/tcg-target.o tcg/tci/tci.o
