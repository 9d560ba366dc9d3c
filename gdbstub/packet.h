/*
 * packet.h: the gdb remote protocol's framing (gdbstub/ only).
 *
 * A packet is "$DATA#CC", CC the two hex digits of the sum of DATA's bytes
 * mod 256; the receiver acknowledges with '+' (or '-': send it again).  A
 * lone 0x03 outside a packet is an interrupt request (Ctrl-C).  Data bytes
 * '$', '#', '}' and '*' are escaped in binary replies as '}' and the byte
 * XOR 0x20.
 */
#ifndef GDBSTUB_PACKET_H
#define GDBSTUB_PACKET_H

#include "util/osdep.h"

#include <glib.h>

#define GDB_PACKET_MAX 4096   /* the PacketSize tern offers, in bytes */

typedef enum GdbPacketEvent {
    GDB_PACKET_NONE,          /* need more bytes */
    GDB_PACKET_OK,            /* a whole, well-formed packet: data, len */
    GDB_PACKET_BAD,           /* checksum wrong or packet too long: nack it */
    GDB_PACKET_INTERRUPT,     /* 0x03 between packets */
} GdbPacketEvent;

typedef struct GdbPacketReader {
    enum { GDB_RD_IDLE, GDB_RD_DATA, GDB_RD_CSUM1, GDB_RD_CSUM2 } state;
    char data[GDB_PACKET_MAX + 1];   /* NUL-terminated when complete */
    size_t len;
    bool overflow;
    uint8_t sum, csum;
} GdbPacketReader;

/* Feed one byte; on GDB_PACKET_OK the packet is r->data (r->len bytes). */
GdbPacketEvent gdb_packet_feed(GdbPacketReader *r, uint8_t byte);

/* "$DATA#CC" for data, escaped if binary. */
void gdb_packet_frame(GString *out, const char *data, size_t len, bool binary);

/* Hex helpers: the value of one digit or -1; bytes <-> hex text. */
int gdb_hex_digit(char c);
void gdb_hex_append(GString *out, const uint8_t *buf, size_t len);
/* Decode exactly len bytes from hex text: 0, or -1 on a bad digit or
 * short text. */
int gdb_hex_decode(const char *hex, uint8_t *buf, size_t len);
/* Parse a hex number at *p (at least one digit, at most 16) and advance;
 * 0, or -1 with *p unchanged. */
int gdb_parse_hex(const char **p, uint64_t *val);

#endif
