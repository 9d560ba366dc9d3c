#!/bin/sh
# suite-layering.sh: the include-direction check (a `make check` suite).
#
# Every .c and .h file in the tree (build/, other build directories build-*/ and .git/ excepted) is given a
# layer by its path; each `#include "..."` in it is resolved the way the
# compiler would (the including file's directory, then -Ibuild -Iinclude
# -Itcg/<host> -I.; <...> includes only through the -I directories, and
# only when they name a file in the tree) and the included file's layer
# must be one the including layer may use.  Includes of files not written
# yet are classified by their spelling ("hw/..." means include/hw/...).
#
# The rules, in one table (RULES below), one row per layer:
#   layer  files: path prefixes ending in "/", or exact paths; a file
#          belongs to the layer whose entry matches the longest part of its
#          path (so hw/i386/ beats hw/, include/exec/exec-all.h beats
#          include/exec/)
#   may include: layer names, path prefixes ending in "/" or exact paths
#          of the included file, or "*" (anything)
# Direction: util <- softmmu <- hw; util <- block <- hw; util <- tcg; softmmu, hw/core, tcg <-
# target-x86; everything <- accel <- main.c; tests and bench use anything.
# Narrow exceptions, each an interface the contract headers define:
#   softmmu    -> include/hw/core/cpu.h   the vCPU registry and shutdown
#                 (sysemu/runstate.h) act on CPUState
#   tcg        -> include/exec/translation-block.h   tcg_gen_code fills the
#                 block's host-code fields (a plain struct, no other deps)
#   engine-if  include/exec/exec-all.h: the services accel/tcg offers to the
#                 target (cpu_loop_exit, tlb_set_page); built on CPUState
#                 and the TCG types, usable by target-x86 and accel only
#   hw-board   hw/i386/ and include/hw/i386/ (the board, which creates the
#                 CPUs) may use target-x86; other devices may not include it
#   monitor    monitor/ (HMP, QMP) reads the whole machine: the board, the
#                 CPUs, the accelerator and the gdbstub it starts
# Also: no file under hw/ mentions CONFIG_KVM (devices are accelerator
# agnostic).
#
# Output: "PASS layering-<layer>" for each row that holds, else one
# "FAIL layering-<layer>: file:line includes "x" (layer); ..." listing every
# offending include; the same for layering-unclassified (every scanned file
# belongs to a row) and layering-hw-no-config-kvm.

RULES='
util        util/ include/util/ build/                   : util
softmmu     softmmu/ include/exec/ include/sysemu/       : util softmmu include/hw/core/cpu.h
engine-if   include/exec/exec-all.h                      : util softmmu include/hw/core/ tcg
block       block/ include/block/                        : util block
hw          hw/ include/hw/                              : util softmmu block hw
hw-board    hw/i386/ include/hw/i386/                    : util softmmu block hw hw-board target-x86
tcg         tcg/ include/tcg/                            : util tcg include/exec/translation-block.h
target-x86  target-x86/ include/target-x86/              : util softmmu include/hw/core/ tcg engine-if target-x86
accel       accel/ include/accel/                        : util softmmu engine-if hw hw-board tcg target-x86 accel
gdbstub     gdbstub/ include/exec/gdbstub.h              : util softmmu include/hw/core/ target-x86 accel include/monitor/ gdbstub
monitor     monitor/ include/monitor/                : util softmmu block hw hw-board target-x86 accel gdbstub monitor
main        main.c                                       : *
tests       tests/ bench/                                : *
'

set -u
cd "$(dirname "$0")/../.." || exit 1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Files that exist (include targets), and the sources to scan.
find . \( -path ./build -o -path './build-*' -o -path ./.git \) -prune -o -type f -print | sed 's|^\./||' >"$tmp/files"
ls build/*.h 2>/dev/null >>"$tmp/files"
grep -E '\.(c|h)$' "$tmp/files" | grep -v '^build/' | sort >"$tmp/sources"
hosts=$(cd tcg 2>/dev/null && for d in */; do [ -d "$d" ] && printf '%s ' "${d%/}"; done)

RULES="$RULES" HOSTS="$hosts" awk '
function norm(p,    n, i, parts, out, k) {
    n = split(p, parts, "/"); k = 0
    for (i = 1; i <= n; i++) {
        if (parts[i] == "." || parts[i] == "") continue
        if (parts[i] == ".." && k > 0 && out[k] != "..") { k--; continue }
        out[++k] = parts[i]
    }
    p = ""
    for (i = 1; i <= k; i++) p = p (i > 1 ? "/" : "") out[i]
    return p
}
function dirof(p) { return p ~ /\// ? substr(p, 1, match(p, /\/[^\/]*$/) - 1) : "" }
function layer_of(p,    i, best, bestlen, pf) {
    best = ""; bestlen = -1
    for (i = 1; i <= npfx; i++) {
        pf = pfx[i]
        if ((pf ~ /\/$/ && index(p, pf) == 1) || p == pf) {
            if (length(pf) > bestlen) { bestlen = length(pf); best = pfx_layer[i] }
        }
    }
    return best
}
function may_include(from, target, tlayer,    n, i, tok) {
    n = split(allowed[from], tok, " ")
    for (i = 1; i <= n; i++) {
        if (tok[i] == "*" || tok[i] == tlayer) return 1
        if (tok[i] ~ /\/$/ && index(target, tok[i]) == 1) return 1
        if (tok[i] == target) return 1
    }
    return 0
}
# Resolve an include as cc would; "" for a system header.
function resolve(src, name, quoted,    c, i) {
    if (quoted) {
        c = norm(dirof(src) "/" name); if (c in exists) return c
    }
    c = norm("build/" name);   if (c in exists) return c
    c = norm("include/" name); if (c in exists) return c
    for (i = 1; i <= nhosts; i++) {
        c = norm("tcg/" hosts[i] "/" name); if (c in exists) return c
    }
    c = norm(name); if (c in exists) return c
    if (!quoted) return ""
    if (name ~ /^(util|exec|sysemu|hw|tcg|target-x86|accel)\//) return norm("include/" name)
    if (name == "config-host.h") return "build/config-host.h"
    return norm(dirof(src) "/" name)
}
function note(layer, msg) {
    bad[layer] = bad[layer] (bad[layer] == "" ? "" : "; ") msg
}
BEGIN {
    nr = split(ENVIRON["RULES"], rows, "\n")
    for (r = 1; r <= nr; r++) {
        if (rows[r] !~ /[^ \t]/) continue
        split(rows[r], halves, ":")
        n = split(halves[1], f, " ")
        layer = f[1]; order[++nlayers] = layer
        for (i = 2; i <= n; i++) { pfx[++npfx] = f[i]; pfx_layer[npfx] = layer }
        allowed[layer] = halves[2]
    }
    nhosts = split(ENVIRON["HOSTS"], hosts, " ")
}
FILENAME == ARGV[1] { exists[$0] = 1; next }
{
    src = $0; from = layer_of(src); lineno = 0
    if (from == "") unclassified = unclassified (unclassified == "" ? "" : " ") src
    while ((getline line < src) > 0) {
        lineno++
        if (line !~ /^[ \t]*#[ \t]*include[ \t]*["<]/) continue
        quoted = line ~ /^[ \t]*#[ \t]*include[ \t]*"/
        name = line
        sub(/^[ \t]*#[ \t]*include[ \t]*["<]/, "", name)
        sub(/[">].*$/, "", name)
        target = resolve(src, name, quoted)
        if (target == "" || from == "") continue
        tlayer = layer_of(target)
        if (!may_include(from, target, tlayer))
            note(from, src ":" lineno " includes \"" name "\" (" (tlayer == "" ? "unclassified " target : tlayer) ")")
    }
    close(src)
}
END {
    for (i = 1; i <= nlayers; i++) {
        l = order[i]
        if (bad[l] == "") print "PASS layering-" l
        else print "FAIL layering-" l ": " bad[l]
    }
    if (unclassified == "") print "PASS layering-unclassified"
    else print "FAIL layering-unclassified: no row of the RULES table covers " unclassified
}
' "$tmp/files" "$tmp/sources"

kvm=$(grep -rn 'CONFIG_KVM' hw/ include/hw/ 2>/dev/null | cut -d: -f1,2 | tr '\n' ' ')
if [ -z "$kvm" ]; then
    echo "PASS layering-hw-no-config-kvm"
else
    echo "FAIL layering-hw-no-config-kvm: $kvm"
fi
exit 0
