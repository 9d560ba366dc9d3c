/*
 * virtio-blk.c: a tiny guest-side virtio-blk driver for the modern PCI
 * transport (virtio 1.2 spec, 3.1 and 4.1), as Linux's virtio_pci and
 * virtio_blk use it: find 1af4:1042 on bus 0, walk its vendor
 * capabilities, size and assign the 64-bit BAR itself (tern has no
 * firmware), negotiate VERSION_1 and FLUSH, set up one 8-entry split
 * queue, then write sectors, flush, read them back and compare; GET_ID;
 * a read past the end is IOERR.  INTx: the ISR and the PCI status
 * interrupt bit follow a completion, and reading the ISR clears both.
 * Last, a descriptor loop must put the device in DEVICE_NEEDS_RESET (tern
 * keeps running), and a reset brings it back.
 * The suite gives it a blank 1 MiB image as -drive if=virtio.
 * Native build: skipped, port I/O needs ring 0.
 */
// tern-disk: 1M if=virtio
#include "tern.h"

#include <stdbool.h>

#define BAR_ADDR       0xfe000000u    /* free, below the IOAPIC, identity-mapped */
#define DISK_SECTORS   2048           /* the 1 MiB image */
#define QSIZE          8

/* common configuration (4.1.4.3) */
#define DFSELECT 0x00
#define DF       0x04
#define GFSELECT 0x08
#define GF       0x0c
#define NUMQ     0x12
#define STATUS   0x14
#define QSELECT  0x16
#define QSIZE_R  0x18
#define QENABLE  0x1c
#define QNOFF    0x1e
#define QDESC    0x20
#define QAVAIL   0x28
#define QUSED    0x30

#define S_ACK 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8
#define S_NEEDS_RESET 0x40

#define F_FLUSH 9
#define F_VERSION_1 32
#define D_NEXT 1
#define D_WRITE 2
#define T_IN 0
#define T_OUT 1
#define T_FLUSH 4
#define T_GET_ID 8

struct desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
};

static struct desc ring_desc[QSIZE] __attribute__((aligned(16)));
static struct { uint16_t flags, idx, ring[QSIZE], used_event; } avail __attribute__((aligned(2)));
static struct {
    uint16_t flags, idx;
    struct { uint32_t id, len; } ring[QSIZE];
    uint16_t avail_event;
} used __attribute__((aligned(4)));
static struct { uint32_t type, reserved; uint64_t sector; } hdr;
static uint8_t data[4096], status_byte;

static unsigned devfn;
static volatile uint8_t *common, *isr, *devcfg, *notify;
static uint32_t notify_mult;

static uint32_t rd32(volatile uint8_t *p, unsigned off) { return *(volatile uint32_t *)(p + off); }
static uint16_t rd16(volatile uint8_t *p, unsigned off) { return *(volatile uint16_t *)(p + off); }
static void wr32(volatile uint8_t *p, unsigned off, uint32_t v) { *(volatile uint32_t *)(p + off) = v; }
static void wr16(volatile uint8_t *p, unsigned off, uint16_t v) { *(volatile uint16_t *)(p + off) = v; }
static void wr8(volatile uint8_t *p, unsigned off, uint8_t v) { p[off] = v; }

static bool find_device(void)
{
    int found = pci_find(0x1af4, 0x1042);

    devfn = found < 0 ? 0 : (unsigned)found;
    return found >= 0;
}

/* Linux's virtio_pci_find_capability: vendor capabilities by cfg_type. */
static void test_caps(void)
{
    unsigned seen = 0, guard = 0;

    test_group("pci");
    CHECK_EQ_NAMED("revision", pci_cfg_read(devfn, 0x08, 1), 1);
    CHECK_EQ_NAMED("subsys-vendor", pci_cfg_read(devfn, 0x2c, 2), 0x1af4);
    CHECK_NAMED("cap-list", pci_cfg_read(devfn, 0x06, 2) & 0x10);
    for (unsigned p = pci_cfg_read(devfn, 0x34, 1); p && guard < 48;
         p = pci_cfg_read(devfn, p + 1, 1), guard++) {
        unsigned type = pci_cfg_read(devfn, p + 3, 1), bar = pci_cfg_read(devfn, p + 4, 1);
        uint32_t off = pci_cfg_read(devfn, p + 8, 4);
        volatile uint8_t *base = (volatile uint8_t *)(uintptr_t)(BAR_ADDR + off);

        if (pci_cfg_read(devfn, p, 1) != 0x09 || bar != 4) {
            continue;
        }
        seen |= 1u << type;
        if (type == 1) {
            common = base;
        } else if (type == 2) {
            notify = base;
            notify_mult = pci_cfg_read(devfn, p + 16, 4);
        } else if (type == 3) {
            isr = base;
        } else if (type == 4) {
            devcfg = base;
        }
    }
    CHECK_EQ_NAMED("cap-types", seen, 0x1e);
    /* BAR 4: 64-bit memory; all ones reads back the 16 KiB size mask */
    CHECK_EQ_NAMED("bar-type", pci_cfg_read(devfn, 0x20, 4) & 0xf, 0x4);
    pci_cfg_write(devfn, 0x20, 4, 0xffffffffu);
    CHECK_EQ_NAMED("bar-size", pci_cfg_read(devfn, 0x20, 4), 0xffffc004u);
    pci_cfg_write(devfn, 0x20, 4, BAR_ADDR);
    pci_cfg_write(devfn, 0x24, 4, 0);
    pci_cfg_write(devfn, 0x04, 2, 0x0006);                     /* memory space, bus master */
    CHECK_EQ_NAMED("bar-addr", pci_cfg_read(devfn, 0x20, 4), BAR_ADDR | 0x4);
}

static bool negotiate(void)
{
    uint64_t f;

    wr8(common, STATUS, 0);
    wr8(common, STATUS, S_ACK | S_DRIVER);
    wr32(common, DFSELECT, 0);
    f = rd32(common, DF);
    wr32(common, DFSELECT, 1);
    f |= (uint64_t)rd32(common, DF) << 32;
    CHECK_NAMED("version-1", f >> F_VERSION_1 & 1);
    CHECK_NAMED("flush", f >> F_FLUSH & 1);
    wr32(common, GFSELECT, 0);
    wr32(common, GF, 1u << F_FLUSH);
    wr32(common, GFSELECT, 1);
    wr32(common, GF, 1u << (F_VERSION_1 - 32));
    wr8(common, STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
    return common[STATUS] & S_FEATURES_OK;
}

static void queue_setup(void)
{
    for (unsigned i = 0; i < sizeof(avail); i++) {
        ((volatile uint8_t *)&avail)[i] = 0;
    }
    for (unsigned i = 0; i < sizeof(used); i++) {
        ((volatile uint8_t *)&used)[i] = 0;
    }
    wr16(common, QSELECT, 0);
    wr16(common, QSIZE_R, QSIZE);
    wr32(common, QDESC, (uint32_t)(uintptr_t)ring_desc);
    wr32(common, QDESC + 4, 0);
    wr32(common, QAVAIL, (uint32_t)(uintptr_t)&avail);
    wr32(common, QAVAIL + 4, 0);
    wr32(common, QUSED, (uint32_t)(uintptr_t)&used);
    wr32(common, QUSED + 4, 0);
    wr16(common, QENABLE, 1);
    wr8(common, STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
}

static void test_setup(void)
{
    test_group("setup");
    CHECK_EQ_NAMED("num-queues", rd16(common, NUMQ), 1);
    CHECK_NAMED("features-ok", negotiate());
    wr16(common, QSELECT, 0);
    CHECK_EQ_NAMED("queue-max", rd16(common, QSIZE_R), 256);
    CHECK_EQ_NAMED("notify-off", rd16(common, QNOFF), 0);
    CHECK_EQ_NAMED("capacity", rd32(devcfg, 0), DISK_SECTORS);
    CHECK_EQ_NAMED("capacity-hi", rd32(devcfg, 4), 0);
    CHECK_EQ_NAMED("blk-size", rd32(devcfg, 20), 512);
    queue_setup();
    CHECK_EQ_NAMED("status", common[STATUS], S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
}

/* One request at descriptors 0-2 (no data descriptor when len is 0);
 * returns the status byte after the used ring moved, 0xff if it did not. */
static uint8_t request(uint32_t type, uint64_t sector, uint32_t len)
{
    uint16_t before = used.idx, n = 0;

    hdr.type = type;
    hdr.reserved = 0;
    hdr.sector = sector;
    status_byte = 0xee;
    ring_desc[n] = (struct desc){ (uintptr_t)&hdr, 16, D_NEXT, 1 };
    n++;
    if (len) {
        ring_desc[n] = (struct desc){ (uintptr_t)data, len,
                                      (uint16_t)(D_NEXT | (type == T_OUT ? 0 : D_WRITE)), 2 };
        n++;
    }
    ring_desc[n] = (struct desc){ (uintptr_t)&status_byte, 1, D_WRITE, 0 };
    ring_desc[n - 1].next = n;
    avail.ring[avail.idx % QSIZE] = 0;
    __asm__ volatile("" ::: "memory");
    avail.idx++;
    __asm__ volatile("mfence" ::: "memory");
    wr16(notify, 0 * notify_mult, 0);
    for (unsigned spin = 0; spin < 1000000 && *(volatile uint16_t *)&used.idx == before; spin++) {
        __asm__ volatile("pause");
    }
    return *(volatile uint16_t *)&used.idx == before ? 0xff : status_byte;
}

static void fill(unsigned seed, unsigned len)
{
    for (unsigned i = 0; i < len; i++) {
        data[i] = (uint8_t)(i * 13 + seed);
    }
}

static bool check_fill(unsigned seed, unsigned len)
{
    for (unsigned i = 0; i < len; i++) {
        if (data[i] != (uint8_t)(i * 13 + seed)) {
            return false;
        }
    }
    return true;
}

static void test_io(void)
{
    test_group("io");
    fill(1, 2048);
    CHECK_EQ_NAMED("write", request(T_OUT, 10, 2048), 0);
    CHECK_EQ_NAMED("used-len-write", used.ring[(used.idx - 1) % QSIZE].len, 1);
    /* INTx: ISR bit 0 and the PCI status interrupt bit, both cleared by the ISR read */
    CHECK_NAMED("intx-status", pci_cfg_read(devfn, 0x06, 2) & 0x08);
    CHECK_EQ_NAMED("isr", isr[0], 1);
    CHECK_EQ_NAMED("intx-cleared", pci_cfg_read(devfn, 0x06, 2) & 0x08, 0);
    CHECK_EQ_NAMED("isr-cleared", isr[0], 0);
    CHECK_EQ_NAMED("flush", request(T_FLUSH, 0, 0), 0);
    fill(0x55, 4096);
    CHECK_EQ_NAMED("last-sector", request(T_OUT, DISK_SECTORS - 1, 512), 0);
    for (unsigned i = 0; i < sizeof(data); i++) {
        data[i] = 0;
    }
    CHECK_EQ_NAMED("read", request(T_IN, 10, 2048), 0);
    CHECK_EQ_NAMED("used-len-read", used.ring[(used.idx - 1) % QSIZE].len, 2049);
    CHECK_NAMED("data", check_fill(1, 2048));
    CHECK_EQ_NAMED("read-last", request(T_IN, DISK_SECTORS - 1, 512), 0);
    CHECK_NAMED("data-last", check_fill(0x55, 512));
    CHECK_EQ_NAMED("past-end", request(T_IN, DISK_SECTORS - 1, 1024), 1);
    CHECK_EQ_NAMED("get-id", request(T_GET_ID, 0, 20), 0);
    CHECK_NAMED("serial", data[0] == 'v' && data[1] == 'i' && data[6] == '0');  /* "virtio0" */
    isr[0];
}

/* A descriptor chain that loops: the device must refuse it, not hang. */
static void test_malformed(void)
{
    uint16_t before = used.idx;

    test_group("malformed");
    hdr.type = T_IN;
    ring_desc[0] = (struct desc){ (uintptr_t)&hdr, 16, D_NEXT, 1 };
    ring_desc[1] = (struct desc){ (uintptr_t)data, 512, D_NEXT | D_WRITE, 1 };  /* itself */
    avail.ring[avail.idx % QSIZE] = 0;
    avail.idx++;
    __asm__ volatile("mfence" ::: "memory");
    wr16(notify, 0, 0);
    CHECK_NAMED("needs-reset", common[STATUS] & S_NEEDS_RESET);
    CHECK_EQ_NAMED("nothing-used", used.idx, before);
    CHECK_EQ_NAMED("config-irq", isr[0], 2);
    /* reset and start over */
    CHECK_NAMED("renegotiate", negotiate());
    queue_setup();
    CHECK_EQ_NAMED("recovered", common[STATUS] & S_NEEDS_RESET, 0);
    CHECK_EQ_NAMED("read-again", request(T_IN, 10, 512), 0);
    CHECK_NAMED("data-again", check_fill(1, 512));
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    if (!TERN_HAVE_PORT_IO) {
        test_skip("port I/O needs ring 0");
    }
    test_group("probe");
    if (!find_device()) {
        CHECK_NAMED("found-1af4-1042", 0);
        test_done();
    }
    CHECK_EQ_NAMED("slot", devfn >> 3, 4);
    test_caps();
    test_setup();
    test_io();
    test_malformed();
    test_done();
}
