#!/bin/sh
# suite-badinput.sh: tern must refuse bad command lines and bad -kernel
# files cleanly.  Each case runs $TERN (default build/tern) and asserts:
# exit status exactly 1 (not a signal, not a crash), exactly one line on
# stderr, starting "tern: " and containing the bad thing.
# Prints "PASS name", "FAIL name: why" or "SKIP name: why" per case.
set -u
TERN=${TERN:-build/tern}

if [ ! -x "$TERN" ]; then
    echo "FAIL badinput: $TERN is not built"
    exit 1
fi

tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

if command -v timeout >/dev/null 2>&1; then
    run_limited() { timeout 20 "$@"; }
else
    run_limited() { "$@"; }
fi

# expect_error NAME WANT ARGS...: the run fails with one "tern: " line
# containing WANT (a fixed string).
expect_error() {
    name=$1; want=$2; shift 2
    run_limited "$TERN" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    rc=$?
    lines=$(wc -l <"$tmp/err" | tr -d ' ')
    first=$(head -n 1 "$tmp/err")
    if [ "$rc" -ne 1 ]; then
        echo "FAIL $name: exit status $rc, want 1 (stderr: $first)"
    elif [ "$lines" -ne 1 ]; then
        echo "FAIL $name: $lines lines on stderr, want 1:"
        sed 's/^/    /' "$tmp/err" | head -n 10
    else
        case "$first" in
        "tern: "*)
            if grep -qF -- "$want" "$tmp/err"; then
                echo "PASS $name"
            else
                echo "FAIL $name: message does not mention '$want': $first"
            fi ;;
        *)  echo "FAIL $name: message does not start with 'tern: ': $first" ;;
        esac
    fi
}

# expect_ok NAME WANT ARGS...: exits 0 and prints WANT on stdout.
expect_ok() {
    name=$1; want=$2; shift 2
    run_limited "$TERN" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "FAIL $name: exit status $rc, want 0"
    elif ! grep -qF -- "$want" "$tmp/out"; then
        echo "FAIL $name: stdout does not mention '$want'"
    else
        echo "PASS $name"
    fi
}

# le VALUE BYTES: VALUE as BYTES little-endian bytes.
le() {
    v=$1; n=$2
    while [ "$n" -gt 0 ]; do
        printf "\\$(printf %o $((v & 255)))"
        v=$((v >> 8)); n=$((n - 1))
    done
}

# mkelf FILE CLASS MACHINE TYPE PADDR FILESZ MEMSZ: a minimal ELF with one
# PT_LOAD segment of code at file offset 120 (mov al,0; out 0xf4,al; hlt).
mkelf() {
    f=$1; class=$2; machine=$3; type=$4; paddr=$5; filesz=$6; memsz=$7
    {
        printf '\177ELF'; le "$class" 1; le 1 1; le 1 1; le 0 9
        le "$type" 2; le "$machine" 2; le 1 4
        le "$paddr" 8; le 64 8; le 0 8            # entry, phoff, shoff
        le 0 4; le 64 2; le 56 2; le 1 2          # flags, ehsize, phentsize, phnum
        le 0 2; le 0 2; le 0 2                    # shentsize, shnum, shstrndx
        le 1 4; le 5 4; le 120 8                  # PT_LOAD, R+X, offset
        le "$paddr" 8; le "$paddr" 8              # vaddr, paddr
        le "$filesz" 8; le "$memsz" 8; le 4096 8  # filesz, memsz, align
        printf '\260\000\346\364\364'
    } >"$f"
}

EM_X86_64=62; EM_AARCH64=183; ET_EXEC=2; ET_DYN=3
mkelf "$tmp/good.elf"   2 $EM_X86_64  $ET_EXEC 0x100000 5 5
mkelf "$tmp/arm.elf"    2 $EM_AARCH64 $ET_EXEC 0x100000 5 5
mkelf "$tmp/elf32.elf"  1 $EM_X86_64  $ET_EXEC 0x100000 5 5
mkelf "$tmp/dyn.elf"    2 $EM_X86_64  $ET_DYN  0x100000 5 5
mkelf "$tmp/low.elf"    2 $EM_X86_64  $ET_EXEC 0x1000 5 5
mkelf "$tmp/high.elf"   2 $EM_X86_64  $ET_EXEC 0x10000000 5 5
mkelf "$tmp/trunc.elf"  2 $EM_X86_64  $ET_EXEC 0x100000 0x10000 0x10000
echo "this is not an ELF file" >"$tmp/text.txt"
DX="isa-debug-exit,iobase=0xf4,iosize=0x04"

# options
expect_error unknown-option        "-foo"                -foo
expect_error unknown-long-option   "--foo"               --foo
expect_error missing-argument      "-m"                  -m
expect_error stray-argument        "disk.img"            disk.img
expect_error ram-zero              "-m 0"                -m 0 -kernel "$tmp/good.elf"
expect_error ram-1T                "-m 1T"               -m 1T -kernel "$tmp/good.elf"
expect_error ram-garbage           "-m abc"              -m abc -kernel "$tmp/good.elf"
expect_error unknown-device        "foo"                 -device foo
expect_error device-bad-property   "bar"                 -device isa-debug-exit,bar=1
expect_error pc-testdev-property   "pc-testdev has no property 'x'" -device pc-testdev,x=1
expect_error pci-testdev-property  "pci-testdev has no property 'x'" -device pci-testdev,x
expect_error pci-testdev-twice     "only one pci-testdev" -device pci-testdev -device pci-testdev
expect_error unknown-accel         "foo"                 -accel foo -kernel "$tmp/good.elf"
expect_error smp-65                "-smp 65"             -smp 65
# -icount (docs/tcg-ir.md, "Instruction counting"): QEMU's syntax, TCG only
expect_error icount-shift-11       "-icount shift=11: must be 0 to 10" -icount shift=11 -kernel "$tmp/good.elf"
expect_error icount-unknown        "unknown parameter 'foo'" -icount foo=1 -kernel "$tmp/good.elf"
expect_error icount-auto           "-icount shift=auto: not supported" -icount shift=auto -kernel "$tmp/good.elf"
expect_error icount-align-on       "-icount align=on: not supported" -icount 1,align=on -kernel "$tmp/good.elf"
expect_error icount-no-shift       "shift=N is required" -icount sleep=off -kernel "$tmp/good.elf"
expect_error icount-kvm            "-icount is not allowed with hardware virtualization" \
    -icount 1 -accel kvm -kernel "$tmp/good.elf"
expect_error icount-compare        "-icount: not supported with -accel compare" \
    -icount 1 -accel compare -kernel "$tmp/good.elf"
expect_error icount-smp            "-icount: not supported with -smp 2" -icount 1 -smp 2 -kernel "$tmp/good.elf"
expect_error bad-serial            "tcp:x"               -serial tcp:x -kernel "$tmp/good.elf"
expect_error serial-unknown        "file:: unknown character device" -serial file: -kernel "$tmp/good.elf"
expect_error serial-socket-option  "unknown socket option 'bogus'" \
    -serial "unix:$tmp/s.sock,server,bogus" -kernel "$tmp/good.elf"
expect_error serial-socket-no-peer "cannot connect to '$tmp/none.sock'" \
    -serial "unix:$tmp/none.sock" -kernel "$tmp/good.elf"
expect_error serial-socket-path    "the socket path must be 1 to 107 characters" \
    -serial "unix:$tmp/$(printf '%0120d' 0),server,nowait" -kernel "$tmp/good.elf"
expect_error serial-tcp-port       "want tcp:[HOST]:PORT" -serial "tcp::99x,server,nowait" -kernel "$tmp/good.elf"
expect_error bad-log-item          "bogus"               -d in_asm,bogus
expect_error bad-log-file          "$tmp/nodir/log"      -D "$tmp/nodir/log"
expect_error bad-log-item-prefix   "'cp'"                -d cp
expect_error bad-dfilter-noop      "bad range"           -dfilter 0x1000
expect_error bad-dfilter-empty     "invalid range"       -dfilter 0x1000+0
expect_error bad-dfilter-reversed  "invalid range"       -dfilter 0x2000..0x1000
expect_error bad-dfilter-wrap      "invalid range"       -dfilter 0x10-0x20
expect_error bad-dfilter-junk      "0x10..0x20x"         -dfilter 0x1..0x2,0x10..0x20x
expect_error bad-dfilter-sign      "bad range"           -dfilter -1..5
expect_error no-kernel             "no guest to run"
# QEMU options: known but not implemented, display options other than none
expect_error opt-unsupported       "-fda: not supported" -fda "$tmp/text.txt"
expect_error opt-vnc               "-vnc :0: not supported" -vnc :0
expect_error opt-display           "-display gtk: not supported" -display gtk
expect_error opt-machine-type      "q35"                 -machine q35
# -cpu: unknown model, unknown or unimplemented feature, bad syntax
expect_error cpu-unknown-model     "unknown CPU model 'foo'" -cpu foo -kernel "$tmp/good.elf"
expect_error cpu-unknown-feature   "CPU feature 'bogus'" -cpu max,+bogus -kernel "$tmp/good.elf"
expect_error cpu-unimplemented     "CPU feature 'avx'"   -cpu qemu64,avx=on -kernel "$tmp/good.elf"
expect_error cpu-bad-value         "must be on or off"   -cpu max,sse4.1=maybe -kernel "$tmp/good.elf"
expect_error cpu-sign-and-value    "+sse4.1=on"          -cpu max,+sse4.1=on -kernel "$tmp/good.elf"
expect_error cpu-empty-feature     "CPU feature ''"      -cpu max,,+sse4.1 -kernel "$tmp/good.elf"
expect_error cpu-host-tcg          "-cpu host: needs -accel kvm" -cpu host -kernel "$tmp/good.elf"

# -enable-kvm: refused while KVM is not built in or /dev/kvm is unusable;
# with a working KVM the next complaint is the missing -kernel.  Either
# way: one line, status 1.
run_limited "$TERN" -enable-kvm </dev/null >/dev/null 2>"$tmp/err"
if grep -q 'KVM' "$tmp/err"; then
    expect_error enable-kvm "KVM" -enable-kvm
elif grep -q 'kvm' "$tmp/err"; then
    expect_error enable-kvm "kvm" -enable-kvm
else
    expect_error enable-kvm "no guest to run" -enable-kvm
fi

# -accel kvm's refusals, one line each (TERN_KVM_DEVICE replaces /dev/kvm)
export TERN_KVM_DEVICE="$tmp/nokvm"
expect_error kvm-missing "no $tmp/nokvm on this host" -accel kvm -kernel "$tmp/good.elf"
# -accel kvm -accel tcg: KVM refused, said so and why, then the guest ran
# under TCG (its debug-exit value 3: status 7)
cp "$tmp/good.elf" "$tmp/exit3.elf"
printf '\003' | dd of="$tmp/exit3.elf" bs=1 seek=121 conv=notrunc 2>/dev/null
run_limited "$TERN" -accel kvm -accel tcg -device "$DX" -kernel "$tmp/exit3.elf" \
    </dev/null >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 7 ] && grep -qF "no $tmp/nokvm on this host" "$tmp/err" &&
   grep -qF "; falling back to -accel tcg" "$tmp/err"; then
    echo "PASS kvm-fallback-tcg"
else
    echo "FAIL kvm-fallback-tcg: status $rc, want 7; stderr: $(head -n 1 "$tmp/err")"
fi
export TERN_KVM_DEVICE=/dev/null
expect_error kvm-not-kvm "/dev/null is not a KVM device" -accel kvm -kernel "$tmp/good.elf"
if [ "$(id -u)" -eq 0 ]; then
    echo "SKIP kvm-permission: running as root"
else
    : >"$tmp/kvm000"; chmod 000 "$tmp/kvm000"
    export TERN_KVM_DEVICE="$tmp/kvm000"
    expect_error kvm-permission "permission denied" -accel kvm -kernel "$tmp/good.elf"
fi
unset TERN_KVM_DEVICE
if [ -e /dev/kvm ] && [ -d /sys/module/kvm_pvm ]; then
    expect_error kvm-software "hardware virtualisation is absent (kvm_pvm" \
        -accel kvm -kernel "$tmp/good.elf"
else
    echo "SKIP kvm-software: no kvm_pvm /dev/kvm on this host"
fi
expect_error kvm-irqchip-value "kernel-irqchip=maybe: must be on, off or split" \
    -machine kernel-irqchip=maybe -kernel "$tmp/good.elf"

# -kernel files
expect_error kernel-missing        "$tmp/nonexistent: No such file or directory" \
                                   -kernel "$tmp/nonexistent"
if [ "$(id -u)" -eq 0 ]; then
    echo "SKIP unreadable-kernel: running as root"
else
    cp "$tmp/good.elf" "$tmp/unreadable.elf"
    chmod 000 "$tmp/unreadable.elf"
    expect_error unreadable-kernel "$tmp/unreadable.elf: Permission denied" \
                                   -kernel "$tmp/unreadable.elf"
fi
expect_error kernel-directory      "$tmp"                -kernel "$tmp"
expect_error kernel-not-elf        "is not an ELF file"  -kernel "$tmp/text.txt"
expect_error kernel-other-arch     "AArch64, not x86-64" -kernel "$tmp/arm.elf"
expect_error kernel-32bit          "32-bit ELF"          -kernel "$tmp/elf32.elf"
expect_error kernel-not-exec       "ET_DYN"              -kernel "$tmp/dyn.elf"
expect_error kernel-below-1mib     "below 1 MiB"         -kernel "$tmp/low.elf"
expect_error kernel-outside-ram    "outside RAM"         -m 16 -kernel "$tmp/high.elf"
expect_error kernel-truncated      "truncated"           -kernel "$tmp/trunc.elf"
expect_error serial-file-bad-path  "$tmp/nodir/serial"   -serial "file:$tmp/nodir/serial" \
                                   -kernel "$tmp/good.elf" -device "$DX"
expect_error initrd-with-elf       "-initrd"             -kernel "$tmp/good.elf" \
                                   -initrd "$tmp/text.txt" -device "$DX"
expect_error append-too-long       "-append" -kernel "$tmp/good.elf" -device "$DX" \
                                   -append "$(head -c 4000 /dev/zero | tr '\0' x)"

# mkmb FILE FLAGS CHECKSUM_DELTA LOAD: a raw Multiboot image whose header
# (with the flag-16 address fields) is followed by the same code.
mkmb() {
    f=$1; flags=$2; delta=$3; load=$4
    {
        le $((0x1badb002)) 4; le "$flags" 4
        le $(((-(0x1badb002 + flags) + delta) & 0xffffffff)) 4
        le "$load" 4; le "$load" 4; le 0 4; le 0 4; le $((load + 32)) 4
        printf '\260\000\346\364\364'
    } >"$f"
}
mkmb "$tmp/mb-good.bin"    $((0x10003)) 0 0x100000
mkmb "$tmp/mb-csum.bin"    $((0x10003)) 1 0x100000
mkmb "$tmp/mb-video.bin"   $((0x10007)) 0 0x100000
mkmb "$tmp/mb-flag.bin"    $((0x10009)) 0 0x100000
mkmb "$tmp/mb-high.bin"    $((0x10003)) 0 0x10000000
mkmb "$tmp/mb-low.bin"     $((0x10003)) 0 0x8000
# an ELF64 with a Multiboot header but no address fields (flag 16 clear)
{ cat "$tmp/good.elf"; printf '\000\000\000'; le $((0x1badb002)) 4; le 3 4
  le $((-(0x1badb002 + 3) & 0xffffffff)) 4; } >"$tmp/mb-elf64.elf"
expect_error multiboot-bad-checksum "bad checksum"   -kernel "$tmp/mb-csum.bin"
expect_error multiboot-video-mode   "video mode"     -kernel "$tmp/mb-video.bin"
expect_error multiboot-unknown-flag "flags 0x8"      -kernel "$tmp/mb-flag.bin"
expect_error multiboot-outside-ram  "outside RAM"    -m 16 -kernel "$tmp/mb-high.bin"
expect_error multiboot-below-1mib   "below 1 MiB"    -kernel "$tmp/mb-low.bin"
expect_error multiboot-elf64-fields "flag 16"        -kernel "$tmp/mb-elf64.elf"
expect_error multiboot-missing-module "$tmp/nomod: No such file or directory" \
                                    -kernel "$tmp/mb-good.bin" -initrd "$tmp/text.txt,$tmp/nomod"

# mkbz FILE VERSION XLOADFLAGS SETUP_SECTS SYSSIZE INIT_SIZE CMDLINE_SIZE: a
# bzImage whose setup header (to 0x26c) sits in 2 sectors, then 32 bytes
# of kernel (setup_sects counts from the file, so a large one overruns).
mkbz() {
    f=$1; ver=$2; xlf=$3; sects=$4; sys=$5; init=$6; cmdsz=$7
    {
        head -c $((0x1f1)) /dev/zero
        le "$sects" 1; le 0 2; le "$sys" 4; le 0 6; le $((0xaa55)) 2
        le $((0xeb)) 1; le $((0x6a)) 1; printf HdrS; le "$ver" 2
        le 0 8; le 0 1; le 1 1; le 0 2; le $((0x100000)) 4     # ... loadflags LOADED_HIGH
        le 0 16; le 0 4; le $((0x7fffffff)) 4                  # ... initrd_addr_max
        le $((0x200000)) 4; le 0 2; le "$xlf" 2; le "$cmdsz" 4 # align, reloc, xloadflags
        le 0 28; le $((0x100000)) 8; le "$init" 4; le 0 8      # pref_address, init_size
        head -c $((0x400 - 0x26c)) /dev/zero
        head -c 32 /dev/zero
    } >"$f"
}
mkbz "$tmp/bz-good"     $((0x20f)) 1 1 2 $((0x1000)) 255
mkbz "$tmp/bz-trunc"    $((0x20f)) 1 1 $((0x100)) $((0x1000)) 255
mkbz "$tmp/bz-old"      $((0x20b)) 0 1 2 $((0x1000)) 255
mkbz "$tmp/bz-no64"     $((0x20f)) 0 1 2 $((0x1000)) 255
mkbz "$tmp/bz-sects"    $((0x20f)) 1 20 2 $((0x1000)) 255
mkbz "$tmp/bz-init"     $((0x20f)) 1 1 2 $((0x10000000)) 255
mkbz "$tmp/bz-cmdsz"    $((0x20f)) 1 1 2 $((0x1000)) 16
head -c $((0x240)) "$tmp/bz-good" >"$tmp/bz-short"
truncate -s 20M "$tmp/initrd-20m"
expect_error bzimage-too-short     "$tmp/bz-short: bzImage too short" -kernel "$tmp/bz-short"
expect_error bzimage-truncated     "$tmp/bz-trunc is truncated" -kernel "$tmp/bz-trunc"
expect_error bzimage-old-protocol  "boot protocol 2.11: tern needs a 64-bit kernel with boot protocol 2.12+" \
                                   -kernel "$tmp/bz-old"
expect_error bzimage-not-64bit     "without XLF_KERNEL_64" -kernel "$tmp/bz-no64"
expect_error bzimage-setup-sects   "setup_sects 20"      -kernel "$tmp/bz-sects"
expect_error bzimage-init-size     "(init_size)"         -m 16 -kernel "$tmp/bz-init"
expect_error bzimage-initrd-too-big "$tmp/initrd-20m: 20971520 bytes do not fit" \
                                   -m 16 -kernel "$tmp/bz-good" -initrd "$tmp/initrd-20m"
expect_error bzimage-initrd-missing "$tmp/noinitrd: No such file or directory" \
                                   -kernel "$tmp/bz-good" -initrd "$tmp/noinitrd"
expect_error bzimage-append-too-long "cmdline_size 16" -kernel "$tmp/bz-cmdsz" \
                                   -append "this command line is longer than sixteen bytes"

# -bios images: a whole number of 64 KiB pieces, 64 KiB to 16 MiB
head -c 1000 /dev/zero >"$tmp/bios-odd.bin"
: >"$tmp/bios-empty.bin"
head -c 65536 /dev/zero >"$tmp/bios-64k.bin"
truncate -s 17M "$tmp/bios-17m.bin"
expect_error bios-missing          "$tmp/nobios: No such file or directory" -bios "$tmp/nobios"
expect_error bios-directory        "-bios $tmp: not a regular file" -bios "$tmp"
expect_error bios-odd-size         "$tmp/bios-odd.bin: size 1000" -bios "$tmp/bios-odd.bin"
expect_error bios-empty            "$tmp/bios-empty.bin: size 0" -bios "$tmp/bios-empty.bin"
expect_error bios-too-large        "$tmp/bios-17m.bin: size 17825792" -bios "$tmp/bios-17m.bin"
expect_error bios-with-kernel      "-bios $tmp/bios-64k.bin with -kernel" \
                                   -bios "$tmp/bios-64k.bin" -kernel "$tmp/good.elf"

# -fw_cfg: a name and exactly one of file= and string=; the file must be readable
expect_error fw_cfg-missing-file   "file=$tmp/nofw: No such file or directory" \
                                   -kernel "$tmp/good.elf" -fw_cfg "name=opt/x,file=$tmp/nofw"
expect_error fw_cfg-missing-name   "string=y: missing name=" -fw_cfg string=y
expect_error fw_cfg-both           "exactly one of file= and string=" \
                                   -fw_cfg "name=opt/x,file=$tmp/text.txt,string=y"
expect_error fw_cfg-neither        "name=opt/x: give exactly one" -fw_cfg name=opt/x
expect_error fw_cfg-unknown-param  "unknown parameter 'gen_id'" -fw_cfg name=opt/x,gen_id=1
expect_error fw_cfg-name-too-long  "name longer than 55" \
    -fw_cfg name=opt/abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzab,string=y
expect_error fw_cfg-duplicate      "name=opt/x,string=b: fw_cfg file 'opt/x' is already there" \
                                   -kernel "$tmp/good.elf" -fw_cfg name=opt/x,string=a \
                                   -fw_cfg name=opt/x,string=b
# a name outside opt/ runs, with QEMU's warning
run_limited "$TERN" -kernel "$tmp/good.elf" -device "$DX" -fw_cfg name=etc/x,string=y \
    </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 1 ] && grep -qF 'should be prefixed with "opt/"' "$tmp/err"; then
    echo "PASS fw_cfg-name-warning"
else
    echo "FAIL fw_cfg-name-warning: status $rc (want 1), stderr: $(head -n 1 "$tmp/err")"
fi

# disk images (docs/block.md): one line naming the option and the file
truncate -s 1M "$tmp/disk.img"
cp "$tmp/disk.img" "$tmp/ro.img"; chmod 444 "$tmp/ro.img"
printf 'QFI\373\000\000\000\003' >"$tmp/q.img"; truncate -s 1M "$tmp/q.img"
K="-kernel $tmp/good.elf"
expect_error disk-missing          "-hda $tmp/nodisk.img: No such file or directory" \
                                   $K -hda "$tmp/nodisk.img"
expect_error disk-bare-missing     "$tmp/nodisk.img: No such file or directory" $K "$tmp/nodisk.img"
expect_error disk-directory        "-hda $tmp: is a directory, not a disk image" $K -hda "$tmp"
expect_error disk-read-only        "-hda $tmp/ro.img: the file is read-only (use readonly=on, or -snapshot" \
                                   $K -hda "$tmp/ro.img"
head -c 1000 /dev/zero >"$tmp/cut.img"; : >"$tmp/empty.img"
expect_error disk-truncated        "-hda $tmp/cut.img: the image is truncated (1000 bytes is not a whole number of 512-byte sectors)" \
                                   $K -hda "$tmp/cut.img"
expect_error disk-empty            "-hda $tmp/empty.img: the image is empty" $K -hda "$tmp/empty.img"
expect_error disk-qcow2            "$tmp/q.img: qcow2 images are not supported yet (convert with qemu-img" \
                                   $K -hda "$tmp/q.img"
expect_error drive-format-qcow2    "qcow2 images are not supported yet" \
                                   $K -drive "file=$tmp/disk.img,format=qcow2"
expect_error drive-format-unknown  "unknown image format 'vmdk'" $K -drive "file=$tmp/disk.img,format=vmdk"
expect_error drive-bad-if          "if=scsi: must be ide, virtio or none" $K -drive "file=$tmp/disk.img,if=scsi"
expect_error drive-bad-cache       "cache=fast: must be writeback" $K -drive "file=$tmp/disk.img,cache=fast"
expect_error drive-bad-readonly    "readonly=maybe: must be on or off" $K -drive "file=$tmp/disk.img,readonly=maybe"
expect_error drive-bad-key         "unknown parameter 'aio'" $K -drive "file=$tmp/disk.img,aio=native"
expect_error drive-bad-index       "no IDE bus 2 unit 0" $K -drive "file=$tmp/disk.img,index=4"
expect_error drive-same-position   "-hdb $tmp/ro.img: bus 0 unit 1 is already used by drive 'ide0-hd1'" \
                                   $K -drive "file=$tmp/disk.img,index=1" -hdb "$tmp/ro.img"
expect_error drive-device-no-drive "no drive with id 'nope'" $K -device virtio-blk-pci,drive=nope
# the image lock: a paused tern (-S) holds disk.img; a second one is refused
"$TERN" -S -nographic -monitor none -serial none $K -hda "$tmp/disk.img" \
    </dev/null >/dev/null 2>"$tmp/holder.err" &
holder=$!
inode=$(stat -c %i "$tmp/disk.img")
i=0
while [ $i -lt 100 ]; do             # until the holder has it locked (10 s at most)
    grep -q "OFDLCK.*:$inode " /proc/locks 2>/dev/null && break
    sleep 0.1; i=$((i + 1))
done
expect_error disk-locked           "-hda $tmp/disk.img: the image is locked by another process (is another tern or QEMU" \
                                   $K -hda "$tmp/disk.img"
expect_error disk-locked-snapshot  "the image is locked by another process" $K -hda "$tmp/disk.img" -snapshot
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null

# the informational exits
expect_ok help-lists-options  "-kernel FILE"  -help
expect_ok log-help            "in_asm"        -d help
expect_ok log-help-nochain    "nochain"       -d help
expect_ok cpu-help            "qemu64"        -cpu help
expect_ok cpu-help-features   "sse4.1"        -cpu help
expect_ok device-help         "isa-debug-exit" -device help
expect_ok device-help-disks   "virtio-blk-pci" -device help
expect_ok help-lists-drive    "-drive file=F"  -help
exit 0
