# target-x86: objects this directory adds to tern
tern-obj += target-x86/cpu.o target-x86/cpu-models.o target-x86/cpu-topology.o target-x86/mmu.o target-x86/excp_helper.o target-x86/seg_helper.o \
            target-x86/far_helper.o target-x86/task_helper.o target-x86/translate-far.o target-x86/translate-legacy.o
# instructions outside 64-bit mode: BCD, BOUND, INTO, ARPL, SALC
tern-obj += target-x86/translate-legacy-alu.o target-x86/bcd_helper.o target-x86/legacy_helper.o
tern-obj += target-x86/decode.o target-x86/decode-table.o target-x86/translate.o target-x86/translate-region.o \
            target-x86/translate-alu.o target-x86/cc_helper.o target-x86/int_helper.o \
            target-x86/misc_helper.o target-x86/priv_helper.o
# virtual-mode extensions: CR4.VME and CR4.PVI
tern-obj += target-x86/vme_helper.o
# segment limit and type checks
tern-obj += target-x86/seg_check.o
# strings, bit ops, atomics, misc
tern-obj += target-x86/atomic_helper.o
tern-obj += target-x86/translate-string.o target-x86/translate-bitops.o \
            target-x86/translate-misc.o target-x86/string_helper.o target-x86/misc_insn_helper.o
# BMI1/BMI2, ADX, MOVBE, CRC32
tern-obj += target-x86/translate-bmi.o target-x86/bmi_helper.o
# SSE, SSE2, SSE3, SSSE3
tern-obj += target-x86/translate-sse.o target-x86/sse_helper.o target-x86/sse_int_helper.o
# SSE4.1
tern-obj += target-x86/translate-sse41.o target-x86/sse41_helper.o
# SSE4.2 (pcmpgtq, string compares), AES-NI, PCLMULQDQ
tern-obj += target-x86/sse42_helper.o target-x86/aes_helper.o
# system instructions, XSAVE
tern-obj += target-x86/translate-system.o target-x86/system_helper.o target-x86/xsave_helper.o
# protection keys: RDPKRU, WRPKRU (the key checks are mmu.c's)
tern-obj += target-x86/pku_helper.o
# debug registers, breakpoints, single step
tern-obj += target-x86/translate-debug.o target-x86/debug_helper.o
# gdb's view of the CPU: registers, target description, memory
tern-obj += target-x86/gdbstub.o
# MSRs, fast system calls
tern-obj += target-x86/translate-msr.o target-x86/msr_helper.o target-x86/syscall_helper.o
# x87
tern-obj += target-x86/translate-x87.o target-x86/fpu_helper.o
# MMX
tern-obj += target-x86/translate-mmx.o
# KVM: register, CPUID and MSR mapping, interrupt injection
ifeq ($(CONFIG_KVM),yes)
tern-obj += target-x86/kvm-arch.o
endif
