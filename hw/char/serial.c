/*
 * serial.c: the 16550A UART (National Semiconductor PC16550D data sheet).
 *
 * Registers by offset (DLAB = LCR bit 7):
 *   0  RBR (read) / THR (write) / DLL (DLAB)
 *   1  IER / DLM (DLAB)
 *   2  IIR (read) / FCR (write)
 *   3  LCR    4  MCR    5  LSR    6  MSR    7  SCR
 * Transmission is synchronous: a THR write goes straight to the back end,
 * so THRE/TEMT are always set and the THRE interrupt is raised again right
 * away.  This is QEMU's choice too: drivers wait for THRE (polled or by
 * interrupt) and never time the transmitter, so pacing output at the baud
 * rate would only slow the console (about 1 ms a byte at 9600 baud).
 * The receive side has a 16-byte FIFO (1 byte with FIFOs off).  In FIFO
 * mode the character-timeout interrupt comes, as the data sheet says, when
 * data sits in the FIFO and nothing was received or read for 4 character
 * times at the programmed rate: timeout_timer on the virtual clock, re-armed
 * by each received byte and each RBR read (serial_char_ns has the time).
 * Loopback (MCR bit 4) feeds THR into the receiver and mirrors MCR into
 * MSR, as the data sheet says.
 * Invariant: rx_count > 0 iff LSR.DR.  All entry points, and the timer's
 * callback, run under the machine lock.
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/char/serial.h"

enum {
    UART_RBR = 0, UART_IER = 1, UART_IIR = 2, UART_LCR = 3,
    UART_MCR = 4, UART_LSR = 5, UART_MSR = 6, UART_SCR = 7,
};

#define UART_LCR_WLS  0x03   /* word length - 5 */
#define UART_LCR_STB  0x04   /* 2 stop bits (1.5 with 5-bit words) */
#define UART_LCR_PEN  0x08   /* parity bit */
#define UART_LCR_DLAB 0x80

#define SERIAL_CLOCK_HZ       115200  /* 1.8432 MHz / 16: the rate at divisor 1 */
#define SERIAL_TIMEOUT_CHARS  4       /* the data sheet's character timeout */

#define UART_IER_RDI  0x01   /* received data available */
#define UART_IER_THRI 0x02   /* transmitter holding register empty */
#define UART_IER_RLSI 0x04   /* receiver line status */
#define UART_IER_MSI  0x08   /* modem status */

#define UART_IIR_NO_INT 0x01
#define UART_IIR_MSI    0x00
#define UART_IIR_THRI   0x02
#define UART_IIR_RDI    0x04
#define UART_IIR_RLSI   0x06
#define UART_IIR_CTI    0x0c
#define UART_IIR_ID     0x0f
#define UART_IIR_FE     0xc0 /* FIFOs enabled */

#define UART_FCR_FE   0x01
#define UART_FCR_RFR  0x02   /* clear the receive FIFO */
#define UART_FCR_TFR  0x04   /* clear the transmit FIFO */
#define UART_FCR_DMS  0x08
#define UART_FCR_ITL  0xc0   /* receive trigger level */

#define UART_MCR_DTR  0x01
#define UART_MCR_RTS  0x02
#define UART_MCR_OUT1 0x04
#define UART_MCR_OUT2 0x08
#define UART_MCR_LOOP 0x10

#define UART_LSR_DR   0x01
#define UART_LSR_OE   0x02
#define UART_LSR_PE   0x04
#define UART_LSR_FE   0x08
#define UART_LSR_BI   0x10
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define UART_LSR_INT_ANY (UART_LSR_OE | UART_LSR_PE | UART_LSR_FE | UART_LSR_BI)

#define UART_MSR_DCTS 0x01
#define UART_MSR_DDSR 0x02
#define UART_MSR_TERI 0x04
#define UART_MSR_DDCD 0x08
#define UART_MSR_ANY_DELTA 0x0f
#define UART_MSR_CTS  0x10
#define UART_MSR_DSR  0x20
#define UART_MSR_RI   0x40
#define UART_MSR_DCD  0x80

static unsigned serial_trigger_level(const SerialState *s)
{
    static const unsigned level[4] = { 1, 4, 8, 14 };
    return level[(s->fcr & UART_FCR_ITL) >> 6];
}

static unsigned serial_fifo_capacity(const SerialState *s)
{
    return (s->fcr & UART_FCR_FE) ? SERIAL_FIFO_SIZE : 1;
}

/* One character time at the programmed rate: start bit, data bits,
 * parity, stop bits, counted in half bits for 1.5 stop bits.  Divisor 0
 * counts as 65536, as the baud generator's 16-bit down-counter wraps. */
int64_t serial_char_ns(const SerialState *s)
{
    int64_t half_bits = 2 * (1 + 5 + (s->lcr & UART_LCR_WLS));
    int64_t divisor = s->divider ? s->divider : 65536;

    half_bits += (s->lcr & UART_LCR_PEN) ? 2 : 0;
    if (s->lcr & UART_LCR_STB) {
        half_bits += (s->lcr & UART_LCR_WLS) ? 4 : 3;
    } else {
        half_bits += 2;
    }
    return half_bits * divisor * NANOSECONDS_PER_SECOND / (2 * SERIAL_CLOCK_HZ);
}

/* Recompute IIR by priority and drive the IRQ line. */
static void serial_update_irq(SerialState *s)
{
    uint8_t id = UART_IIR_NO_INT;

    if ((s->ier & UART_IER_RLSI) && (s->lsr & UART_LSR_INT_ANY)) {
        id = UART_IIR_RLSI;
    } else if ((s->ier & UART_IER_RDI) && s->timeout_ipending) {
        id = UART_IIR_CTI;
    } else if ((s->ier & UART_IER_RDI) && (s->lsr & UART_LSR_DR) &&
               (!(s->fcr & UART_FCR_FE) || s->rx_count >= serial_trigger_level(s))) {
        id = UART_IIR_RDI;
    } else if ((s->ier & UART_IER_THRI) && s->thr_ipending) {
        id = UART_IIR_THRI;
    } else if ((s->ier & UART_IER_MSI) && (s->msr & UART_MSR_ANY_DELTA)) {
        id = UART_IIR_MSI;
    }
    s->iir = id | ((s->fcr & UART_FCR_FE) ? UART_IIR_FE : 0);

    int level = id != UART_IIR_NO_INT;
    if (level != s->irq_level) {
        s->irq_level = level;
        irq_line_set(s->irq, level);
    }
}

static void serial_rx_clear(SerialState *s)
{
    s->rx_head = 0;
    s->rx_count = 0;
    s->lsr &= (uint8_t)~(UART_LSR_DR | UART_LSR_BI);
    s->timeout_ipending = false;
    timer_del(&s->timeout_timer);
}

/* FIFO activity (a byte received or read): the character timeout starts
 * over while data remains in FIFO mode. */
static void serial_timeout_restart(SerialState *s)
{
    if ((s->fcr & UART_FCR_FE) && s->rx_count) {
        timer_mod(&s->timeout_timer, timer_clock_ns(TIMER_CLOCK_VIRTUAL) +
                                     SERIAL_TIMEOUT_CHARS * serial_char_ns(s));
    } else {
        timer_del(&s->timeout_timer);
    }
}

static void serial_timeout_expired(void *opaque)
{
    SerialState *s = opaque;

    if ((s->fcr & UART_FCR_FE) && s->rx_count) {
        s->timeout_ipending = true;
        serial_update_irq(s);
    }
}

/* One received byte into the FIFO (or the holding register). */
static void serial_rx_push(SerialState *s, uint8_t byte)
{
    unsigned cap = serial_fifo_capacity(s);

    if (s->rx_count >= cap) {
        /* Overrun: the FIFO keeps its bytes and the new one is lost, but
         * the 1-byte holding register is overwritten (16450 behaviour). */
        s->lsr |= UART_LSR_OE;
        if (cap == 1) {
            s->rx_fifo[s->rx_head] = byte;
        }
        return;
    }
    s->rx_fifo[(s->rx_head + s->rx_count) % SERIAL_FIFO_SIZE] = byte;
    s->rx_count++;
    s->lsr |= UART_LSR_DR;
}

static void serial_rx_done(SerialState *s)
{
    serial_timeout_restart(s);
    serial_update_irq(s);
}

static int serial_can_receive(void *opaque)
{
    SerialState *s = opaque;
    if (s->mcr & UART_MCR_LOOP) {
        return 0;    /* the receiver is wired to the transmitter */
    }
    return (int)(serial_fifo_capacity(s) - s->rx_count);
}

static void serial_receive(void *opaque, const uint8_t *buf, size_t len)
{
    SerialState *s = opaque;
    for (size_t i = 0; i < len; i++) {
        serial_rx_push(s, buf[i]);
    }
    serial_rx_done(s);
}

static uint8_t serial_msr_read(SerialState *s)
{
    if (s->mcr & UART_MCR_LOOP) {
        /* Loopback: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD. */
        return (uint8_t)(((s->mcr & (UART_MCR_OUT1 | UART_MCR_OUT2)) << 4) |
                         ((s->mcr & UART_MCR_RTS) << 3) |
                         ((s->mcr & UART_MCR_DTR) << 5));
    }
    uint8_t val = s->msr;
    if (s->msr & UART_MSR_ANY_DELTA) {
        s->msr &= 0xf0;
        serial_update_irq(s);
    }
    return val;
}

static uint64_t serial_read(void *opaque, uint64_t addr, unsigned size)
{
    SerialState *s = opaque;
    uint8_t val = 0;

    switch (addr) {
    case UART_RBR:
        if (s->lcr & UART_LCR_DLAB) {
            return s->divider & 0xff;
        }
        if (s->rx_count) {
            bool was_full = s->rx_count >= serial_fifo_capacity(s);

            val = s->rx_fifo[s->rx_head];
            s->rx_head = (s->rx_head + 1) % SERIAL_FIFO_SIZE;
            s->rx_count--;
            if (was_full && s->chr) {
                chardev_input_ready(s->chr);    /* the console may send more */
            }
        }
        if (!s->rx_count) {
            s->lsr &= (uint8_t)~(UART_LSR_DR | UART_LSR_BI);
        }
        s->timeout_ipending = false;
        serial_timeout_restart(s);
        serial_update_irq(s);
        return val;
    case UART_IER:
        return (s->lcr & UART_LCR_DLAB) ? s->divider >> 8 : s->ier;
    case UART_IIR:
        val = s->iir;
        if ((val & UART_IIR_ID) == UART_IIR_THRI) {
            s->thr_ipending = false;     /* reading IIR acknowledges THRE */
            serial_update_irq(s);
        }
        return val;
    case UART_LCR:
        return s->lcr;
    case UART_MCR:
        return s->mcr;
    case UART_LSR:
        val = s->lsr;
        if (s->lsr & (UART_LSR_BI | UART_LSR_OE)) {
            s->lsr &= (uint8_t)~(UART_LSR_BI | UART_LSR_OE);
            serial_update_irq(s);
        }
        return val;
    case UART_MSR:
        return serial_msr_read(s);
    case UART_SCR:
        return s->scr;
    }
    return 0xff;
}

static void serial_write(void *opaque, uint64_t addr, uint64_t val64, unsigned size)
{
    SerialState *s = opaque;
    uint8_t val = (uint8_t)val64;

    switch (addr) {
    case UART_RBR:                           /* THR */
        if (s->lcr & UART_LCR_DLAB) {
            s->divider = (uint16_t)((s->divider & 0xff00) | val);
            return;
        }
        if (s->mcr & UART_MCR_LOOP) {
            serial_rx_push(s, val);
            serial_rx_done(s);
        } else if (s->chr) {
            chardev_write(s->chr, &val, 1);
        }
        /* Sent at once: the holding register is empty again. */
        s->lsr |= UART_LSR_THRE | UART_LSR_TEMT;
        s->thr_ipending = true;
        serial_update_irq(s);
        return;
    case UART_IER:
        if (s->lcr & UART_LCR_DLAB) {
            s->divider = (uint16_t)((s->divider & 0x00ff) | (val << 8));
            return;
        } else {
            uint8_t changed = (s->ier ^ val) & 0x0f;
            s->ier = val & 0x0f;
            if (changed & UART_IER_THRI) {
                /* Enabling THRI with THR empty interrupts at once. */
                s->thr_ipending = (s->ier & UART_IER_THRI) && (s->lsr & UART_LSR_THRE);
            }
            if (changed) {
                serial_update_irq(s);
            }
        }
        return;
    case UART_IIR:                           /* FCR */
        if ((val ^ s->fcr) & UART_FCR_FE) {
            serial_rx_clear(s);              /* toggling FIFO mode clears both */
        }
        if (val & UART_FCR_RFR) {
            serial_rx_clear(s);
        }
        /* TFR: the transmit FIFO is always empty. */
        s->fcr = val & (UART_FCR_FE | UART_FCR_DMS | UART_FCR_ITL);
        if (!(s->fcr & UART_FCR_FE)) {
            s->fcr = 0;
        }
        serial_update_irq(s);
        return;
    case UART_LCR:
        s->lcr = val;
        return;
    case UART_MCR:
        s->mcr = val & 0x1f;
        return;
    case UART_LSR:
    case UART_MSR:
        /* Read-only status (writes are a factory test mode); ignore. */
        log_mask(LOG_GUEST_ERROR, "serial: write 0x%02x to read-only register %" PRIu64 "\n",
                 val, addr);
        return;
    case UART_SCR:
        s->scr = val;
        return;
    }
}

static const MemoryRegionOps serial_io_ops = {
    .read = serial_read,
    .write = serial_write,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

void serial_reset(SerialState *s)
{
    s->divider = 0x0c;               /* 9600 baud, as firmware would leave it */
    s->ier = 0;
    s->lcr = 0;
    s->mcr = UART_MCR_OUT2;
    s->lsr = UART_LSR_TEMT | UART_LSR_THRE;
    s->msr = UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
    s->scr = 0;
    s->fcr = 0;
    s->thr_ipending = false;
    serial_rx_clear(s);
    s->irq_level = -1;               /* force the line to a known level */
    serial_update_irq(s);
}

SerialState *serial_init(MemoryRegion *io, uint64_t base, IRQLine *irq, Chardev *chr)
{
    SerialState *s = tern_malloc0(sizeof(*s));

    timer_init(&s->timeout_timer, TIMER_CLOCK_VIRTUAL, serial_timeout_expired, s);
    s->irq = irq;
    s->chr = chr;
    memory_region_init_io(&s->io, &serial_io_ops, s, "serial", 8);
    memory_region_add_subregion(io, base, &s->io);
    if (chr) {
        chardev_set_handlers(chr, serial_can_receive, serial_receive, s);
    }
    serial_reset(s);
    return s;
}

void serial_destroy(SerialState *s, MemoryRegion *io)
{
    if (!s) {
        return;
    }
    if (s->chr) {
        chardev_set_handlers(s->chr, NULL, NULL, NULL);
    }
    timer_del(&s->timeout_timer);
    memory_region_del_subregion(io, &s->io);
    memory_region_destroy(&s->io);
    free(s);
}
