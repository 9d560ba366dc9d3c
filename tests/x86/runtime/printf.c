/*
 * printf.c: a small printf for guest tests, over tern_putchar().
 * Conversions: %d %i %u %x %X %p %s %c %%, length modifiers l ll z h hh,
 * flags '-' and '0', a field width (digits or '*').  No precision, no
 * floating point.  Shared by the guest and the native runtime.
 */
#include "tern.h"

struct out {
    int count;
};

static void out_char(struct out *o, int c)
{
    tern_putchar(c);
    o->count++;
}

static void out_pad(struct out *o, int c, int n)
{
    while (n-- > 0) {
        out_char(o, c);
    }
}

/* Write digits of v in base (10 or 16), with sign and padding. */
static void out_num(struct out *o, uint64_t v, unsigned base, int neg,
                    int upper, int width, int zero, int left)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int n = 0;

    do {
        buf[n++] = digits[v % base];
        v /= base;
    } while (v);
    int len = n + neg;
    if (!left && !zero) {
        out_pad(o, ' ', width - len);
    }
    if (neg) {
        out_char(o, '-');
    }
    if (!left && zero) {
        out_pad(o, '0', width - len);
    }
    while (n) {
        out_char(o, buf[--n]);
    }
    if (left) {
        out_pad(o, ' ', width - len);
    }
}

int tern_vprintf(const char *fmt, va_list ap)
{
    struct out o = { 0 };

    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out_char(&o, *fmt);
            continue;
        }
        fmt++;
        int zero = 0, left = 0, width = 0, lng = 0;
        for (;; fmt++) {
            if (*fmt == '0') {
                zero = 1;
            } else if (*fmt == '-') {
                left = 1;
            } else {
                break;
            }
        }
        if (*fmt == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                left = 1;
                width = -width;
            }
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9') {
            width = width * 10 + (*fmt++ - '0');
        }
        for (;; fmt++) {
            if (*fmt == 'l' || *fmt == 'z') {
                lng++;
            } else if (*fmt != 'h') {
                break;
            }
        }
        if (left) {
            zero = 0;
        }
        uint64_t u;
        int64_t s;
        switch (*fmt) {
        case 'd':
        case 'i':
            s = lng > 1 ? va_arg(ap, long long) : lng ? va_arg(ap, long) : va_arg(ap, int);
            u = s < 0 ? -(uint64_t)s : (uint64_t)s;
            out_num(&o, u, 10, s < 0, 0, width, zero, left);
            break;
        case 'u':
            u = lng > 1 ? va_arg(ap, unsigned long long)
                : lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            out_num(&o, u, 10, 0, 0, width, zero, left);
            break;
        case 'x':
        case 'X':
            u = lng > 1 ? va_arg(ap, unsigned long long)
                : lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            out_num(&o, u, 16, 0, *fmt == 'X', width, zero, left);
            break;
        case 'p':
            u = (uintptr_t)va_arg(ap, void *);
            out_char(&o, '0');
            out_char(&o, 'x');
            out_num(&o, u, 16, 0, 0, width > 2 ? width - 2 : 0, zero, left);
            break;
        case 'c':
            if (!left) {
                out_pad(&o, ' ', width - 1);
            }
            out_char(&o, va_arg(ap, int));
            if (left) {
                out_pad(&o, ' ', width - 1);
            }
            break;
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (!str) {
                str = "(null)";
            }
            int len = (int)strlen(str);
            if (!left) {
                out_pad(&o, ' ', width - len);
            }
            while (*str) {
                out_char(&o, *str++);
            }
            if (left) {
                out_pad(&o, ' ', width - len);
            }
            break;
        }
        case '%':
            out_char(&o, '%');
            break;
        case '\0':
            return o.count;
        default:                /* unknown: print it as written */
            out_char(&o, '%');
            out_char(&o, *fmt);
            break;
        }
    }
    return o.count;
}

int tern_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = tern_vprintf(fmt, ap);
    va_end(ap);
    return n;
}

void tern_puts(const char *s)
{
    while (*s) {
        tern_putchar(*s++);
    }
}
