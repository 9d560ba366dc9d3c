#!/bin/sh
# disk-test.sh TEST: Linux on tern's disks (issue 10), with the guest kit of
# tests/linux/fetch-guest.sh: Debian's kernel, the initramfs (its /init
# loads the disk modules and switches to root=DEV) and rootfs.img
# (tests/linux/mkrootfs.sh, whose /sbin/init is tests/linux/rootfs-init.sh).
# Each test boots a copy of rootfs.img under TCG.
#   ide | virtio   boot from -hda (root=/dev/sda) or -drive if=virtio
#                  (root=/dev/vda); the guest reads /data/random.bin, writes
#                  /out/*, syncs and powers off; the host reads them back
#                  with debugfs and runs e2fsck -fn:
#     PASS linux/disk-ide/root     the guest's / is /dev/sda
#     PASS linux/disk-ide/read     the guest read random.bin as the host wrote it
#     PASS linux/disk-ide/exit     the guest synced, tern exited with status 0
#     PASS linux/disk-ide/fsck     e2fsck -fn finds the file system clean
#     PASS linux/disk-ide/FILE     each /out file is what the guest wrote
#   crash          DISK_CRASH_ROUNDS (3) boots of one image from -hda, each
#                  appending records with fsync until the host kills tern
#                  with SIGKILL at a random moment (DISK_CRASH_SEED: the
#                  seed, printed); after each kill, on a copy whose journal
#                  e2fsck replayed:
#     PASS linux/disk-crash/rR/fsck     e2fsck -fn finds it clean
#     PASS linux/disk-crash/rR/records  every record of rounds 1..R the guest
#                                       saw flushed is there, intact
#   cmdline        the issue's command line with -accel tcg and -smp 2 (plus
#                  -initrd: Debian's kernel has ata_piix and ext4 as modules):
#     PASS linux/disk-cmdline/paused   -S: the monitor says paused, no output
#     PASS linux/disk-cmdline/gdb      gdb connected on :1234 and continued
#     PASS linux/disk-cmdline/running  the monitor's info status: running
#     PASS linux/disk-cmdline/shell    the guest's shell runs from /dev/sda
#     PASS linux/disk-cmdline/quit     the monitor's quit: tern exits with 0
#     PASS linux/disk-cmdline/kvm-refused  the line as written (-enable-kvm)
#                                      where tern cannot use KVM: one line that
#                                      names KVM, status not 0; where it can,
#                                      the whole test: linux/disk-cmdline-kvm/*
#   SKIP linux/disk...: why   no kit, no rootfs.img, no e2fsprogs, a tern
#                             without -hda, gdb missing or port 1234 taken
# The console is echoed indented.  DISK_TEST_TIMEOUT (default 180 s) bounds
# each boot.
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
G=${GUEST:-build/guest}
TIMEOUT=${DISK_TEST_TIMEOUT:-180}   # a boot takes 10-30 s under TCG
TEST=${1:?disk-test.sh ide|virtio|crash|cmdline}
NAME=linux/disk-$TEST
PATH=$PATH:/sbin:/usr/sbin

# --- can we run at all -------------------------------------------------------
if [ ! -s "$G/vmlinuz" ] || [ ! -s "$G/initramfs.cpio.gz" ]; then
    echo "SKIP $NAME: no guest kit in $G (make guest: downloads Debian's kernel with apt-get)"
    exit 0
fi
if ! command -v debugfs >/dev/null || ! command -v e2fsck >/dev/null; then
    echo "SKIP $NAME: no e2fsprogs (debugfs, e2fsck; ./configure --install-deps)"
    exit 0
fi
if [ ! -s "$G/rootfs.img" ]; then
    echo "SKIP $NAME: no $G/rootfs.img (tests/linux/mkrootfs.sh needs mke2fs)"
    exit 0
fi
if [ ! -x "$TERN" ] && ! command -v "$TERN" >/dev/null; then
    echo "FAIL $NAME: $TERN is not built"
    exit 0
fi
if ! "$TERN" -help 2>&1 | grep -q -- '-hda'; then
    echo "SKIP $NAME: $TERN has no -hda (no block devices yet)"
    exit 0
fi

tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT
img=$tmp/rootfs.img
cp "$G/rootfs.img" "$img"

# --- helpers -------------------------------------------------------------------
# start OUT ARGS...: tern ARGS in the background (pid in $pid: tern's own,
# for SIGKILL), its console to OUT; stdin is $tmp/in, a FIFO kept open here
# (fd 3) for the shell.  Every wait below is bounded.
mkfifo "$tmp/in"
exec 3<>"$tmp/in"
start() {
    _o=$1; shift
    : >"$_o"
    "$TERN" "$@" <"$tmp/in" >"$_o" 2>&1 &
    pid=$!
}
# wait_line OUT REGEX SECONDS: until a console line matches (0), tern ends
# or SECONDS pass (1)
wait_line() {
    _n=0
    while [ $_n -lt $(($3 * 10)) ]; do
        tr -d '\r' <"$1" | grep -qE "$2" && return 0
        kill -0 $pid 2>/dev/null || { tr -d '\r' <"$1" | grep -qE "$2"; return; }
        sleep 0.1
        _n=$((_n + 1))
    done
    return 1
}
# wait_exit SECONDS: until tern ends, SIGKILL after SECONDS; then finish
wait_exit() {
    _n=0
    while [ $_n -lt $(($1 * 10)) ] && kill -0 $pid 2>/dev/null; do sleep 0.1; _n=$((_n + 1)); done
    kill -9 $pid 2>/dev/null
    finish
}
# finish: reap tern (ended or killed); its status in $st
finish() {
    { wait $pid; } 2>/dev/null
    st=$?
    pid=
}
# indent [FILE]: indented (check.sh counts column-0 lines), ending in a
# newline even where the last line has none
indent() { awk '{ print "    " $0 }' "$@"; }
# echo_console OUT: the console without CRs, indented
echo_console() { tr -d '\r' <"$1" | indent; }
# guest_says OUT WHAT: the rest of the guest's first "tern-disk: WHAT " line
guest_says() { tr -d '\r' <"$1" | sed -n "s/^tern-disk: $2 //p" | head -n 1; }
# dump IMG PATH FILE: copy PATH out of the ext4 image IMG (1: not there)
dump() {
    rm -f "$3"
    debugfs -R "dump $2 $3" "$1" >/dev/null 2>&1
    [ -f "$3" ]
}
# fsck_clean NAME IMG: PASS NAME when e2fsck -fn finds IMG clean
fsck_clean() {
    if e2fsck -fn "$2" >"$tmp/fsck" 2>&1; then
        echo "PASS $1"
    else
        indent "$tmp/fsck"
        echo "FAIL $1: e2fsck -fn: $(grep -v -e '^Pass ' -e '^e2fsck ' "$tmp/fsck" | head -n 1)"
    fi
}
# linux: the kernel and the initramfs
linux() { echo -kernel "$G/vmlinuz" -initrd "$G/initramfs.cpio.gz"; }

# --- ide, virtio: write files, power off, read them back ---------------------
files_test() {
    case $TEST in
    ide)    dev=/dev/sda drive="-hda $img" ;;
    virtio) dev=/dev/vda drive="-drive file=$img,format=raw,if=virtio" ;;
    esac
    dump "$img" /data/random.bin "$tmp/random.bin" || { echo "FAIL $NAME: rootfs.img has no /data/random.bin"; return; }
    t0=$(date +%s)
    start "$tmp/out" -m 512 -nographic -no-reboot -accel tcg $(linux) $drive \
        -append "console=ttyS0 panic=-1 root=$dev tern.disk=write"
    wait_exit "$TIMEOUT"
    echo_console "$tmp/out"
    echo "    (disk test $TEST: tern status $st after $(( $(date +%s) - t0 )) s)"
    root=$(guest_says "$tmp/out" root)
    if [ "$root" != "$dev mode write" ]; then
        echo "FAIL $NAME/root: the guest did not run from $dev (status $st; last line: $(tr -d '\r' <"$tmp/out" | grep -v '^$' | tail -n 1))"
        return
    fi
    echo "PASS $NAME/root"
    want=$(sha256sum <"$tmp/random.bin" | cut -d' ' -f1)
    got=$(guest_says "$tmp/out" 'read random.bin')
    if [ "$got" = "$want" ]; then echo "PASS $NAME/read"
    else echo "FAIL $NAME/read: the guest read random.bin as ${got:-nothing}, want $want"; fi
    if ! tr -d '\r' <"$tmp/out" | grep -q '^tern-disk: synced'; then
        echo "FAIL $NAME/exit: the guest stopped before its sync (status $st)"
    elif [ "$st" != 0 ]; then
        echo "FAIL $NAME/exit: tern exited with status $st (want 0 from poweroff -f)"
    else
        echo "PASS $NAME/exit"
    fi
    fsck_clean "$NAME/fsck" "$img"
    if ! tr -d '\r' <"$tmp/out" | grep -q '^tern-disk: synced'; then
        echo "FAIL $NAME/files: not checked: the guest did not finish writing them"
        return
    fi
    # each file: the host's copy of what the guest wrote
    seq 1 300000 >"$tmp/seq.want"
    echo "hello from tern" >"$tmp/hello.want"
    usum=$(guest_says "$tmp/out" 'wrote urandom.bin')
    for f in copy.bin:random.bin seq.txt:seq.want hello.txt:hello.want urandom.bin:; do
        name=${f%%:*} ref=${f#*:}
        if ! dump "$img" "/out/$name" "$tmp/got"; then
            echo "FAIL $NAME/$name: no /out/$name in the image"
        elif [ -n "$ref" ] && ! cmp -s "$tmp/got" "$tmp/$ref"; then
            echo "FAIL $NAME/$name: differs from what the guest wrote ($(cmp "$tmp/got" "$tmp/$ref" 2>&1 | head -n 1))"
        elif [ -z "$ref" ] && [ "$(sha256sum <"$tmp/got" | cut -d' ' -f1)" != "$usum" ]; then
            echo "FAIL $NAME/$name: sha256 differs from the guest's ${usum:-(none printed)}"
        else
            echo "PASS $NAME/$name"
        fi
    done
}

# --- crash: SIGKILL during write+fsync loops ----------------------------------
# records R N: round R's first N records, as rootfs-init.sh writes them
records() { awk -v r="$1" -v n="$2" 'BEGIN { for (i = 1; i <= n; i++) printf "round %d record %08d %032d\n", r, i, i }'; }
crash_test() {
    rounds=${DISK_CRASH_ROUNDS:-3}
    seed=${DISK_CRASH_SEED:-$(( $(date +%s) % 100000 ))}
    # the kill delays, in tenths of a second after the guest mounted its
    # root (and its kernel replayed the last round's journal): 0.5 to 5 s,
    # some before the first record, most amid the loop
    delays=$(awk -v s="$seed" -v n="$rounds" 'BEGIN { srand(s); for (i = 0; i < n; i++) print 5 + int(rand() * 45) }')
    echo "    (crash test: seed $seed, kill delays $(echo $delays) tenths of a second; DISK_CRASH_SEED=$seed repeats them)"
    r=0 flushed=
    for d in $delays; do
        r=$((r + 1))
        start "$tmp/out" -m 512 -nographic -no-reboot -accel tcg $(linux) -hda "$img" \
            -append "console=ttyS0 panic=-1 root=/dev/sda tern.disk=crash tern.round=$r"
        if ! wait_line "$tmp/out" '^tern-disk: root ' "$TIMEOUT"; then
            kill -9 $pid 2>/dev/null; finish
            echo_console "$tmp/out"
            echo "FAIL $NAME/r$r: the guest did not mount its root (status $st)"
            return
        fi
        sleep "$((d / 10)).$((d % 10))"
        kill -9 $pid 2>/dev/null
        finish
        tr -d '\r' <"$tmp/out" | grep -v '^tern-disk: flushed ' | indent
        n=$(tr -d '\r' <"$tmp/out" | sed -n 's/^tern-disk: flushed \([0-9]*\)$/\1/p' | tail -n 1)
        n=${n:-0}
        flushed="$flushed $n"
        echo "    (round $r: killed after $d tenths of a second, status $st, $n records flushed)"
        # the journal needs replaying after a crash: e2fsck does it (on a
        # copy: the next round's kernel replays the original), then -fn
        cp "$img" "$tmp/check.img"
        e2fsck -E journal_only -y "$tmp/check.img" >/dev/null 2>&1
        fsck_clean "$NAME/r$r/fsck" "$tmp/check.img"
        bad=
        i=0
        for k in $flushed; do
            i=$((i + 1))
            [ "$k" = 0 ] && continue
            records $i "$k" >"$tmp/want"
            if ! dump "$tmp/check.img" "/out/log.$i" "$tmp/log"; then
                bad="round $i: no /out/log.$i ($k records flushed)"
            elif ! head -n "$k" "$tmp/log" | cmp -s - "$tmp/want"; then
                bad="round $i: $(head -n "$k" "$tmp/log" | cmp - "$tmp/want" 2>&1 | head -n 1) of $k flushed records"
            fi
            [ -n "$bad" ] && break
        done
        if [ -n "$bad" ]; then echo "FAIL $NAME/r$r/records: $bad"
        else echo "PASS $NAME/r$r/records"; fi
    done
    # a test that never saw a flushed record tested nothing
    case " $flushed " in *" "[1-9]*) ;; *) echo "FAIL $NAME/flushed: no round flushed a record (rounds:$flushed)" ;; esac
}

# --- cmdline: the issue's command line -----------------------------------------
# monitor SOCK CMD: CMD's answer from the human monitor on SOCK
monitor() {
    python3 - "$1" "$2" <<'PY'
import re, socket, sys, time
s = socket.socket(socket.AF_UNIX)
for _ in range(100):
    try:
        s.connect(sys.argv[1]); break
    except OSError:
        time.sleep(0.1)
s.settimeout(20)
buf = b''
prompt = re.compile(rb'\((tern|qemu)\) ')
def upto_prompt():
    global buf
    while not prompt.search(buf):
        x = s.recv(4096)
        if not x:
            break
        buf += x
    m = prompt.search(buf)
    out, buf = (buf[:m.start()], buf[m.end():]) if m else (buf, b'')
    return out.decode(errors='replace')
try:
    upto_prompt()
    s.sendall(sys.argv[2].encode() + b'\n')
    # the answer's last line (QEMU's monitor echoes the command first)
    lines = [l for l in upto_prompt().replace('\r', '\n').split('\n') if l.strip()]
    print(lines[-1].strip() if lines else '')
except OSError as e:
    print('(monitor: %s)' % e)
PY
}
cmdline_test() {
    if ! command -v gdb >/dev/null || ! command -v python3 >/dev/null; then
        echo "SKIP $NAME: gdb or python3 not installed (./configure --install-deps)"
        return
    fi
    # bound as tern binds it (SO_REUSEADDR: a connection in TIME_WAIT is no hindrance)
    if ! python3 -c 'import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("", 1234))' 2>/dev/null; then
        echo "SKIP $NAME: port 1234 (-s) is in use on this host"
        return
    fi
    cmdline_run "$NAME" -accel tcg
    # -enable-kvm as written: tern either refuses at once, in one line that
    # names KVM (no usable /dev/kvm), or starts paused (-S): then the whole
    # test again under KVM
    start "$tmp/kvm" -m 4096m $(linux) -hda "$img" -nographic -append "root=/dev/sda console=ttyS0" \
        -enable-kvm -s -S -smp 2 -monitor "unix:$tmp/kvm.sock,server,nowait"
    sleep 5
    if kill -0 $pid 2>/dev/null; then
        kill -9 $pid; finish
        cp "$G/rootfs.img" "$img"
        cmdline_run "$NAME-kvm" -enable-kvm
        return
    fi
    finish
    indent "$tmp/kvm"
    if [ "$st" = 0 ]; then
        echo "FAIL $NAME/kvm-refused: tern -enable-kvm exited at once with status 0"
    elif [ "$(grep -c . "$tmp/kvm")" != 1 ] || ! grep -qi kvm "$tmp/kvm"; then
        echo "FAIL $NAME/kvm-refused: tern -enable-kvm exited with status $st; want one line that names KVM, got $(grep -c . "$tmp/kvm")"
    else
        echo "PASS $NAME/kvm-refused"
    fi
}
# cmdline_run NAME ACCEL-ARGS...: the issue's line (the kernel, -hda,
# -append, -s -S, -smp, -monitor) under ACCEL-ARGS, driven as the issue says
cmdline_run() {
    name=$1; shift
    sock=$tmp/monitor.sock
    set -- -m 4096m -kernel "$G/vmlinuz" -initrd "$G/initramfs.cpio.gz" -hda "$img" -nographic \
        -append "root=/dev/sda console=ttyS0" "$@" -s -S -smp 2 \
        -monitor "unix:$sock,server,nowait"
    echo "    (tern $*)"
    start "$tmp/out" "$@"
    status=$(monitor "$sock" 'info status')
    if echo "$status" | grep -q 'paused' && ! tr -d '\r' <"$tmp/out" | grep -q 'Linux version'; then
        echo "PASS $name/paused"
    else
        echo "FAIL $name/paused: info status said '$status' before gdb"
    fi
    timeout -s KILL "$TIMEOUT" gdb -batch -nx -ex 'target remote :1234' \
        -ex 'echo tern-gdb: connected\n' -ex continue \
        </dev/null >"$tmp/gdb" 2>&1 &
    gpid=$!
    n=0
    while [ $n -lt 100 ] && ! grep -q '^tern-gdb: connected' "$tmp/gdb"; do sleep 0.1; n=$((n + 1)); done
    sleep 1     # gdb's continue: checked by the monitor below
    if grep -q '^tern-gdb: connected' "$tmp/gdb" && kill -0 $gpid 2>/dev/null; then echo "PASS $name/gdb"
    else indent "$tmp/gdb"; echo "FAIL $name/gdb: gdb did not connect and continue in 10 s"; fi
    status=$(monitor "$sock" 'info status')
    if [ "$status" = "VM status: running" ]; then echo "PASS $name/running"
    else echo "FAIL $name/running: info status said '$status' after gdb's continue"; fi
    if wait_line "$tmp/out" '^tern-disk: shell' "$TIMEOUT"; then
        echo 'echo tern-shell-$((6 * 7))' >&3
        wait_line "$tmp/out" '^tern-shell-42' 60
    fi
    root=$(guest_says "$tmp/out" root)
    if ! tr -d '\r' <"$tmp/out" | grep -q '^tern-shell-42'; then
        echo "FAIL $name/shell: no shell from /dev/sda answered (root: ${root:-none}; last line: $(tr -d '\r' <"$tmp/out" | grep -v '^$' | tail -n 1))"
    elif [ "$root" != "/dev/sda mode shell" ]; then
        echo "FAIL $name/shell: the guest's root is '$root', not /dev/sda"
    else
        echo "PASS $name/shell"
    fi
    monitor "$sock" quit >/dev/null
    wait_exit 10
    kill $gpid 2>/dev/null; wait $gpid 2>/dev/null
    echo_console "$tmp/out"
    if [ "$st" = 0 ]; then echo "PASS $name/quit"
    else echo "FAIL $name/quit: tern exited with status $st after the monitor's quit (want 0)"; fi
}

case $TEST in
ide|virtio) files_test ;;
crash)      crash_test ;;
cmdline)    cmdline_test ;;
*)          echo "FAIL linux/disk: unknown test $TEST (ide, virtio, crash, cmdline)" ;;
esac
exit 0
