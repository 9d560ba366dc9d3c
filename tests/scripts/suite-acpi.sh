#!/bin/sh
# suite-acpi: the ACPI tables through ACPICA's iasl (package acpica-tools,
# optional).  test-acpi --dump writes every table; then
#   PASS acpi/iasl/SIG      iasl -d disassembles the table without an error
#   PASS acpi/iasl/DSDT-roundtrip
#                           iasl compiles that DSDT back, without warnings,
#                           to the same AML as tern's (header aside)
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
exit 0
