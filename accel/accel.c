/*
 * accel.c: choosing an accelerator by name (-accel tcg|kvm, -enable-kvm).
 *
 * The table of names is the only place that knows which accelerators
 * exist; KVM is named but not built yet, so asking for it is an error that
 * says what to use instead.  No state, no locking.
 */
#include "util/osdep.h"
#include "util/error.h"
#include "accel/accel.h"

const AccelOps *accel_find(const char *name, Error **errp)
{
    if (name && !strcmp(name, "tcg")) {
        return &tcg_accel_ops;
    }
    if (name && !strcmp(name, "kvm")) {
        error_setg(errp, "KVM is not supported yet; use -accel tcg");
        return NULL;
    }
    error_setg(errp, "unknown accelerator '%s' (choose tcg or kvm)", name ? name : "");
    return NULL;
}
