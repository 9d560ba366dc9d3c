#!/bin/sh
# suite-chardev: the socket back ends of softmmu/chardev.c, through COM1
# (the monitor, QMP and gdb use the same code):
#   PASS chardev/unix-server-wait   -serial unix:PATH,server: tern waits for
#                                   the client, then the guest's output
#                                   (tests/x86/hello.c) reaches it whole
#   PASS chardev/tcp-server-wait    the same over tcp:127.0.0.1:PORT,server
#   PASS chardev/reconnect          ...,server,nowait: a second client is
#                                   served after the first leaves (its line
#                                   reaches tests/x86/console.c), and the
#                                   socket file is gone after tern exits
#   PASS chardev/define-socket-wait   -chardev socket,id=t0,host=127.0.0.1,
#                                   port=P,server=on -serial chardev:t0: as
#                                   tcp-server-wait, through the registry
#   PASS chardev/define-socket-nowait -chardev socket,id=s0,path=P,server=on,
#                                   wait=off -serial chardev:s0: a client's
#                                   line reaches console.c, its verdict the
#                                   client
#   PASS chardev/pty, chardev/serial-pty  -chardev pty,id=p0 -serial
#                                   chardev:p0 (and -serial pty): QEMU's
#                                   "char device redirected to /dev/pts/N
#                                   (label p0)" on stderr; the same exchange
#                                   through that pty
#   PASS chardev/mon-readline       -mon chardev=m1,mode=readline on a socket
#                                   chardev: banner, info status, info chardev
#   PASS chardev/mon-control        -mon chardev=m0,mode=control beside it:
#                                   greeting, qmp_capabilities, quit (status 0)
#   PASS chardev/err-NAME           bad -chardev, -serial chardev:, -mon,
#                                   -parallel: the exact one-line error, 1
#   FAIL chardev/NAME: why
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
elf=$O/tests/x86/hello.elf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$TERN" ] || [ ! -f "$elf" ] || ! command -v python3 >/dev/null; then
    echo "FAIL chardev: $TERN, $elf or python3 missing"
    exit 0
fi

# client ADDR: connect (retrying while tern starts), print all it sends
client() {
    python3 - "$1" <<'PY'
import socket, sys, time
a = sys.argv[1]
for _ in range(100):
    try:
        if a.startswith('/'):
            s = socket.socket(socket.AF_UNIX); s.connect(a)
        else:
            s = socket.create_connection(('127.0.0.1', int(a)))
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit('no connection')
s.settimeout(30)
out = b''
while True:
    x = s.recv(4096)
    if not x:
        break
    out += x
sys.stdout.write(out.decode(errors='replace'))
PY
}

# wait_case NAME SPEC ADDR
wait_case() {
    timeout 60 "$TERN" -nographic -serial "$2" -kernel "$elf" \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 >/dev/null 2>"$tmp/err" &
    pid=$!
    client "$3" >"$tmp/out" 2>&1
    wait $pid
    st=$?
    if [ "$st" != 1 ]; then
        echo "FAIL chardev/$1: tern exited with $st (want 1) ($(tail -n 1 "$tmp/err"))"
    elif ! grep -q 'waiting for a connection' "$tmp/err"; then
        echo "FAIL chardev/$1: tern did not say it waits for the client"
    elif ! grep -qE '^[0-9]+ passed, 0 failed' "$tmp/out"; then
        echo "FAIL chardev/$1: the guest's output did not arrive whole ($(tail -n 1 "$tmp/out"))"
    else
        echo "PASS chardev/$1"
    fi
}

wait_case unix-server-wait "unix:$tmp/s.sock,server" "$tmp/s.sock"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
wait_case tcp-server-wait "tcp:127.0.0.1:$port,server" "$port"

# reconnect: tests/x86/console.elf waits for a line on COM1; the first
# client leaves at once, the second types it and must see the guest's
# verdict, so its input was served (Ctrl-A is plain data on a socket)
timeout 60 "$TERN" -nographic -serial "unix:$tmp/r.sock,server,nowait" \
    -kernel "$O/tests/x86/console.elf" >/dev/null 2>"$tmp/err" &
pid=$!
ok=$(python3 - "$tmp/r.sock" <<'PY'
import socket, sys, time
def connect():
    for _ in range(100):
        try:
            s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); return s
        except OSError:
            time.sleep(0.1)
    sys.exit('no connection')
connect().close()
time.sleep(0.3)
s = connect()
s.sendall(b'hello, console\n\x01Z')
s.settimeout(20)
out = b''
try:
    while b'ctrl-a-ctrl-a' not in out:
        x = s.recv(4096)
        if not x:
            break
        out += x
except socket.timeout:
    pass
print('PASS line' in out.decode(errors='replace') and 'PASS ctrl-a-ctrl-a' in out.decode(errors='replace'))
PY
)
kill -TERM $pid
wait $pid
if [ "$ok" != True ]; then
    echo "FAIL chardev/reconnect: the second client's line did not reach the guest"
elif [ -e "$tmp/r.sock" ]; then
    echo "FAIL chardev/reconnect: $tmp/r.sock is still there after tern exited"
else
    echo "PASS chardev/reconnect"
fi

# ---- -chardev ----------------------------------------------------------------

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
timeout 60 "$TERN" -nographic -chardev "socket,id=t0,host=127.0.0.1,port=$port,server=on" \
    -serial chardev:t0 -kernel "$elf" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    >/dev/null 2>"$tmp/err" &
pid=$!
client "$port" >"$tmp/out" 2>&1
wait $pid
st=$?
if [ "$st" != 1 ]; then
    echo "FAIL chardev/define-socket-wait: tern exited with $st (want 1) ($(tail -n 1 "$tmp/err"))"
elif ! grep -q "waiting for a connection on tcp:127.0.0.1:$port,server=on" "$tmp/err"; then
    echo "FAIL chardev/define-socket-wait: tern did not say it waits ($(tail -n 1 "$tmp/err"))"
elif ! grep -qE '^[0-9]+ passed, 0 failed' "$tmp/out"; then
    echo "FAIL chardev/define-socket-wait: the guest's output did not arrive whole ($(tail -n 1 "$tmp/out"))"
else
    echo "PASS chardev/define-socket-wait"
fi

# console_exchange NAME: python3 reads the client's end from stdin's
# script; the client sends console.c's line and wants both verdicts
console_client='
def exchange(s_send, s_recv):
    s_send(b"hello, console\n\x01Z")
    out, end = b"", time.time() + 20
    while b"ctrl-a-ctrl-a" not in out and time.time() < end:
        x = s_recv()
        if x is None:
            continue
        if not x:
            break
        out += x
    out = out.decode(errors="replace")
    return "PASS line" in out and "PASS ctrl-a-ctrl-a" in out
'

timeout 60 "$TERN" -chardev "socket,id=s0,path=$tmp/d.sock,server=on,wait=off" \
    -serial chardev:s0 -kernel "$O/tests/x86/console.elf" >/dev/null 2>"$tmp/err" &
pid=$!
ok=$(python3 - "$tmp/d.sock" <<PY
import socket, sys, time
$console_client
for _ in range(100):
    try:
        s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("no connection")
s.settimeout(20)
print(exchange(s.sendall, lambda: s.recv(4096)))
PY
)
kill -TERM $pid
wait $pid
if [ "$ok" != True ]; then
    echo "FAIL chardev/define-socket-nowait: the guest's verdict did not come back ($(tail -n 1 "$tmp/err"))"
elif grep -q 'waiting for a connection' "$tmp/err"; then
    echo "FAIL chardev/define-socket-nowait: tern waited for the client despite wait=off"
else
    echo "PASS chardev/define-socket-nowait"
fi

# pty_case NAME LABEL ARGS...: tern prints the pty's path; the exchange
# goes through it
pty_case() {
    name=$1 label=$2
    shift 2
    r=$(python3 - "$label" timeout 60 "$TERN" "$@" -kernel "$O/tests/x86/console.elf" <<PY 2>&1
import os, re, select, subprocess, sys, time, tty
$console_client
label = sys.argv[1]
p = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.PIPE)
line = p.stderr.readline().decode().rstrip("\n")
m = re.fullmatch(r"char device redirected to (/dev/pts/[0-9]+) \(label (.*)\)", line)
if not m or m.group(2) != label:
    p.kill()
    print("stderr said %r" % line)
    sys.exit(0)
fd = os.open(m.group(1), os.O_RDWR | os.O_NOCTTY)
tty.setraw(fd)
def recv():
    return os.read(fd, 4096) if select.select([fd], [], [], 1)[0] else None
ok = exchange(lambda b: os.write(fd, b), recv)
os.close(fd)
p.terminate()
p.wait()
print(ok)
PY
)
    if [ "$r" = True ]; then
        echo "PASS chardev/$name"
    else
        echo "FAIL chardev/$name: $r"
    fi
}
pty_case pty p0 -chardev pty,id=p0 -serial chardev:p0
pty_case serial-pty serial0 -serial pty

# -mon: a human monitor and QMP, each on a socket chardev
timeout 60 "$TERN" -serial null -kernel "$O/tests/x86/console.elf" \
    -chardev "socket,id=m0,path=$tmp/q.sock,server,nowait" -mon chardev=m0,mode=control \
    -chardev "socket,id=m1,path=$tmp/h.sock,server=on,wait=off" -mon chardev=m1,mode=readline \
    >/dev/null 2>"$tmp/err" &
pid=$!
python3 - "$tmp/h.sock" "$tmp/q.sock" <<'PY'
import json, socket, sys, time

def connect(path):
    for _ in range(100):
        try:
            s = socket.socket(socket.AF_UNIX); s.connect(path); s.settimeout(20); return s
        except OSError:
            time.sleep(0.1)
    sys.exit("no connection to " + path)

def check(name, ok, why):
    print("PASS chardev/%s" % name if ok else "FAIL chardev/%s: %s" % (name, why))

h, pending = connect(sys.argv[1]), b""
def until_prompt():
    global pending
    while b"(tern) " not in pending:
        x = h.recv(4096)
        if not x:
            break
        pending += x
    out, _, pending = pending.partition(b"(tern) ")
    return out.decode(errors="replace")
banner = until_prompt()
h.sendall(b"info status\n")
status = until_prompt()
h.sendall(b"info chardev\n")
chardevs = until_prompt()
check("mon-readline", "monitor - type 'help'" in banner and status.strip() == "VM status: running"
      and "m0: filename=unix:" in chardevs and "m1: filename=unix:" in chardevs,
      "%r %r %r" % (banner, status, chardevs))

q = connect(sys.argv[2]).makefile("rwb")
def qmp(req):
    q.write((json.dumps(req) + "\n").encode()); q.flush()
    while True:
        msg = json.loads(q.readline())
        if "event" not in msg:
            return msg
greeting = json.loads(q.readline())
caps = qmp({"execute": "qmp_capabilities"})
status = qmp({"execute": "query-status"})
quit = qmp({"execute": "quit"})
check("mon-control", "QMP" in greeting and caps == {"return": {}}
      and status.get("return", {}).get("status") == "running" and quit == {"return": {}},
      "%r %r %r %r" % (greeting, caps, status, quit))
PY
wait $pid
st=$?
[ "$st" = 0 ] || echo "FAIL chardev/mon-control: tern exited with $st after quit ($(tail -n 1 "$tmp/err"))"

# err NAME WANT ARGS...: exactly the line "tern: WANT" on stderr, status 1
err() {
    name=$1 want=$2
    shift 2
    timeout 20 "$TERN" "$@" -kernel "$elf" </dev/null >/dev/null 2>"$tmp/err"
    st=$?
    if [ "$st" != 1 ]; then
        echo "FAIL chardev/err-$name: exit status $st (want 1)"
    elif [ "$(cat "$tmp/err")" != "tern: $want" ]; then
        echo "FAIL chardev/err-$name: got '$(cat "$tmp/err")', want 'tern: $want'"
    else
        echo "PASS chardev/err-$name"
    fi
}
err unknown-id "-serial chardev:c9: chardev 'c9' not found" -chardev null,id=c0 -serial chardev:c9
err used-twice "-monitor chardev:c0: device 'c0' is in use" \
    -chardev null,id=c0 -serial chardev:c0 -monitor chardev:c0
err mon-used-twice "-mon chardev=c0,mode=control: device 'c0' is in use" \
    -chardev null,id=c0 -mon chardev=c0 -mon chardev=c0,mode=control
err duplicate-id "-chardev null,id=c0: duplicate ID 'c0' for chardev" \
    -chardev null,id=c0 -chardev null,id=c0
err missing-id "-chardev socket,path=$tmp/x.sock,server=on: missing id=" \
    -chardev "socket,path=$tmp/x.sock,server=on"
err bad-backend "-chardev serial: not supported (null, stdio, file, socket or pty)" \
    -chardev serial,id=c0
err socket-no-address "-chardev socket,id=s0: missing path= or port=" -chardev socket,id=s0
err mon-unknown-id "-mon chardev=m9: chardev 'm9' not found" -mon chardev=m9
err stdio-twice "-serial stdio: cannot use stdio by multiple character devices (-chardev id 'c0' has it)" \
    -chardev stdio,id=c0 -serial stdio
err parallel "-parallel /dev/lp0: not supported (tern has no parallel port)" -parallel /dev/lp0
exit 0
