# tcg: the IR core and the host back end chosen by configure (HOST_ARCH)
tern-obj += tcg/tcg.o tcg/tcg-op.o tcg/optimize.o tcg/regalloc.o tcg/region.o \
            tcg/disas.o tcg/$(HOST_ARCH)/tcg-target.o
