/*
 * fw_cfg.h (i386): what the PC puts in its fw_cfg device
 * (hw/nvram/fw_cfg.c; docs/pc.md, "fw_cfg").
 *
 * x86_fw_cfg_build() adds, once, after the board's first boot step (so
 * that the e820 map includes the ACPI tables): RAM size, CPU counts,
 * NOGRAPHIC, MACHINE_ID, IRQ0_OVERRIDE, the e820 map as "etc/e820" and as
 * the legacy FW_CFG_E820_TABLE, and the -fw_cfg files.  No kernel items:
 * tern loads -kernel itself (hw/i386/fw_cfg.c says why).
 */
#ifndef HW_I386_FW_CFG_H
#define HW_I386_FW_CFG_H

#include "util/osdep.h"
#include "util/error.h"
#include "util/option.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/i386/boot.h"

#define X86_FW_CFG_E820_LEGACY_MAX 16   /* QEMU's E820_NR_ENTRIES */
#define X86_FW_CFG_E820_ENTRY      20   /* le64 address, le64 length, le32 type */

typedef struct X86FwCfgConfig {
    uint64_t ram_size;
    unsigned num_cpus;               /* FW_CFG_NB_CPUS: the vCPUs created */
    unsigned max_cpus;               /* FW_CFG_MAX_CPUS (-smp maxcpus); 0: num_cpus */
    const X86RamLayout *ram;
    const X86BootFirmware *fw;       /* the ACPI tables' e820 ranges; may be NULL */
    const OptionFwCfg *files;        /* -fw_cfg */
    unsigned num_files;
} X86FwCfgConfig;

/* Fill s as above.  Returns 0, or a negative errno with a one-line *errp
 * (an unreadable -fw_cfg file, a duplicate name, ...). */
int x86_fw_cfg_build(FWCfgState *s, const X86FwCfgConfig *cfg, Error **errp);

#endif
