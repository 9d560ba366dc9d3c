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
#include "util/option-internal.h"

#include <ctype.h>
#include <time.h>

/* The versioned name of the pc machine (TERN_QEMU_VERSION's). */
#define TERN_QEMU_MACHINE "7.2"

typedef struct OptionDef {
    const char *name;
    const char *alias;       /* a second name, or NULL */
    const char *arg_name;    /* NULL: the option takes no argument */
    const char *help;
    OptionHandler handler;
} OptionDef;

/* ---- helpers ---------------------------------------------------------- */

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

/* A RAM size for -m: 0, or -EINVAL with the reason. */
static int ram_size_parse(const char *what, const char *str, uint64_t *out, Error **errp)
{
    uint64_t bytes;
    int ret = option_parse_size(str, &bytes);

    if (ret == -EINVAL) {
        error_setg(errp, "%s: invalid RAM size (try 512, 512M or 2G)", what);
        return -EINVAL;
    }
    if (ret == 0 && bytes < OPTION_RAM_MIN) {
        error_setg(errp, "%s: RAM size too small (minimum 1M)", what);
        return -EINVAL;
    }
    if (ret == -ERANGE || bytes > OPTION_RAM_LIMIT - OPTION_RAM_ALIGN) {
        error_setg(errp, "%s: RAM size too large (maximum: less than 1T)", what);
        return -EINVAL;
    }
    *out = ROUND_UP(bytes, OPTION_RAM_ALIGN);
    return 0;
}

/* -m [size=]SIZE[,slots=N,maxmem=SIZE]: slots and maxmem describe memory
 * hotplug, which tern does not have: they are checked as QEMU does and
 * change nothing. */
static int opt_m(TernOptions *o, const char *arg, Error **errp)
{
    char what[80];
    const char *p = arg;
    OptProp prop;
    uint64_t n, maxmem = 0;
    int ret;
    bool first = true, have_size = false;

    snprintf(what, sizeof(what), "-m %s", arg);
    while ((ret = opt_prop_next(&p, &prop, what, errp)) > 0) {
        if ((prop.bare && first) || (!prop.bare && !strcmp(prop.key, "size"))) {
            ret = ram_size_parse(what, prop.bare ? prop.key : prop.val, &o->ram_size, errp);
            have_size = true;
        } else if (!prop.bare && !strcmp(prop.key, "slots")) {
            ret = opt_prop_uint(what, &prop, 0, 256, &n, errp);
            o->ram_slots = (unsigned)n;
        } else if (!prop.bare && !strcmp(prop.key, "maxmem")) {
            ret = ram_size_parse(what, prop.val, &maxmem, errp);
        } else {
            ret = opt_prop_unknown(what, &prop, "size, slots, maxmem", errp);
        }
        if (ret < 0) {
            return ret;
        }
        first = false;
    }
    if (ret < 0) {
        return ret;
    }
    if (!have_size) {
        error_setg(errp, "%s: invalid RAM size", what);
        return -EINVAL;
    }
    if (maxmem && maxmem < o->ram_size) {
        error_setg(errp, "%s: maxmem is below the RAM size", what);
        return -EINVAL;
    }
    o->ram_maxmem = maxmem;
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
    char what[80];
    const char *p = arg;
    OptProp prop;
    bool first = true;
    int ret;

    snprintf(what, sizeof(what), "-smp %s", arg);
    while ((ret = opt_prop_next(&p, &prop, what, errp)) > 0) {
        unsigned k = 0;
        uint64_t n;

        if (prop.bare && first) {                /* "N" only comes first */
            snprintf(prop.val, sizeof(prop.val), "%s", prop.key);
            snprintf(prop.key, sizeof(prop.key), "cpus");
            prop.bare = false;
        }
        for (k = 0; k < SMP_NB_KEYS && (prop.bare || strcmp(prop.key, smp_keys[k])); k++) {
        }
        if (k == SMP_NB_KEYS) {
            error_setg(errp, "-smp %s: unknown parameter '%s'", arg, prop.key);
            return -EINVAL;
        }
        if (!opt_parse_uint(prop.val, strlen(prop.val), &n)) {
            error_setg(errp, "-smp %s: invalid number '%s' for %s", arg, prop.val, smp_keys[k]);
            return -EINVAL;
        }
        if (n == 0 || n > OPTION_MAX_CPUS) {
            error_setg(errp, "-smp %s: %s must be 1 to %u", arg, smp_keys[k], OPTION_MAX_CPUS);
            return -EINVAL;
        }
        val[k] = (unsigned)n;
        first = false;
    }
    if (ret < 0) {
        return ret;
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
static int drive_set_key(OptionDrive *d, const OptProp *prop, Error **errp)
{
    const char *key = prop->key, *val = prop->val;
    char opt[80];
    uint64_t n;
    bool b;
    int ret = 0;

    snprintf(opt, sizeof(opt), "-drive %s", d->arg);   /* long ones cut short */
    if (prop->bare) {
        error_setg(errp, "%s: '%s' is not KEY=VALUE", opt, key);
        return -EINVAL;
    }
    if (!strcmp(key, "file")) {
        snprintf(d->file, sizeof(d->file), "%s", val);     /* OPT_VAL_MAX fits */
    } else if (!strcmp(key, "id")) {
        if (!opt_copy(d->id, sizeof(d->id), val)) {
            error_setg(errp, "%s: id=%s: must be 1 to %zu characters", opt, val,
                       sizeof(d->id) - 1);
            return -EINVAL;
        }
    } else if (!strcmp(key, "format")) {
        if (!opt_copy(d->format, sizeof(d->format), val)) {
            error_setg(errp, "%s: format=%s: unknown image format (tern reads raw images)", opt,
                       val);
            return -EINVAL;
        }
    } else if (!strcmp(key, "if")) {
        ret = opt_prop_enum(opt, prop, drive_if_names, ARRAY_SIZE(drive_if_names), errp);
        d->iface = (DriveInterface)ret;
    } else if (!strcmp(key, "media")) {
        ret = opt_prop_enum(opt, prop, drive_media_names, ARRAY_SIZE(drive_media_names), errp);
        d->media = (DriveMedia)ret;
    } else if (!strcmp(key, "cache")) {
        ret = opt_prop_enum(opt, prop, drive_cache_names, ARRAY_SIZE(drive_cache_names), errp);
        d->cache = (BlockCacheMode)ret;
    } else if (!strcmp(key, "readonly") || !strcmp(key, "snapshot")) {
        ret = opt_prop_bool(opt, prop, &b, errp);
        *(key[0] == 'r' ? &d->read_only : &d->snapshot) = b;
    } else if (!strcmp(key, "index") || !strcmp(key, "bus") || !strcmp(key, "unit")) {
        ret = opt_prop_uint(opt, prop, 0, 255, &n, errp);
        *(key[0] == 'i' ? &d->index : key[0] == 'b' ? &d->bus : &d->unit) = (int)n;
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
    char what[80];
    OptProp prop;
    int ret;

    if (!d) {
        return -EINVAL;
    }
    snprintf(what, sizeof(what), "-drive %s", arg);
    while ((ret = opt_prop_next(&p, &prop, what, errp)) > 0) {
        if (drive_set_key(d, &prop, errp) < 0) {
            return -EINVAL;
        }
    }
    if (ret < 0) {
        return ret;
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

static int opt_device(TernOptions *o, const char *arg, Error **errp)
{
    return option_device_add(o, arg, errp);
}

static int opt_global(TernOptions *o, const char *arg, Error **errp)
{
    return option_global_add(o, arg, errp);
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

/* kernel-irqchip=on|off|split, of -machine or -accel kvm. */
static int set_kernel_irqchip(TernOptions *o, const char *what, const OptProp *prop,
                              Error **errp)
{
    static const char *const modes[] = { "on", "off", "split" };
    int ret = opt_prop_enum(what, prop, modes, ARRAY_SIZE(modes), errp);

    o->kernel_irqchip = ret < 0 ? NULL : modes[ret];
    return ret < 0 ? ret : 0;
}

/* QEMU accelerators tern does not have: "not supported", not unknown. */
static const char *const accel_unsupported[] = { "hax", "hvf", "whpx", "xen", "nvmm", "qtest" };

/* QEMU's -accel kvm properties tern does not have. */
static bool accel_kvm_qemu_prop(const char *key)
{
    static const char *const props[] = { "kvm-shadow-mem", "dirty-ring-size",
                                         "eager-split-size", "notify-vmexit", "notify-window",
                                         "xen-version", "device" };
    for (size_t i = 0; i < ARRAY_SIZE(props); i++) {
        if (!strcmp(key, props[i])) {
            return true;
        }
    }
    return false;
}

/* -accel tcg[,thread=single|multi][,tb-size=MiB] | kvm[,kernel-irqchip=..]
 * | compare[,OPTS] (OPTS parsed by accel/compare) | help */
static int opt_accel(TernOptions *o, const char *arg, Error **errp)
{
    size_t len = strcspn(arg, ",");
    const char *p = arg + len + (arg[len] == ',');
    char what[96];
    OptProp prop;
    uint64_t n;
    int ret;

    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        o->action = OPTION_ACTION_ACCEL_HELP;
        return 0;
    }
    snprintf(what, sizeof(what), "-accel %s", arg);
    for (size_t i = 0; i < ARRAY_SIZE(accel_unsupported); i++) {
        if (strlen(accel_unsupported[i]) == len && !strncmp(arg, accel_unsupported[i], len)) {
            error_setg(errp, "-accel %.*s: not supported (-accel help lists tern's)", (int)len,
                       arg);
            return -EINVAL;
        }
    }
    if (len == 7 && !strncmp(arg, "compare", 7)) {
        if (snprintf(o->accel_opts, sizeof(o->accel_opts), "%s", p) >=
            (int)sizeof(o->accel_opts)) {
            error_setg(errp, "%s: options too long", what);
            return -EINVAL;
        }
        return set_accel(o, "-accel", arg, len, errp);
    }
    while ((ret = opt_prop_next(&p, &prop, what, errp)) > 0) {
        bool tcg = len == 3 && !strncmp(arg, "tcg", 3);
        bool kvm = len == 3 && !strncmp(arg, "kvm", 3);
        if (tcg && !prop.bare && !strcmp(prop.key, "thread")) {
            static const char *const modes[] = { "multi", "single" };
            ret = opt_prop_enum(what, &prop, modes, ARRAY_SIZE(modes), errp);
            o->tcg_single_thread = ret == 1;
        } else if (tcg && !prop.bare && !strcmp(prop.key, "tb-size")) {
            ret = opt_prop_uint(what, &prop, 1, 2048, &n, errp);   /* MiB */
            o->tcg_tb_size = n << 20;
        } else if (tcg && !prop.bare && !strcmp(prop.key, "split-wx")) {
            bool on = false;
            ret = opt_prop_bool(what, &prop, &on, errp);
            if (ret == 0 && on) {
                ret = opt_prop_unsupported(what, &prop, errp);
            }
        } else if (kvm && !prop.bare && !strcmp(prop.key, "kernel-irqchip")) {
            ret = set_kernel_irqchip(o, what, &prop, errp);
        } else if (kvm && accel_kvm_qemu_prop(prop.key)) {
            ret = opt_prop_unsupported(what, &prop, errp);
        } else {
            ret = opt_prop_unknown(what, &prop, NULL, errp);
        }
        if (ret < 0) {
            return ret;
        }
    }
    return ret < 0 ? ret : set_accel(o, "-accel", arg, len, errp);
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

/* -machine's type: tern's one board answers to QEMU's i440FX names;
 * QEMU's other boards are "not supported". */
static int machine_type(const char *what, const char *type, Error **errp)
{
    static const char *const others[] = { "q35", "pc-q35-", "microvm", "isapc", "none",
                                          "x-remote" };

    if (!strcmp(type, "pc") || !strncmp(type, "pc-i440fx-", 10)) {
        return 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(others); i++) {
        if (!strcmp(type, others[i]) ||
            (others[i][strlen(others[i]) - 1] == '-' &&
             !strncmp(type, others[i], strlen(others[i])))) {
            error_setg(errp, "%s: not supported (tern has the pc machine only)", what);
            return -EINVAL;
        }
    }
    error_setg(errp, "%s: unknown machine type '%s' (-machine help lists them)", what, type);
    return -EINVAL;
}

/* -machine on/off properties that change nothing in tern, at the value
 * tern's board has; the other value is "not supported". */
static const struct {
    const char *name;
    bool value;
} machine_fixed[] = {
    { "usb", false }, { "vmport", false }, { "smm", false }, { "hpet", true },
    { "graphics", false }, { "acpi", true }, { "pit", true }, { "pic", true },
};

/* -machine [type=]NAME[,accel=A][,kernel-irqchip=on|off|split]
 * [,memory-backend=ID][,dump-guest-core=..,mem-merge=..][,usb=off...] | help */
static int opt_machine(TernOptions *o, const char *arg, Error **errp)
{
    char what[96];
    const char *p = arg;
    OptProp prop;
    bool first = true, b;
    int ret;

    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        o->action = OPTION_ACTION_MACHINE_HELP;
        return 0;
    }
    snprintf(what, sizeof(what), "-machine %s", arg);
    while ((ret = opt_prop_next(&p, &prop, what, errp)) > 0) {
        size_t k;
        for (k = 0; k < ARRAY_SIZE(machine_fixed) && strcmp(prop.key, machine_fixed[k].name);
             k++) {
        }
        if ((prop.bare && first) || (!prop.bare && !strcmp(prop.key, "type"))) {
            ret = machine_type(what, prop.bare ? prop.key : prop.val, errp);
        } else if (prop.bare) {
            ret = opt_prop_unknown(what, &prop, NULL, errp);
        } else if (!strcmp(prop.key, "accel")) {
            ret = set_accel(o, "-machine accel", prop.val, strlen(prop.val), errp);
        } else if (!strcmp(prop.key, "kernel-irqchip")) {
            ret = set_kernel_irqchip(o, what, &prop, errp);
        } else if (!strcmp(prop.key, "memory-backend")) {
            ret = opt_copy(o->memory_backend, sizeof(o->memory_backend), prop.val) ? 0 :
                  opt_prop_unknown(what, &prop, NULL, errp);
        } else if (!strcmp(prop.key, "dump-guest-core") || !strcmp(prop.key, "mem-merge")) {
            ret = opt_prop_bool(what, &prop, &b, errp);           /* host hints: no effect */
        } else if (k < ARRAY_SIZE(machine_fixed)) {
            if (!strcmp(prop.val, "auto")) {
                ret = 0;
            } else if ((ret = opt_prop_bool(what, &prop, &b, errp)) == 0 &&
                       b != machine_fixed[k].value) {
                ret = opt_prop_unsupported(what, &prop, errp);
            }
        } else {
            ret = opt_prop_unsupported(what, &prop, errp);
        }
        if (ret < 0) {
            return ret;
        }
        first = false;
    }
    return ret;
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
        error_setg(errp, "-%s %s: not supported (tern has no display: only -%s none)", opt, arg,
                   opt);
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

/* -fw_cfg [name=]NAME,file=PATH or [name=]NAME,string=STR (QEMU's syntax).
 * The file is read when the board is built. */
static int opt_fw_cfg(TernOptions *o, const char *arg, Error **errp)
{
    OptionFwCfg *f = &o->fw_cfg[o->fw_cfg_count];
    char what[96];
    const char *p = arg;
    OptProp prop;
    unsigned sources = 0;
    bool first = true;
    int ret;

    if (o->fw_cfg_count >= OPTION_FW_CFG_MAX) {
        error_setg(errp, "-fw_cfg %s: at most %d -fw_cfg options", arg, OPTION_FW_CFG_MAX);
        return -EINVAL;
    }
    snprintf(what, sizeof(what), "-fw_cfg %s", arg);
    memset(f, 0, sizeof(*f));
    while ((ret = opt_prop_next(&p, &prop, what, errp)) > 0) {
        if ((prop.bare && first) || (!prop.bare && !strcmp(prop.key, "name"))) {
            const char *name = prop.bare ? prop.key : prop.val;   /* QEMU's implied name= */
            if (!*name) {
                break;
            }
            if (!opt_copy(f->name, sizeof(f->name), name)) {
                error_setg(errp, "-fw_cfg %s: name longer than %zu characters", arg,
                           sizeof(f->name) - 1);
                return -EINVAL;
            }
        } else if (!prop.bare && (!strcmp(prop.key, "file") || !strcmp(prop.key, "string"))) {
            f->is_file = prop.key[0] == 'f';
            snprintf(f->value, sizeof(f->value), "%s", prop.val);   /* same size */
            f->value_len = strlen(f->value);
            sources++;
        } else {
            error_setg(errp, "-fw_cfg %s: unknown parameter '%s'", arg, prop.key);
            return -EINVAL;
        }
        first = false;
    }
    if (ret < 0) {
        return ret;
    }
    if (!f->name[0]) {
        error_setg(errp, "-fw_cfg %s: missing name=", arg);
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
    f->arg = arg;
    o->fw_cfg_count++;
    return 0;
}

/* ---- QEMU options about the host process and the guest's identity ---- */

static int name_copy(const char *what, char *dst, size_t size, const char *val, Error **errp)
{
    if (!opt_copy(dst, size, val)) {
        error_setg(errp, "%s: a name of 1 to %zu characters", what, size - 1);
        return -EINVAL;
    }
    return 0;
}

/* -name [guest=]NAME[,process=P][,debug-threads=on|off] */
static int opt_name(TernOptions *o, const char *arg, Error **errp)
{
    char what[96];
    const char *p = arg;
    OptProp prop;
    bool first = true, b;
    int ret;

    snprintf(what, sizeof(what), "-name %s", arg);
    while ((ret = opt_prop_next(&p, &prop, what, errp)) > 0) {
        if ((prop.bare && first) || (!prop.bare && !strcmp(prop.key, "guest"))) {
            ret = name_copy(what, o->name, sizeof(o->name), prop.bare ? prop.key : prop.val,
                            errp);
        } else if (!prop.bare && !strcmp(prop.key, "process")) {
            ret = name_copy(what, o->process_name, sizeof(o->process_name), prop.val, errp);
        } else if (!prop.bare && !strcmp(prop.key, "debug-threads")) {
            ret = opt_prop_bool(what, &prop, &b, errp);    /* tern names its threads anyway */
        } else {
            ret = opt_prop_unknown(what, &prop, "guest, process, debug-threads", errp);
        }
        if (ret < 0) {
            return ret;
        }
        first = false;
    }
    return ret;
}

/* -uuid 8-4-4-4-12 hex digits: the SMBIOS system UUID. */
static int opt_uuid(TernOptions *o, const char *arg, Error **errp)
{
    static const unsigned groups[] = { 8, 4, 4, 4, 12 };
    const char *p = arg;
    unsigned n = 0;

    for (size_t g = 0; g < ARRAY_SIZE(groups); g++) {
        for (unsigned i = 0; i < groups[g]; i++, p++) {
            if (!isxdigit((unsigned char)*p)) {
                goto bad;
            }
            unsigned v = (unsigned)(isdigit((unsigned char)*p) ? *p - '0' :
                                    tolower((unsigned char)*p) - 'a' + 10);
            o->uuid[n / 2] = (uint8_t)(n % 2 ? o->uuid[n / 2] | v : v << 4);
            n++;
        }
        if (*p != (g + 1 < ARRAY_SIZE(groups) ? '-' : 0)) {
            goto bad;
        }
        p++;
    }
    o->has_uuid = true;
    return 0;
bad:
    error_setg(errp, "-uuid %s: not a UUID (want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", arg);
    return -EINVAL;
}

static int opt_no_user_config(TernOptions *o, const char *arg, Error **errp)
{
    return 0;                   /* tern reads no configuration files */
}

/* -parallel none: tern has no parallel port to leave out. */
static int opt_parallel(TernOptions *o, const char *arg, Error **errp)
{
    if (strcmp(arg, "none")) {
        error_setg(errp, "-parallel %s: not supported (tern has no parallel port)", arg);
        return -EINVAL;
    }
    return 0;
}

/* -boot [order=]DRIVES[,once=D][,menu=on|off][,strict=on|off]
 * [,splash-time=MS][,reboot-timeout=MS]: the firmware's boot order.  tern
 * boots -kernel (or runs -bios) itself, as QEMU's linuxboot does with
 * -kernel, so these are checked and change nothing. */
static int opt_boot(TernOptions *o, const char *arg, Error **errp)
{
    char what[96];
    const char *p = arg;
    OptProp prop;
    uint64_t n;
    bool first = true, b;
    int ret;

    snprintf(what, sizeof(what), "-boot %s", arg);
    while ((ret = opt_prop_next(&p, &prop, what, errp)) > 0) {
        const char *v = prop.bare ? prop.key : prop.val;
        if ((prop.bare && first) || (!prop.bare && (!strcmp(prop.key, "order") ||
                                                    !strcmp(prop.key, "once")))) {
            if (!*v || strspn(v, "abcdnop") != strlen(v)) {
                error_setg(errp, "%s: boot devices '%s': want letters a-d, n-p", what, v);
                return -EINVAL;
            }
        } else if (!prop.bare && (!strcmp(prop.key, "menu") || !strcmp(prop.key, "strict"))) {
            ret = opt_prop_bool(what, &prop, &b, errp);
        } else if (!prop.bare && (!strcmp(prop.key, "splash-time") ||
                                  !strcmp(prop.key, "reboot-timeout"))) {
            ret = opt_prop_uint(what, &prop, 0, 65535, &n, errp);
        } else if (!prop.bare && !strcmp(prop.key, "splash")) {
            ret = opt_prop_unsupported(what, &prop, errp);
        } else {
            ret = opt_prop_unknown(what, &prop, "order, once, menu, strict, splash-time, "
                                   "reboot-timeout", errp);
        }
        if (ret < 0) {
            return ret;
        }
        first = false;
    }
    return ret;
}

/* -rtc base=utc|localtime|DATE,clock=host|vm|rt,driftfix=none|slew.
 * DATE: 2006-06-17T16:01:21 or 2006-06-17, UTC. */
static int rtc_date(const char *what, const char *val, int64_t *out, Error **errp)
{
    struct tm tm = { 0 };
    const char *end = strptime(val, "%Y-%m-%dT%H:%M:%S", &tm);

    if (!end || *end) {
        memset(&tm, 0, sizeof(tm));
        end = strptime(val, "%Y-%m-%d", &tm);
    }
    if (!end || *end || tm.tm_year < 0) {
        error_setg(errp, "%s: base=%s: want utc, localtime or a date 2006-06-17T16:01:21",
                   what, val);
        return -EINVAL;
    }
    *out = (int64_t)timegm(&tm);
    return 0;
}

static int opt_rtc(TernOptions *o, const char *arg, Error **errp)
{
    static const char *const clocks[] = { "host", "rt", "vm" };
    static const char *const drift[] = { "none", "slew" };
    char what[96];
    const char *p = arg;
    OptProp prop;
    int ret;

    snprintf(what, sizeof(what), "-rtc %s", arg);
    while ((ret = opt_prop_next(&p, &prop, what, errp)) > 0) {
        if (prop.bare) {
            ret = opt_prop_unknown(what, &prop, "base, clock, driftfix", errp);
        } else if (!strcmp(prop.key, "base")) {
            if (!strcmp(prop.val, "utc") || !strcmp(prop.val, "localtime")) {
                o->rtc_base = prop.val[0] == 'u' ? OPTION_RTC_UTC : OPTION_RTC_LOCALTIME;
            } else {
                ret = rtc_date(what, prop.val, &o->rtc_base_date, errp);
                o->rtc_base = OPTION_RTC_DATE;
            }
        } else if (!strcmp(prop.key, "clock")) {
            ret = opt_prop_enum(what, &prop, clocks, ARRAY_SIZE(clocks), errp);
            o->rtc_clock_vm = ret == 2;
        } else if (!strcmp(prop.key, "driftfix")) {
            ret = opt_prop_enum(what, &prop, drift, ARRAY_SIZE(drift), errp);
            if (ret == 1) {
                ret = opt_prop_unsupported(what, &prop, errp);
            }
        } else {
            ret = opt_prop_unknown(what, &prop, "base, clock, driftfix", errp);
        }
        if (ret < 0) {
            return ret;
        }
    }
    return ret;
}

static int opt_pidfile(TernOptions *o, const char *arg, Error **errp)
{
    o->pidfile = arg;
    return 0;
}

static int opt_daemonize(TernOptions *o, const char *arg, Error **errp)
{
    o->daemonize = true;
    return 0;
}

/* -object memory-backend-ram,id=ID,size=SIZE[,share=off,prealloc=..]: the
 * guest's RAM, named by -machine memory-backend=ID (QEMU's way to give
 * it); other object types are "not supported". */
static int opt_object(TernOptions *o, const char *arg, Error **errp)
{
    size_t len = strcspn(arg, ",");
    const char *p = arg + len + (arg[len] == ',');
    char what[96];
    OptProp prop;
    bool b;
    int ret;

    snprintf(what, sizeof(what), "-object %s", arg);
    if (!(len == 18 && !strncmp(arg, "memory-backend-ram", 18))) {
        error_setg(errp, "-object %.*s: not supported (tern has memory-backend-ram only)",
                   (int)len, arg);
        return -EINVAL;
    }
    if (o->backend_id[0]) {
        error_setg(errp, "%s: only one memory backend is supported", what);
        return -EINVAL;
    }
    while ((ret = opt_prop_next(&p, &prop, what, errp)) > 0) {
        if (!prop.bare && !strcmp(prop.key, "id")) {
            ret = opt_copy(o->backend_id, sizeof(o->backend_id), prop.val) ? 0 :
                  opt_prop_unknown(what, &prop, NULL, errp);
        } else if (!prop.bare && !strcmp(prop.key, "size")) {
            ret = ram_size_parse(what, prop.val, &o->backend_size, errp);
        } else if (!prop.bare && (!strcmp(prop.key, "prealloc") ||
                                  !strcmp(prop.key, "merge") || !strcmp(prop.key, "dump"))) {
            ret = opt_prop_bool(what, &prop, &b, errp);        /* host hints: no effect */
        } else if (!prop.bare && !strcmp(prop.key, "share")) {
            if ((ret = opt_prop_bool(what, &prop, &b, errp)) == 0 && b) {
                ret = opt_prop_unsupported(what, &prop, errp);
            }
        } else {
            ret = opt_prop_unsupported(what, &prop, errp);
        }
        if (ret < 0) {
            return ret;
        }
    }
    if (ret == 0 && (!o->backend_id[0] || !o->backend_size)) {
        error_setg(errp, "%s: id= and size= are required", what);
        return -EINVAL;
    }
    return ret;
}

/* -icount [shift=]N[,align=off][,sleep=on|off], QEMU's syntax (main.c
 * refuses it with another accelerator than TCG, or several vCPUs).
 * shift=auto and align=on are QEMU's adaptive modes: not supported. */
static int opt_icount(TernOptions *o, const char *arg, Error **errp)
{
    char what[96];
    const char *p = arg;
    OptProp prop;
    uint64_t n;
    bool first = true, shift = false, on;
    int ret;

    snprintf(what, sizeof(what), "-icount %s", arg);
    while ((ret = opt_prop_next(&p, &prop, what, errp)) > 0) {
        if ((prop.bare && first) || (!prop.bare && !strcmp(prop.key, "shift"))) {
            const char *v = prop.bare ? prop.key : prop.val;
            if (!strcmp(v, "auto")) {
                error_setg(errp, "-icount shift=auto: not supported");
                return -EINVAL;
            }
            if (!opt_parse_uint(v, strlen(v), &n) || n > 10) {
                error_setg(errp, "-icount shift=%s: must be 0 to 10", v);
                return -EINVAL;
            }
            o->icount_shift = (unsigned)n;
            shift = true;
        } else if (!prop.bare && (!strcmp(prop.key, "align") || !strcmp(prop.key, "sleep"))) {
            if (opt_prop_bool(what, &prop, &on, errp) < 0) {
                return -EINVAL;
            }
            if (prop.key[0] == 'a' && on) {
                error_setg(errp, "-icount align=on: not supported");
                return -EINVAL;
            }
            if (prop.key[0] == 's') {
                o->icount_no_sleep = !on;
            }
        } else {
            error_setg(errp, "-icount %s: unknown parameter '%s'", arg, prop.key);
            return -EINVAL;
        }
        first = false;
    }
    if (ret < 0) {
        return ret;
    }
    if (!shift) {
        error_setg(errp, "-icount %s: shift=N is required", arg);
        return -EINVAL;
    }
    o->icount = true;
    return 0;
}

/* ---- the table -------------------------------------------------------- */

static const OptionDef option_table[] = {
    { "help", "h", NULL, "print this help and exit", opt_help },
    { "version", NULL, NULL, "print the version and exit", opt_version },
    { "m", NULL, "[size=]SIZE[,slots=N,maxmem=SIZE]", "guest RAM: 512 = 512 MiB, or 64K, 2G, 1.5G... (default 128M); no hotplug", opt_m },
    { "smp", NULL, "[cpus=]N[,sockets=S,cores=C,threads=T,maxcpus=M]",
      "vCPUs (1-64, one host thread each) and their topology", opt_smp },
    { "machine", "M", "[type=]pc[,accel=A,kernel-irqchip=on|off|split,memory-backend=ID,...]",
      "machine type (pc, pc-i440fx-*; -machine help), accelerator, KVM's interrupt controllers", opt_machine },
    { "accel", NULL, "NAME[,PROP=V...]", "tcg[,thread=multi|single,tb-size=MiB] (default), kvm[,kernel-irqchip=..], compare[,...]; several: tried in order (-accel help)", opt_accel },
    { "enable-kvm", NULL, NULL, "same as -accel kvm", opt_enable_kvm },
    { "record", NULL, "FILE", "run under TCG one step at a time, logging every outside input to FILE (docs/compare.md)", opt_record },
    { "replay", NULL, "FILE", "replay FILE (from -record, same guest options) without devices; check the final state", opt_replay },
    { "cpu", NULL, "NAME[,+F,-F...]", "CPU model and features (-cpu help lists them)", opt_cpu },
    { "name", NULL, "[guest=]NAME[,process=P]", "the guest's name (monitor, QMP query-name)", opt_name },
    { "uuid", NULL, "UUID", "the SMBIOS system UUID", opt_uuid },
    { "kernel", NULL, "FILE", "boot this Linux bzImage, Multiboot or ELF64 kernel (docs/boot.md)", opt_kernel },
    { "append", NULL, "STR", "kernel command line", opt_append },
    { "initrd", NULL, "FILE", "initial RAM disk (Linux kernels)", opt_initrd },
    { "bios", NULL, "FILE", "raw firmware image run from reset (see docs/cpu.md)", opt_bios },
    { "boot", NULL, "[order=]DRIVES[,menu=on|off,...]", "checked; no effect: tern boots -kernel itself, as QEMU does with -kernel", opt_boot },
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
    { "device", NULL, "NAME[,PROP=V...]", "add a device (-device help lists them, -device NAME,help their properties)", opt_device },
    { "global", NULL, "DRIVER.PROP=VALUE", "the default of a device property", opt_global },
    { "object", NULL, "memory-backend-ram,id=ID,size=SIZE", "the guest RAM for -machine memory-backend=ID", opt_object },
    { "nographic", NULL, NULL, "no display: the serial port and the monitor use this terminal", opt_nographic },
    { "display", NULL, "none", "accepted for QEMU command lines: tern has no display", opt_display },
    { "vnc", NULL, "none", "accepted for QEMU command lines: tern has no display", opt_vnc },
    { "nodefaults", NULL, NULL, "no default devices: no serial port unless -serial", opt_nodefaults },
    { "no-user-config", NULL, NULL, "accepted: tern reads no configuration files", opt_no_user_config },
    { "serial", NULL, "DEV", "COM1's back end: stdio (default), file:PATH, null, none, pty, unix:PATH[,server,nowait], tcp:[HOST]:PORT[,server,nowait], chardev:ID", opt_serial },
    { "parallel", NULL, "none", "accepted for QEMU command lines: tern has no parallel port", opt_parallel },
    { "monitor", NULL, "DEV", "the monitor on DEV: stdio, none, pty, unix:PATH,server,nowait, tcp:[HOST]:PORT,server,nowait, chardev:ID (default with -nographic: the console's Ctrl-A c)", opt_monitor },
    { "qmp", NULL, "DEV", "QMP (JSON) monitor on DEV: unix:PATH,server,nowait, tcp:[HOST]:PORT,server,nowait, stdio, pty, chardev:ID", opt_qmp },
    { "chardev", NULL, "BACKEND,id=ID[,...]", "a character back end for chardev:ID: null, stdio[,mux=on,signal=on], file,path=P[,append=on], socket,path=P|port=N[,host=H,server=on,wait=off], pty (docs/debugging.md)", opt_chardev },
    { "mon", NULL, "[chardev=]ID[,mode=readline|control]", "a monitor (readline: human, control: QMP) on -chardev ID", opt_mon },
    { "gdb", NULL, "DEV", "wait for gdb on DEV: tcp::PORT or unix:PATH (server,nowait implied), chardev:ID", opt_gdb },
    { "s", NULL, NULL, "shorthand for -gdb tcp::1234", opt_gdb_default },
    { "S", NULL, NULL, "do not start the CPUs at startup (gdb's or the monitor's 'c' starts them)", opt_start_stopped },
    { "rtc", NULL, "base=utc|localtime|DATE[,clock=host|rt|vm]", "the RTC's start time and clock", opt_rtc },
    { "no-reboot", NULL, NULL, "exit (status 0) instead of resetting the guest", opt_no_reboot },
    { "no-shutdown", NULL, NULL, "on guest shutdown, stop the guest instead of exiting", opt_no_shutdown },
    { "pidfile", NULL, "FILE", "write tern's process id to FILE (removed at exit)", opt_pidfile },
    { "daemonize", NULL, NULL, "run in the background once started (needs no stdio back end)", opt_daemonize },
    { "d", NULL, "ITEM,...", "enable debug log items (-d help lists them)", opt_d },
    { "D", NULL, "FILE", "write the debug log to FILE instead of stderr", opt_D },
    { "dfilter", NULL, "RANGE,...", "log only blocks at these guest pcs: 0xA..0xB, 0xA+N, 0xA-N", opt_dfilter },
    { "perfmap", NULL, NULL, "name the translated blocks for perf(1) in /tmp/perf-PID.map", opt_perfmap },
    { "icount", NULL, "[shift=]N[,sleep=on|off]",
      "TCG, one vCPU: guest time is 2^N ns per instruction (N 0-10), deterministic (docs/tcg-ir.md)",
      opt_icount },
};

/* qemu-system-x86_64 options tern does not implement: refused as "not
 * supported" rather than unknown, so a harness's command line fails
 * clearly, and listed by -help.  Those that take an argument are marked
 * with a trailing ' ' (the argument is skipped for -help's sake only). */
static const char *const option_unsupported[] = {
    "fda", "fdb", "blockdev", "pflash", "mtdblock", "sd", "netdev", "net", "nic", "usb",
    "usbdevice", "vga", "spice", "sdl", "curses", "full-screen", "audiodev", "soundhw",
    "loadvm", "incoming", "numa", "mem-path", "mem-prealloc", "overcommit", "smbios",
    "acpitable", "no-acpi", "no-hpet", "virtfs", "fsdev", "watchdog", "watchdog-action",
    "action", "semihosting", "semihosting-config", "plugin", "trace", "readconfig",
    "writeconfig", "nodefconfig", "sandbox", "qtest", "k", "L", "option-rom", "tpmdev",
    "chroot", "runas", "run-with", "msg", "add-fd", "iscsi", "enable-fips", "xen-domid",
    "set", "prom-env", "old-param", "win2k-hack", "no-fd-bootchk", "alt-grab", "ctrl-grab",
    "device-tree", "dtb", "compat", "async-teardown", "preconfig", "singlestep",
};

static const OptionDef *option_lookup(const char *name, size_t len)
{
    for (size_t i = 0; i < ARRAY_SIZE(option_table); i++) {
        const OptionDef *d = &option_table[i];
        if ((strlen(d->name) == len && !strncmp(name, d->name, len)) ||
            (d->alias && strlen(d->alias) == len && !strncmp(name, d->alias, len))) {
            return d;
        }
    }
    return NULL;
}

static bool option_is_unsupported(const char *name, size_t len)
{
    for (size_t j = 0; j < ARRAY_SIZE(option_unsupported); j++) {
        if (strlen(option_unsupported[j]) == len && !strncmp(name, option_unsupported[j], len)) {
            return true;
        }
    }
    return false;
}

/* Checks that need the whole command line. */
static int option_finish(TernOptions *o, Error **errp)
{
    if (option_devices_finish(o, errp) < 0) {
        return -EINVAL;
    }
    if ((o->record || o->replay) && o->accel_given) {
        error_setg(errp, "%s: runs under TCG by itself; leave out -accel/-enable-kvm",
                   o->record ? "-record" : "-replay");
        return -EINVAL;
    }
    if (o->record || o->replay) {
        strcpy(o->accel, "compare");
    }
    if (o->memory_backend[0]) {
        if (strcmp(o->memory_backend, o->backend_id)) {
            error_setg(errp, "-machine memory-backend=%s: no -object memory-backend-ram,id=%s",
                       o->memory_backend, o->memory_backend);
            return -EINVAL;
        }
        if (o->ram_given && o->ram_size != o->backend_size) {
            error_setg(errp, "-machine memory-backend=%s: its size differs from -m's",
                       o->memory_backend);
            return -EINVAL;
        }
        o->ram_size = o->backend_size;
    }
    if (o->tcg_single_thread && o->smp.cpus > 1) {
        error_setg(errp, "-accel tcg,thread=single: not supported with -smp %u (tern's TCG "
                   "runs one thread per vCPU)", o->smp.cpus);
        return -EINVAL;
    }
    if (!o->serial) {
        /* No display exists yet, so with or without -nographic the serial
         * port is this terminal (none with -nodefaults, as in QEMU; null
         * with -daemonize, which leaves the terminal); -nographic will
         * also bring the monitor. */
        o->serial = o->nodefaults ? "none" : o->daemonize ? "null" : "stdio";
    }
    return 0;
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
        const char *a = argv[i], *name, *arg = NULL;
        const OptionDef *d;
        size_t len;
        int ret;

        if (a[0] != '-') {              /* QEMU: a bare image is -hda */
            ret = drive_add_legacy(o, NULL, a, 0, DRIVE_MEDIA_DISK, errp);
            if (ret < 0) {
                return ret;
            }
            continue;
        }
        name = a + 1 + (a[1] == '-');       /* "-opt" or "--opt" */
        len = strcspn(name, "=");           /* "-opt=value" as "-opt value" */
        d = option_lookup(name, len);
        if (!d && option_is_unsupported(name, len)) {
            error_setg(errp, "%.*s: not supported", (int)(name + len - a), a);
            return -EINVAL;
        }
        if (!d) {
            error_setg(errp, "%.*s: unknown option (-help lists them)", (int)(name + len - a), a);
            return -EINVAL;
        }
        if (name[len] && !d->arg_name) {
            error_setg(errp, "%s: -%s takes no value", a, d->name);
            return -EINVAL;
        }
        if (name[len]) {
            arg = name + len + 1;
        } else if (d->arg_name) {
            if (i + 1 >= argc) {
                error_setg(errp, "%s: requires an argument", a);
                return -EINVAL;
            }
            arg = argv[++i];
        }
        o->ram_given |= d->handler == opt_m;
        ret = d->handler(o, arg, errp);
        if (ret < 0) {
            return ret;
        }
        if (o->action != OPTION_ACTION_RUN) {
            return 0;                       /* -help, -d help, ...: act at once */
        }
    }
    return option_finish(o, errp);
}

void option_print_help(FILE *f)
{
    size_t col = 0;

    fprintf(f, "usage: tern [options] [disk_image]\n"
               "tern " TERN_VERSION ": an x86_64 PC emulator; the options are "
               "qemu-system-x86_64's, with the same meaning\n\n"
               "Options:\n");
    for (size_t i = 0; i < ARRAY_SIZE(option_table); i++) {
        const OptionDef *d = &option_table[i];
        char lhs[96];
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
    fprintf(f, "\nNot supported (qemu-system-x86_64 options tern refuses with "
               "\"not supported\"):\n ");
    for (size_t i = 0; i < ARRAY_SIZE(option_unsupported); i++) {
        size_t w = strlen(option_unsupported[i]) + 2;
        if (col + w > 76) {
            fprintf(f, "\n ");
            col = 0;
        }
        fprintf(f, " -%s", option_unsupported[i]);
        col += w;
    }
    fprintf(f, "\n\nTo run a test program:\n"
               "  tern -nographic -kernel prog.elf -device isa-debug-exit,iobase=0xf4,iosize=0x04\n");
}

/* The first line is QEMU's, for tools that read the version from it
 * (the QEMU release whose command line tern follows). */
void option_print_version(FILE *f)
{
    fprintf(f, "QEMU emulator version " TERN_QEMU_VERSION " (tern " TERN_VERSION ")\n"
               "tern version " TERN_VERSION ": an x86_64 PC emulator with "
               "qemu-system-x86_64 " TERN_QEMU_VERSION "'s command line\n");
}

void option_print_machines(FILE *f)
{
    fprintf(f, "Supported machines are:\n"
               "pc                   Standard PC (i440FX + PIIX, 1996) (default)\n"
               "pc-i440fx-" TERN_QEMU_MACHINE "        Standard PC (i440FX + PIIX, 1996) (alias of pc)\n");
}
