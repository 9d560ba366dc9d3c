/*
 * test-option.c: command-line parsing: -m sizes and limits, the other
 * options' values, and the one-line errors for bad input.
 */
#include "util/osdep.h"
#include "util/error.h"
#include "util/option.h"
#include "test.h"

TEST_GLOBALS;

#define MiB (1ull << 20)
#define GiB (1ull << 30)

/* Parse a NULL-terminated argument list (argv[0] is supplied). */
static int parse(TernOptions *o, Error **errp, const char *const *args)
{
    char *argv[64];
    int argc = 0;

    argv[argc++] = (char *)"tern";
    for (; *args; args++) {
        argv[argc++] = (char *)*args;
    }
    argv[argc] = NULL;
    return option_parse(o, argc, argv, errp);
}

#define PARSE(o, errp, ...) parse(o, errp, (const char *const[]){ __VA_ARGS__, NULL })

/* The parse fails with a message containing want. */
static bool parse_fails_with(const char *want, const char *const *args)
{
    TernOptions o;
    Error *err = NULL;
    bool ok = parse(&o, &err, args) == -EINVAL && err &&
              strstr(error_get_pretty(err), want) && !strchr(error_get_pretty(err), '\n');
    if (!ok) {
        printf("    got: %s\n", err ? error_get_pretty(err) : "(no error)");
    }
    error_free(err);
    return ok;
}

#define FAILS_WITH(want, ...) parse_fails_with(want, (const char *const[]){ __VA_ARGS__, NULL })

static void test_size_parse(void)
{
    uint64_t v;
    CHECK_EQ(option_parse_size("512", &v), 0);
    CHECK_EQ(v, 512 * MiB);
    CHECK_EQ(option_parse_size("2G", &v), 0);
    CHECK_EQ(v, 2 * GiB);
    CHECK_EQ(option_parse_size("2g", &v), 0);
    CHECK_EQ(v, 2 * GiB);
    CHECK_EQ(option_parse_size("64k", &v), 0);
    CHECK_EQ(v, 64 * 1024);
    CHECK_EQ(option_parse_size("64K", &v), 0);
    CHECK_EQ(v, 64 * 1024);
    CHECK_EQ(option_parse_size("3m", &v), 0);
    CHECK_EQ(v, 3 * MiB);
    CHECK_EQ(option_parse_size("1T", &v), 0);
    CHECK_EQ(v, 1ull << 40);
    CHECK_EQ(option_parse_size("1.5G", &v), 0);
    CHECK_EQ(v, 3 * GiB / 2);
    CHECK_EQ(option_parse_size("4096b", &v), 0);
    CHECK_EQ(v, 4096);
    CHECK_EQ(option_parse_size("0", &v), 0);
    CHECK_EQ(v, 0);
    CHECK(option_parse_size("abc", &v) == -EINVAL);
    CHECK(option_parse_size("", &v) == -EINVAL);
    CHECK(option_parse_size("-1", &v) == -EINVAL);
    CHECK(option_parse_size(" 1", &v) == -EINVAL);
    CHECK(option_parse_size("12x", &v) == -EINVAL);
    CHECK(option_parse_size("1GG", &v) == -EINVAL);
    CHECK(option_parse_size("1.", &v) == -EINVAL);
    CHECK(option_parse_size("1.5b", &v) == -EINVAL);
    CHECK(option_parse_size("99999999999999999999", &v) == -ERANGE);
    CHECK(option_parse_size("17179869184G", &v) == -ERANGE);
    CHECK(option_parse_size("1E", &v) == 0);
    CHECK(option_parse_size("16E", &v) == -ERANGE);
}

static void test_defaults(void)
{
    TernOptions o;
    Error *err = NULL;
    CHECK_EQ(parse(&o, &err, (const char *const[]){ NULL }), 0);
    CHECK_EQ(o.action, OPTION_ACTION_RUN);
    CHECK_EQ(o.ram_size, 128 * MiB);
    CHECK_EQ(o.smp.cpus, 1);
    CHECK_EQ(o.smp.max_cpus, 1);
    CHECK(!strcmp(o.accel, "tcg"));
    CHECK(!strcmp(o.serial, "stdio"));
    CHECK(!o.kernel && !o.append && !o.initrd && !o.debug_exit && !o.nographic);
}

static void test_ram_sizes(void)
{
    TernOptions o;
    Error *err = NULL;
    CHECK_EQ(PARSE(&o, &err, "-m", "512"), 0);
    CHECK_EQ(o.ram_size, 512 * MiB);
    CHECK_EQ(PARSE(&o, &err, "-m", "size=2G"), 0);
    CHECK_EQ(o.ram_size, 2 * GiB);
    CHECK_EQ(PARSE(&o, &err, "--m", "4g"), 0);
    CHECK_EQ(o.ram_size, 4 * GiB);
    CHECK_EQ(PARSE(&o, &err, "-m", "1M"), 0);
    CHECK_EQ(o.ram_size, MiB);
    /* rounded up to 8 KiB, as QEMU does */
    CHECK_EQ(PARSE(&o, &err, "-m", "1025k"), 0);
    CHECK_EQ(o.ram_size, 1032 * 1024);
    /* the largest size below the 1 TiB limit */
    CHECK_EQ(PARSE(&o, &err, "-m", "1048575M"), 0);
    CHECK_EQ(o.ram_size, 1048575 * MiB);
    CHECK(err == NULL);
}

static void test_ram_errors(void)
{
    CHECK(FAILS_WITH("-m 0: RAM size too small", "-m", "0"));
    CHECK(FAILS_WITH("-m 512k: RAM size too small", "-m", "512k"));
    CHECK(FAILS_WITH("-m 1T: RAM size too large", "-m", "1T"));
    CHECK(FAILS_WITH("-m 1099511627775b: RAM size too large", "-m", "1099511627775b"));
    CHECK(FAILS_WITH("-m 2000G: RAM size too large", "-m", "2000G"));
    CHECK(FAILS_WITH("-m 99999999999999999999: RAM size too large", "-m",
                     "99999999999999999999"));
    CHECK(FAILS_WITH("-m abc: invalid RAM size", "-m", "abc"));
    CHECK(FAILS_WITH("-m -5: invalid RAM size", "-m", "-5"));
    CHECK(FAILS_WITH("-m size=: invalid RAM size", "-m", "size="));
    CHECK(FAILS_WITH("-m 2G,dimms=2: unknown property 'dimms'", "-m", "2G,dimms=2"));
    CHECK(FAILS_WITH("-m 2G,maxmem=1G: maxmem is below the RAM size", "-m", "2G,maxmem=1G"));
    CHECK(FAILS_WITH("slots=300: must be a number from 0 to 256", "-m", "2G,slots=300"));
}

static void test_values(void)
{
    TernOptions o;
    Error *err = NULL;
    CHECK_EQ(PARSE(&o, &err, "-kernel", "k.elf", "-append", "console=ttyS0", "-initrd", "i",
                   "-nographic", "-serial", "file:/tmp/out", "-d", "in_asm,int",
                   "-D", "log.txt", "-smp", "1"), 0);
    CHECK(!strcmp(o.kernel, "k.elf"));
    CHECK(!strcmp(o.append, "console=ttyS0"));
    CHECK(!strcmp(o.initrd, "i"));
    CHECK(o.nographic);
    CHECK(!strcmp(o.serial, "file:/tmp/out"));
    CHECK(!strcmp(o.log_items, "in_asm,int"));
    CHECK(!strcmp(o.log_file, "log.txt"));
    CHECK_EQ(o.smp.cpus, 1);
    CHECK_EQ(PARSE(&o, &err, "-smp", "cpus=1"), 0);
    CHECK_EQ(o.smp.cpus, 1);
    CHECK_EQ(PARSE(&o, &err, "-serial", "none"), 0);
    CHECK(!strcmp(o.serial, "none"));
    CHECK(err == NULL);
}

/* -smp parses to t: cpus, sockets, cores, threads, maxcpus */
static bool smp_is(const char *arg, unsigned cpus, unsigned sockets, unsigned cores,
                   unsigned threads, unsigned max_cpus)
{
    TernOptions o;
    Error *err = NULL;
    bool ok = PARSE(&o, &err, "-smp", arg) == 0 && o.smp.cpus == cpus &&
              o.smp.sockets == sockets && o.smp.cores == cores &&
              o.smp.threads == threads && o.smp.max_cpus == max_cpus;

    if (!ok) {
        printf("    -smp %s: %s; got %u, %u*%u*%u, max %u\n", arg,
               err ? error_get_pretty(err) : "parsed", o.smp.cpus, o.smp.sockets,
               o.smp.cores, o.smp.threads, o.smp.max_cpus);
    }
    error_free(err);
    return ok;
}

/* The values -smp leaves out, as qemu-system-x86_64 7.2 fills them
 * (checked with its "info hotpluggable-cpus"): cores first, then sockets,
 * then threads; maxcpus defaults to cpus and cpus to maxcpus. */
static void test_smp_topology(void)
{
    CHECK(smp_is("1", 1, 1, 1, 1, 1));
    CHECK(smp_is("4", 4, 1, 4, 1, 4));
    CHECK(smp_is("cpus=4", 4, 1, 4, 1, 4));
    CHECK(smp_is("4,sockets=2", 4, 2, 2, 1, 4));
    CHECK(smp_is("4,threads=2", 4, 1, 2, 2, 4));
    CHECK(smp_is("4,cores=2", 4, 2, 2, 1, 4));
    CHECK(smp_is("4,cores=2,sockets=1", 4, 1, 2, 2, 4));
    CHECK(smp_is("8,sockets=2,cores=2,threads=2", 8, 2, 2, 2, 8));
    CHECK(smp_is("sockets=2,cores=3", 6, 2, 3, 1, 6));
    CHECK(smp_is("cpus=4,maxcpus=8", 4, 1, 8, 1, 8));
    CHECK(smp_is("2,sockets=2,cores=2,maxcpus=4", 2, 2, 2, 1, 4));
    CHECK(smp_is("64", 64, 1, 64, 1, 64));
    CHECK(smp_is("0x10", 16, 1, 16, 1, 16));
}

static void test_smp_errors(void)
{
    CHECK(FAILS_WITH("-smp 0: cpus must be 1 to 64", "-smp", "0"));
    CHECK(FAILS_WITH("-smp 65: cpus must be 1 to 64", "-smp", "65"));
    CHECK(FAILS_WITH("-smp 4,sockets=0: sockets must be 1 to 64", "-smp", "4,sockets=0"));
    CHECK(FAILS_WITH("-smp 4,maxcpus=99: maxcpus must be 1 to 64", "-smp", "4,maxcpus=99"));
    CHECK(FAILS_WITH("-smp x: invalid number 'x' for cpus", "-smp", "x"));
    CHECK(FAILS_WITH("invalid number '' for threads", "-smp", "2,threads="));
    CHECK(FAILS_WITH("-smp 4,dies=1: unknown parameter 'dies'", "-smp", "4,dies=1"));
    CHECK(FAILS_WITH("unknown parameter '4'", "-smp", "cpus=2,4"));
    CHECK(FAILS_WITH("-smp 4,sockets=3: sockets (3) * cores (1) * threads (1) != maxcpus (4)",
                     "-smp", "4,sockets=3"));
    CHECK(FAILS_WITH("sockets (1) * cores (2) * threads (2) != maxcpus (5)",
                     "-smp", "5,cores=2,threads=2"));
    CHECK(FAILS_WITH("-smp 4,maxcpus=2: maxcpus (2) is below the number of CPUs (4)",
                     "-smp", "4,maxcpus=2"));
    CHECK(FAILS_WITH("-smp sockets=8,cores=16: 128 CPUs: at most 64 are supported",
                     "-smp", "sockets=8,cores=16"));
}

static void test_device(void)
{
    TernOptions o;
    Error *err = NULL;
    CHECK_EQ(PARSE(&o, &err, "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"), 0);
    CHECK(o.debug_exit);
    CHECK_EQ(o.debug_exit_iobase, 0xf4);
    CHECK_EQ(o.debug_exit_iosize, 4);
    CHECK_EQ(PARSE(&o, &err, "-device", "isa-debug-exit"), 0);
    CHECK_EQ(o.debug_exit_iobase, 0x501);
    CHECK_EQ(o.debug_exit_iosize, 2);
    CHECK_EQ(PARSE(&o, &err, "-device", "help"), 0);
    CHECK_EQ(o.action, OPTION_ACTION_DEVICE_HELP);
    CHECK(err == NULL);
    CHECK(FAILS_WITH("-device foo: unknown device", "-device", "foo"));
    CHECK(FAILS_WITH("-device foo,x=1: unknown device 'foo'", "-device", "foo,x=1"));
    CHECK(FAILS_WITH("isa-debug-exit has no property 'bar'", "-device", "isa-debug-exit,bar=1"));
    CHECK(FAILS_WITH("iobase=zz: must be a number from 0 to 65535", "-device", "isa-debug-exit,iobase=zz"));
    CHECK(FAILS_WITH("does not fit", "-device", "isa-debug-exit,iobase=0xffff,iosize=4"));
    CHECK(FAILS_WITH("does not fit", "-device", "isa-debug-exit,iosize=0"));
    CHECK(FAILS_WITH("only one isa-debug-exit", "-device", "isa-debug-exit",
                     "-device", "isa-debug-exit"));
}

/* QEMU's test devices: a flag each, no properties. */
static void test_device_testdev(void)
{
    TernOptions o;
    Error *err = NULL;

    CHECK_EQ(PARSE(&o, &err, "-device", "isa-debug-exit"), 0);
    CHECK(!o.pc_testdev && !o.pci_testdev);
    CHECK_EQ(PARSE(&o, &err, "-device", "pc-testdev"), 0);
    CHECK(o.pc_testdev && !o.pci_testdev);
    CHECK_EQ(PARSE(&o, &err, "-device", "pci-testdev", "-device", "pc-testdev"), 0);
    CHECK(o.pc_testdev && o.pci_testdev);
    CHECK(err == NULL);
    CHECK(FAILS_WITH("-device pc-testdev,x=1: pc-testdev has no property 'x'", "-device",
                     "pc-testdev,x=1"));
    CHECK(FAILS_WITH("-device pci-testdev,membar=1M,y: pci-testdev has no property 'membar'",
                     "-device", "pci-testdev,membar=1M,y"));
    CHECK(FAILS_WITH("only one pci-testdev", "-device", "pci-testdev", "-device",
                     "pci-testdev"));
}

static void test_accel(void)
{
    TernOptions o;
    Error *err = NULL;
    CHECK_EQ(PARSE(&o, &err, "-accel", "kvm"), 0);
    CHECK(!strcmp(o.accel, "kvm"));
    CHECK_EQ(PARSE(&o, &err, "-enable-kvm"), 0);
    CHECK(!strcmp(o.accel, "kvm"));
    CHECK_EQ(PARSE(&o, &err, "-machine", "accel=tcg"), 0);
    CHECK(!strcmp(o.accel, "tcg"));
    CHECK_EQ(PARSE(&o, &err, "-M", "pc,accel=kvm"), 0);
    CHECK(!strcmp(o.accel, "kvm"));
    CHECK_EQ(PARSE(&o, &err, "-accel", "foo"), 0);   /* main.c rejects unknown names */
    CHECK(!strcmp(o.accel, "foo"));
    CHECK(err == NULL);
    CHECK(FAILS_WITH("-machine q35: not supported", "-machine", "q35"));
    CHECK(FAILS_WITH("-machine pc,x=1: x=1: not supported", "-machine", "pc,x=1"));
    CHECK(FAILS_WITH("missing accelerator name", "-machine", "accel="));
    CHECK(FAILS_WITH("-accel tcg,thread=many: thread=many: must be multi or single", "-accel", "tcg,thread=many"));
}

/* -record/-replay pick the compare engine themselves (accel/compare). */
static void test_record_replay(void)
{
    TernOptions o;
    Error *err = NULL;
    CHECK_EQ(PARSE(&o, &err, "-record", "a.rr"), 0);
    CHECK(!strcmp(o.accel, "compare") && !strcmp(o.record, "a.rr") && !o.replay);
    CHECK_EQ(PARSE(&o, &err, "-replay", "b.rr", "-m", "64"), 0);
    CHECK(!strcmp(o.accel, "compare") && !strcmp(o.replay, "b.rr") && !o.record);
    CHECK(err == NULL);
    CHECK(FAILS_WITH("-record: runs under TCG by itself", "-record", "a.rr", "-accel", "tcg"));
    CHECK(FAILS_WITH("-replay: runs under TCG by itself", "-enable-kvm", "-replay", "a.rr"));
    CHECK(FAILS_WITH("only one -record or -replay", "-record", "a.rr", "-replay", "a.rr"));
    CHECK(FAILS_WITH("-record: requires an argument", "-record"));
}

/* Several -accel: a fallback list in order; -machine kernel-irqchip= */
static void test_accel_list(void)
{
    TernOptions o;
    Error *err = NULL;
    CHECK_EQ(PARSE(&o, &err, "-accel", "kvm", "-accel", "tcg"), 0);
    CHECK(!strcmp(o.accel, "kvm:tcg"));
    CHECK_EQ(PARSE(&o, &err, "-enable-kvm", "-machine", "accel=tcg"), 0);
    CHECK(!strcmp(o.accel, "kvm:tcg"));
    CHECK_EQ(PARSE(&o, &err, "-machine", "accel=kvm:tcg"), 0);
    CHECK(!strcmp(o.accel, "kvm:tcg"));
    CHECK_EQ(PARSE(&o, &err, "-kernel", "x"), 0);
    CHECK(o.kernel_irqchip == NULL);
    CHECK_EQ(PARSE(&o, &err, "-machine", "pc,kernel-irqchip=off,accel=kvm"), 0);
    CHECK(o.kernel_irqchip && !strcmp(o.kernel_irqchip, "off"));
    CHECK(!strcmp(o.accel, "kvm"));
    CHECK_EQ(PARSE(&o, &err, "-machine", "kernel-irqchip=split"), 0);
    CHECK(o.kernel_irqchip && !strcmp(o.kernel_irqchip, "split"));
    CHECK(err == NULL);
    CHECK(FAILS_WITH("kernel-irqchip=of: must be on, off or split", "-machine",
                     "kernel-irqchip=of"));
    CHECK(FAILS_WITH("too many accelerators", "-accel", "kvm", "-accel", "tcg", "-accel",
                     "kvm", "-accel", "tcg", "-accel", "kvm", "-accel", "tcg", "-accel",
                     "kvm", "-accel", "tcg", "-accel", "kvm"));
}

static void test_actions(void)
{
    TernOptions o;
    Error *err = NULL;
    CHECK_EQ(PARSE(&o, &err, "-help"), 0);
    CHECK_EQ(o.action, OPTION_ACTION_HELP);
    CHECK_EQ(PARSE(&o, &err, "-h"), 0);
    CHECK_EQ(o.action, OPTION_ACTION_HELP);
    CHECK_EQ(PARSE(&o, &err, "--help"), 0);
    CHECK_EQ(o.action, OPTION_ACTION_HELP);
    CHECK_EQ(PARSE(&o, &err, "-version"), 0);
    CHECK_EQ(o.action, OPTION_ACTION_VERSION);
    CHECK_EQ(PARSE(&o, &err, "-d", "help"), 0);
    CHECK_EQ(o.action, OPTION_ACTION_LOG_HELP);
    /* an action stops parsing: later garbage is not looked at */
    CHECK_EQ(PARSE(&o, &err, "-help", "-bogus"), 0);
    CHECK(err == NULL);
}

/* -cpu, -nodefaults, -vnc none, -display none, -no-reboot, -no-shutdown:
 * what QEMU harnesses pass */
static void test_qemu_compat(void)
{
    TernOptions o;
    Error *err = NULL;
    CHECK_EQ(PARSE(&o, &err, "-cpu", "qemu64,+sse4.1,-nx"), 0);
    CHECK(o.cpu_model && !strcmp(o.cpu_model, "qemu64,+sse4.1,-nx"));
    CHECK_EQ(PARSE(&o, &err, "-cpu", "help"), 0);
    CHECK_EQ(o.action, OPTION_ACTION_CPU_HELP);
    CHECK_EQ(PARSE(&o, &err, "-nodefaults", "-vnc", "none", "-display", "none"), 0);
    CHECK(o.nodefaults && !strcmp(o.serial, "none"));
    CHECK_EQ(PARSE(&o, &err, "-nodefaults", "-serial", "stdio"), 0);
    CHECK(!strcmp(o.serial, "stdio"));
    CHECK_EQ(PARSE(&o, &err, "-vnc", "none"), 0);
    CHECK(!o.nodefaults && !strcmp(o.serial, "stdio"));
    CHECK(!o.no_reboot && !o.no_shutdown);
    CHECK_EQ(PARSE(&o, &err, "-no-reboot", "-no-shutdown"), 0);
    CHECK(o.no_reboot && o.no_shutdown);
    CHECK(err == NULL);
}

/* -icount [shift=]N[,align=off][,sleep=on|off] */
static void test_icount(void)
{
    TernOptions o;
    Error *err = NULL;

    CHECK_EQ(PARSE(&o, &err, "-m", "64"), 0);
    CHECK(!o.icount);
    CHECK_EQ(PARSE(&o, &err, "-icount", "shift=3"), 0);
    CHECK(o.icount && o.icount_shift == 3 && !o.icount_no_sleep);
    CHECK_EQ(PARSE(&o, &err, "-icount", "10,align=off,sleep=off"), 0);
    CHECK(o.icount && o.icount_shift == 10 && o.icount_no_sleep);
    CHECK_EQ(PARSE(&o, &err, "-icount", "sleep=on,shift=0"), 0);
    CHECK(o.icount && o.icount_shift == 0 && !o.icount_no_sleep);
    CHECK(err == NULL);
    CHECK(FAILS_WITH("-icount shift=11: must be 0 to 10", "-icount", "shift=11"));
    CHECK(FAILS_WITH("-icount shift=x: must be 0 to 10", "-icount", "x"));
    CHECK(FAILS_WITH("-icount shift=auto: not supported", "-icount", "shift=auto"));
    CHECK(FAILS_WITH("-icount align=on: not supported", "-icount", "2,align=on"));
    CHECK(FAILS_WITH("sleep=maybe: must be on or off", "-icount", "2,sleep=maybe"));
    CHECK(FAILS_WITH("-icount foo=1: unknown parameter 'foo'", "-icount", "foo=1"));
    CHECK(FAILS_WITH("-icount 1,2: unknown parameter '2'", "-icount", "1,2"));
    CHECK(FAILS_WITH("-icount sleep=off: shift=N is required", "-icount", "sleep=off"));
}

static void test_errors(void)
{
    CHECK(FAILS_WITH("-foo: unknown option", "-foo"));
    CHECK(FAILS_WITH("--foo: unknown option", "--foo"));
    CHECK(FAILS_WITH("-: unknown option", "-"));
    CHECK(FAILS_WITH("-fda: not supported", "-fda", "floppy.img"));
    CHECK(FAILS_WITH("-vnc :0: not supported", "-vnc", ":0"));
    CHECK(FAILS_WITH("-display gtk: not supported", "-display", "gtk"));
    CHECK(FAILS_WITH("-m: requires an argument", "-m"));
    CHECK(FAILS_WITH("-kernel: requires an argument", "-kernel"));
    CHECK(FAILS_WITH("only one serial port", "-serial", "stdio", "-serial", "null"));
}

/* -drive and its shorthands: what each key sets, the defaults */
static void test_drives(void)
{
    TernOptions o;
    Error *err = NULL;
    const OptionDrive *d;

    CHECK_EQ(PARSE(&o, &err, "-drive", "file=a.img,format=raw,if=virtio,index=3,media=disk,"
                   "readonly=on,cache=none,snapshot=off,id=root"), 0);
    CHECK_EQ(o.drive_count, 1);
    d = &o.drives[0];
    CHECK(!strcmp(d->file, "a.img") && !strcmp(d->format, "raw") && !strcmp(d->id, "root"));
    CHECK(d->iface == DRIVE_IF_VIRTIO && d->media == DRIVE_MEDIA_DISK);
    CHECK(d->index == 3 && d->bus == -1 && d->unit == -1);
    CHECK(d->read_only == 1 && d->snapshot == 0 && d->cache == BLK_CACHE_NONE);

    /* defaults: IDE, disk, writeback, nothing given */
    CHECK_EQ(PARSE(&o, &err, "-drive", "file=b.img,bus=1,unit=0"), 0);
    d = &o.drives[0];
    CHECK(d->iface == DRIVE_IF_IDE && d->media == DRIVE_MEDIA_DISK);
    CHECK(d->cache == BLK_CACHE_WRITEBACK && d->format[0] == 0 && d->id[0] == 0);
    CHECK(d->index == -1 && d->bus == 1 && d->unit == 0);
    CHECK(d->read_only == -1 && d->snapshot == -1 && !o.snapshot);

    /* ",," is a comma in a value */
    CHECK_EQ(PARSE(&o, &err, "-drive", "file=a,,b.img,if=none"), 0);
    CHECK(!strcmp(o.drives[0].file, "a,b.img") && o.drives[0].iface == DRIVE_IF_NONE);

    /* -hda..-hdd, -cdrom, a bare image: IDE indexes 0-3, taken as written */
    CHECK_EQ(PARSE(&o, &err, "-hda", "x,y.img", "-hdb", "b", "-hdd", "d", "-cdrom", "c.iso",
                   "-snapshot"), 0);
    CHECK_EQ(o.drive_count, 4);
    CHECK(!strcmp(o.drives[0].file, "x,y.img") && o.drives[0].index == 0);
    CHECK(o.drives[1].index == 1 && o.drives[2].index == 3);
    CHECK(o.drives[3].index == 2 && o.drives[3].media == DRIVE_MEDIA_CDROM);
    CHECK(!strcmp(o.drives[3].opt, "-cdrom") && o.snapshot);
    CHECK_EQ(PARSE(&o, &err, "-m", "64", "disk.img"), 0);
    CHECK(o.drive_count == 1 && !strcmp(o.drives[0].file, "disk.img") && o.drives[0].index == 0);
    CHECK(o.drives[0].opt == NULL);

    /* -device requests for if=none drives */
    CHECK_EQ(PARSE(&o, &err, "-device", "virtio-blk-pci,drive=d0", "-device",
                   "ide-cd,drive=cd,bus=ide.1,unit=1", "-device", "ide-hd,drive=h"), 0);
    CHECK_EQ(o.block_device_count, 3);
    CHECK(o.block_devices[0].kind == DRIVE_DEVICE_VIRTIO_BLK &&
          !strcmp(o.block_devices[0].drive, "d0"));
    CHECK(o.block_devices[1].kind == DRIVE_DEVICE_IDE_CD &&
          o.block_devices[1].bus == 1 && o.block_devices[1].unit == 1);
    CHECK(o.block_devices[2].kind == DRIVE_DEVICE_IDE_HD &&
          o.block_devices[2].bus == -1 && o.block_devices[2].unit == -1);
    CHECK(err == NULL);
}

/* every bad -drive key or value: one line naming it */
static void test_drive_errors(void)
{
    CHECK(FAILS_WITH("if=scsi: must be ide, virtio or none", "-drive", "file=a,if=scsi"));
    CHECK(FAILS_WITH("cache=fast: must be writeback, writethrough, none or unsafe", "-drive",
                     "file=a,cache=fast"));
    CHECK(FAILS_WITH("media=floppy: must be disk or cdrom", "-drive", "file=a,media=floppy"));
    CHECK(FAILS_WITH("readonly=maybe: must be on or off", "-drive", "file=a,readonly=maybe"));
    CHECK(FAILS_WITH("snapshot=2: must be on or off", "-drive", "file=a,snapshot=2"));
    CHECK(FAILS_WITH("index=x: must be a number from 0 to 255", "-drive", "file=a,index=x"));
    CHECK(FAILS_WITH("unit=256: must be a number from 0 to 255", "-drive", "file=a,unit=256"));
    CHECK(FAILS_WITH("unknown parameter 'aio'", "-drive", "file=a,aio=native"));
    CHECK(FAILS_WITH("'a.img' is not KEY=VALUE", "-drive", "a.img"));
    CHECK(FAILS_WITH("index= cannot be used with bus= and unit=", "-drive", "file=a,index=1,unit=0"));
    CHECK(FAILS_WITH("id=: must be 1 to 31 characters", "-drive", "file=a,id="));
    CHECK(FAILS_WITH("format=qcow2qcow2qcow2qcow2: unknown image format", "-drive",
                     "file=a,format=qcow2qcow2qcow2qcow2"));
    CHECK(FAILS_WITH("at most 16 drives", "-hda", "1", "-hda", "2", "-hda", "3", "-hda", "4",
                     "-hda", "5", "-hda", "6", "-hda", "7", "-hda", "8", "-hda", "9", "-hda", "10",
                     "-hda", "11", "-hda", "12", "-hda", "13", "-hda", "14", "-hda", "15",
                     "-hda", "16", "-hda", "17"));
    CHECK(FAILS_WITH("-device virtio-blk-pci: drive=ID is required", "-device", "virtio-blk-pci"));
    CHECK(FAILS_WITH("bus=ide.2: must be ide.0 or ide.1", "-device", "ide-hd,drive=a,bus=ide.2"));
    CHECK(FAILS_WITH("bus=pci.1: must be pci.0", "-device", "virtio-blk-pci,drive=a,bus=pci.1"));
}

int main(void)
{
    RUN_TEST(test_size_parse);
    RUN_TEST(test_defaults);
    RUN_TEST(test_drives);
    RUN_TEST(test_drive_errors);
    RUN_TEST(test_ram_sizes);
    RUN_TEST(test_ram_errors);
    RUN_TEST(test_values);
    RUN_TEST(test_smp_topology);
    RUN_TEST(test_smp_errors);
    RUN_TEST(test_device);
    RUN_TEST(test_device_testdev);
    RUN_TEST(test_accel);
    RUN_TEST(test_record_replay);
    RUN_TEST(test_accel_list);
    RUN_TEST(test_actions);
    RUN_TEST(test_qemu_compat);
    RUN_TEST(test_errors);
    RUN_TEST(test_icount);
    TEST_MAIN_END();
}
