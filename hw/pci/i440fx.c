/*
 * i440fx.c: the 82441FX PMC's configuration space (Intel 82441FX PMC
 * datasheet, 3.2): vendor 8086, device 1237, revision 02 (as QEMU's),
 * class 0600 (host bridge), header type 00.  PAM0-6 (59h-5Fh): only
 * the HIENABLE (5:4) and, but for PAM0, LOENABLE (1:0) fields are
 * writable.  SMRAM (72h): reset 02h, C_BASE_SEG (2:0) hardwired 010b
 * (A0000h); G_SMRAME, D_LCK, D_CLS, D_OPEN (6:3) writable until D_LCK is
 * set, which clears D_OPEN and makes the register read-only until reset.
 * The values are stored; nothing maps shadow RAM or SMRAM by them yet.
 */
#include "util/osdep.h"
#include "hw/pci/i440fx.h"

#define SMRAM_D_OPEN    0x40
#define SMRAM_D_LCK     0x10
#define SMRAM_WMASK     0x78
#define SMRAM_RESET     0x02

static void i440fx_config_write(PCIDevice *d, unsigned addr, uint32_t val, unsigned len)
{
    if (addr <= I440FX_SMRAM && I440FX_SMRAM < addr + len &&
        (d->config[I440FX_SMRAM] & SMRAM_D_LCK)) {
        d->config[I440FX_SMRAM] &= ~SMRAM_D_OPEN;
        d->wmask[I440FX_SMRAM] = 0;
    }
}

static void i440fx_reset(PCIDevice *d)
{
    d->wmask[I440FX_SMRAM] = SMRAM_WMASK;
}

static const PCIDeviceOps i440fx_ops = {
    .config_write = i440fx_config_write,
    .reset = i440fx_reset,
};

I440FXState *i440fx_init(PCIBus *bus, uint8_t devfn)
{
    I440FXState *s = tern_malloc0(sizeof(*s));
    PCIDevice *d = &s->dev;

    pci_device_init(d, "i440FX", &i440fx_ops);
    pci_config_set_ids(d, PCI_VENDOR_ID_INTEL, PCI_DEVICE_ID_INTEL_82441, 0x02,
                       PCI_CLASS_BRIDGE_HOST, 0);
    d->wmask[I440FX_PAM] = 0x30;
    for (int i = 1; i < I440FX_PAM_NUM; i++) {
        d->wmask[I440FX_PAM + i] = 0x33;
    }
    d->config[I440FX_SMRAM] = SMRAM_RESET;
    d->wmask[I440FX_SMRAM] = SMRAM_WMASK;
    pci_bus_plug(bus, d, devfn);
    return s;
}

void i440fx_destroy(I440FXState *s)
{
    if (s) {
        pci_bus_unplug(&s->dev);
        free(s);
    }
}
