/*
 * packet.c: gdb remote protocol framing and hex (gdbstub/packet.h).
 * Pure functions of their arguments: no I/O, no global state.
 */
#include "gdbstub/packet.h"

int gdb_hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

GdbPacketEvent gdb_packet_feed(GdbPacketReader *r, uint8_t byte)
{
    int d;

    switch (r->state) {
    case GDB_RD_IDLE:
        if (byte == 0x03) {
            return GDB_PACKET_INTERRUPT;
        }
        if (byte == '$') {
            r->state = GDB_RD_DATA;
            r->len = 0;
            r->sum = 0;
            r->overflow = false;
        }
        return GDB_PACKET_NONE;   /* acks and noise between packets */
    case GDB_RD_DATA:
        if (byte == '#') {
            r->state = GDB_RD_CSUM1;
        } else if (r->len < GDB_PACKET_MAX) {
            r->data[r->len++] = (char)byte;
            r->sum += byte;
        } else {
            r->overflow = true;
        }
        return GDB_PACKET_NONE;
    case GDB_RD_CSUM1:
        d = gdb_hex_digit((char)byte);
        r->csum = (uint8_t)((d < 0 ? 0x100 : d) << 4);   /* bad digit: cannot match */
        r->overflow |= d < 0;
        r->state = GDB_RD_CSUM2;
        return GDB_PACKET_NONE;
    case GDB_RD_CSUM2:
        d = gdb_hex_digit((char)byte);
        r->state = GDB_RD_IDLE;
        if (d < 0 || r->overflow || (uint8_t)(r->csum | d) != r->sum) {
            return GDB_PACKET_BAD;
        }
        r->data[r->len] = '\0';
        return GDB_PACKET_OK;
    }
    return GDB_PACKET_NONE;
}

void gdb_packet_frame(GString *out, const char *data, size_t len, bool binary)
{
    uint8_t sum = 0;

    g_string_append_c(out, '$');
    for (size_t i = 0; i < len; i++) {
        uint8_t c = (uint8_t)data[i];

        if (binary && (c == '$' || c == '#' || c == '}' || c == '*')) {
            g_string_append_c(out, '}');
            sum += '}';
            c ^= 0x20;
        }
        g_string_append_c(out, (char)c);
        sum += c;
    }
    g_string_append_printf(out, "#%02x", sum);
}

void gdb_hex_append(GString *out, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        g_string_append_printf(out, "%02x", buf[i]);
    }
}

int gdb_hex_decode(const char *hex, uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        int hi = gdb_hex_digit(hex[2 * i]);
        int lo = hi < 0 ? -1 : gdb_hex_digit(hex[2 * i + 1]);

        if (lo < 0) {
            return -1;
        }
        buf[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

int gdb_parse_hex(const char **p, uint64_t *val)
{
    const char *s = *p;
    uint64_t v = 0;
    int n = 0, d;

    while ((d = gdb_hex_digit(*s)) >= 0) {
        if (++n > 16) {
            return -1;
        }
        v = v << 4 | (uint64_t)d;
        s++;
    }
    if (n == 0) {
        return -1;
    }
    *val = v;
    *p = s;
    return 0;
}
