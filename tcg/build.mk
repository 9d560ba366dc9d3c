# tcg: the IR core and the host back end chosen by configure (HOST_ARCH);
# tcg/$(HOST_ARCH)/build.mk lists the back end's objects
tern-obj += tcg/tcg.o tcg/tcg-op.o tcg/optimize.o tcg/regalloc.o tcg/region.o
include tcg/$(HOST_ARCH)/build.mk
