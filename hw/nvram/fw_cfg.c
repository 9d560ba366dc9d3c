/*
 * fw_cfg.c: QEMU's firmware configuration device, I/O port and DMA
 * interfaces (QEMU's docs/specs/fw_cfg.rst; include/hw/nvram/fw_cfg.h).
 *
 * Items live in one table, items[arch][index], where a key's bit 15
 * (FW_CFG_ARCH_LOCAL) picks the bank and its low 14 bits the index (bit 14,
 * the old write channel, is ignored).  A selector write with an index past
 * the table selects nothing (FW_CFG_INVALID); a key inside it without an
 * item reads as empty.  Files occupy FW_CFG_FILE_FIRST.. in name order:
 * adding one shifts the later ones up a key, so the file directory
 * (FW_CFG_FILE_DIR, rebuilt on every add) stays sorted.  No item is
 * writable: DMA WRITE sets the error bit, data-port writes are ignored.
 *
 * DMA: descriptors and buffers are accessed with address_space_read/write
 * on dma_as, so a descriptor or buffer outside RAM (unmapped) ends the
 * transfer with FW_CFG_DMA_ERROR; it never touches host memory directly.
 * The transfer is synchronous: control is written back before the guest's
 * OUT completes.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/nvram/fw_cfg.h"
#include "util/bytes.h"

#include <glib.h>
#include <unistd.h>

#define FW_CFG_ENTRY_MASK   ((uint16_t)~(FW_CFG_ARCH_LOCAL | FW_CFG_WRITE_CHANNEL))
#define FW_CFG_ZERO_CHUNK   4096    /* zeros written per step past an item's end */

/* The item key names, or NULL: no item there (index out of the table). */
static FWCfgItem *fw_cfg_item(FWCfgState *s, uint16_t key)
{
    unsigned index = key & FW_CFG_ENTRY_MASK;

    if (key == FW_CFG_INVALID || index >= FW_CFG_MAX_ENTRY) {
        return NULL;
    }
    return &s->items[!!(key & FW_CFG_ARCH_LOCAL)][index];
}

static void fw_cfg_select(FWCfgState *s, uint16_t key)
{
    s->cur_key = fw_cfg_item(s, key) ? key : FW_CFG_INVALID;
    s->cur_offset = 0;
}

/* The bytes of the selected item still to read: *avail of them at the
 * returned pointer (NULL, 0 past its end or with nothing selected). */
static const uint8_t *fw_cfg_cursor(FWCfgState *s, uint32_t *avail)
{
    FWCfgItem *it = fw_cfg_item(s, s->cur_key);

    if (!it || !it->data || s->cur_offset >= it->len) {
        *avail = 0;
        return NULL;
    }
    *avail = it->len - s->cur_offset;
    return it->data + s->cur_offset;
}

/* ---- selector and data ports ------------------------------------------ */

/* QEMU's x86 port pair takes a word at +0 (a write selects, a read gives
 * the next data byte, as QEMU's does) and bytes at +1 (data); anything else
 * is a guest error. */
static bool fw_cfg_port_valid(uint64_t addr, unsigned size)
{
    return (addr == 0 && size == 2) || (addr == 1 && size == 1);
}

static uint64_t fw_cfg_port_read(void *opaque, uint64_t addr, unsigned size)
{
    FWCfgState *s = opaque;
    const uint8_t *p;
    uint32_t avail;

    if (!fw_cfg_port_valid(addr, size)) {
        log_mask(LOG_GUEST_ERROR, "fw_cfg: %u-byte read at port offset %" PRIu64 "\n",
                 size, addr);
        return (1ull << (8 * size)) - 1;
    }
    p = fw_cfg_cursor(s, &avail);
    if (!p) {
        return 0;
    }
    s->cur_offset++;
    return *p;
}

static void fw_cfg_port_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    FWCfgState *s = opaque;

    if (!fw_cfg_port_valid(addr, size)) {
        log_mask(LOG_GUEST_ERROR, "fw_cfg: %u-byte write at port offset %" PRIu64 "\n",
                 size, addr);
    } else if (addr == 0) {
        fw_cfg_select(s, (uint16_t)val);
    } else {
        log_mask(LOG_GUEST_ERROR, "fw_cfg: data port write ignored (items are read-only)\n");
    }
}

static const MemoryRegionOps fw_cfg_port_ops = {
    .read = fw_cfg_port_read,
    .write = fw_cfg_port_write,
    .valid = { .min_access_size = 1, .max_access_size = 2, .unaligned = true },
    .impl = { .min_access_size = 1, .max_access_size = 2 },
};

/* ---- DMA -------------------------------------------------------------- */

/* Copy len bytes of the item to (read) or past (skip) guest memory at
 * addr; past the item's end a read writes zeros.  Returns false when guest
 * memory refused an access. */
static bool fw_cfg_dma_read(FWCfgState *s, uint64_t addr, uint32_t len, bool skip)
{
    static const uint8_t zeros[FW_CFG_ZERO_CHUNK];

    while (len) {
        uint32_t avail, n;
        const uint8_t *p = fw_cfg_cursor(s, &avail);
        MemTxResult r = MEMTX_OK;

        if (p) {
            n = MIN(len, avail);
            if (!skip) {
                r = address_space_write(s->dma_as, addr, p, n);
            }
            s->cur_offset += n;
        } else if (skip) {
            break;              /* skipping past the end changes nothing */
        } else {
            n = MIN(len, (uint32_t)sizeof(zeros));
            r = address_space_write(s->dma_as, addr, zeros, n);
        }
        if (r != MEMTX_OK) {
            return false;
        }
        addr += n;
        len -= n;
    }
    return true;
}

/* Run the FWCfgDmaAccess at desc and write its control word back. */
static void fw_cfg_dma_transfer(FWCfgState *s, uint64_t desc)
{
    uint8_t d[FW_CFG_DMA_ACCESS_SIZE], status[4] = { 0 };
    uint32_t control, len;
    uint64_t addr;
    bool ok = true;

    if (address_space_read(s->dma_as, desc, d, sizeof(d)) != MEMTX_OK) {
        log_mask(LOG_GUEST_ERROR, "fw_cfg: DMA descriptor at 0x%" PRIx64 " unreadable\n", desc);
        ok = false;
        goto out;
    }
    control = (uint32_t)ld_be(d, 4);
    len = (uint32_t)ld_be(d + 4, 4);
    addr = ld_be(d + 8, 8);
    if (control & FW_CFG_DMA_SELECT) {
        fw_cfg_select(s, control >> 16);
    }
    if (control & FW_CFG_DMA_READ) {
        ok = fw_cfg_dma_read(s, addr, len, false);
    } else if (control & FW_CFG_DMA_WRITE) {
        ok = len == 0;          /* no item is writable */
    } else if (control & FW_CFG_DMA_SKIP) {
        ok = fw_cfg_dma_read(s, addr, len, true);
    }
    if (!ok) {
        log_mask(LOG_GUEST_ERROR, "fw_cfg: DMA control 0x%x, %u bytes at 0x%" PRIx64
                 " failed\n", control, len, addr);
    }
out:
    status[3] = ok ? 0 : FW_CFG_DMA_ERROR;      /* be32 control */
    address_space_write(s->dma_as, desc, status, sizeof(status));
}

/* The register is big endian: the value as the guest's bytes read it. */
static uint64_t fw_cfg_dma_reg_read(void *opaque, uint64_t addr, unsigned size)
{
    uint64_t v = FW_CFG_DMA_SIGNATURE >> (64 - 8 * (addr + size));

    return size == 8 ? GUINT64_SWAP_LE_BE(v) : GUINT32_SWAP_LE_BE((uint32_t)v);
}

static void fw_cfg_dma_reg_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    FWCfgState *s = opaque;
    uint64_t desc;

    if (size == 8) {
        desc = GUINT64_SWAP_LE_BE(val);
    } else if (addr == 0) {
        s->dma_addr = (uint64_t)GUINT32_SWAP_LE_BE((uint32_t)val) << 32;
        return;
    } else {
        desc = s->dma_addr | GUINT32_SWAP_LE_BE((uint32_t)val);
    }
    s->dma_addr = 0;
    fw_cfg_dma_transfer(s, desc);
}

static const MemoryRegionOps fw_cfg_dma_ops = {
    .read = fw_cfg_dma_reg_read,
    .write = fw_cfg_dma_reg_write,
    .valid = { .min_access_size = 4, .max_access_size = 8 },
    .impl = { .min_access_size = 4, .max_access_size = 8 },
};

/* ---- the items -------------------------------------------------------- */

static void fw_cfg_item_set(FWCfgItem *it, const void *data, uint32_t len)
{
    free(it->data);
    it->data = tern_malloc0(MAX(len, 1u));
    memcpy(it->data, data, len);
    it->len = len;
}

void fw_cfg_add_bytes(FWCfgState *s, uint16_t key, const void *data, uint32_t len)
{
    FWCfgItem *it = fw_cfg_item(s, key);

    assert(it && !it->data);
    assert((key & FW_CFG_ENTRY_MASK) < FW_CFG_FILE_FIRST);
    fw_cfg_item_set(it, data, len);
}

void fw_cfg_add_i16(FWCfgState *s, uint16_t key, uint16_t value)
{
    uint16_t le = GUINT16_TO_LE(value);

    fw_cfg_add_bytes(s, key, &le, sizeof(le));
}

void fw_cfg_add_i32(FWCfgState *s, uint16_t key, uint32_t value)
{
    uint32_t le = GUINT32_TO_LE(value);

    fw_cfg_add_bytes(s, key, &le, sizeof(le));
}

void fw_cfg_add_i64(FWCfgState *s, uint16_t key, uint64_t value)
{
    uint64_t le = GUINT64_TO_LE(value);

    fw_cfg_add_bytes(s, key, &le, sizeof(le));
}

/* FW_CFG_FILE_DIR: be32 count, then per file {be32 size, be16 select,
 * be16 reserved, char name[56]}, in key (= name) order. */
static void fw_cfg_dir_update(FWCfgState *s)
{
    FWCfgItem *dir = &s->items[0][FW_CFG_FILE_DIR];
    uint32_t len = 4 + FW_CFG_FILE_DIR_ENTRY * s->num_files;
    uint8_t *d = tern_malloc0(len);

    st_be(d, s->num_files, 4);
    for (unsigned i = 0; i < s->num_files; i++) {
        const FWCfgItem *f = &s->items[0][FW_CFG_FILE_FIRST + i];
        uint8_t *e = d + 4 + FW_CFG_FILE_DIR_ENTRY * i;

        st_be(e, f->len, 4);
        st_be(e + 4, FW_CFG_FILE_FIRST + i, 2);
        memcpy(e + 8, f->name, sizeof(f->name));
    }
    free(dir->data);
    dir->data = d;
    dir->len = len;
}

int fw_cfg_add_file(FWCfgState *s, const char *name, const void *data, uint32_t len,
                    Error **errp)
{
    FWCfgItem *files = &s->items[0][FW_CFG_FILE_FIRST];
    unsigned at = 0;

    if (!*name || strlen(name) >= FW_CFG_MAX_FILE_PATH) {
        error_setg(errp, "fw_cfg file '%s': the name must have 1 to %d characters", name,
                   FW_CFG_MAX_FILE_PATH - 1);
        return -EINVAL;
    }
    if (s->num_files == FW_CFG_FILE_SLOTS) {
        error_setg(errp, "fw_cfg file '%s': all %d file slots are used", name,
                   FW_CFG_FILE_SLOTS);
        return -ENOSPC;
    }
    while (at < s->num_files && strcmp(files[at].name, name) < 0) {
        at++;
    }
    if (at < s->num_files && !strcmp(files[at].name, name)) {
        error_setg(errp, "fw_cfg file '%s' is already there", name);
        return -EEXIST;
    }
    memmove(&files[at + 1], &files[at], (s->num_files - at) * sizeof(*files));
    memset(&files[at], 0, sizeof(*files));
    fw_cfg_item_set(&files[at], data, len);
    strcpy(files[at].name, name);
    s->num_files++;
    fw_cfg_dir_update(s);
    return 0;
}

int fw_cfg_add_option(FWCfgState *s, const OptionFwCfg *opt, Error **errp)
{
    gchar *path = NULL, *data = NULL;
    gsize len = opt->value_len;
    Error *err = NULL;
    int ret;

    if (strncmp(opt->name, "opt/", 4)) {
        warn_report("-fw_cfg %s: externally provided fw_cfg item names should be "
                    "prefixed with \"opt/\"", opt->arg);
    }
    if (opt->is_file) {
        path = g_strndup(opt->value, opt->value_len);
        if (access(path, R_OK) < 0) {
            ret = -errno;
            error_setg_errno(errp, errno, "-fw_cfg %s", opt->arg);
            goto out;
        }
        if (!g_file_get_contents(path, &data, &len, NULL)) {
            error_setg(errp, "-fw_cfg %s: cannot read the file", opt->arg);
            ret = -EIO;
            goto out;
        }
    }
    if (len > UINT32_MAX) {
        error_setg(errp, "-fw_cfg %s: larger than 4 GiB", opt->arg);
        ret = -EFBIG;
        goto out;
    }
    ret = fw_cfg_add_file(s, opt->name, data ? data : opt->value, (uint32_t)len, &err);
    if (ret < 0) {
        error_setg(errp, "-fw_cfg %s: %s", opt->arg, error_get_pretty(err));
        error_free(err);
    }
out:
    g_free(data);
    g_free(path);
    return ret;
}

/* ---- the device ------------------------------------------------------- */

FWCfgState *fw_cfg_init(AddressSpace *dma_as)
{
    FWCfgState *s = tern_malloc0(sizeof(*s));
    static const uint8_t uuid[16];

    s->dma_as = dma_as;
    memory_region_init_io(&s->ports, &fw_cfg_port_ops, s, "fw_cfg", 2);
    memory_region_init_io(&s->dma, &fw_cfg_dma_ops, s, "fw_cfg-dma", 8);
    fw_cfg_add_bytes(s, FW_CFG_SIGNATURE, "QEMU", 4);
    fw_cfg_add_i32(s, FW_CFG_ID, FW_CFG_VERSION | FW_CFG_VERSION_DMA);
    fw_cfg_add_bytes(s, FW_CFG_UUID, uuid, sizeof(uuid));
    fw_cfg_add_i16(s, FW_CFG_BOOT_MENU, 0);
    fw_cfg_dir_update(s);
    fw_cfg_reset(s);
    return s;
}

void fw_cfg_reset(FWCfgState *s)
{
    fw_cfg_select(s, FW_CFG_SIGNATURE);
    s->dma_addr = 0;
}

void fw_cfg_destroy(FWCfgState *s)
{
    for (unsigned b = 0; b < 2; b++) {
        for (unsigned i = 0; i < FW_CFG_MAX_ENTRY; i++) {
            free(s->items[b][i].data);
        }
    }
    memory_region_destroy(&s->ports);
    memory_region_destroy(&s->dma);
    free(s);
}
