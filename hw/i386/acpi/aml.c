/*
 * aml.c: the AML encoder (aml.h).  Opcodes and encodings from ACPI 6.0,
 * 20.2 (AML grammar) and 6.4 (resource data types).
 */
#include "hw/i386/acpi/aml.h"

#define AML_ZERO_OP         0x00    /* also NullName: no target */
#define AML_ONE_OP          0x01
#define AML_NAME_OP         0x08
#define AML_BYTE_PREFIX     0x0a
#define AML_WORD_PREFIX     0x0b
#define AML_DWORD_PREFIX    0x0c
#define AML_STRING_PREFIX   0x0d
#define AML_QWORD_PREFIX    0x0e
#define AML_SCOPE_OP        0x10
#define AML_BUFFER_OP       0x11
#define AML_PACKAGE_OP      0x12
#define AML_METHOD_OP       0x14
#define AML_EXT_OP_PREFIX   0x5b
#define AML_OPREGION_OP     0x80    /* after AML_EXT_OP_PREFIX */
#define AML_FIELD_OP        0x81    /* after AML_EXT_OP_PREFIX */
#define AML_DEVICE_OP       0x82    /* after AML_EXT_OP_PREFIX */
#define AML_ARG0_OP         0x68
#define AML_STORE_OP        0x70
#define AML_AND_OP          0x7b
#define AML_OR_OP           0x7d
#define AML_CREATE_DWORD_FIELD_OP 0x8a
#define AML_LLESS_OP        0x95
#define AML_IF_OP           0xa0
#define AML_RETURN_OP       0xa4
#define AML_METHOD_SERIALIZED (1 << 3)  /* MethodFlags; bits 2:0 the argument count */
#define AML_DUAL_NAME       0x2e
#define AML_MULTI_NAME      0x2f
#define AML_ROOT_CHAR       '\\'
#define AML_PARENT_CHAR     '^'

/* Resource descriptors (6.4): small items have the tag in the byte
 * (type << 3 | length), large ones a tag byte then a 16-bit length. */
#define RES_IRQ_NO_FLAGS    0x22    /* IRQ, 2 bytes */
#define RES_IO              0x47    /* I/O port, 7 bytes */
#define RES_END_TAG         0x79    /* end tag, 1 byte (checksum) */
#define RES_MEMORY32_FIXED  0x86
#define RES_DWORD_ADDRESS   0x87
#define RES_WORD_ADDRESS    0x88
#define RES_EXT_INTERRUPT   0x89
/* Extended interrupt flags (6.4.3.6): consumer, level (bit 1 clear),
 * active high (bit 2 clear), shared */
#define RES_INT_CONSUMER    (1 << 0)
#define RES_INT_SHARED      (1 << 3)
#define RES_TYPE_MEMORY     0
#define RES_TYPE_IO         1
#define RES_TYPE_BUS        2
/* Address space general flags (6.4.3.5.1): producer, positive decode */
#define RES_MIN_FIXED       (1 << 2)
#define RES_MAX_FIXED       (1 << 3)
#define RES_IO_ENTIRE_RANGE 3       /* type-specific: ISA and non-ISA ports */
#define RES_MEM_RW          1       /* type-specific: read/write */
#define RES_MEM_CACHEABLE   (1 << 1)

typedef enum AmlKind {
    AML_BYTES,          /* finished */
    AML_ROOT,           /* never wrapped */
    AML_BLOCK,          /* op[] PkgLength body: Scope, Device, Method, If, Field */
    AML_PACKAGE,        /* PackageOp PkgLength NumElements Elements */
    AML_RESOURCES,      /* BufferOp PkgLength BufferSize Descriptors EndTag */
} AmlKind;

struct Aml {
    AmlKind kind;
    uint8_t op[2];      /* AML_BLOCK: its opcode, 1 or 2 bytes */
    unsigned oplen;
    unsigned elements;  /* AML_PACKAGE: children appended */
    uint8_t *buf;
    size_t len, cap;
};

static Aml *aml_new(AmlKind kind)
{
    Aml *a = tern_malloc0(sizeof(*a));

    a->kind = kind;
    return a;
}

static void aml_put(Aml *a, const void *p, size_t n)
{
    if (a->len + n > a->cap) {
        a->cap = MAX(a->cap * 2, a->len + n + 32);
        a->buf = tern_realloc(a->buf, a->cap);
    }
    memcpy(a->buf + a->len, p, n);
    a->len += n;
}

static void aml_put8(Aml *a, uint8_t v)
{
    aml_put(a, &v, 1);
}

static void aml_put_le(Aml *a, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++) {
        aml_put8(a, (uint8_t)(v >> (8 * i)));
    }
}

/* NameString (20.2.2): optional '\' or '^' prefixes, then dot-separated
 * segments of up to 4 characters, padded with '_'. */
static void aml_put_name(Aml *a, const char *name)
{
    const char *p = name;
    unsigned nseg = 1;

    while (*p == AML_ROOT_CHAR || *p == AML_PARENT_CHAR) {
        aml_put8(a, (uint8_t)*p++);
    }
    for (const char *q = p; *q; q++) {
        nseg += *q == '.';
    }
    assert(*p && nseg <= 255);
    if (nseg == 2) {
        aml_put8(a, AML_DUAL_NAME);
    } else if (nseg > 2) {
        aml_put8(a, AML_MULTI_NAME);
        aml_put8(a, (uint8_t)nseg);
    }
    for (unsigned s = 0; s < nseg; s++) {
        size_t n = strcspn(p, ".");
        char seg[4] = { '_', '_', '_', '_' };

        assert(n >= 1 && n <= 4);
        for (size_t i = 0; i < n; i++) {
            char c = p[i];

            assert((c >= 'A' && c <= 'Z') || c == '_' || (i && c >= '0' && c <= '9'));
            seg[i] = c;
        }
        aml_put(a, seg, 4);
        p += n + (p[n] == '.');
    }
}

unsigned aml_pkglen_encode(size_t body_len, uint8_t out[4])
{
    /* the length counts its own bytes; the lead byte's bits 7:6 say how
     * many bytes follow, and with any it keeps only 4 bits (20.2.4) */
    if (body_len + 1 < 0x40) {
        out[0] = (uint8_t)(body_len + 1);
        return 1;
    }
    for (unsigned n = 2; n <= 4; n++) {
        size_t total = body_len + n;

        if (total < (1ull << (4 + 8 * (n - 1)))) {
            out[0] = (uint8_t)(((n - 1) << 6) | (total & 0xf));
            for (unsigned i = 1; i < n; i++) {
                out[i] = (uint8_t)(total >> (4 + 8 * (i - 1)));
            }
            return n;
        }
    }
    return 0;
}

/* A block whose body starts with name (NULL: none); ext: an ExtOpPrefix opcode. */
static Aml *aml_block(bool ext, uint8_t op, const char *name)
{
    Aml *a = aml_new(AML_BLOCK);

    if (ext) {
        a->op[a->oplen++] = AML_EXT_OP_PREFIX;
    }
    a->op[a->oplen++] = op;
    if (name) {
        aml_put_name(a, name);
    }
    return a;
}

Aml *aml_root(void)
{
    return aml_new(AML_ROOT);
}

Aml *aml_scope(const char *name)
{
    return aml_block(false, AML_SCOPE_OP, name);
}

Aml *aml_device(const char *name)
{
    return aml_block(true, AML_DEVICE_OP, name);
}

Aml *aml_method(const char *name, unsigned nargs, bool serialized)
{
    Aml *a = aml_block(false, AML_METHOD_OP, name);

    assert(nargs <= 7);
    aml_put8(a, (uint8_t)(nargs | (serialized ? AML_METHOD_SERIALIZED : 0)));
    return a;
}

Aml *aml_if(Aml *predicate)
{
    Aml *a = aml_block(false, AML_IF_OP, NULL);

    aml_append(a, predicate);
    return a;
}

/* FieldFlags (20.2.5.2): AccessType bits 3:0, LockRule bit 4 (NoLock),
 * UpdateRule bits 6:5 (Preserve) */
Aml *aml_field(const char *region, AmlFieldAccess access)
{
    Aml *a = aml_block(true, AML_FIELD_OP, region);

    aml_put8(a, (uint8_t)access);
    return a;
}

/* NamedField: NameSeg, then the width in bits in PkgLength form without
 * counting itself; one byte holds widths below 64. */
Aml *aml_named_field(const char *name, unsigned bits)
{
    Aml *a = aml_new(AML_BYTES);

    assert(strlen(name) >= 1 && strlen(name) <= 4 && !strpbrk(name, ".\\^") && bits < 0x40);
    aml_put_name(a, name);
    aml_put8(a, (uint8_t)bits);
    return a;
}

Aml *aml_operation_region(const char *name, AmlRegionSpace space, uint32_t offset,
                          uint32_t len)
{
    Aml *a = aml_new(AML_BYTES);

    aml_put8(a, AML_EXT_OP_PREFIX);
    aml_put8(a, AML_OPREGION_OP);
    aml_put_name(a, name);
    aml_put8(a, (uint8_t)space);
    aml_append(a, aml_int(offset));
    aml_append(a, aml_int(len));
    return a;
}

Aml *aml_package(void)
{
    return aml_new(AML_PACKAGE);
}

Aml *aml_resource_template(void)
{
    return aml_new(AML_RESOURCES);
}

Aml *aml_int(uint64_t v)
{
    Aml *a = aml_new(AML_BYTES);

    if (v <= 1) {
        aml_put8(a, v ? AML_ONE_OP : AML_ZERO_OP);
    } else if (v <= 0xff) {
        aml_put8(a, AML_BYTE_PREFIX);
        aml_put_le(a, v, 1);
    } else if (v <= 0xffff) {
        aml_put8(a, AML_WORD_PREFIX);
        aml_put_le(a, v, 2);
    } else if (v <= 0xffffffff) {
        aml_put8(a, AML_DWORD_PREFIX);
        aml_put_le(a, v, 4);
    } else {
        aml_put8(a, AML_QWORD_PREFIX);
        aml_put_le(a, v, 8);
    }
    return a;
}

Aml *aml_string(const char *s)
{
    Aml *a = aml_new(AML_BYTES);

    aml_put8(a, AML_STRING_PREFIX);
    aml_put(a, s, strlen(s) + 1);
    return a;
}

/* "PNP0A03": three letters of 5 bits (A = 1) and four hex digits, stored
 * most significant byte first (ACPI 6.0, 19.6.35 EISAID). */
Aml *aml_eisaid(const char *id)
{
    uint32_t v = 0;

    assert(strlen(id) == 7);
    for (int i = 0; i < 3; i++) {
        assert(id[i] >= 'A' && id[i] <= 'Z');
        v |= (uint32_t)(id[i] - 0x40) << (26 - 5 * i);
    }
    for (int i = 3; i < 7; i++) {
        char c = id[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') : (unsigned)(c - 'A' + 10);

        assert(d < 16);
        v |= d << (4 * (6 - i));
    }
    return aml_int(((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >> 8) & 0xff00) | (v >> 24));
}

Aml *aml_name(const char *name)
{
    Aml *a = aml_new(AML_BYTES);

    aml_put_name(a, name);
    return a;
}

Aml *aml_arg(unsigned n)
{
    Aml *a = aml_new(AML_BYTES);

    assert(n <= 6);
    aml_put8(a, (uint8_t)(AML_ARG0_OP + n));
    return a;
}

/* op, then the operands in order (NULL: a NullName target) */
static Aml *aml_op(uint8_t op, Aml *a1, Aml *a2, Aml *a3, unsigned nops)
{
    Aml *a = aml_new(AML_BYTES);
    Aml *ops[3] = { a1, a2, a3 };

    aml_put8(a, op);
    for (unsigned i = 0; i < nops; i++) {
        if (ops[i]) {
            aml_append(a, ops[i]);
        } else {
            aml_put8(a, AML_ZERO_OP);
        }
    }
    return a;
}

Aml *aml_call1(const char *method, Aml *arg)
{
    Aml *a = aml_name(method);

    aml_append(a, arg);
    return a;
}

Aml *aml_return(Aml *value)
{
    return aml_op(AML_RETURN_OP, value, NULL, NULL, 1);
}

Aml *aml_store(Aml *value, Aml *target)
{
    return aml_op(AML_STORE_OP, value, target, NULL, 2);
}

Aml *aml_and(Aml *a, Aml *b, Aml *target)
{
    return aml_op(AML_AND_OP, a, b, target, 3);
}

Aml *aml_or(Aml *a, Aml *b, Aml *target)
{
    return aml_op(AML_OR_OP, a, b, target, 3);
}

Aml *aml_lless(Aml *a, Aml *b)
{
    return aml_op(AML_LLESS_OP, a, b, NULL, 2);
}

Aml *aml_create_dword_field(Aml *buffer, Aml *byte_index, const char *name)
{
    Aml *a = aml_op(AML_CREATE_DWORD_FIELD_OP, buffer, byte_index, NULL, 2);

    aml_put_name(a, name);
    return a;
}

Aml *aml_name_decl(const char *name, Aml *value)
{
    Aml *a = aml_new(AML_BYTES);

    aml_put8(a, AML_NAME_OP);
    aml_put_name(a, name);
    aml_append(a, value);
    return a;
}

Aml *aml_io(uint16_t min, uint16_t max, uint8_t align, uint8_t len)
{
    Aml *a = aml_new(AML_BYTES);

    aml_put8(a, RES_IO);
    aml_put8(a, 1);             /* decodes 16 address bits */
    aml_put_le(a, min, 2);
    aml_put_le(a, max, 2);
    aml_put8(a, align);
    aml_put8(a, len);
    return a;
}

Aml *aml_irq_no_flags(unsigned irq)
{
    Aml *a = aml_new(AML_BYTES);

    assert(irq < 16);
    aml_put8(a, RES_IRQ_NO_FLAGS);
    aml_put_le(a, 1u << irq, 2);
    return a;
}

Aml *aml_interrupt_level_shared(const uint32_t *irqs, unsigned n)
{
    Aml *a = aml_new(AML_BYTES);

    assert(n >= 1 && n <= 255);
    aml_put8(a, RES_EXT_INTERRUPT);
    aml_put_le(a, 2 + 4 * n, 2);
    aml_put8(a, RES_INT_CONSUMER | RES_INT_SHARED);
    aml_put8(a, (uint8_t)n);
    for (unsigned i = 0; i < n; i++) {
        aml_put_le(a, irqs[i], 4);
    }
    return a;
}

Aml *aml_memory32_fixed(uint32_t base, uint32_t len, bool writable)
{
    Aml *a = aml_new(AML_BYTES);

    aml_put8(a, RES_MEMORY32_FIXED);
    aml_put_le(a, 9, 2);
    aml_put8(a, writable ? RES_MEM_RW : 0);
    aml_put_le(a, base, 4);
    aml_put_le(a, len, 4);
    return a;
}

/* Word/DWord address space descriptors (6.4.3.5.2-3): type, general
 * flags, type-specific flags, then granularity, min, max, translation and
 * length, each `size` bytes. */
static Aml *aml_address(uint8_t tag, unsigned size, uint8_t type, uint8_t type_flags,
                        uint64_t min, uint64_t max)
{
    Aml *a = aml_new(AML_BYTES);

    aml_put8(a, tag);
    aml_put_le(a, 3 + 5 * size, 2);
    aml_put8(a, type);
    aml_put8(a, RES_MIN_FIXED | RES_MAX_FIXED);
    aml_put8(a, type_flags);
    aml_put_le(a, 0, size);             /* granularity */
    aml_put_le(a, min, size);
    aml_put_le(a, max, size);
    aml_put_le(a, 0, size);             /* translation offset */
    aml_put_le(a, max - min + 1, size);
    return a;
}

Aml *aml_word_bus_number(uint16_t min, uint16_t max)
{
    return aml_address(RES_WORD_ADDRESS, 2, RES_TYPE_BUS, 0, min, max);
}

Aml *aml_word_io(uint16_t min, uint16_t max)
{
    return aml_address(RES_WORD_ADDRESS, 2, RES_TYPE_IO, RES_IO_ENTIRE_RANGE, min, max);
}

Aml *aml_dword_memory(uint32_t min, uint32_t max, bool cacheable)
{
    return aml_address(RES_DWORD_ADDRESS, 4, RES_TYPE_MEMORY,
                       RES_MEM_RW | (cacheable ? RES_MEM_CACHEABLE : 0), min, max);
}

/* Write the opcode and PkgLength of block a in front of its body. */
static void aml_close(Aml *a)
{
    Aml *body = aml_new(AML_BYTES);
    uint8_t pkglen[4];
    unsigned n;

    switch (a->kind) {
    case AML_BYTES:
    case AML_ROOT:
        aml_free(body);
        return;
    case AML_BLOCK:
        aml_put(body, a->op, a->oplen);
        break;
    case AML_PACKAGE:
        assert(a->elements <= 255);
        aml_put8(body, AML_PACKAGE_OP);
        break;
    case AML_RESOURCES:
        aml_put8(body, AML_BUFFER_OP);
        break;
    }
    if (a->kind == AML_RESOURCES) {
        Aml *size;

        aml_put8(a, RES_END_TAG);
        aml_put8(a, 0);                 /* checksum 0: "treat as valid" */
        size = aml_int(a->len);
        n = aml_pkglen_encode(size->len + a->len, pkglen);
        aml_put(body, pkglen, n);
        aml_put(body, size->buf, size->len);
        aml_free(size);
    } else if (a->kind == AML_PACKAGE) {
        n = aml_pkglen_encode(1 + a->len, pkglen);
        aml_put(body, pkglen, n);
        aml_put8(body, (uint8_t)a->elements);
    } else {
        n = aml_pkglen_encode(a->len, pkglen);
        aml_put(body, pkglen, n);
    }
    assert(n);
    aml_put(body, a->buf, a->len);
    free(a->buf);
    *a = *body;
    free(body);
}

void aml_append(Aml *parent, Aml *child)
{
    aml_close(child);
    aml_put(parent, child->buf, child->len);
    parent->elements++;
    aml_free(child);
}

const uint8_t *aml_bytes(const Aml *root, size_t *len)
{
    assert(root->kind == AML_ROOT);
    *len = root->len;
    return root->buf;
}

void aml_free(Aml *aml)
{
    if (aml) {
        free(aml->buf);
        free(aml);
    }
}
