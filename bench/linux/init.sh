#!/bin/sh
# /check of the Linux benchmark initramfs (bench/linux/mkinitramfs.sh): the
# kit's /init (tests/linux/init.sh) runs it once userspace is up and powers
# off when it returns.  Runs every program in /bench/bin once through the
# runner, which prints "bench NAME SECONDS CHECKSUM" (bench/linux/runbench.c);
# "bench-done" marks the end for bench/linux.sh.  bench=a,b on the kernel
# command line: only those.
only=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^bench=//p')
for p in /bench/bin/*; do
    case ",${only:-${p##*/}}," in
    *",${p##*/},"*) /bench/runbench "${p##*/}" "$p" ;;
    esac
done
echo "bench-done"
