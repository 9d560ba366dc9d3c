#!/bin/sh
# fetch-guest.sh [DIR]: the guest kit for booting Linux in tern (issue 6).
# Downloads Debian's current stable kernel (the package linux-image-amd64
# depends on) and busybox-static with `apt-get download` -- nothing else is
# downloaded -- and builds in DIR (default build/guest):
#   vmlinuz              the kernel (a bzImage)
#   busybox              the static busybox, kept to rebuild the archives
#   modules/             lib/modules/VERSION/ with the modules of MODULES
#                        below and what they depend on, and modules.dep
#   initramfs.cpio.gz    /init (tests/linux/init.sh), busybox with its
#                        applet links, the modules: an interactive shell
#   boot-test.cpio.gz    the same without modules, plus /check
#                        (tests/linux/check.sh) and /qemu_fw_cfg.ko, for
#                        tests/linux/boot-test.sh
#   kit.version          the packages and versions the kit was made from
#   rootfs.img           an ext4 root file system for disk boots
#                        (tests/linux/mkrootfs.sh; needs e2fsprogs)
# Cached: when kit.version matches what apt offers now, nothing is
# downloaded; the archives are rebuilt only when a script they come from
# changed.  Needs apt-get, apt-cache, dpkg-deb and gzip (any Debian); the
# archives are written by tests/linux/mkcpio.sh, so cpio is not needed.
set -eu

# The modules the guest needs later: disks (PIIX IDE/SATA, SCSI disks,
# ATAPI CD-ROMs with ISO 9660), virtio, ext4 for the root file system of
# rootfs.img (crc32c_generic: ext4's checksums take it through the crypto
# API, which no depends= names), KVM on AMD SVM for tests/kvm/nested.sh
# (QEMU's TCG emulates SVM), and qemu_fw_cfg (the fw_cfg device in sysfs;
# boot-test.cpio.gz has it too).  Their dependencies are added from each
# module's depends= field.
MODULES="ata_piix libata sd_mod scsi_mod sr_mod cdrom isofs
         virtio virtio_ring virtio_pci virtio_blk ext4 jbd2 mbcache crc16 crc32c_generic
         irqbypass ccp kvm kvm_amd qemu_fw_cfg"

G=${1:-build/guest}
HERE=$(cd "$(dirname "$0")" && pwd)
die() { echo "fetch-guest: $*" >&2; exit 1; }

for t in apt-get apt-cache dpkg-deb gzip; do
    command -v $t >/dev/null 2>&1 || die "needs $t (a Debian-based host)"
done

# What apt offers now (from the local package lists; no network needed).
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
       sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
[ -n "$kpkg" ] || die "apt knows no linux-image-amd64 package (run apt-get update)"
candidate() { apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p'; }
kver=$(candidate "$kpkg")
bver=$(candidate busybox-static)
[ -n "$kver" ] && [ "$kver" != "(none)" ] || die "apt has no candidate for $kpkg (run apt-get update)"
[ -n "$bver" ] && [ "$bver" != "(none)" ] || die "apt has no candidate for busybox-static (run apt-get update)"
want="$kpkg $kver busybox-static $bver"

mkdir -p "$G"
G=$(cd "$G" && pwd)
kit_ok() {
    [ -f "$G/kit.version" ] && [ "$(cat "$G/kit.version")" = "$want" ] &&
        [ -s "$G/vmlinuz" ] && [ -x "$G/busybox" ] && [ -d "$G/modules/lib/modules" ] &&
        kit_has_modules
}
# A kit made before a module joined MODULES is extracted again.
kit_has_modules() {
    have=$(cd "$G/modules" && { find lib/modules -name '*.ko'; cat lib/modules/*/modules.builtin; } |
           sed 's|.*/||; s|\.ko$||' | tr - _)
    for m in $MODULES; do
        echo "$have" | grep -qx "$m" || return 1
    done
}

# --- download and extract ------------------------------------------------
if ! kit_ok; then
    t0=$(date +%s)
    tmp=$(mktemp -d "$G/.fetch.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    # As root, apt would first try to download as the _apt user, which cannot
    # write to our directory, and warn.
    sandbox=
    [ "$(id -u)" = 0 ] && sandbox="-o APT::Sandbox::User=root"
    echo "fetch-guest: apt-get download $kpkg=$kver busybox-static=$bver"
    if ! (cd "$tmp" && apt-get download $sandbox "$kpkg=$kver" "busybox-static=$bver") >"$tmp/log" 2>&1; then
        die "apt-get download failed: $(grep '^E: ' "$tmp/log" | head -n 1 | sed 's/^E: //; s/  */ /g')"
    fi
    dpkg-deb -x "$tmp"/busybox-static_*.deb "$tmp/bb"
    dpkg-deb -x "$tmp"/linux-image-*.deb "$tmp/k"
    uname=$(ls "$tmp/k/lib/modules")
    kmods=$tmp/k/lib/modules/$uname

    # Module closure: name (dashes as underscores) -> path, then add each
    # module's depends= until nothing new comes in.
    find "$kmods/kernel" -name '*.ko' | while read -r p; do
        n=$(basename "$p" .ko | tr - _); echo "$n ${p#"$kmods"/}"
    done >"$tmp/index"
    need=$MODULES
    while :; do
        more=$need
        for m in $need; do
            p=$(awk -v n="$m" '$1 == n { print $2 }' "$tmp/index")
            [ -n "$p" ] || { grep -q "/$m.ko\$" "$kmods/modules.builtin" 2>/dev/null && continue
                             die "$kpkg has no module $m"; }
            for d in $(tr '\0' '\n' <"$kmods/$p" | sed -n 's/^depends=//p' | tr ',-' ' _'); do
                case " $more " in *" $d "*) ;; *) more="$more $d" ;; esac
            done
        done
        [ "$more" = "$need" ] && break
        need=$more
    done
    mkdir -p "$tmp/m/lib/modules/$uname"
    cp "$kmods/modules.builtin" "$kmods/modules.order" "$tmp/m/lib/modules/$uname/"
    for m in $need; do
        p=$(awk -v n="$m" '$1 == n { print $2 }' "$tmp/index")
        [ -n "$p" ] || continue
        mkdir -p "$tmp/m/lib/modules/$uname/$(dirname "$p")"
        cp "$kmods/$p" "$tmp/m/lib/modules/$uname/$p"
    done
    "$tmp/bb/bin/busybox" depmod -b "$tmp/m" "$uname"

    rm -rf "$G/modules" "$G/vmlinuz" "$G/busybox" "$G/kit.version"
    mv "$tmp/m" "$G/modules"
    mv "$tmp/k/boot/vmlinuz-$uname" "$G/vmlinuz"
    mv "$tmp/bb/bin/busybox" "$G/busybox"
    echo "$want" >"$G/kit.version"
    rm -rf "$tmp"
    trap - EXIT
    echo "fetch-guest: kernel $uname, $(echo $need | wc -w) modules, fetched in $(( $(date +%s) - t0 )) s"
fi

# --- the initramfs archives ------------------------------------------------
# spec [EXTRA...]: the mkcpio.sh list of the common part.
spec() {
    for d in bin sbin usr usr/bin usr/sbin dev proc sys root tmp etc lib; do
        echo "dir /$d 0755"
    done
    echo "nod /dev/console 0600 c 5 1"
    echo "nod /dev/null 0666 c 1 3"
    echo "file /init $HERE/init.sh 0755"
    echo "file /bin/busybox $G/busybox 0755"
    "$G/busybox" --list-full | while read -r a; do
        case $a in */*) [ "$a" = bin/busybox ] || echo "slink /$a /bin/busybox 0777" ;; esac
    done
}
modules_spec() {
    (cd "$G/modules" && find lib/modules | sort) | while read -r p; do
        if [ -d "$G/modules/$p" ]; then echo "dir /$p 0755"; else echo "file /$p $G/modules/$p 0644"; fi
    done
}
# build OUT SPEC-FUNCTION...: rebuilt when missing or older than its inputs
build() {
    out=$G/$1; shift
    if [ -f "$out" ]; then
        stale=
        for f in "$HERE/init.sh" "$HERE/check.sh" "$HERE/mkcpio.sh" "$HERE/fetch-guest.sh" "$G/kit.version"; do
            [ -n "$(find "$f" -newer "$out")" ] && stale=1
        done
        [ -z "$stale" ] && return 0
    fi
    { for fn do $fn; done; } | sh "$HERE/mkcpio.sh" | gzip -9n >"$out.tmp"
    mv "$out.tmp" "$out"
    echo "fetch-guest: wrote $out ($(wc -c <"$out") bytes)"
    built=1
}
check_spec() {
    echo "file /check $HERE/check.sh 0755"
    # /check loads it (it has no depends=); nothing to add if it is built in
    f=$(find "$G/modules" -name qemu_fw_cfg.ko)
    [ -z "$f" ] || echo "file /qemu_fw_cfg.ko $f 0644"
}
# fetch-guest.sh DIR --spec: print the list of initramfs.cpio.gz (for
# mkcpio.sh) instead, for archives built elsewhere (tests/kvm/nested.sh).
if [ "${2:-}" = --spec ]; then
    spec; modules_spec
    exit 0
fi
built=
build initramfs.cpio.gz spec modules_spec
build boot-test.cpio.gz spec check_spec
[ -n "$built" ] || echo "fetch-guest: $G is up to date ($want)"
# rootfs.img, the ext4 root of the disk tests: optional (needs e2fsprogs)
sh "$HERE/mkrootfs.sh" "$G" || echo "fetch-guest: no rootfs.img; the disk tests will SKIP"
