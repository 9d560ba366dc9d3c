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
exit 0
