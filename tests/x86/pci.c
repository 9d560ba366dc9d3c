/*
 * pci.c: PCI bus 0 through configuration mechanism #1 (0xCF8/0xCFC), as
 * Linux's pci_direct_probe and bus scan see it: CONFIG_ADDRESS reads back
 * what was written (enable bit, reserved bits 0); every slot's function 0
 * is read, a multi-function header type makes the scan read functions
 * 1-7; exactly 00:00.0 (i440FX 8086:1237, class 0600), 00:01.0 (PIIX3
 * 8086:7000, class 0601, header type 80h) and 00:01.1 (PIIX3 IDE
 * 8086:7010, class 0101) answer, all else reads all
 * ones.  Byte, word and misaligned-word reads of CONFIG_DATA, and a
 * PIIX3 PIRQ route register written and read back.
 * Native build: skipped, port I/O needs ring 0.
 */
#include "tern.h"

static uint32_t cfg_addr(unsigned devfn, unsigned reg)
{
    return 0x80000000u | devfn << 8 | (reg & 0xfc);
}

/* Linux's pci_sanity_check/pci_direct_probe: mechanism #1 is there when
 * CONFIG_ADDRESS keeps the enable bit it was given. */
static void test_probe(void)
{
    test_group("probe");
    outl(PCI_CONFIG_ADDRESS, 0x80000000u);
    CHECK_EQ(inl(PCI_CONFIG_ADDRESS), 0x80000000u);
    outl(PCI_CONFIG_ADDRESS, 0xffffffffu);
    CHECK_EQ(inl(PCI_CONFIG_ADDRESS), 0x80fffffcu);
    outl(PCI_CONFIG_ADDRESS, 0);
    CHECK_EQ(inl(PCI_CONFIG_DATA), 0xffffffffu);       /* disabled: no cycle */
}

/* The scan: slots 0-31, functions 1-7 only behind a multi-function 0. */
static void test_scan(void)
{
    unsigned found = 0;

    test_group("scan");
    for (unsigned slot = 0; slot < 32; slot++) {
        for (unsigned fn = 0; fn < 8; fn++) {
            unsigned devfn = slot << 3 | fn;
            uint32_t id = pci_cfg_read(devfn, 0x00, 4);

            if (id == 0xffffffffu) {
                if (fn == 0) {
                    break;
                }
                continue;
            }
            found++;
            if (devfn == 0x00) {
                CHECK_EQ_NAMED("00.0-id", id, 0x12378086u);
                CHECK_EQ_NAMED("00.0-class", pci_cfg_read(devfn, 0x08, 4) >> 16, 0x0600);
                CHECK_EQ_NAMED("00.0-header", pci_cfg_read(devfn, 0x0e, 1), 0x00);
            } else if (devfn == 0x08) {
                CHECK_EQ_NAMED("01.0-id", id, 0x70008086u);
                CHECK_EQ_NAMED("01.0-class", pci_cfg_read(devfn, 0x08, 4) >> 16, 0x0601);
                CHECK_EQ_NAMED("01.0-header", pci_cfg_read(devfn, 0x0e, 1), 0x80);
            } else if (devfn == 0x09) {
                CHECK_EQ_NAMED("01.1-id", id, 0x70108086u);     /* PIIX3 IDE (hw/ide/piix.c) */
                CHECK_EQ_NAMED("01.1-class", pci_cfg_read(devfn, 0x08, 4) >> 16, 0x0101);
            } else {
                tern_printf("unexpected function %02x.%u: %08x\n", slot, fn, (unsigned)id);
                CHECK_NAMED("nothing-else", 0);
            }
            if (fn == 0 && !(pci_cfg_read(devfn, 0x0e, 1) & 0x80)) {
                break;
            }
        }
    }
    CHECK_EQ_NAMED("count", found, 3);
    outl(PCI_CONFIG_ADDRESS, 0x80000000u | 1 << 16);   /* bus 1 */
    CHECK_EQ_NAMED("bus1", inl(PCI_CONFIG_DATA), 0xffffffffu);
}

/* Partial-dword reads; a misaligned word reaches it as two bytes. */
static void test_partial(void)
{
    test_group("partial");
    outl(PCI_CONFIG_ADDRESS, cfg_addr(0x08, 0x00));
    CHECK_EQ(inb(PCI_CONFIG_DATA + 1), 0x80);
    CHECK_EQ(inw(PCI_CONFIG_DATA + 2), 0x7000);
    CHECK_EQ(inw(PCI_CONFIG_DATA + 1), 0x0080);
    /* PIRQRC[A:D]: reset 80h, IRQ field and IRQROUTEN writable */
    outl(PCI_CONFIG_ADDRESS, cfg_addr(0x08, 0x60));
    CHECK_EQ(inl(PCI_CONFIG_DATA), 0x80808080u);
    outb(PCI_CONFIG_DATA + 2, 0xfb);
    CHECK_EQ(inl(PCI_CONFIG_DATA), 0x808b8080u);
    outb(PCI_CONFIG_DATA + 2, 0x80);
    CHECK_EQ(inl(PCI_CONFIG_DATA), 0x80808080u);
    outb(PCI_CONFIG_ADDRESS, 0x00);                    /* a byte is not CONFIG_ADDRESS */
    CHECK_EQ(inl(PCI_CONFIG_ADDRESS), cfg_addr(0x08, 0x60));
}

int main(const struct tern_bootinfo *bi)
{
    (void)bi;
    if (!TERN_HAVE_PORT_IO) {
        test_skip("port I/O needs ring 0");
    }
    test_probe();
    test_scan();
    test_partial();
    test_done();
}
