#!/bin/sh
# suite-acpi: the ACPI tables through ACPICA's iasl (package acpica-tools,
# optional).  test-acpi --dump writes every table; then
#   PASS acpi/iasl/SIG      iasl -d disassembles the table without an error
#   PASS acpi/iasl/DSDT-roundtrip
#                           iasl compiles that DSDT back, without warnings,
#                           to the same AML as tern's (header aside)
#   PASS acpi/iasl/DSDT-pci-irq
#                           the disassembly has PCI0's _PRT (31 slots x 4
#                           pins), LNKA-LNKD (PNP0C0F) and the PS/2 mouse
#   PASS acpi/acpiexec/links
#                           ACPICA's interpreter runs each link's methods on
#                           its (simulated) PIRQRC byte: _SRS IRQ 11 -> _CRS
#                           reads 11 back, _STA 0x0B; _DIS -> _STA 0x09, _CRS
#                           IRQ 0; the other links untouched
#   SKIP acpi/iasl: iasl not installed (apt-get install acpica-tools)
# The RSDP is not given to iasl (it reads only tables with the standard
# header); test-acpi checks its checksums.
set -u
O=${O:-build}
BIN=$O/tests/unit/test-acpi

if ! command -v iasl >/dev/null 2>&1; then
    echo "SKIP acpi/iasl: iasl not installed (apt-get install acpica-tools)"
    exit 0
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
if [ ! -x "$BIN" ] || ! "$BIN" --dump "$dir" >/dev/null; then
    echo "FAIL acpi/iasl: $BIN --dump failed (make tests-unit)"
    exit 0
fi
for f in "$dir"/*.dat; do
    sig=$(basename "$f" .dat)
    [ "$sig" = RSDP ] && continue
    if iasl -d "$f" >"$dir/$sig.log" 2>&1 && [ -s "$dir/$sig.dsl" ] &&
       ! grep -qiE '^(error|warning)|\*\*\*\*|incorrect checksum' "$dir/$sig.log" "$dir/$sig.dsl"; then
        echo "PASS acpi/iasl/$sig"
    else
        echo "FAIL acpi/iasl/$sig: iasl -d reported:"
        sed 's/^/    /' "$dir/$sig.log"
    fi
done
# Recompile the disassembled DSDT: no warning, and the same TermList.
if iasl -p "$dir/rt" "$dir/DSDT.dsl" >"$dir/rt.log" 2>&1 &&
   grep -q ' 0 Errors, 0 Warnings' "$dir/rt.log" &&
   tail -c +37 "$dir/DSDT.dat" >"$dir/a" && tail -c +37 "$dir/rt.aml" >"$dir/b" &&
   cmp -s "$dir/a" "$dir/b"; then
    echo "PASS acpi/iasl/DSDT-roundtrip"
else
    echo "FAIL acpi/iasl/DSDT-roundtrip: iasl's AML differs or it warned:"
    grep -iE 'error|warning' "$dir/rt.log" | sed 's/^/    /'
fi
# The PCI interrupt routing in the disassembly.
dsl=$dir/DSDT.dsl
missing=
grep -q 'Name (_PRT, Package (0x7C)' "$dsl" || missing="$missing _PRT(124)"
[ "$(grep -cE '^ +0x00[01][0-9A-F]FFFF, *$' "$dsl")" = 124 ] || missing="$missing _PRT-entries"
for l in A B C D; do
    grep -q "Device (LNK$l)" "$dsl" || missing="$missing LNK$l"
done
[ "$(grep -c 'EisaId ("PNP0C0F")' "$dsl")" = 4 ] || missing="$missing PNP0C0F"
grep -q 'EisaId ("PNP0F13")' "$dsl" || missing="$missing PNP0F13"
grep -q 'OperationRegion (PIRQ, PCI_Config, 0x60, 0x04)' "$dsl" || missing="$missing PIRQ-region"
if [ -z "$missing" ]; then
    echo "PASS acpi/iasl/DSDT-pci-irq"
else
    echo "FAIL acpi/iasl/DSDT-pci-irq: not in the disassembled DSDT:$missing"
fi
# The link methods under ACPICA's interpreter (acpiexec, same package).
if ! command -v acpiexec >/dev/null 2>&1; then
    echo "SKIP acpi/acpiexec/links: acpiexec not installed (apt-get install acpica-tools)"
    exit 0
fi
crs_irq() {     # the _CRS buffer's interrupt number, from acpiexec's dump
    sed -n "/Evaluating .*$1._CRS/,/Buffer/p" "$dir/ax.log" | tail -1 |
        sed -n 's/.*0000: 89 06 00 09 01 \(..\) 00 00 00 79 00.*/\1/p'
}
cmds="evaluate \\_SB.LNKC._SRS (89 06 00 09 01 0B 00 00 00 79 00)"
cmds="$cmds; evaluate \\_SB.LNKC._CRS; evaluate \\_SB.LNKC._STA; evaluate \\_SB.LNKA._CRS"
cmds="$cmds; evaluate \\_SB.LNKC._DIS; evaluate \\_SB.LNKC._STA"
timeout 60 acpiexec -b "$cmds" "$dir/DSDT.dat" >"$dir/ax.log" 2>&1
sta=$(grep -A2 'Evaluating .*LNKC._STA' "$dir/ax.log" | sed -n 's/.*\[Integer\] = 0*//p' |
      tr '\n' ' ')
c_irq=$(crs_irq LNKC)
a_irq=$(crs_irq LNKA)
if ! grep -qiE 'AE_|error' "$dir/ax.log" && [ "$c_irq" = 0B ] && [ "$a_irq" = 00 ] &&
   [ "$sta" = "B 9 " ]; then
    echo "PASS acpi/acpiexec/links"
else
    echo "FAIL acpi/acpiexec/links: LNKC _CRS IRQ '$c_irq' (want 0B), LNKA '$a_irq'" \
         "(want 00), _STA '$sta' (want B 9):"
    grep -E 'Evaluat|Integer|Buffer|AE_|rror' "$dir/ax.log" | sed 's/^/    /'
fi
exit 0
