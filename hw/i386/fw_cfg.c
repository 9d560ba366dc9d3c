/*
 * fw_cfg.c (i386): the PC's fw_cfg contents (include/hw/i386/fw_cfg.h).
 *
 * The e820 map is the loaders' own (x86_e820_build), so firmware and a
 * -kernel boot see the same one.  No kernel items (0x07-0x18): QEMU fills
 * them for its linuxboot option ROM, but tern loads -kernel itself
 * (hw/i386/boot/) and refuses -bios with -kernel, so nothing would read
 * them; firmware that loads Linux from fw_cfg would need them back.
 */
#include "util/osdep.h"
#include "hw/i386/fw_cfg.h"


/* "etc/e820": every entry; FW_CFG_E820_TABLE: le32 count and 16 slots of
 * the entries that are not RAM (QEMU's legacy reservations table). */
static int x86_fw_cfg_add_e820(FWCfgState *s, const X86FwCfgConfig *cfg, Error **errp)
{
    E820Entry map[E820_MAP_MAX];
    unsigned n = x86_e820_build(cfg->ram, cfg->fw, map), nres = 0;
    uint8_t file[E820_MAP_MAX * X86_FW_CFG_E820_ENTRY];
    uint8_t legacy[4 + X86_FW_CFG_E820_LEGACY_MAX * X86_FW_CFG_E820_ENTRY] = { 0 };

    for (unsigned i = 0; i < n; i++) {
        uint8_t *e = file + i * X86_FW_CFG_E820_ENTRY;

        st_le(e, map[i].addr, 8);
        st_le(e + 8, map[i].size, 8);
        st_le(e + 16, map[i].type, 4);
        if (map[i].type != E820_RAM && nres < X86_FW_CFG_E820_LEGACY_MAX) {
            memcpy(legacy + 4 + nres++ * X86_FW_CFG_E820_ENTRY, e, X86_FW_CFG_E820_ENTRY);
        }
    }
    st_le(legacy, nres, 4);
    fw_cfg_add_bytes(s, FW_CFG_E820_TABLE, legacy, sizeof(legacy));
    return fw_cfg_add_file(s, "etc/e820", file, n * X86_FW_CFG_E820_ENTRY, errp);
}

int x86_fw_cfg_build(FWCfgState *s, const X86FwCfgConfig *cfg, Error **errp)
{
    int ret;

    fw_cfg_add_i64(s, FW_CFG_RAM_SIZE, cfg->ram_size);
    fw_cfg_add_i16(s, FW_CFG_NOGRAPHIC, 1);     /* tern has no display */
    fw_cfg_add_i16(s, FW_CFG_NB_CPUS, (uint16_t)cfg->num_cpus);
    fw_cfg_add_i16(s, FW_CFG_MAX_CPUS,
                   (uint16_t)(cfg->max_cpus ? cfg->max_cpus : cfg->num_cpus));
    fw_cfg_add_i32(s, FW_CFG_MACHINE_ID, 0);
    fw_cfg_add_i32(s, FW_CFG_IRQ0_OVERRIDE, 1);  /* the PIT is on IOAPIC pin 2 */
    if ((ret = x86_fw_cfg_add_e820(s, cfg, errp)) < 0) {
        return ret;
    }
    for (unsigned i = 0; i < cfg->num_files; i++) {
        if ((ret = fw_cfg_add_option(s, &cfg->files[i], errp)) < 0) {
            return ret;
        }
    }
    return 0;
}
