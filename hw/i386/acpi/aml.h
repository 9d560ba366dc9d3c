/*
 * aml.h: a small encoder for ACPI Machine Language (ACPI 6.0, chapter 20),
 * enough for the PC's DSDT: Scope, Device, Name, Package, integers,
 * strings, EISA IDs and resource templates (chapter 6.4 descriptors), and
 * the few methods a PCI interrupt link needs: OperationRegion and Field,
 * Method, If, Return, Store, And, Or, LLess, CreateDWordField, calls.
 *
 * Terms are built as trees of Aml nodes.  A node is either finished bytes
 * (an integer, a Name declaration, an expression) or an open block (Scope,
 * Device, Method, If, Field, Package, resource template) whose opcode and
 * PkgLength are written only when the block is appended to its parent,
 * once its size is known.  aml_append() takes ownership of the child; the
 * root from aml_root() is read with aml_bytes() and freed with aml_free().
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
Aml *aml_method(const char *name, unsigned nargs, bool serialized);  /* Method (...) { } */
Aml *aml_if(Aml *predicate);            /* If (predicate) { ... } */

/* Field (region, access, NoLock, Preserve) { ... } of aml_named_field()s */
typedef enum AmlFieldAccess {
    AML_FIELD_ANY_ACC,
    AML_FIELD_BYTE_ACC,
} AmlFieldAccess;
Aml *aml_field(const char *region, AmlFieldAccess access);
Aml *aml_named_field(const char *name, unsigned bits);  /* name, bits (< 64) */

typedef enum AmlRegionSpace {
    AML_SYSTEM_IO = 1,
    AML_PCI_CONFIG = 2,
} AmlRegionSpace;
/* OperationRegion (name, space, offset, len) */
Aml *aml_operation_region(const char *name, AmlRegionSpace space, uint32_t offset,
                          uint32_t len);

/* Terms */
Aml *aml_name_decl(const char *name, Aml *value);   /* Name (name, value) */
Aml *aml_int(uint64_t value);           /* the shortest integer encoding */
Aml *aml_string(const char *s);
Aml *aml_eisaid(const char *id);        /* EisaId ("PNP0A03"): a compressed DWord */

/* Expressions and statements, for methods.  Operands are taken over. */
Aml *aml_name(const char *name);        /* a reference to a named object */
Aml *aml_arg(unsigned n);               /* Arg0-Arg6 */
Aml *aml_call1(const char *method, Aml *arg);   /* method (arg) */
Aml *aml_return(Aml *value);
Aml *aml_store(Aml *value, Aml *target);        /* Store (value, target) */
Aml *aml_and(Aml *a, Aml *b, Aml *target);      /* And (a, b, target); NULL: no target */
Aml *aml_or(Aml *a, Aml *b, Aml *target);
Aml *aml_lless(Aml *a, Aml *b);                 /* LLess (a, b) */
Aml *aml_create_dword_field(Aml *buffer, Aml *byte_index, const char *name);

/* Resource descriptors, for a resource template */
Aml *aml_io(uint16_t min, uint16_t max, uint8_t align, uint8_t len);  /* IO (Decode16) */
Aml *aml_irq_no_flags(unsigned irq);    /* IRQNoFlags: edge, active high, ISA IRQ 0-15 */
/* Interrupt (ResourceConsumer, Level, ActiveHigh, Shared) { irqs } (1-255 of them) */
Aml *aml_interrupt_level_shared(const uint32_t *irqs, unsigned n);
#define AML_INTERRUPT_FIRST_OFFSET 5    /* its first interrupt number's byte (a DWord) */
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
