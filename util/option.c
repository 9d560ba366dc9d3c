/*
 * option.c: the option table and the command-line parser.
 *
 * option_table[] is the one list of options: each row gives the name, an
 * alias, the argument's name (NULL for flags), the -help text and the
 * handler that stores the value in TernOptions.  Parsing only fills the
 * struct; nothing here exits, prints or changes global state.  Checks that
 * need another layer (is the accelerator known?  is the -d item known?)
 * are made by main.c when it applies the options.
 */
#include "util/osdep.h"
#include "util/option.h"

#include <ctype.h>

typedef int (*OptionHandler)(TernOptions *o, const char *arg, Error **errp);

typedef struct OptionDef {
    const char *name;
    const char *alias;       /* a second name, or NULL */
    const char *arg_name;    /* NULL: the option takes no argument */
    const char *help;
    OptionHandler handler;
} OptionDef;

/* ---- helpers ---------------------------------------------------------- */

/* Split "key=value" at the first '=' within the first len bytes of item. */
static bool item_is_key(const char *item, size_t len, const char *key, const char **value)
{
    size_t klen = strlen(key);
    if (len > klen && !strncmp(item, key, klen) && item[klen] == '=') {
        *value = item + klen + 1;
        return true;
    }
    return false;
}

/* Parse an unsigned number (decimal, 0x hex or 0 octal) of exactly len bytes. */
static bool parse_uint(const char *s, size_t len, uint64_t *val)
{
    char buf[32];
    char *end;

    if (len == 0 || len >= sizeof(buf) || !isdigit((unsigned char)s[0])) {
        return false;
    }
    memcpy(buf, s, len);
    buf[len] = 0;
    errno = 0;
    *val = strtoull(buf, &end, 0);
    return errno == 0 && *end == 0;
}

int option_parse_size(const char *str, uint64_t *bytes)
{
    static const char suffixes[] = "bkmgtpe";   /* shift = 10 * index */
    const char *p = str, *sfx;
    uint64_t whole = 0, frac_num = 0, frac_den = 1;
    unsigned shift = 20;                        /* no suffix: MiB */

    if (!isdigit((unsigned char)*p)) {
        return -EINVAL;
    }
    for (; isdigit((unsigned char)*p); p++) {
        if (whole > (UINT64_MAX - 9) / 10) {
            return -ERANGE;
        }
        whole = whole * 10 + (uint64_t)(*p - '0');
    }
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p)) {
            return -EINVAL;
        }
        for (; isdigit((unsigned char)*p); p++) {
            if (frac_den < 1000000000000000000ull) {    /* 18 digits is plenty */
                frac_num = frac_num * 10 + (uint64_t)(*p - '0');
                frac_den *= 10;
            }
        }
    }
    if (*p) {
        sfx = strchr(suffixes, tolower((unsigned char)*p));
        if (!sfx || p[1]) {
            return -EINVAL;
        }
        shift = 10 * (unsigned)(sfx - suffixes);
    }
    if (frac_num && shift == 0) {
        return -EINVAL;                         /* fractional bytes */
    }
    if (shift >= 64 || whole > (UINT64_MAX >> shift)) {
        return -ERANGE;
    }
    whole <<= shift;
    if (frac_num) {
        long double f = (long double)frac_num / (long double)frac_den;
        uint64_t add = (uint64_t)(f * (long double)(1ull << shift));
        if (whole > UINT64_MAX - add) {
            return -ERANGE;
        }
        whole += add;
    }
    *bytes = whole;
    return 0;
}

/* ---- handlers --------------------------------------------------------- */

static int opt_help(TernOptions *o, const char *arg, Error **errp)
{
    o->action = OPTION_ACTION_HELP;
    return 0;
}

static int opt_version(TernOptions *o, const char *arg, Error **errp)
{
    o->action = OPTION_ACTION_VERSION;
    return 0;
}

static int opt_m(TernOptions *o, const char *arg, Error **errp)
{
    const char *p = arg, *size_str = NULL;
    size_t size_len = 0;
    char buf[64];
    uint64_t bytes;
    int ret;

    /* "SIZE" or "size=SIZE"; QEMU's slots=/maxmem= (hotplug) are not here. */
    while (*p) {
        size_t len = strcspn(p, ",");
        const char *v;
        if (p == arg && len && !memchr(p, '=', len)) {
            size_str = p;
            size_len = len;
        } else if (item_is_key(p, len, "size", &v)) {
            size_str = v;
            size_len = len - (size_t)(v - p);
        } else {
            error_setg(errp, "-m %s: unknown parameter '%.*s'", arg, (int)len, p);
            return -EINVAL;
        }
        p += len;
        p += *p == ',';
    }
    if (!size_str || size_len >= sizeof(buf)) {
        error_setg(errp, "-m %s: invalid RAM size", arg);
        return -EINVAL;
    }
    memcpy(buf, size_str, size_len);
    buf[size_len] = 0;
    ret = option_parse_size(buf, &bytes);
    if (ret == -EINVAL) {
        error_setg(errp, "-m %s: invalid RAM size (try 512, 512M or 2G)", arg);
        return -EINVAL;
    }
    if (ret == 0 && bytes < OPTION_RAM_MIN) {
        error_setg(errp, "-m %s: RAM size too small (minimum 1M)", arg);
        return -EINVAL;
    }
    if (ret == -ERANGE || bytes > OPTION_RAM_LIMIT - OPTION_RAM_ALIGN) {
        error_setg(errp, "-m %s: RAM size too large (maximum: less than 1T)", arg);
        return -EINVAL;
    }
    o->ram_size = ROUND_UP(bytes, OPTION_RAM_ALIGN);
    return 0;
}

/* -smp's keys, in the CpuTopology order smp_fill reads them. */
enum { SMP_CPUS, SMP_SOCKETS, SMP_CORES, SMP_THREADS, SMP_MAXCPUS, SMP_NB_KEYS };
static const char *const smp_keys[SMP_NB_KEYS] = {
    "cpus", "sockets", "cores", "threads", "maxcpus",
};

/* Fill in what -smp left out (0), as QEMU 7.2's pc machine does
 * (hw/core/machine-smp.c, cores preferred over sockets since 6.2), then
 * check that the hierarchy makes maxcpus and that cpus fits in it. */
static int smp_fill(CpuTopology *t, const char *arg, Error **errp)
{
    if (!t->cpus && !t->max_cpus) {
        t->sockets = t->sockets ? t->sockets : 1;
        t->cores = t->cores ? t->cores : 1;
        t->threads = t->threads ? t->threads : 1;
    } else {
        t->max_cpus = t->max_cpus ? t->max_cpus : t->cpus;
        if (!t->cores) {
            t->sockets = t->sockets ? t->sockets : 1;
            t->threads = t->threads ? t->threads : 1;
            t->cores = t->max_cpus / (t->sockets * t->threads);
        } else if (!t->sockets) {
            t->threads = t->threads ? t->threads : 1;
            t->sockets = t->max_cpus / (t->cores * t->threads);
        }
        if (!t->threads) {
            t->threads = t->max_cpus / (t->sockets * t->cores);
        }
    }
    /* each factor is at most 64 (checked when parsed): no overflow */
    unsigned product = t->sockets * t->cores * t->threads;
    t->max_cpus = t->max_cpus ? t->max_cpus : product;
    t->cpus = t->cpus ? t->cpus : t->max_cpus;
    if (product != t->max_cpus) {
        error_setg(errp, "-smp %s: sockets (%u) * cores (%u) * threads (%u) != maxcpus (%u)",
                   arg, t->sockets, t->cores, t->threads, t->max_cpus);
        return -EINVAL;
    }
    if (t->max_cpus > OPTION_MAX_CPUS) {
        error_setg(errp, "-smp %s: %u CPUs: at most %u are supported", arg, t->max_cpus,
                   OPTION_MAX_CPUS);
        return -EINVAL;
    }
    if (t->max_cpus < t->cpus) {
        error_setg(errp, "-smp %s: maxcpus (%u) is below the number of CPUs (%u)", arg,
                   t->max_cpus, t->cpus);
        return -EINVAL;
    }
    return 0;
}

static int opt_smp(TernOptions *o, const char *arg, Error **errp)
{
    unsigned val[SMP_NB_KEYS] = { 0 };
    const char *p = arg;

    while (*p) {
        size_t len = strcspn(p, ",");
        const char *v = p;
        unsigned k = 0;
        uint64_t n;

        if (p != arg || memchr(p, '=', len)) {      /* "N" only comes first */
            for (k = 0; k < SMP_NB_KEYS && !item_is_key(p, len, smp_keys[k], &v); k++) {
            }
        }
        if (k == SMP_NB_KEYS) {
            error_setg(errp, "-smp %s: unknown parameter '%.*s'", arg, (int)len, p);
            return -EINVAL;
        }
        if (!parse_uint(v, len - (size_t)(v - p), &n)) {
            error_setg(errp, "-smp %s: invalid number '%.*s' for %s", arg,
                       (int)(len - (size_t)(v - p)), v, smp_keys[k]);
            return -EINVAL;
        }
        if (n == 0 || n > OPTION_MAX_CPUS) {
            error_setg(errp, "-smp %s: %s must be 1 to %u", arg, smp_keys[k], OPTION_MAX_CPUS);
            return -EINVAL;
        }
        val[k] = (unsigned)n;
        p += len;
        p += *p == ',';
    }
    o->smp = (CpuTopology){
        .cpus = val[SMP_CPUS], .sockets = val[SMP_SOCKETS], .cores = val[SMP_CORES],
        .threads = val[SMP_THREADS], .max_cpus = val[SMP_MAXCPUS],
    };
    return smp_fill(&o->smp, arg, errp);
}

static int opt_kernel(TernOptions *o, const char *arg, Error **errp)
{
    o->kernel = arg;
    return 0;
}

static int opt_append(TernOptions *o, const char *arg, Error **errp)
{
    o->append = arg;
    return 0;
}

static int opt_initrd(TernOptions *o, const char *arg, Error **errp)
{
    o->initrd = arg;
    return 0;
}

static int opt_bios(TernOptions *o, const char *arg, Error **errp)
{
    o->bios = arg;
    return 0;
}

static int opt_nographic(TernOptions *o, const char *arg, Error **errp)
{
    o->nographic = true;
    return 0;
}

static int opt_serial(TernOptions *o, const char *arg, Error **errp)
{
    if (o->serial) {
        error_setg(errp, "-serial %s: only one serial port is supported yet", arg);
        return -EINVAL;
    }
    o->serial = arg;        /* checked by chardev_new, the one parser of specs */
    return 0;
}

/* -device isa-debug-exit[,iobase=N][,iosize=N] */
static int device_isa_debug_exit(TernOptions *o, const char *arg, const char *props,
                                 Error **errp)
{
    uint64_t iobase = 0x501, iosize = 2;    /* QEMU's defaults */
    const char *p = props;

    if (o->debug_exit) {
        error_setg(errp, "-device %s: only one isa-debug-exit is supported", arg);
        return -EINVAL;
    }
    while (*p) {
        size_t len = strcspn(p, ",");
        const char *v;
        uint64_t *dst = NULL;
        if (item_is_key(p, len, "iobase", &v)) {
            dst = &iobase;
        } else if (item_is_key(p, len, "iosize", &v)) {
            dst = &iosize;
        } else {
            error_setg(errp, "-device %s: unknown property '%.*s'", arg, (int)len, p);
            return -EINVAL;
        }
        if (!parse_uint(v, len - (size_t)(v - p), dst)) {
            error_setg(errp, "-device %s: invalid number '%.*s'", arg,
                       (int)(len - (size_t)(v - p)), v);
            return -EINVAL;
        }
        p += len;
        p += *p == ',';
    }
    if (iosize == 0 || iosize > 0xffff || iobase > 0xffff || iobase + iosize > 0x10000) {
        error_setg(errp, "-device %s: port range 0x%" PRIx64 "+0x%" PRIx64
                   " does not fit in the 64 KiB I/O space", arg, iobase, iosize);
        return -EINVAL;
    }
    o->debug_exit = true;
    o->debug_exit_iobase = (uint16_t)iobase;
    o->debug_exit_iosize = (uint16_t)iosize;
    return 0;
}

/* ---- drives ----------------------------------------------------------- */

/* Value names, indexed by the option.h enums. */
static const char *const drive_if_names[] = {
    [DRIVE_IF_IDE] = "ide", [DRIVE_IF_VIRTIO] = "virtio",
    [DRIVE_IF_NONE] = "none",
};
static const char *const drive_media_names[] = {
    [DRIVE_MEDIA_DISK] = "disk", [DRIVE_MEDIA_CDROM] = "cdrom",
};
static const char *const drive_cache_names[] = {
    [BLK_CACHE_WRITEBACK] = "writeback", [BLK_CACHE_WRITETHROUGH] = "writethrough",
    [BLK_CACHE_NONE] = "none", [BLK_CACHE_UNSAFE] = "unsafe",
};

const char *option_drive_cache_name(BlockCacheMode mode)
{
    return (size_t)mode < ARRAY_SIZE(drive_cache_names) ? drive_cache_names[mode] : "?";
}

/* The index of val in names[n], or a one-line error listing them. */
static int drive_lookup_name(const char *const *names, size_t n, const char *opt,
                             const char *key, const char *val, Error **errp)
{
    char list[96] = "";

    for (size_t i = 0; i < n; i++) {
        if (!strcmp(val, names[i])) {
            return (int)i;
        }
        snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
                 i ? (i + 1 == n ? " or " : ", ") : "", names[i]);
    }
    error_setg(errp, "%s: %s=%s: must be %s", opt, key, val, list);
    return -EINVAL;
}

/* on/off (and QEMU's other spellings) as 1/0, else -1. */
static int parse_bool(const char *val)
{
    static const char *const on[] = { "on", "yes", "true", "y" };
    static const char *const off[] = { "off", "no", "false", "n" };
    for (size_t i = 0; i < ARRAY_SIZE(on); i++) {
        if (!strcmp(val, on[i])) {
            return 1;
        }
        if (!strcmp(val, off[i])) {
            return 0;
        }
    }
    return -1;
}

/* The length of the item at p: up to the first comma that is not part of
 * a ",," (QEMU's escaped comma). */
static size_t item_len_escaped(const char *p)
{
    size_t n = 0;
    while (p[n] && !(p[n] == ',' && p[n + 1] != ',')) {
        n += p[n] == ',' ? 2 : 1;
    }
    return n;
}

/* Copy len bytes of src to dst (size bytes), ",," becoming ",".  False
 * if it does not fit. */
static bool copy_unescaped(char *dst, size_t size, const char *src, size_t len)
{
    size_t j = 0;
    for (size_t i = 0; i < len; i++, j++) {
        if (j + 1 >= size) {
            return false;
        }
        dst[j] = src[i];
        i += src[i] == ',';
    }
    dst[j] = 0;
    return true;
}

static OptionDrive *drive_new(TernOptions *o, const char *opt, const char *arg, Error **errp)
{
    OptionDrive *d;

    if (o->drive_count >= OPTION_DRIVE_MAX) {
        error_setg(errp, "%s %s: at most %d drives", opt ? opt : "", arg, OPTION_DRIVE_MAX);
        return NULL;
    }
    d = &o->drives[o->drive_count++];
    *d = (OptionDrive){
        .opt = opt, .arg = arg, .iface = DRIVE_IF_IDE, .media = DRIVE_MEDIA_DISK,
        .cache = BLK_CACHE_WRITEBACK, .index = -1, .bus = -1, .unit = -1,
        .read_only = -1, .snapshot = -1,
    };
    return d;
}

/* One key=value of -drive; val is unescaped. */
static int drive_set_key(OptionDrive *d, const char *key, const char *val, Error **errp)
{
    char opt[80];
    uint64_t n;
    int *num = NULL, b, ret = 0;

    snprintf(opt, sizeof(opt), "-drive %s", d->arg);   /* long ones cut short */
    if (!strcmp(key, "file")) {
        snprintf(d->file, sizeof(d->file), "%s", val);     /* length checked by the caller */
    } else if (!strcmp(key, "id")) {
        if (!*val || strlen(val) >= sizeof(d->id)) {
            error_setg(errp, "%s: id=%s: must be 1 to %zu characters", opt, val,
                       sizeof(d->id) - 1);
            return -EINVAL;
        }
        strcpy(d->id, val);
    } else if (!strcmp(key, "format")) {
        if (!*val || strlen(val) >= sizeof(d->format)) {
            error_setg(errp, "%s: format=%s: unknown image format (tern reads raw images)", opt,
                       val);
            return -EINVAL;
        }
        strcpy(d->format, val);
    } else if (!strcmp(key, "if")) {
        ret = drive_lookup_name(drive_if_names, ARRAY_SIZE(drive_if_names), opt, key, val, errp);
        d->iface = (DriveInterface)ret;
    } else if (!strcmp(key, "media")) {
        ret = drive_lookup_name(drive_media_names, ARRAY_SIZE(drive_media_names), opt, key, val,
                                errp);
        d->media = (DriveMedia)ret;
    } else if (!strcmp(key, "cache")) {
        ret = drive_lookup_name(drive_cache_names, ARRAY_SIZE(drive_cache_names), opt, key, val,
                                errp);
        d->cache = (BlockCacheMode)ret;
    } else if (!strcmp(key, "readonly") || !strcmp(key, "snapshot")) {
        b = parse_bool(val);
        if (b < 0) {
            error_setg(errp, "%s: %s=%s: must be on or off", opt, key, val);
            return -EINVAL;
        }
        *(key[0] == 'r' ? &d->read_only : &d->snapshot) = b;
    } else if (!strcmp(key, "index") || !strcmp(key, "bus") || !strcmp(key, "unit")) {
        num = key[0] == 'i' ? &d->index : key[0] == 'b' ? &d->bus : &d->unit;
        if (!parse_uint(val, strlen(val), &n) || n > 255) {
            error_setg(errp, "%s: %s=%s: not a number from 0 to 255", opt, key, val);
            return -EINVAL;
        }
        *num = (int)n;
    } else {
        error_setg(errp, "%s: unknown parameter '%s' (file, format, if, index, bus, unit, "
                   "media, readonly, cache, snapshot, id)", opt, key);
        return -EINVAL;
    }
    return ret < 0 ? ret : 0;
}

/* -drive KEY=VALUE,... (",," is a comma inside a value, as in QEMU) */
static int opt_drive(TernOptions *o, const char *arg, Error **errp)
{
    OptionDrive *d = drive_new(o, "-drive", arg, errp);
    const char *p = arg;
    char key[16], val[OPTION_DRIVE_PATH_MAX];

    if (!d) {
        return -EINVAL;
    }
    while (*p) {
        size_t len = item_len_escaped(p);
        const char *eq = memchr(p, '=', len);
        size_t klen = eq ? (size_t)(eq - p) : len;

        if (!eq || klen >= sizeof(key)) {
            error_setg(errp, "-drive %s: '%.*s' is not KEY=VALUE", arg, (int)len, p);
            return -EINVAL;
        }
        memcpy(key, p, klen);
        key[klen] = 0;
        if (!copy_unescaped(val, sizeof(val), eq + 1, len - klen - 1)) {
            error_setg(errp, "-drive %s: the %s= value is too long", arg, key);
            return -EINVAL;
        }
        if (drive_set_key(d, key, val, errp) < 0) {
            return -EINVAL;
        }
        p += len;
        p += *p == ',';
    }
    if (d->index >= 0 && (d->bus >= 0 || d->unit >= 0)) {
        error_setg(errp, "-drive %s: index= cannot be used with bus= and unit=", arg);
        return -EINVAL;
    }
    return 0;
}

/* -hda..-hdd, -cdrom and the bare image: an IDE drive at a fixed index;
 * the file name is taken as written (no ",," escape). */
static int drive_add_legacy(TernOptions *o, const char *opt, const char *file, int index,
                            DriveMedia media, Error **errp)
{
    OptionDrive *d = drive_new(o, opt, file, errp);

    if (!d) {
        return -EINVAL;
    }
    if (!*file || strlen(file) >= sizeof(d->file)) {
        error_setg(errp, "%s%s'%s': invalid file name", opt ? opt : "", opt ? " " : "", file);
        return -EINVAL;
    }
    strcpy(d->file, file);
    d->index = index;
    d->media = media;
    return 0;
}

static int opt_hda(TernOptions *o, const char *arg, Error **errp)
{
    return drive_add_legacy(o, "-hda", arg, 0, DRIVE_MEDIA_DISK, errp);
}

static int opt_hdb(TernOptions *o, const char *arg, Error **errp)
{
    return drive_add_legacy(o, "-hdb", arg, 1, DRIVE_MEDIA_DISK, errp);
}

static int opt_hdc(TernOptions *o, const char *arg, Error **errp)
{
    return drive_add_legacy(o, "-hdc", arg, 2, DRIVE_MEDIA_DISK, errp);
}

static int opt_hdd(TernOptions *o, const char *arg, Error **errp)
{
    return drive_add_legacy(o, "-hdd", arg, 3, DRIVE_MEDIA_DISK, errp);
}

static int opt_cdrom(TernOptions *o, const char *arg, Error **errp)
{
    return drive_add_legacy(o, "-cdrom", arg, 2, DRIVE_MEDIA_CDROM, errp);
}

static int opt_snapshot(TernOptions *o, const char *arg, Error **errp)
{
    o->snapshot = true;
    return 0;
}

/* -device virtio-blk-pci|ide-hd|ide-cd,drive=ID[,bus=ide.N,unit=U] */
static int device_block(TernOptions *o, DriveDeviceKind kind, const char *arg,
                        const char *props, Error **errp)
{
    OptionBlockDevice *dev = &o->block_devices[o->block_device_count];
    bool ide = kind != DRIVE_DEVICE_VIRTIO_BLK;
    const char *p = props;

    if (o->block_device_count >= OPTION_DRIVE_MAX) {
        error_setg(errp, "-device %s: at most %d disk devices", arg, OPTION_DRIVE_MAX);
        return -EINVAL;
    }
    *dev = (OptionBlockDevice){ .arg = arg, .kind = kind, .bus = -1, .unit = -1 };
    while (*p) {
        size_t len = strcspn(p, ",");
        const char *v;
        uint64_t n;
        size_t vlen;
        if (item_is_key(p, len, "drive", &v)) {
            vlen = len - (size_t)(v - p);
            if (!vlen || vlen >= sizeof(dev->drive)) {
                error_setg(errp, "-device %s: invalid drive id '%.*s'", arg, (int)vlen, v);
                return -EINVAL;
            }
            memcpy(dev->drive, v, vlen);
            dev->drive[vlen] = 0;
        } else if (ide && item_is_key(p, len, "bus", &v)) {
            vlen = len - (size_t)(v - p);
            if (vlen != 5 || strncmp(v, "ide.", 4) || v[4] < '0' || v[4] > '1') {
                error_setg(errp, "-device %s: bus=%.*s: must be ide.0 or ide.1", arg,
                           (int)vlen, v);
                return -EINVAL;
            }
            dev->bus = v[4] - '0';
        } else if (ide && item_is_key(p, len, "unit", &v)) {
            vlen = len - (size_t)(v - p);
            if (!parse_uint(v, vlen, &n) || n > 1) {
                error_setg(errp, "-device %s: unit=%.*s: must be 0 or 1", arg, (int)vlen, v);
                return -EINVAL;
            }
            dev->unit = (int)n;
        } else {
            error_setg(errp, "-device %s: unknown property '%.*s'", arg, (int)len, p);
            return -EINVAL;
        }
        p += len;
        p += *p == ',';
    }
    if (!dev->drive[0]) {
        error_setg(errp, "-device %s: drive=ID is required (an -drive if=none,id=ID)", arg);
        return -EINVAL;
    }
    o->block_device_count++;
    return 0;
}

static int device_virtio_blk(TernOptions *o, const char *arg, const char *props, Error **errp)
{
    return device_block(o, DRIVE_DEVICE_VIRTIO_BLK, arg, props, errp);
}

static int device_ide_hd(TernOptions *o, const char *arg, const char *props, Error **errp)
{
    return device_block(o, DRIVE_DEVICE_IDE_HD, arg, props, errp);
}

static int device_ide_cd(TernOptions *o, const char *arg, const char *props, Error **errp)
{
    return device_block(o, DRIVE_DEVICE_IDE_CD, arg, props, errp);
}

/* The devices -device can add: name, help, property parser. */
static const struct {
    const char *name;
    const char *help;
    int (*parse)(TernOptions *o, const char *arg, const char *props, Error **errp);
} device_table[] = {
    { "isa-debug-exit", "iobase=N,iosize=N: writing v exits tern with status (v << 1) | 1",
      device_isa_debug_exit },
    { "virtio-blk-pci", "drive=ID: a virtio disk for -drive if=none,id=ID", device_virtio_blk },
    { "ide-hd", "drive=ID[,bus=ide.N,unit=U]: an IDE disk for -drive if=none,id=ID",
      device_ide_hd },
    { "ide-cd", "drive=ID[,bus=ide.N,unit=U]: an IDE CD-ROM for -drive if=none,id=ID",
      device_ide_cd },
};

static int opt_device(TernOptions *o, const char *arg, Error **errp)
{
    size_t len = strcspn(arg, ",");
    const char *props = arg[len] ? arg + len + 1 : arg + len;

    if (!strcmp(arg, "help")) {
        o->action = OPTION_ACTION_DEVICE_HELP;
        return 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(device_table); i++) {
        if (strlen(device_table[i].name) == len && !strncmp(arg, device_table[i].name, len)) {
            return device_table[i].parse(o, arg, props, errp);
        }
    }
    error_setg(errp, "-device %.*s: unknown device (-device help lists them)", (int)len, arg);
    return -EINVAL;
}

static int set_accel(TernOptions *o, const char *opt, const char *name, size_t len,
                     Error **errp)
{
    if (len == 0) {
        error_setg(errp, "%s: missing accelerator name", opt);
        return -EINVAL;
    }
    if (len >= sizeof(o->accel)) {
        error_setg(errp, "%s: unknown accelerator '%.*s'", opt, (int)len, name);
        return -EINVAL;
    }
    /* a second -accel appends: main.c tries the list in order with
     * accel_choose() */
    size_t at = o->accel_given ? strlen(o->accel) : 0;
    if (at + !!at + len >= sizeof(o->accel)) {
        error_setg(errp, "%s: too many accelerators ('%s:%.*s')", opt, o->accel, (int)len, name);
        return -EINVAL;
    }
    if (at) {
        o->accel[at++] = ':';
    }
    memcpy(o->accel + at, name, len);
    o->accel[at + len] = 0;
    o->accel_given = true;
    return 0;
}

static int opt_accel(TernOptions *o, const char *arg, Error **errp)
{
    size_t len = strcspn(arg, ",");
    /* only the compare engine takes options; it parses them (accel/compare) */
    if (arg[len] && !(len == 7 && !strncmp(arg, "compare", 7))) {
        error_setg(errp, "-accel %s: unknown property '%s'", arg, arg + len + 1);
        return -EINVAL;
    }
    if (arg[len] && snprintf(o->accel_opts, sizeof(o->accel_opts), "%s", arg + len + 1) >=
                    (int)sizeof(o->accel_opts)) {
        error_setg(errp, "-accel %s: options too long", arg);
        return -EINVAL;
    }
    return set_accel(o, "-accel", arg, len, errp);
}

/* -record/-replay run the compare engine in a mode of its own: the
 * stepping it needs is TCG's, so another -accel is refused. */
static int set_rr(TernOptions *o, const char *opt, const char **slot, const char *file,
                  Error **errp)
{
    if (o->record || o->replay) {
        error_setg(errp, "%s: only one -record or -replay", opt);
        return -EINVAL;
    }
    *slot = file;
    return 0;
}

static int opt_record(TernOptions *o, const char *arg, Error **errp)
{
    return set_rr(o, "-record", &o->record, arg, errp);
}

static int opt_replay(TernOptions *o, const char *arg, Error **errp)
{
    return set_rr(o, "-replay", &o->replay, arg, errp);
}

static int opt_enable_kvm(TernOptions *o, const char *arg, Error **errp)
{
    return set_accel(o, "-enable-kvm", "kvm", 3, errp);
}

static int opt_machine(TernOptions *o, const char *arg, Error **errp)
{
    const char *p = arg;

    while (*p) {
        size_t len = strcspn(p, ",");
        const char *v;
        if (p == arg && len && !memchr(p, '=', len)) {
            if (!(len == 2 && !strncmp(p, "pc", 2))) {
                error_setg(errp, "-machine %.*s: unknown machine type (tern has only 'pc')",
                           (int)len, p);
                return -EINVAL;
            }
        } else if (item_is_key(p, len, "accel", &v)) {
            int ret = set_accel(o, "-machine accel", v, len - (size_t)(v - p), errp);
            if (ret < 0) {
                return ret;
            }
        } else if (item_is_key(p, len, "kernel-irqchip", &v)) {
            static const char *const modes[] = { "on", "off", "split" };
            size_t vlen = len - (size_t)(v - p);
            o->kernel_irqchip = NULL;
            for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
                if (strlen(modes[i]) == vlen && !strncmp(v, modes[i], vlen)) {
                    o->kernel_irqchip = modes[i];
                }
            }
            if (!o->kernel_irqchip) {
                error_setg(errp, "-machine kernel-irqchip=%.*s: must be on, off or split",
                           (int)vlen, v);
                return -EINVAL;
            }
        } else {
            error_setg(errp, "-machine %s: unknown property '%.*s'", arg, (int)len, p);
            return -EINVAL;
        }
        p += len;
        p += *p == ',';
    }
    return 0;
}

/* -cpu NAME[,+feat,-feat...]: target-x86/cpu-models.c checks it when the
 * board creates the CPU. */
static int opt_cpu(TernOptions *o, const char *arg, Error **errp)
{
    if (!strcmp(arg, "help")) {
        o->action = OPTION_ACTION_CPU_HELP;
        return 0;
    }
    o->cpu_model = arg;
    return 0;
}

static int opt_nodefaults(TernOptions *o, const char *arg, Error **errp)
{
    o->nodefaults = true;
    return 0;
}

static int opt_no_reboot(TernOptions *o, const char *arg, Error **errp)
{
    o->no_reboot = true;
    return 0;
}

static int opt_no_shutdown(TernOptions *o, const char *arg, Error **errp)
{
    o->no_shutdown = true;
    return 0;
}

/* -monitor DEV: the human monitor's back end (checked by chardev_new). */
static int opt_monitor(TernOptions *o, const char *arg, Error **errp)
{
    o->monitor = arg;
    return 0;
}

/* -qmp DEV: the QMP monitor's back end (checked by chardev_new). */
static int opt_qmp(TernOptions *o, const char *arg, Error **errp)
{
    o->qmp = arg;
    return 0;
}

/* -gdb DEV, -s: the gdbstub's character back end (checked by chardev_new). */
static int opt_gdb(TernOptions *o, const char *arg, Error **errp)
{
    o->gdb = arg;
    return 0;
}

/* -chardev BACKEND,id=ID,...: kept for chardev_define. */
static int opt_chardev(TernOptions *o, const char *arg, Error **errp)
{
    if (o->chardev_count >= OPTION_CHARDEV_MAX) {
        error_setg(errp, "-chardev %s: at most %d -chardev options", arg, OPTION_CHARDEV_MAX);
        return -EINVAL;
    }
    o->chardevs[o->chardev_count++] = arg;
    return 0;
}

/* -mon chardev=ID,...: kept for main.c (chardev_mon_parse). */
static int opt_mon(TernOptions *o, const char *arg, Error **errp)
{
    if (o->mon_count >= OPTION_MON_MAX) {
        error_setg(errp, "-mon %s: at most %d -mon options", arg, OPTION_MON_MAX);
        return -EINVAL;
    }
    o->mons[o->mon_count++] = arg;
    return 0;
}

/* -parallel none: tern has no parallel port to connect. */
static int opt_parallel(TernOptions *o, const char *arg, Error **errp)
{
    if (strcmp(arg, "none") != 0) {
        error_setg(errp, "-parallel %s: not supported (tern has no parallel port)", arg);
        return -EINVAL;
    }
    return 0;
}

static int opt_gdb_default(TernOptions *o, const char *arg, Error **errp)
{
    o->gdb = "tcp::1234";
    return 0;
}

static int opt_start_stopped(TernOptions *o, const char *arg, Error **errp)
{
    o->start_stopped = true;
    return 0;
}

/* -vnc, -display: tern has no display, so only "none" means something. */
static int opt_no_display(TernOptions *o, const char *opt, const char *arg, Error **errp)
{
    if (strcmp(arg, "none")) {
        error_setg(errp, "-%s %s: tern has no display (only -%s none)", opt, arg, opt);
        return -EINVAL;
    }
    return 0;
}

static int opt_vnc(TernOptions *o, const char *arg, Error **errp)
{
    return opt_no_display(o, "vnc", arg, errp);
}

static int opt_display(TernOptions *o, const char *arg, Error **errp)
{
    return opt_no_display(o, "display", arg, errp);
}

static int opt_d(TernOptions *o, const char *arg, Error **errp)
{
    if (!strcmp(arg, "help")) {
        o->action = OPTION_ACTION_LOG_HELP;
        return 0;
    }
    o->log_items = arg;
    return 0;
}

static int opt_D(TernOptions *o, const char *arg, Error **errp)
{
    o->log_file = arg;
    return 0;
}

static int opt_perfmap(TernOptions *o, const char *arg, Error **errp)
{
    o->perfmap = true;
    return 0;
}

static int opt_dfilter(TernOptions *o, const char *arg, Error **errp)
{
    o->log_dfilter = arg;
    return 0;
}

/* -fw_cfg [name=]NAME,file=PATH or [name=]NAME,string=STR (QEMU's syntax,
 * without its ",," escape).  The file is read when the board is built. */
static int opt_fw_cfg(TernOptions *o, const char *arg, Error **errp)
{
    OptionFwCfg *f = &o->fw_cfg[o->fw_cfg_count];
    const char *p = arg, *name = NULL;
    size_t name_len = 0;
    unsigned sources = 0;

    if (o->fw_cfg_count >= OPTION_FW_CFG_MAX) {
        error_setg(errp, "-fw_cfg %s: at most %d -fw_cfg options", arg, OPTION_FW_CFG_MAX);
        return -EINVAL;
    }
    memset(f, 0, sizeof(*f));
    while (*p) {
        size_t len = strcspn(p, ",");
        const char *v;
        bool positional = p == arg && len && !memchr(p, '=', len);   /* QEMU's implied name= */
        if (positional || item_is_key(p, len, "name", &v)) {
            name = positional ? p : v;
            name_len = len - (size_t)(name - p);
        } else if (item_is_key(p, len, "file", &v) || item_is_key(p, len, "string", &v)) {
            f->is_file = *p == 'f';
            f->value = v;
            f->value_len = len - (size_t)(v - p);
            sources++;
        } else {
            error_setg(errp, "-fw_cfg %s: unknown parameter '%.*s'", arg, (int)len, p);
            return -EINVAL;
        }
        p += len;
        p += *p == ',';
    }
    if (!name || !name_len) {
        error_setg(errp, "-fw_cfg %s: missing name=", arg);
        return -EINVAL;
    }
    if (name_len >= sizeof(f->name)) {
        error_setg(errp, "-fw_cfg %s: name longer than %zu characters", arg,
                   sizeof(f->name) - 1);
        return -EINVAL;
    }
    if (sources != 1) {
        error_setg(errp, "-fw_cfg %s: give exactly one of file= and string=", arg);
        return -EINVAL;
    }
    if (f->is_file && !f->value_len) {
        error_setg(errp, "-fw_cfg %s: empty file=", arg);
        return -EINVAL;
    }
    memcpy(f->name, name, name_len);
    f->arg = arg;
    o->fw_cfg_count++;
    return 0;
}

/* ---- the table -------------------------------------------------------- */

static const OptionDef option_table[] = {
    { "help", "h", NULL, "print this help and exit", opt_help },
    { "version", NULL, NULL, "print the version and exit", opt_version },
    { "m", NULL, "SIZE", "guest RAM: 512 = 512 MiB, or 64K, 2G, 1.5G... (default 128M)", opt_m },
    { "smp", NULL, "[cpus=]N[,sockets=S,cores=C,threads=T,maxcpus=M]",
      "vCPUs (1-64, one host thread each) and their topology", opt_smp },
    { "machine", "M", "[pc][,accel=NAME][,kernel-irqchip=on|off|split]",
      "machine type (only pc), accelerator, KVM's interrupt controllers", opt_machine },
    { "accel", NULL, "NAME", "accelerator: tcg (default) or kvm; several: tried in order", opt_accel },
    { "enable-kvm", NULL, NULL, "same as -accel kvm", opt_enable_kvm },
    { "record", NULL, "FILE", "run under TCG one step at a time, logging every outside input to FILE (docs/compare.md)", opt_record },
    { "replay", NULL, "FILE", "replay FILE (from -record, same guest options) without devices; check the final state", opt_replay },
    { "kernel", NULL, "FILE", "boot this ELF64 x86-64 executable (see docs/boot.md)", opt_kernel },
    { "append", NULL, "STR", "kernel command line", opt_append },
    { "initrd", NULL, "FILE", "initial RAM disk (Linux kernels)", opt_initrd },
    { "bios", NULL, "FILE", "raw firmware image run from reset (see docs/cpu.md)", opt_bios },
    { "nographic", NULL, NULL, "no display: the serial port uses this terminal", opt_nographic },
    { "serial", NULL, "DEV", "COM1's back end: stdio (default), file:PATH, null, none, pty, unix:PATH[,server,nowait], tcp:[HOST]:PORT[,server,nowait], chardev:ID", opt_serial },
    { "device", NULL, "NAME[,PROP=V...]", "add a device (-device help lists them)", opt_device },
    { "cpu", NULL, "NAME[,+F,-F...]", "CPU model and features (-cpu help lists them)", opt_cpu },
    { "nodefaults", NULL, NULL, "no default devices: no serial port unless -serial", opt_nodefaults },
    { "no-reboot", NULL, NULL, "exit (status 0) instead of resetting the guest", opt_no_reboot },
    { "no-shutdown", NULL, NULL, "on guest shutdown, stop the guest instead of exiting", opt_no_shutdown },
    { "monitor", NULL, "DEV", "the monitor on DEV: stdio, none, pty, unix:PATH,server,nowait, tcp:[HOST]:PORT,server,nowait, chardev:ID (default with -nographic: the console's Ctrl-A c)", opt_monitor },
    { "qmp", NULL, "DEV", "QMP (JSON) monitor on DEV: unix:PATH,server,nowait, tcp:[HOST]:PORT,server,nowait, stdio, pty, chardev:ID", opt_qmp },
    { "chardev", NULL, "BACKEND,id=ID[,...]", "a character back end for chardev:ID: null, stdio[,mux=on,signal=on], file,path=P[,append=on], socket,path=P|port=N[,host=H,server=on,wait=off], pty (docs/debugging.md)", opt_chardev },
    { "mon", NULL, "[chardev=]ID[,mode=readline|control]", "a monitor (readline: human, control: QMP) on -chardev ID", opt_mon },
    { "parallel", NULL, "none", "accepted for QEMU command lines: tern has no parallel port", opt_parallel },
    { "gdb", NULL, "DEV", "wait for gdb on DEV: tcp::PORT or unix:PATH (server,nowait implied), chardev:ID", opt_gdb },
    { "s", NULL, NULL, "shorthand for -gdb tcp::1234", opt_gdb_default },
    { "S", NULL, NULL, "do not start the CPUs at startup (gdb's or the monitor's 'c' starts them)", opt_start_stopped },
    { "vnc", NULL, "none", "accepted for QEMU command lines: tern has no display", opt_vnc },
    { "display", NULL, "none", "accepted for QEMU command lines: tern has no display", opt_display },
    { "fw_cfg", NULL, "[name=]N,file=F|string=S", "add fw_cfg file N (name it opt/...)", opt_fw_cfg },
    { "drive", NULL, "file=F[,if=ide|virtio|none,index=N,media=disk|cdrom,...]",
      "add a drive: format=raw, bus=, unit=, readonly=on, cache=writeback|writethrough|none|unsafe, snapshot=on, id= (docs/block.md)",
      opt_drive },
    { "hda", NULL, "FILE", "IDE disk 0 (primary master); also a bare FILE argument", opt_hda },
    { "hdb", NULL, "FILE", "IDE disk 1 (primary slave)", opt_hdb },
    { "hdc", NULL, "FILE", "IDE disk 2 (secondary master)", opt_hdc },
    { "hdd", NULL, "FILE", "IDE disk 3 (secondary slave)", opt_hdd },
    { "cdrom", NULL, "FILE", "IDE CD-ROM (secondary master, read-only)", opt_cdrom },
    { "snapshot", NULL, NULL, "discard the guest's disk writes (a temporary overlay)", opt_snapshot },
    { "d", NULL, "ITEM,...", "enable debug log items (-d help lists them)", opt_d },
    { "D", NULL, "FILE", "write the debug log to FILE instead of stderr", opt_D },
    { "dfilter", NULL, "RANGE,...", "log only blocks at these guest pcs: 0xA..0xB, 0xA+N, 0xA-N", opt_dfilter },
    { "perfmap", NULL, NULL, "name the translated blocks for perf(1) in /tmp/perf-PID.map", opt_perfmap },
};

/* qemu-system-x86_64 options tern does not implement: named as such
 * rather than as unknown, so a harness's command line fails clearly. */
static const char *const option_unsupported[] = {
    "fda", "fdb", "blockdev", "boot",
    "pflash", "netdev", "net", "nic", "usb",
    "usbdevice", "vga", "spice", "sdl", "curses", "audiodev", "rtc", "icount",
    "loadvm", "incoming", "daemonize", "pidfile", "name", "uuid",
    "global", "object", "numa", "mem-path", "mem-prealloc", "overcommit",
    "smbios", "acpitable", "no-acpi", "no-hpet", "virtfs", "fsdev",
    "watchdog-action", "action", "semihosting", "plugin", "trace", "readconfig",
    "no-user-config", "nodefconfig", "sandbox", "qtest", "k", "L",
};

static const OptionDef *option_lookup(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(option_table); i++) {
        const OptionDef *d = &option_table[i];
        if (!strcmp(name, d->name) || (d->alias && !strcmp(name, d->alias))) {
            return d;
        }
    }
    return NULL;
}

int option_parse(TernOptions *o, int argc, char **argv, Error **errp)
{
    memset(o, 0, sizeof(*o));
    o->action = OPTION_ACTION_RUN;
    o->ram_size = OPTION_RAM_DEFAULT;
    o->smp = (CpuTopology){ .cpus = 1, .sockets = 1, .cores = 1, .threads = 1,
                            .max_cpus = 1 };
    strcpy(o->accel, "tcg");

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *name;
        const char *arg = NULL;
        const OptionDef *d;
        int ret;

        if (a[0] != '-') {              /* QEMU: a bare image is -hda */
            ret = drive_add_legacy(o, NULL, a, 0, DRIVE_MEDIA_DISK, errp);
            if (ret < 0) {
                return ret;
            }
            continue;
        }
        name = a + 1 + (a[1] == '-');       /* "-opt" or "--opt" */
        d = option_lookup(name);
        for (size_t j = 0; !d && j < ARRAY_SIZE(option_unsupported); j++) {
            if (!strcmp(name, option_unsupported[j])) {
                error_setg(errp, "%s is not supported yet", a);
                return -EINVAL;
            }
        }
        if (!d) {
            error_setg(errp, "%s: unknown option (-help lists them)", a);
            return -EINVAL;
        }
        if (d->arg_name) {
            if (i + 1 >= argc) {
                error_setg(errp, "%s: requires an argument", a);
                return -EINVAL;
            }
            arg = argv[++i];
        }
        ret = d->handler(o, arg, errp);
        if (ret < 0) {
            return ret;
        }
        if (o->action != OPTION_ACTION_RUN) {
            return 0;                       /* -help, -d help, ...: act at once */
        }
    }
    if ((o->record || o->replay) && o->accel_given) {
        error_setg(errp, "%s: runs under TCG by itself; leave out -accel/-enable-kvm",
                   o->record ? "-record" : "-replay");
        return -EINVAL;
    }
    if (o->record || o->replay) {
        strcpy(o->accel, "compare");
    }
    if (!o->serial) {
        /* No display exists yet, so with or without -nographic the serial
         * port is this terminal (none with -nodefaults, as in QEMU);
         * -nographic will also bring the monitor. */
        o->serial = o->nodefaults ? "none" : "stdio";
    }
    return 0;
}

void option_print_help(FILE *f)
{
    fprintf(f, "usage: tern [options]\n"
               "tern " TERN_VERSION ": an x86_64 PC emulator\n\n"
               "Options:\n");
    for (size_t i = 0; i < ARRAY_SIZE(option_table); i++) {
        const OptionDef *d = &option_table[i];
        char lhs[64];
        int n = snprintf(lhs, sizeof(lhs), "-%s%s%s", d->name, d->arg_name ? " " : "",
                         d->arg_name ? d->arg_name : "");
        if (d->alias && n > 0 && (size_t)n < sizeof(lhs)) {
            snprintf(lhs + n, sizeof(lhs) - (size_t)n, ", -%s", d->alias);
        }
        if (strlen(lhs) > 24) {
            fprintf(f, "  %s\n  %-24s %s\n", lhs, "", d->help);
        } else {
            fprintf(f, "  %-24s %s\n", lhs, d->help);
        }
    }
    fprintf(f, "\nTo run a test program:\n"
               "  tern -nographic -kernel prog.elf -device isa-debug-exit,iobase=0xf4,iosize=0x04\n");
}

void option_print_version(FILE *f)
{
    fprintf(f, "tern version " TERN_VERSION "\n");
}

void option_print_devices(FILE *f)
{
    fprintf(f, "Devices (for -device):\n");
    for (size_t i = 0; i < ARRAY_SIZE(device_table); i++) {
        fprintf(f, "%-16s %s\n", device_table[i].name, device_table[i].help);
    }
}
