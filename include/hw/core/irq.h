/*
 * irq.h: an interrupt line from a device to whatever the board wires it to.
 *
 * A device is given an IRQLine pointer by the board and only ever sets its
 * level; it never knows which controller or pin is behind it.  NULL (or a
 * line without a handler) means "not connected": levels go nowhere.  The
 * handler runs in the caller's thread with the machine lock held.
 */
#ifndef HW_CORE_IRQ_H
#define HW_CORE_IRQ_H

#include "util/osdep.h"

typedef void (*IRQHandler)(void *opaque, int n, int level);

typedef struct IRQLine {
    IRQHandler handler;
    void *opaque;
    int n;                       /* the handler's input number */
} IRQLine;

static inline void irq_line_init(IRQLine *irq, IRQHandler handler, void *opaque, int n)
{
    irq->handler = handler;
    irq->opaque = opaque;
    irq->n = n;
}

static inline void irq_line_set(IRQLine *irq, int level)
{
    if (irq && irq->handler) {
        irq->handler(irq->opaque, irq->n, level);
    }
}

static inline void irq_line_raise(IRQLine *irq) { irq_line_set(irq, 1); }
static inline void irq_line_lower(IRQLine *irq) { irq_line_set(irq, 0); }

#endif
