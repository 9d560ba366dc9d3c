/*
 * aml.h: a small encoder for ACPI Machine Language (ACPI 6.0, chapter 20),
 * enough for a method-free DSDT: Scope, Device, Name, Package, integers,
 * strings, EISA IDs and resource templates (chapter 6.4 descriptors).
 *
 * Terms are built as trees of Aml nodes.  A node is either finished bytes
 * (an integer, a Name declaration) or an open block (Scope, Device, Package,
 * resource template) whose opcode and PkgLength are written only when the
 * block is appended to its parent, once its size is known.  aml_append()
 * takes ownership of the child; the root from aml_root() is read with
 * aml_bytes() and freed with aml_free().
 */
#ifndef HW_I386_ACPI_AML_H
#define HW_I386_ACPI_AML_H

#include "util/osdep.h"

typedef struct Aml Aml;

/* Blocks */
Aml *aml_root(void);                    /* a DefinitionBlock's TermList */
Aml *aml_scope(const char *name);       /* Scope (name) { ... } */
Aml *aml_device(const char *name);      /* Device (name) { ... } */
Aml *aml_package(void);                 /* Package () { ... }; counts its elements */
Aml *aml_resource_template(void);       /* Buffer ending in an EndTag */

/* Terms */
Aml *aml_name_decl(const char *name, Aml *value);   /* Name (name, value) */
Aml *aml_int(uint64_t value);           /* the shortest integer encoding */
Aml *aml_string(const char *s);
Aml *aml_eisaid(const char *id);        /* EisaId ("PNP0A03"): a compressed DWord */

/* Resource descriptors, for a resource template */
Aml *aml_io(uint16_t min, uint16_t max, uint8_t align, uint8_t len);  /* IO (Decode16) */
Aml *aml_irq_no_flags(unsigned irq);    /* IRQNoFlags: edge, active high, ISA IRQ 0-15 */
Aml *aml_memory32_fixed(uint32_t base, uint32_t len, bool writable);
Aml *aml_word_bus_number(uint16_t min, uint16_t max);  /* WordBusNumber, producer */
Aml *aml_word_io(uint16_t min, uint16_t max);          /* WordIO, producer, entire range */
Aml *aml_dword_memory(uint32_t min, uint32_t max, bool cacheable); /* DWordMemory, RW */

/* Append child to parent (closing child if it is a block) and free child. */
void aml_append(Aml *parent, Aml *child);

/* The bytes of a root block. */
const uint8_t *aml_bytes(const Aml *root, size_t *len);
void aml_free(Aml *aml);

/* PkgLength encoding of a package whose body (after the PkgLength) has
 * body_len bytes: writes 1-4 bytes to out, returns their count, or 0 if
 * the package would exceed the 2^28-byte limit. */
unsigned aml_pkglen_encode(size_t body_len, uint8_t out[4]);

#endif
