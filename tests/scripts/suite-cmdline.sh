#!/bin/sh
# suite-cmdline: tern as a drop-in for qemu-system-x86_64's command line
# (docs/qemu-compat.md).  Runs each case of tests/cmdline/table.txt
# (its header says how), then -daemonize with -pidfile and a QMP quit:
#   PASS|FAIL cmdline/NAME
#   PASS|FAIL cmdline/daemonize/{parent,pidfile,qmp-quit,exit,pidfile-removed}
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
HELLO=$O/tests/x86/hello.elf
HERE=$(cd "$(dirname "$0")" && pwd)
TABLE=$HERE/../cmdline/table.txt
EXIT="-device isa-debug-exit,iobase=0xf4,iosize=0x04"

if [ ! -x "$TERN" ] || [ ! -f "$HELLO" ]; then
    echo "FAIL cmdline: $TERN or $HELLO is not built"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# case_run NAME KIND TEXT OPTIONS...
case_run() {
    name=cmdline/$1 kind=$2 text=$3
    shift 3
    rm -rf "$tmp/case" && mkdir "$tmp/case" && truncate -s 1M "$tmp/case/disk.img"
    set -- $(printf '%s\n' "$*" | sed "s|@EXIT@|$EXIT|g; s|@TMP@|$tmp/case|g; s|@HELLO@|$HELLO|g")
    if [ "$kind" = run ]; then
        set -- "$@" -kernel "$HELLO" -no-reboot
    fi
    timeout 60 "$TERN" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    rc=$?
    case $kind in
    run)
        if [ "$rc" = 1 ] && grep -qE '^[1-9][0-9]* passed, 0 failed' "$tmp/out"; then
            echo "PASS $name"
        else
            echo "FAIL $name: exit status $rc, want 1 and the guest's summary" \
                 "($(cat "$tmp/err" "$tmp/out" | grep -v '^$' | head -n 1))"
        fi ;;
    fail)
        if [ "$rc" != 1 ] || [ "$(wc -l <"$tmp/err")" != 1 ]; then
            echo "FAIL $name: exit status $rc and $(wc -l <"$tmp/err") stderr lines, want 1 and 1" \
                 "($(head -n 1 "$tmp/err"))"
        elif ! grep -q '^tern: ' "$tmp/err" || ! grep -qF -- "$text" "$tmp/err"; then
            echo "FAIL $name: want 'tern: ...$text...', got: $(cat "$tmp/err")"
        else
            echo "PASS $name"
        fi ;;
    out)
        if [ "$rc" = 0 ] && grep -qF -- "$text" "$tmp/out"; then
            echo "PASS $name"
        else
            echo "FAIL $name: exit status $rc, want 0 and '$text' on stdout"
        fi ;;
    *)  echo "FAIL $name: the table's kind '$kind' is not run, fail or out" ;;
    esac
}

grep -v '^#' "$TABLE" | grep -v '^[[:space:]]*$' | while IFS= read -r line; do
    head=${line%%::*}
    opts=${line#*::}
    set -- $head
    name=$1 kind=$2
    shift 2
    case_run "$name" "$kind" "$*" $opts
done

# -daemonize -pidfile -qmp: the parent returns 0 once the machine runs;
# the pid file names the daemon, which QMP's quit ends, and the pid file
# goes with it.  The hello guest has no isa-debug-exit here, so it halts
# and waits.
d=$tmp/daemon
mkdir "$d"
timeout 30 "$TERN" -daemonize -pidfile "$d/pid" -qmp "unix:$d/qmp.sock,server,nowait" \
    -display none -kernel "$HELLO" </dev/null >"$d/out" 2>"$d/err"
rc=$?
if [ "$rc" = 0 ] && [ ! -s "$d/out" ]; then
    echo "PASS cmdline/daemonize/parent"
else
    echo "FAIL cmdline/daemonize/parent: exit status $rc, want 0 and no output ($(head -n 1 "$d/err"))"
fi
pid=$(cat "$d/pid" 2>/dev/null)
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    echo "PASS cmdline/daemonize/pidfile"
else
    echo "FAIL cmdline/daemonize/pidfile: '$pid' is not a running process"
fi
python3 - "$d/qmp.sock" >"$d/qmp" 2>&1 <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
f = s.makefile('rw')
def reply():
    while True:
        m = json.loads(f.readline())
        if 'event' not in m:
            return m
print(json.dumps(reply()))                   # the greeting
for cmd in ('qmp_capabilities', 'query-name', 'quit'):
    f.write(json.dumps({'execute': cmd}) + '\n')
    f.flush()
    print(json.dumps(reply()))
PY
if grep -q '"QMP"' "$d/qmp" && [ "$(grep -c '"return"' "$d/qmp")" = 3 ]; then
    echo "PASS cmdline/daemonize/qmp-quit"
else
    echo "FAIL cmdline/daemonize/qmp-quit: $(tr '\n' ' ' <"$d/qmp" | cut -c1-200)"
fi
for _ in $(seq 50); do
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    echo "FAIL cmdline/daemonize/exit: $pid still runs 5 s after quit"
    kill "$pid"
else
    echo "PASS cmdline/daemonize/exit"
fi
if [ -e "$d/pid" ]; then
    echo "FAIL cmdline/daemonize/pidfile-removed: $d/pid is still there"
else
    echo "PASS cmdline/daemonize/pidfile-removed"
fi
