/*
 * pagefault.c: map 64 MiB of anonymous memory, write one word in every
 * page (a page fault each: the kernel zeroes and maps a fresh page), read
 * them back, unmap; ROUNDS times.  The checksum covers the zero a fresh
 * page reads as and the words written.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAP_BYTES (64ul << 20)
#define ROUNDS 4

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    uint64_t sum = 0;

    for (int r = 0; r < ROUNDS; r++) {
        uint8_t *p = mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            perror("pagefault: mmap");
            return 1;
        }
        for (size_t off = 0; off < MAP_BYTES; off += page) {
            uint64_t *w = (uint64_t *)(p + off);
            sum += *w;                  /* 0 in a fresh page */
            *w = off * 0x9e3779b97f4a7c15ull + r;
        }
        for (size_t off = 0; off < MAP_BYTES; off += page)
            sum = (sum ^ *(uint64_t *)(p + off)) * 0x100000001b3ull;
        munmap(p, MAP_BYTES);
    }
    printf("checksum %016lx\n", (unsigned long)sum);
    return 0;
}
