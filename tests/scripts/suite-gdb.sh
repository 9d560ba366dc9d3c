#!/bin/sh
# suite-gdb: the gdbstub (gdbstub/, target-x86/gdbstub.c) driven by the
# real gdb in batch mode against tests/x86/gdbtarget.elf started with
# -S -gdb tcp::PORT:
#   PASS gdb/start-stopped   with -S the guest prints nothing until gdb
#                            continues it
#   PASS gdb/break           a breakpoint at a symbol stops there, and
#                            "info registers rip" names that symbol
#   PASS gdb/print           a guest variable reads back (memory through
#                            the page tables)
#   PASS gdb/stepi           stepi moves rip
#   PASS gdb/watch           a watchpoint stops on the next write (the
#                            stepi stored 1, the next call stores 2): old
#                            and new values shown
#   PASS gdb/continue        after delete + continue the guest finishes and
#                            passes (the stub let it run on), tern exits
#                            with the guest's status (1: isa-debug-exit 0)
#   PASS gdb/fuzz            malformed packets get '-', E.., or empty
#                            replies and tern keeps answering
#   PASS gdb/interrupt       0x03 stops a running guest (tests/x86/console.elf
#                            waiting for input) with a T02 stop reply
#   PASS gdb/monitor         qRcmd runs a monitor command ("info status")
#                            and sends its text back as O packets
#   PASS gdb/detach          'D' answers OK and the guest runs on
#   FAIL gdb/NAME: why       SKIP gdb: no gdb or python3
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
elf=$O/tests/x86/gdbtarget.elf
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -KILL $pid 2>/dev/null; rm -rf "$tmp"' EXIT

if ! command -v gdb >/dev/null || ! command -v python3 >/dev/null; then
    echo "SKIP gdb: gdb or python3 not installed (configure --install-deps)"
    exit 0
fi
if [ ! -x "$TERN" ] || [ ! -f "$elf" ]; then
    echo "FAIL gdb: $TERN or $elf missing"
    exit 0
fi

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_tern [ELF]: tern -S waiting for gdb on a free port; $pid, $port
start_tern() {
    port=$(free_port)
    timeout 120 "$TERN" -nographic -S -gdb "tcp::$port" -kernel "${1:-$elf}" \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null >"$tmp/serial" 2>"$tmp/err" &
    pid=$!
    # listening (a test connection would count as gdb's): /proc/net/tcp
    hexport=$(printf '%04X' "$port")
    for _ in $(seq 50); do
        grep -q "^ *[0-9]*: [0-9A-F]*:$hexport [0-9A-F]*:0000 0A" /proc/net/tcp && return 0
        sleep 0.1
    done
    return 1
}

# ---- gdb session ------------------------------------------------------------
if ! start_tern; then
    echo "FAIL gdb/start-stopped: tern did not listen on port $port ($(tail -n 1 "$tmp/err"))"
    exit 0
fi
sleep 0.5
if [ -s "$tmp/serial" ]; then
    echo "FAIL gdb/start-stopped: the guest ran before gdb continued it"
else
    echo "PASS gdb/start-stopped"
fi

timeout 90 gdb -nx -batch \
    -ex 'set confirm off' -ex 'set pagination off' \
    -ex "file $elf" \
    -ex "target remote 127.0.0.1:$port" \
    -ex 'break gdb_break_here' \
    -ex 'continue' \
    -ex 'info registers rip' \
    -ex 'print/x gdb_marker' \
    -ex 'print $pc' \
    -ex 'stepi' \
    -ex 'print $pc' \
    -ex 'delete' \
    -ex 'watch gdb_counter' \
    -ex 'continue' \
    -ex 'delete' \
    -ex 'continue' \
    >"$tmp/gdb" 2>&1
wait $pid
st=$?
pid=
sed 's/^/    /' "$tmp/gdb"

if grep -qE '^Breakpoint 1, (0x[0-9a-f]+ in )?gdb_break_here' "$tmp/gdb" &&
   grep -qE '^rip +0x[0-9a-f]+ +0x[0-9a-f]+ <gdb_break_here' "$tmp/gdb"; then
    echo "PASS gdb/break"
else
    echo "FAIL gdb/break: no stop at gdb_break_here with rip there"
fi
if grep -q '^\$1 = 0x1234abcd$' "$tmp/gdb"; then
    echo "PASS gdb/print"
else
    echo "FAIL gdb/print: gdb_marker did not read back as 0x1234abcd"
fi
pc1=$(sed -n 's/^\$2 = (void (\*)()) \(0x[0-9a-f]*\).*/\1/p' "$tmp/gdb")
pc2=$(sed -n 's/^\$3 = (void (\*)()) \(0x[0-9a-f]*\).*/\1/p' "$tmp/gdb")
if [ -n "$pc1" ] && [ -n "$pc2" ] && [ "$pc1" != "$pc2" ]; then
    echo "PASS gdb/stepi"
else
    echo "FAIL gdb/stepi: pc before '$pc1', after '$pc2'"
fi
if grep -q 'watchpoint 2: gdb_counter' "$tmp/gdb" && grep -q '^Old value = 1$' "$tmp/gdb" &&
   grep -q '^New value = 2$' "$tmp/gdb"; then
    echo "PASS gdb/watch"
else
    echo "FAIL gdb/watch: no watchpoint stop with gdb_counter going 1 -> 2"
fi
if grep -qE '^[0-9]+ passed, 0 failed' "$tmp/serial" && [ "$st" = 1 ]; then
    echo "PASS gdb/continue"
else
    echo "FAIL gdb/continue: the guest did not finish after the last continue (status $st, want 1; $(tail -n 1 "$tmp/serial"); $(tail -n 1 "$tmp/err"))"
fi

# ---- fuzz: malformed packets, then a well-formed one must still work -----------
if ! start_tern; then
    echo "FAIL gdb/fuzz: tern did not listen on port $port ($(tail -n 1 "$tmp/err"))"
    exit 0
fi
python3 - "$port" >"$tmp/fuzz" 2>&1 <<'PY'
import random, sys
sys.path.insert(0, 'tests/scripts')
from rsp_client import RSP

c = RSP(sys.argv[1])
s, frame, reply = c.s, c.frame, c.reply

bad = [b'$g#00', b'$' + b'A' * 9000 + b'#00']          # bad checksums, too long
malformed = [b'm', b'mzz,4', b'm0,', b'm0,ffffffffffffffffff', b'M0,4:zz', b'M0,2:00',
             b'p', b'pffff', b'P0=12', b'Pzz=00', b'G1', b'Z9,0,1', b'Z0', b'Z0,zz,1',
             b'z0,1000,1', b'Hgzz', b'Hx1', b'H', b'T99', b'qXfer:features:read:foo:0,10',
             b'qXfer:features:read:target.xml:zz', b'qXfer:features:read:target.xml:ffffff,10',
             b'qRcmd,4', b'qRcmd,zz', b'vCont;x', b'vCont;s:zz', b'vCont', b'C', b'sqq',
             b'cqq', b'\x00\x01\xff', b'm' + b'f' * 40 + b',1', b'qfThreadInfo' * 100]
rng = random.Random(9)
for _ in range(200):
    malformed.append(bytes(rng.choice(b'mMgGpPzZHTqvcs0123456789abcdef,:;=-')
                           for _ in range(rng.randrange(1, 40))))
ok = True
for b in bad:
    s.sendall(b)
    if reply() != b'-':
        print('FAIL no nack for', b[:20]); ok = False
for m in malformed:
    if m[:1] in (b'c', b's', b'C', b'S') or m.startswith(b'vCont;') and b'x' not in m:
        continue   # a well-formed resume would run the guest away
    s.sendall(frame(m))
    r = reply()
    if r == b'-':
        print('FAIL nack for a good checksum', m[:20]); ok = False
    if r and not (r.startswith(b'E') or r.startswith(b'OK') or m[:1] in b'mgpqT?'):
        print('FAIL odd reply', m[:20], r[:20]); ok = False
# still alive: a real question gets a real answer
s.sendall(frame(b'qfThreadInfo'))
r = reply()
print('alive' if r == b'm01' else 'FAIL qfThreadInfo -> %r' % r)
s.sendall(frame(b'm0,0'))
print('PASS' if ok else 'FAIL')
PY
kill -TERM $pid 2>/dev/null
wait $pid
pid=
sed 's/^/    /' "$tmp/fuzz"
if grep -qE 'runtime error|AddressSanitizer' "$tmp/err"; then
    echo "FAIL gdb/fuzz: the sanitizer complained ($(grep -m1 -E 'runtime error|AddressSanitizer' "$tmp/err"))"
elif grep -q '^alive$' "$tmp/fuzz" && ! grep -q '^FAIL' "$tmp/fuzz"; then
    echo "PASS gdb/fuzz"
else
    echo "FAIL gdb/fuzz: $(grep -m1 '^FAIL' "$tmp/fuzz" || tail -n 1 "$tmp/fuzz")"
fi

# ---- Ctrl-C, monitor, detach: a guest that waits (for a console line) ---------
if ! start_tern "$O/tests/x86/console.elf"; then
    echo "FAIL gdb/interrupt: tern did not listen on port $port ($(tail -n 1 "$tmp/err"))"
    exit 0
fi
python3 - "$port" >"$tmp/ctl" 2>&1 <<'PY'
import sys, time
sys.path.insert(0, 'tests/scripts')
from rsp_client import RSP

c = RSP(sys.argv[1])
s, frame = c.s, c.frame
def reply():
    return c.reply(ack=True)

s.sendall(frame(b'c'))
time.sleep(0.5)
s.sendall(b'\x03')
print('interrupt', reply().decode())
s.sendall(frame(b'qRcmd,' + b'info status'.hex().encode()))
text = b''
while True:
    r = reply()
    if not r.startswith(b'O') or r == b'OK':
        break
    text += bytes.fromhex(r[1:].decode())
print('monitor', text.decode().strip(), r.decode())
s.sendall(frame(b'D'))
print('detach', reply().decode())
PY
sleep 0.3
if kill -0 $pid 2>/dev/null; then alive=yes; else alive=no; fi
kill -TERM $pid 2>/dev/null
wait $pid
pid=
sed 's/^/    /' "$tmp/ctl"
if grep -q '^interrupt T02thread:01;$' "$tmp/ctl"; then
    echo "PASS gdb/interrupt"
else
    echo "FAIL gdb/interrupt: no T02 stop reply after 0x03"
fi
if grep -q '^monitor VM status: paused OK$' "$tmp/ctl"; then
    echo "PASS gdb/monitor"
else
    echo "FAIL gdb/monitor: qRcmd 'info status' did not answer 'VM status: paused'"
fi
if grep -q '^detach OK$' "$tmp/ctl" && [ $alive = yes ]; then
    echo "PASS gdb/detach"
else
    echo "FAIL gdb/detach: no OK, or tern gone after D (alive: $alive)"
fi
exit 0
