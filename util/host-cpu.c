/*
 * host-cpu.c: the host CPU's vendor (include/util/host-cpu.h), read with
 * CPUID once (pthread_once: vCPU threads may ask first).
 */
#include "util/host-cpu.h"

#include <pthread.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

static char host_vendor[13];
static pthread_once_t host_vendor_once = PTHREAD_ONCE_INIT;

static void host_cpu_read_vendor(void)
{
#if defined(__x86_64__) || defined(__i386__)
    unsigned a, b, c, d;

    if (__get_cpuid(0, &a, &b, &c, &d)) {
        memcpy(host_vendor, &b, 4);             /* EBX EDX ECX: "Genu" "ineI" "ntel" */
        memcpy(host_vendor + 4, &d, 4);
        memcpy(host_vendor + 8, &c, 4);
    }
#endif
}

const char *host_cpu_vendor(void)
{
    pthread_once(&host_vendor_once, host_cpu_read_vendor);
    return host_vendor;
}

bool host_cpu_is_intel(void)
{
    return !strcmp(host_cpu_vendor(), "GenuineIntel");
}
