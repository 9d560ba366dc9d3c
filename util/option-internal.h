/*
 * option-internal.h: what the command-line parser's files share
 * (util/option*.c): the option handlers' type and the device half's
 * entry points; the property reader is include/util/option-props.h.
 */
#ifndef UTIL_OPTION_INTERNAL_H
#define UTIL_OPTION_INTERNAL_H

#include "util/osdep.h"
#include "util/option.h"
#include "util/option-props.h"

typedef int (*OptionHandler)(TernOptions *o, const char *arg, Error **errp);

/* The device half (util/option-device.c): -device, -global, their help. */
int option_device_add(TernOptions *o, const char *arg, Error **errp);
int option_global_add(TernOptions *o, const char *arg, Error **errp);
/* After every option is read: parse each -device with the -global
 * defaults for its type applied first (QEMU applies -global whatever its
 * place on the command line). */
int option_devices_finish(TernOptions *o, Error **errp);

#endif
