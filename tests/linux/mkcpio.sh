#!/bin/sh
# mkcpio.sh: write a "newc" cpio archive (the initramfs format the kernel
# unpacks, Documentation/driver-api/early-userspace/buffer-format.rst) to
# stdout from a list on stdin in the format of the kernel's
# usr/gen_init_cpio, one entry a line:
#   dir   NAME MODE
#   file  NAME SOURCE MODE
#   slink NAME TARGET MODE
#   nod   NAME MODE c|b MAJOR MINOR
# MODE is octal permission bits; every entry is owned by root, mtime 0.
# Our own writer rather than cpio(1): no extra package, no root needed for
# the device nodes, and the archive is byte-for-byte reproducible.
set -eu

ino=721
pad() {   # NUL bytes up to the next multiple of 4 after $1 bytes
    case $(( (4 - $1 % 4) % 4 )) in
    1) printf '\0' ;; 2) printf '\0\0' ;; 3) printf '\0\0\0' ;;
    esac
}
# entry NAME MODE(decimal, with type bits) SIZE NLINK RMAJ RMIN; then the data
entry() {
    ino=$((ino + 1))
    namesize=$(( ${#1} + 1 ))
    printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%s\0' \
        "$ino" "$2" 0 0 "$4" 0 "$3" 0 0 "$5" "$6" "$namesize" 0 "$1"
    pad $((110 + namesize))
}

while read -r kind name a b c d; do
    case $kind in
    ''|'#'*) continue ;;
    esac
    name=${name#/}
    case $kind in
    dir)   entry "$name" $((0040000 | 0$a)) 0 2 0 0 ;;
    file)  size=$(wc -c <"$a")
           entry "$name" $((0100000 | 0$b)) "$size" 1 0 0
           cat "$a"; pad "$size" ;;
    slink) entry "$name" $((0120000 | 0$b)) ${#a} 1 0 0
           printf '%s' "$a"; pad ${#a} ;;
    nod)   case $b in c) t=0020000 ;; b) t=0060000 ;; *) echo "mkcpio: $name: type $b" >&2; exit 1 ;; esac
           entry "$name" $((t | 0$a)) 0 1 "$c" "$d" ;;
    *)     echo "mkcpio: unknown entry '$kind'" >&2; exit 1 ;;
    esac
done
ino=0
entry TRAILER!!! 0 0 1 0 0
