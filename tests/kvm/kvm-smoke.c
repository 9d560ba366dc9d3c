/*
 * kvm-smoke: proves that a /dev/kvm runs guest code, independent of tern.
 * Used inside tests/kvm/nested.sh's guest, where it tells a broken nested
 * environment apart from a tern bug.
 *
 * One VM, one 64 KiB memslot at guest physical 0, one vCPU in real mode at
 * 0000:1000 running
 *     mov al, 0x42 ; mov cx, N ; 1: out 0x10, al ; loop 1b ; hlt
 * It checks that each of the N exits is KVM_EXIT_IO (out, port 0x10, one
 * byte, 0x42) and that the next one is KVM_EXIT_HLT, and prints the mean
 * time of one round trip guest -> tern-like userspace -> guest.
 *
 *     kvm-smoke [N]        N out exits (1..65535, default 1000)
 *
 * Prints "kvm-smoke: ok ..." and exits 0, or one line "kvm-smoke: why" and
 * exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define SMOKE_MEM_SIZE  0x10000
#define SMOKE_CODE_ADDR 0x1000
#define SMOKE_PORT      0x10
#define SMOKE_BYTE      0x42

static int smoke_fail(const char *fmt, ...)
{
    va_list ap;

    printf("kvm-smoke: ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    return 1;
}

static double smoke_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* smoke_vcpu_setup: real mode, CS = 0, IP at the code. */
static int smoke_vcpu_setup(int vcpu)
{
    struct kvm_sregs sregs;
    struct kvm_regs regs;

    if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
        return smoke_fail("KVM_GET_SREGS: %s", strerror(errno));
    sregs.cs.base = 0;
    sregs.cs.selector = 0;
    if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
        return smoke_fail("KVM_SET_SREGS: %s", strerror(errno));
    memset(&regs, 0, sizeof(regs));
    regs.rip = SMOKE_CODE_ADDR;
    regs.rflags = 0x2;
    if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
        return smoke_fail("KVM_SET_REGS: %s", strerror(errno));
    return 0;
}

/* smoke_run: n out exits, then hlt. */
static int smoke_run(int vcpu, struct kvm_run *run, unsigned n)
{
    double t0 = smoke_now(), t;

    for (unsigned i = 0; i <= n; i++) {
        if (ioctl(vcpu, KVM_RUN, 0) < 0)
            return smoke_fail("KVM_RUN: %s", strerror(errno));
        if (i == n)
            break;
        if (run->exit_reason != KVM_EXIT_IO)
            return smoke_fail("exit %u: reason %u, want KVM_EXIT_IO (%u)",
                              i, run->exit_reason, KVM_EXIT_IO);
        uint8_t data = *((uint8_t *)run + run->io.data_offset);
        if (run->io.direction != KVM_EXIT_IO_OUT || run->io.port != SMOKE_PORT ||
            run->io.size != 1 || run->io.count != 1 || data != SMOKE_BYTE)
            return smoke_fail("exit %u: io dir %u port 0x%x size %u count %u data 0x%x,"
                              " want out 0x%x size 1 count 1 data 0x%x", i,
                              run->io.direction, run->io.port, run->io.size,
                              run->io.count, data, SMOKE_PORT, SMOKE_BYTE);
    }
    t = smoke_now() - t0;
    if (run->exit_reason != KVM_EXIT_HLT)
        return smoke_fail("after %u out exits: reason %u, want KVM_EXIT_HLT (%u)",
                          n, run->exit_reason, KVM_EXIT_HLT);
    printf("kvm-smoke: ok: %u out exits then hlt in %.3f s, %.1f us per exit\n",
           n, t, t * 1e6 / (n + 1));
    return 0;
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 1000;
    int kvm, vm, vcpu, api, mmap_size;
    struct kvm_userspace_memory_region slot;
    struct kvm_run *run;
    uint8_t *mem;

    if (n < 1 || n > 0xffff)
        return smoke_fail("N must be 1..65535");
    kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0)
        return smoke_fail("/dev/kvm: %s", strerror(errno));
    api = ioctl(kvm, KVM_GET_API_VERSION, 0);
    if (api != KVM_API_VERSION)
        return smoke_fail("KVM_GET_API_VERSION: %d, want %d", api, KVM_API_VERSION);
    vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0)
        return smoke_fail("KVM_CREATE_VM: %s", strerror(errno));

    mem = mmap(NULL, SMOKE_MEM_SIZE, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        return smoke_fail("mmap: %s", strerror(errno));
    const uint8_t code[] = {
        0xb0, SMOKE_BYTE,               /* mov al, 0x42 */
        0xb9, n & 0xff, n >> 8,         /* mov cx, n */
        0xe6, SMOKE_PORT,               /* 1: out 0x10, al */
        0xe2, 0xfc,                     /* loop 1b */
        0xf4,                           /* hlt */
    };
    memcpy(mem + SMOKE_CODE_ADDR, code, sizeof(code));
    slot = (struct kvm_userspace_memory_region){
        .slot = 0, .guest_phys_addr = 0, .memory_size = SMOKE_MEM_SIZE,
        .userspace_addr = (uintptr_t)mem,
    };
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
        return smoke_fail("KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));

    vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vcpu < 0)
        return smoke_fail("KVM_CREATE_VCPU: %s", strerror(errno));
    mmap_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (mmap_size < (int)sizeof(*run))
        return smoke_fail("KVM_GET_VCPU_MMAP_SIZE: %d", mmap_size);
    run = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED)
        return smoke_fail("mmap of the vCPU: %s", strerror(errno));
    if (smoke_vcpu_setup(vcpu) || smoke_run(vcpu, run, n))
        return 1;
    return 0;
}
