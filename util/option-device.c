/*
 * option-device.c: -device and -global (QEMU's syntax and meaning).
 *
 * device_table[] is the one list of the devices a command line can add:
 * name, bus, description, properties (name, type, help: what
 * "-device NAME,help" prints) and three steps that turn one -device into
 * TernOptions fields: begin (the defaults), set (one property), end
 * (checks, then the device is added).  -device arguments are kept as
 * written and parsed when every option has been read, so that a -global
 * DRIVER.PROP=VALUE sets the default of PROP for each DRIVER wherever it
 * stands on the command line, as in QEMU.
 */
#include "util/osdep.h"
#include "util/option-internal.h"

/* One -device being read: its options and the device's scratch state. */
typedef struct DeviceBuild {
    TernOptions *o;
    const char *what;            /* "-device ARG", for messages */
    const char *arg;
    union {
        struct { uint64_t iobase, iosize; } exit;
        OptionBlockDevice blk;
    } u;
} DeviceBuild;

typedef struct DeviceProp {
    const char *name;
    const char *type;            /* as QEMU's -device NAME,help prints it */
    const char *help;
} DeviceProp;

typedef struct DeviceDef {
    const char *name;
    const char *bus;             /* "ISA", "PCI", "IDE" */
    const char *desc;
    const DeviceProp *props;     /* ends with a NULL name */
    int (*begin)(DeviceBuild *b, Error **errp);
    int (*set)(DeviceBuild *b, const OptProp *prop, Error **errp);
    int (*end)(DeviceBuild *b, Error **errp);
} DeviceDef;

/* ---- isa-debug-exit --------------------------------------------------- */

static int debug_exit_begin(DeviceBuild *b, Error **errp)
{
    if (b->o->debug_exit) {
        error_setg(errp, "%s: only one isa-debug-exit is supported", b->what);
        return -EINVAL;
    }
    b->u.exit.iobase = 0x501;    /* QEMU's defaults */
    b->u.exit.iosize = 2;
    return 0;
}

static int debug_exit_set(DeviceBuild *b, const OptProp *prop, Error **errp)
{
    uint64_t *dst = !strcmp(prop->key, "iobase") ? &b->u.exit.iobase : &b->u.exit.iosize;
    return opt_prop_uint(b->what, prop, 0, 0xffff, dst, errp);
}

static int debug_exit_end(DeviceBuild *b, Error **errp)
{
    uint64_t base = b->u.exit.iobase, size = b->u.exit.iosize;

    if (size == 0 || base + size > 0x10000) {
        error_setg(errp, "%s: port range 0x%" PRIx64 "+0x%" PRIx64
                   " does not fit in the 64 KiB I/O space", b->what, base, size);
        return -EINVAL;
    }
    b->o->debug_exit = true;
    b->o->debug_exit_iobase = (uint16_t)base;
    b->o->debug_exit_iosize = (uint16_t)size;
    return 0;
}

static const DeviceProp debug_exit_props[] = {
    { "iobase", "uint32", "the first I/O port (default 0x501)" },
    { "iosize", "uint32", "how many ports (default 2)" },
    { NULL, NULL, NULL },
};

/* ---- disks for -drive if=none: virtio-blk-pci, ide-hd, ide-cd ---------- */

static int block_begin(DeviceBuild *b, DriveDeviceKind kind, Error **errp)
{
    if (b->o->block_device_count >= OPTION_DRIVE_MAX) {
        error_setg(errp, "%s: at most %d disk devices", b->what, OPTION_DRIVE_MAX);
        return -EINVAL;
    }
    b->u.blk = (OptionBlockDevice){ .arg = b->arg, .kind = kind, .bus = -1, .unit = -1 };
    return 0;
}

static int virtio_blk_begin(DeviceBuild *b, Error **errp)
{
    return block_begin(b, DRIVE_DEVICE_VIRTIO_BLK, errp);
}

static int ide_hd_begin(DeviceBuild *b, Error **errp)
{
    return block_begin(b, DRIVE_DEVICE_IDE_HD, errp);
}

static int ide_cd_begin(DeviceBuild *b, Error **errp)
{
    return block_begin(b, DRIVE_DEVICE_IDE_CD, errp);
}

static int block_set(DeviceBuild *b, const OptProp *prop, Error **errp)
{
    OptionBlockDevice *dev = &b->u.blk;
    uint64_t n;

    if (!strcmp(prop->key, "drive")) {
        if (!opt_copy(dev->drive, sizeof(dev->drive), prop->val)) {
            error_setg(errp, "%s: invalid drive id '%s'", b->what, prop->val);
            return -EINVAL;
        }
    } else if (!strcmp(prop->key, "bus") && dev->kind == DRIVE_DEVICE_VIRTIO_BLK) {
        if (strcmp(prop->val, "pci.0")) {
            error_setg(errp, "%s: bus=%s: must be pci.0 (the one PCI bus)", b->what, prop->val);
            return -EINVAL;
        }
    } else if (!strcmp(prop->key, "bus")) {
        if (strlen(prop->val) != 5 || strncmp(prop->val, "ide.", 4) || prop->val[4] < '0' ||
            prop->val[4] > '1') {
            error_setg(errp, "%s: bus=%s: must be ide.0 or ide.1", b->what, prop->val);
            return -EINVAL;
        }
        dev->bus = prop->val[4] - '0';
    } else {                                        /* unit */
        if (opt_prop_uint(b->what, prop, 0, 1, &n, errp) < 0) {
            return -EINVAL;
        }
        dev->unit = (int)n;
    }
    return 0;
}

static int block_end(DeviceBuild *b, Error **errp)
{
    if (!b->u.blk.drive[0]) {
        error_setg(errp, "%s: drive=ID is required (an -drive if=none,id=ID)", b->what);
        return -EINVAL;
    }
    b->o->block_devices[b->o->block_device_count++] = b->u.blk;
    return 0;
}

static const DeviceProp virtio_blk_props[] = {
    { "drive", "str", "the -drive if=none,id=ID it serves" },
    { "bus", "str", "pci.0, the one PCI bus" },
    { NULL, NULL, NULL },
};

static const DeviceProp ide_props[] = {
    { "drive", "str", "the -drive if=none,id=ID it serves" },
    { "bus", "str", "ide.0 (primary) or ide.1 (secondary); default: the first free" },
    { "unit", "uint32", "0 (master) or 1 (slave)" },
    { NULL, NULL, NULL },
};

/* ---- pc-testdev, pci-testdev: QEMU's test devices, no properties ------ */

static bool *testdev_flag(DeviceBuild *b)
{
    return !strncmp(b->arg, "pci-", 4) ? &b->o->pci_testdev : &b->o->pc_testdev;
}

static int testdev_begin(DeviceBuild *b, Error **errp)
{
    if (*testdev_flag(b)) {
        error_setg(errp, "%s: only one %.*s is supported", b->what, (int)strcspn(b->arg, ","),
                   b->arg);
        return -EINVAL;
    }
    return 0;
}

static int testdev_end(DeviceBuild *b, Error **errp)
{
    *testdev_flag(b) = true;
    return 0;
}

static const DeviceProp no_props[] = {
    { NULL, NULL, NULL },
};

/* ---- the table -------------------------------------------------------- */

static const DeviceDef device_table[] = {
    { "isa-debug-exit", "ISA", "writing V to its port exits tern with status (V << 1) | 1",
      debug_exit_props, debug_exit_begin, debug_exit_set, debug_exit_end },
    { "virtio-blk-pci", "PCI", "a virtio disk", virtio_blk_props, virtio_blk_begin, block_set,
      block_end },
    { "ide-hd", "IDE", "an IDE disk", ide_props, ide_hd_begin, block_set, block_end },
    { "ide-cd", "IDE", "an IDE CD-ROM", ide_props, ide_cd_begin, block_set, block_end },
    { "pc-testdev", "ISA", "QEMU's ISA test device (kvm-unit-tests): ports 0xe0, 0xe8, 0x2000, "
      "MMIO 0xff000000", no_props, testdev_begin, NULL, testdev_end },
    { "pci-testdev", "PCI", "QEMU's PCI test device 1b36:0005 (kvm-unit-tests)", no_props,
      testdev_begin, NULL, testdev_end },
};

static const DeviceDef *device_lookup(const char *name, size_t len)
{
    for (size_t i = 0; i < ARRAY_SIZE(device_table); i++) {
        if (strlen(device_table[i].name) == len && !strncmp(name, device_table[i].name, len)) {
            return &device_table[i];
        }
    }
    return NULL;
}

static const DeviceProp *device_prop(const DeviceDef *d, const char *name)
{
    for (const DeviceProp *p = d->props; p->name; p++) {
        if (!strcmp(p->name, name)) {
            return p;
        }
    }
    return NULL;
}

/* QEMU's devices tern does not have get "not supported"; a name neither
 * knows is a typo. */
static int device_unknown(const char *what, const char *name, size_t len, Error **errp)
{
    static const char *const qemu_devices[] = {
        "virtio-net-pci", "e1000", "e1000e", "rtl8139", "virtio-rng-pci", "virtio-serial-pci",
        "virtio-scsi-pci", "virtio-balloon-pci", "virtio-gpu-pci", "virtio-keyboard-pci",
        "virtio-mouse-pci", "virtio-9p-pci", "vhost-vsock-pci", "qxl-vga", "VGA", "cirrus-vga",
        "usb-ehci", "qemu-xhci", "nec-usb-xhci", "usb-tablet", "usb-kbd", "usb-storage",
        "ahci", "ich9-ahci", "nvme", "scsi-hd", "scsi-cd", "isa-serial", "pci-serial",
        "i6300esb", "ib700", "intel-iommu", "ivshmem-plain", "sga", "floppy", "isa-fdc",
        "pvpanic", "virtconsole", "virtserialport", "edu", "vmcoreinfo", "pci-bridge",
        "ioh3420", "pcie-root-port", "ES1370", "intel-hda", "hda-duplex", "tpm-tis",
    };

    for (size_t i = 0; i < ARRAY_SIZE(qemu_devices); i++) {
        if (strlen(qemu_devices[i]) == len && !strncmp(name, qemu_devices[i], len)) {
            error_setg(errp, "-device %.*s: not supported (-device help lists tern's devices)",
                       (int)len, name);
            return -EINVAL;
        }
    }
    error_setg(errp, "%s: unknown device '%.*s' (-device help lists them)", what, (int)len,
               name);
    return -EINVAL;
}

int option_device_add(TernOptions *o, const char *arg, Error **errp)
{
    size_t len = strcspn(arg, ",");
    char what[96];

    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        o->action = OPTION_ACTION_DEVICE_HELP;
        o->help_device = NULL;
        return 0;
    }
    snprintf(what, sizeof(what), "-device %s", arg);
    if (!device_lookup(arg, len)) {
        return device_unknown(what, arg, len, errp);
    }
    if (!strcmp(arg + len, ",help") || !strcmp(arg + len, ",?")) {
        o->action = OPTION_ACTION_DEVICE_HELP;
        o->help_device = arg;
        return 0;
    }
    if (o->device_count >= OPTION_DEVICE_MAX) {
        error_setg(errp, "%s: at most %d -device options", what, OPTION_DEVICE_MAX);
        return -EINVAL;
    }
    o->devices[o->device_count++] = arg;
    return 0;
}

/* -global DRIVER.PROP=VALUE or driver=D,property=P,value=V, as one OptProp
 * for DRIVER; false with *errp set if it names no property of tern's. */
static int global_parse(const char *arg, const DeviceDef **def, OptProp *prop, Error **errp)
{
    char what[96], driver[OPT_KEY_MAX] = "";
    const char *dot = strchr(arg, '.'), *eq = strchr(arg, '=');

    snprintf(what, sizeof(what), "-global %s", arg);
    memset(prop, 0, sizeof(*prop));
    if (dot && eq && dot < eq) {                     /* DRIVER.PROP=VALUE */
        snprintf(driver, sizeof(driver), "%.*s", (int)(dot - arg), arg);
        snprintf(prop->key, sizeof(prop->key), "%.*s", (int)(eq - dot - 1), dot + 1);
        snprintf(prop->val, sizeof(prop->val), "%s", eq + 1);
    } else if (!eq) {
        error_setg(errp, "%s: want DRIVER.PROP=VALUE", what);
        return -EINVAL;
    } else {                                         /* driver=,property=,value= */
        const char *p = arg;
        OptProp it = { 0 };
        int ret;
        bool have_value = false;
        while ((ret = opt_prop_next(&p, &it, what, errp)) > 0) {
            if (!strcmp(it.key, "driver") && !it.bare) {
                opt_copy(driver, sizeof(driver), it.val);      /* too long: no such driver */
            } else if (!strcmp(it.key, "property") && !it.bare) {
                opt_copy(prop->key, sizeof(prop->key), it.val);
            } else if (!strcmp(it.key, "value") && !it.bare) {
                snprintf(prop->val, sizeof(prop->val), "%s", it.val);
                have_value = true;
            } else {
                return opt_prop_unknown(what, &it, "DRIVER.PROP=VALUE, or driver=, property=, "
                                        "value=", errp);
            }
        }
        if (ret < 0) {
            return ret;
        }
        if (!driver[0] || !prop->key[0] || !have_value) {
            error_setg(errp, "%s: want DRIVER.PROP=VALUE", what);
            return -EINVAL;
        }
    }
    *def = device_lookup(driver, strlen(driver));
    if (!*def) {
        error_setg(errp, "%s: not supported (tern has no device '%s')", what, driver);
        return -EINVAL;
    }
    if (!device_prop(*def, prop->key)) {
        error_setg(errp, "%s: %s has no property '%s' (-device %s,help lists them)", what,
                   driver, prop->key, driver);
        return -EINVAL;
    }
    return 0;
}

int option_global_add(TernOptions *o, const char *arg, Error **errp)
{
    const DeviceDef *def;
    OptProp prop;

    if (o->global_count >= OPTION_DEVICE_MAX) {
        error_setg(errp, "-global %s: at most %d -global options", arg, OPTION_DEVICE_MAX);
        return -EINVAL;
    }
    if (global_parse(arg, &def, &prop, errp) < 0) {
        return -EINVAL;
    }
    o->globals[o->global_count++] = arg;
    return 0;
}

/* One property of b's device, named in its table (else refused); id=,
 * which every -device takes, names it for nothing else yet. */
static int device_set(DeviceBuild *b, const DeviceDef *d, const OptProp *prop, Error **errp)
{
    if (!prop->bare && !strcmp(prop->key, "id")) {
        return 0;
    }
    if (prop->bare || !device_prop(d, prop->key)) {
        error_setg(errp, "%s: %s has no property '%s' (-device %s,help lists them)", b->what,
                   d->name, prop->key, d->name);
        return -EINVAL;
    }
    return d->set(b, prop, errp);
}

static int device_build(TernOptions *o, const char *arg, Error **errp)
{
    size_t len = strcspn(arg, ",");
    const DeviceDef *d = device_lookup(arg, len);
    const char *p = arg + len + (arg[len] == ',');
    char what[96];
    DeviceBuild b = { .o = o, .what = what, .arg = arg };
    OptProp prop = { 0 };
    int ret;

    snprintf(what, sizeof(what), "-device %s", arg);
    if (d->begin(&b, errp) < 0) {
        return -EINVAL;
    }
    for (unsigned i = 0; i < o->global_count; i++) {
        const DeviceDef *gd;
        if (global_parse(o->globals[i], &gd, &prop, errp) < 0) {
            return -EINVAL;
        }
        if (gd == d && d->set(&b, &prop, errp) < 0) {
            return -EINVAL;
        }
    }
    while ((ret = opt_prop_next(&p, &prop, what, errp)) > 0) {
        if (device_set(&b, d, &prop, errp) < 0) {
            return -EINVAL;
        }
    }
    return ret < 0 ? ret : d->end(&b, errp);
}

int option_devices_finish(TernOptions *o, Error **errp)
{
    for (unsigned i = 0; i < o->device_count; i++) {
        if (device_build(o, o->devices[i], errp) < 0) {
            return -EINVAL;
        }
    }
    return 0;
}

void option_print_devices(FILE *f, const char *help_device)
{
    if (help_device) {
        const DeviceDef *d = device_lookup(help_device, strcspn(help_device, ","));
        fprintf(f, "%s options:\n", d->name);
        for (const DeviceProp *p = d->props; p->name; p++) {
            fprintf(f, "  %s=<%s>%*s - %s\n", p->name, p->type,
                    (int)(20 - MIN(20, strlen(p->name) + strlen(p->type))), "", p->help);
        }
        return;
    }
    fprintf(f, "Devices (-device NAME,help lists a device's properties):\n");
    for (size_t i = 0; i < ARRAY_SIZE(device_table); i++) {
        const DeviceDef *d = &device_table[i];
        fprintf(f, "name \"%s\", bus %s, desc \"%s\"\n", d->name, d->bus, d->desc);
    }
}
