#!/bin/sh
# guest-tests.sh: the KVM test list, run inside the nested environment by
# tests/kvm/nested.sh (cwd /tern, busybox only), which passes the result
# lines on to the host with "nested/" in front.
#   PASS kvm/smoke              kvm-smoke: /dev/kvm runs a real-mode guest
#   x86/kvm/NAME ...            suite-x86.sh, under -accel kvm only
#   SKIP x86/kvm/NAME: nested:  a test of tests/kvm/nested-skip.txt
#   gdb/kvm/step                the gdb stub single-steps a KVM vCPU
#   x86/kvm-irqchip-off/NAME    the same for smp, pic, pit-irq and
#                               uart-timeout with -machine kernel-irqchip=off
#                               (not hpet: its PIT cut-off check saw a PIT
#                               tick already on its way to KVM_INTERRUPT)
#   multiboot/kvm/FORM, linuxboot/kvm/NAME   suite-multiboot.sh and
#                               suite-linuxboot.sh under -accel kvm only
#   linux/kvm/disk-ide/...      Linux from rootfs.img on -hda under KVM:
#                               a write boot, then a verify boot
#   linux/kvm/boot/NAME ...     tests/linux/boot-test.sh with tern -accel kvm,
#                               SKIP with suite-x86's reason when tern
#                               cannot use KVM
#   compare/kvm/NAME            -accel compare,ref=kvm (step=event) runs
#                               the guest with no divergence;
#                               compare/kvm/planted: tern-planted's bug is
#                               named under ref=kvm too
#
# The list is a sequence of steps (STEPS below), each announced by a line
# "tern-nested: step NAME": when the nested machine itself stops,
# nested.sh boots it again and goes on from the step that was running
# (NESTED_FROM=NAME), leaving out a step during which it stopped twice
# (NESTED_OMIT="NAME ..."); NESTED_STEPS="NAME ..." runs only those.
# TERN_NESTED=1: the tests' "// tern-nested:" markers apply (suite-x86.sh)
# X86_TIMEOUT: the sse test alone took 30 s nested on a loaded machine
export O=build TERN=build/tern GUEST=build/guest TERN_NESTED=1 X86_TIMEOUT=120
STEPS=${NESTED_STEPS:-skips smoke x86 multiboot irqchip-off linuxboot gdb compare planted linux-boot linux-disk}
TIMEOUT=${COMPARE_KVM_TIMEOUT:-200}     # guest_run's, for the probe and the compare step
. tests/scripts/guest-lib.sh

# Why tern cannot use KVM here (empty when it can): the reason suite-x86
# gives, from the same probe, for the steps that run tern -accel kvm
# themselves.
guest_accels /tmp/probe.out build/tests/x86/hello.elf
why=$kvm_reason

# The tests nested.sh left out of the archive.
step_skips() {
    awk '!/^#/ && NF { n = $1; $1 = ""; sub(/^ +/, ""); print "SKIP x86/kvm/" n ": nested: " $0 }' \
        tests/kvm/nested-skip.txt
}

step_smoke() {
    if out=$(kvm-smoke 2>&1); then
        echo "PASS kvm/smoke"
    else
        echo "FAIL kvm/smoke: $(printf '%s\n' "$out" | tail -n 1)"
    fi
    printf '%s\n' "$out" | sed 's/^/    /'
}

step_x86() { X86_ACCEL=kvm sh tests/scripts/suite-x86.sh 2>&1; }
step_multiboot() { X86_ACCEL=kvm sh tests/scripts/suite-multiboot.sh 2>&1; }
step_linuxboot() { X86_ACCEL=kvm sh tests/scripts/suite-linuxboot.sh 2>&1; }

# kernel-irqchip=off: tern's own PIC, IOAPIC, local APICs (INIT/SIPI and
# IPIs between the vCPUs) and timers, with KVM_INTERRUPT: the interrupt
# tests and the SMP test, named x86/kvm-irqchip-off/NAME (hpet: see above).
step_irqchip_off() {
    printf '#!/bin/sh\nexec /tern/build/tern -machine kernel-irqchip=off "$@"\n' >/tmp/tern-irqoff
    chmod +x /tmp/tern-irqoff
    TERN=/tmp/tern-irqoff X86_ACCEL=kvm X86_ONLY="smp pic pit-irq uart-timeout" \
        sh tests/scripts/suite-x86.sh 2>&1 | sed 's|^\(PASS\|FAIL\|SKIP\) x86/kvm/|\1 x86/kvm-irqchip-off/|'
}

# gdb under KVM: an RSP exchange with busybox nc on the loopback (no gdb
# inside): -S holds the guest, one step (KVM_GUESTDBG_SINGLESTEP) must
# stop again with rip moved on.  Breakpoints are not checked nested: QEMU's
# nested SVM gives KVM no #BP exit for INT3 and ignores the debug registers.
step_gdb() {
    ifconfig lo 127.0.0.1 up 2>/dev/null || ip link set lo up 2>/dev/null
    timeout 60 build/tern -accel kvm -nographic -S -gdb tcp::1234 -kernel build/tests/x86/gdbtarget.elf \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 >/tmp/gdb-tern.out 2>&1 &
    sleep 2
    { printf '$?#3f'; sleep 1; printf '$p10#d1'; sleep 1; printf '$s#73'; sleep 3
      printf '$p10#d1'; sleep 1; printf '$D#44'; sleep 1; } | nc 127.0.0.1 1234 | tr '$' '\n' >/tmp/gdb-rsp.out
    echo >>/tmp/gdb-rsp.out            # the last reply has no newline
    wait
    rips=$(grep -E '^[0-9a-f]{16}#' /tmp/gdb-rsp.out | cut -c1-16 | tr '\n' ' ')
    stops=$(grep -c '^T05thread:01;' /tmp/gdb-rsp.out)
    set -- $rips
    if [ "$stops" = 2 ] && [ $# = 2 ] && [ "$1" != "$2" ]; then
        echo "PASS gdb/kvm/step"
    else
        echo "FAIL gdb/kvm/step: want two stops and rip moved, got $stops stops, rip $rips"
    fi
    sed 's/^/    /' /tmp/gdb-rsp.out
}

# Linux on tern's disks under KVM (issue 10; tests/linux/disk-test.sh
# does more under TCG, with debugfs and e2fsck on the host): a copy of
# rootfs.img as root, a write boot (the guest reads /data/random.bin and
# writes /out, syncs, powers off), then a verify boot that prints the
# sums of /out's files: what the first boot wrote must read back.
kvm_disk() {   # NAME DEV DRIVE-OPTIONS
    n=linux/kvm/disk-$1
    if [ ! -f build/guest/rootfs.img ]; then
        echo "SKIP $n: no rootfs.img in the archive (the host has no e2fsprogs)"
        return
    fi
    cp build/guest/rootfs.img /tmp/rootfs.img
    for mode in write verify; do
        timeout 300 /tmp/tern-kvm -m 512 -nographic -no-reboot -kernel build/guest/vmlinuz \
            -initrd build/guest/initramfs.cpio.gz $3 \
            -append "console=ttyS0 panic=-1 quiet root=$2 tern.disk=$mode" </dev/null 2>&1 |
            tr -d '\r' >/tmp/disk-$mode.out
        sed 's/^/    /' /tmp/disk-$mode.out | grep 'tern-disk:'
    done
    says() { sed -n "s/^tern-disk: $1 //p" "$2" | head -n 1; }
    want=$(cat build/guest/rootfs.random.sha256)
    if [ "$(says root /tmp/disk-write.out)" != "$2 mode write" ]; then
        echo "FAIL $n/root: the guest did not run from $2 ($(grep -v '^$' /tmp/disk-write.out | tail -n 1))"
        return
    fi
    echo "PASS $n/root"
    [ "$(says 'read random.bin' /tmp/disk-write.out)" = "$want" ] &&
        echo "PASS $n/read" || echo "FAIL $n/read: the guest read random.bin wrong"
    if ! grep -q '^tern-disk: synced' /tmp/disk-write.out; then
        echo "FAIL $n/persist: the write boot did not reach its sync"
    elif [ "$(says 'sum copy.bin' /tmp/disk-verify.out)" = "$want" ] &&
         [ "$(says 'sum urandom.bin' /tmp/disk-verify.out)" = "$(says 'wrote urandom.bin' /tmp/disk-write.out)" ]; then
        echo "PASS $n/persist"
    else
        echo "FAIL $n/persist: the verify boot read back other sums than the write boot wrote"
    fi
}

# boot-test.sh runs $TERN with its options: put -accel kvm in front, and
# -cpu max,-xsave: QEMU 7.2's nested SVM does not intercept XSETBV, so the
# guest's XCR0 stays 1 and, with XSAVE offered, init's first rt_sigreturn
# fails ("bad frame"; docs/kvm.md).
printf '#!/bin/sh\nexec /tern/build/tern -accel kvm -cpu max,-xsave "$@"\n' >/tmp/tern-kvm
chmod +x /tmp/tern-kvm

# (the -smp 2 boot, SMP_ITERS=1000 boot-test.sh -smp 2, passes here by
# hand but took the list past its time limit on a loaded CI machine)
step_linux_boot() {
    if [ -n "$why" ]; then
        echo "SKIP linux/kvm/boot: kvm: $why"
        return
    fi
    TERN=/tmp/tern-kvm sh tests/linux/boot-test.sh | sed 's/^\(PASS\|FAIL\|SKIP\) linux\/boot/\1 linux\/kvm\/boot/'
}

# IDE only: with virtio too (two more boots, +45 s) the list once passed
# its 900 s limit on a loaded CI run; x86/kvm/virtio-blk covers virtio-blk
# under KVM, and by hand `kvm_disk virtio /dev/vda
# "-drive file=/tmp/rootfs.img,format=raw,if=virtio"` passes
step_linux_disk() {
    if [ -n "$why" ]; then
        echo "SKIP linux/kvm/disk-ide: kvm: $why"
        return
    fi
    kvm_disk ide /dev/sda "-hda /tmp/rootfs.img"
}

# The compare mode with KVM as the reference (docs/compare.md): guests
# under -accel compare,ref=kvm (step=event: the two engines run freely
# between device accesses and compare at each) with no divergence:
# compare/kvm/NAME; compare/kvm/planted: tern-planted's NEG bug (in the
# shadow's blocks only) is named, instruction and flag, under ref=kvm too.
# Not in the default list: muldiv (passes, but an interval around its BSS
# clearing loop is run again by single steps: about 2 minutes), x87,
# paging, bitops (QEMU's TCG, the nested "hardware", differs from tern
# there: FRNDINT's C1, RF in a fault's frame, the tern-nested markers),
# apic (moves its APIC base: memory map changes are not followed), sse
# (about 400 000 intervals of serial output).  COMPARE_KVM_GUESTS and
# COMPARE_KVM_PLANTED=0 change the list.
step_compare() {
    for g in ${COMPARE_KVM_GUESTS-hello alu branches io cpuid pic}; do
        if [ -n "$why" ]; then
            echo "SKIP compare/kvm/$g: kvm: $why"
            continue
        fi
        guest_run /tmp/compare.out "" -accel compare,ref=kvm -kernel build/tests/x86/$g.elf -no-reboot
        if guest_judge "compare/kvm/$g" /tmp/compare.out 1 yes; then
            if grep -q '^tern: compare:' /tmp/compare.out; then
                echo "FAIL compare/kvm/$g: $(grep -m1 '^tern: compare:' /tmp/compare.out)"
            else
                echo "PASS compare/kvm/$g"
            fi
        fi
    done
}

step_planted() {
    if [ "${COMPARE_KVM_PLANTED:-1}" = 0 ]; then
        return
    elif [ -n "$why" ] || [ ! -x build/tern-planted ]; then
        echo "SKIP compare/kvm/planted: ${why:+kvm: $why}${why:-build/tern-planted is not built}"
        return
    fi
    TERN=build/tern-planted guest_run /tmp/compare.out "" -accel compare,ref=kvm \
        -kernel build/tests/x86/alu.elf -no-reboot
    sed 's/^/    /' /tmp/compare.out | grep -v '^    PASS' | head -n 30
    if [ "$st" = 2 ] && grep -Eq '^  step [0-9]+ ran: 0x[0-9a-f]+:( [0-9a-f]{2})+  neg' /tmp/compare.out &&
       grep -Eq '^  CF +reference 1  shadow 0$' /tmp/compare.out; then
        echo "PASS compare/kvm/planted"
    else
        echo "FAIL compare/kvm/planted: want status 2, a neg step and CF named (status $st)"
    fi
}

# The steps, from NESTED_FROM on (all when unset), without NESTED_OMIT's.
started=${NESTED_FROM:+no}
for step in $STEPS; do
    [ "$step" = "${NESTED_FROM:-}" ] && started=
    [ -z "$started" ] || continue
    case " ${NESTED_OMIT:-} " in *" $step "*) continue ;; esac
    echo "tern-nested: step $step"
    "step_$(echo "$step" | tr - _)"
done
