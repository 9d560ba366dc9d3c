#!/bin/sh
# suite-qmp: QMP (monitor/qmp.c) over -qmp unix:PATH,server,nowait, with a
# small python3 client; the guest (tests/x86/console.elf) waits for input
# forever, so the VM runs until the client says quit.  Exact lines are
# compared with what QEMU 7.2 sends (docs/debugging.md, "QMP"):
#   PASS qmp/greeting         {"QMP": {"version": ..., "capabilities": []}}
#   PASS qmp/negotiation      commands before qmp_capabilities get
#                             CommandNotFound; a second one too; id echoed
#   PASS qmp/query-status, qmp/query-version, qmp/query-cpus-fast (-smp 2),
#        qmp/query-block (a virtio disk, an empty CD-ROM drive)
#   PASS qmp/stop, qmp/cont   STOP/RESUME events, query-status follows
#   PASS qmp/system_reset     RESET event with QEMU's data
#   PASS qmp/system_powerdown POWERDOWN event
#   PASS qmp/human-monitor-command   "info status" through the HMP
#   PASS qmp/errors           unknown command, bad arguments, not an object
#   PASS qmp/malformed-*      truncated, deep nesting, a 65 MiB string,
#                             binary, bad UTF-8: QEMU's error, then tern
#                             still answers on the same connection
#   PASS qmp/reconnect        a new client gets a new greeting and must
#                             negotiate again
#   PASS qmp/quit             SHUTDOWN event, tern exits with 0
#   FAIL qmp/NAME: why
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
elf=$O/tests/x86/console.elf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$TERN" ] || [ ! -f "$elf" ] || ! command -v python3 >/dev/null; then
    echo "FAIL qmp: $TERN, $elf or python3 missing"
    exit 0
fi

truncate -s 2M "$tmp/disk.img"
timeout 120 "$TERN" -smp 2 -serial null -qmp "unix:$tmp/q.sock,server,nowait" \
    -kernel "$elf" -drive "file=$tmp/disk.img,if=virtio,cache=writethrough" -drive if=ide,media=cdrom,index=2 \
    >"$tmp/out" 2>"$tmp/err" &
pid=$!

python3 - "$tmp/q.sock" <<'PY'
import json, socket, sys, time

path = sys.argv[1]
failed = []

def connect():
    for _ in range(200):
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(path)
            s.settimeout(20)
            return s, s.makefile('rb')
        except OSError:
            time.sleep(0.05)
    sys.exit('FAIL qmp: no connection to ' + path)

sock, rf = connect()

def client_failed(kind, value, tb):
    # a hung or broken connection is a failure of its own, not a traceback
    print('FAIL qmp/client: %s: %s' % (kind.__name__, str(value)[:200]))
    sys.exit(1)

sys.excepthook = client_failed

def line():
    l = rf.readline()
    if not l.endswith(b'\r\n'):
        raise RuntimeError('line without CRLF: %r' % l[:200])
    return l[:-2].decode()

def send(raw):
    sock.sendall(raw if isinstance(raw, bytes) else raw.encode())

def cmd(text):
    """Send one request line; its reply (events before it are returned too)."""
    send(text + '\n')
    events = []
    while True:
        l = line()
        if '"event"' in l and l.startswith('{"timestamp"'):
            events.append(l)
        else:
            return l, events

def check(name, cond, why):
    if cond:
        print('PASS qmp/' + name)
    else:
        print('FAIL qmp/%s: %s' % (name, why))
        failed.append(name)

def expect(name, text, want, events_want=None):
    got, events = cmd(text)
    ev_names = [json.loads(e)['event'] for e in events]
    ok = got == want and (events_want is None or ev_names == events_want)
    check(name, ok, 'sent %s, got %s events %s (want %s events %s)'
          % (text[:60], got[:200], ev_names, want[:200], events_want))
    return events

def alive():
    got, _ = cmd('{"execute": "query-version", "id": "alive"}')
    return got.endswith('"id": "alive"}') and got.startswith('{"return": {"qemu"')

def greeting(name):
    g = line()
    try:
        v = json.loads(g)['QMP']
        ok = (list(v) == ['version', 'capabilities'] and v['capabilities'] == []
              and list(v['version']['qemu']) == ['micro', 'minor', 'major'])
    except Exception:
        ok = False
    check(name, ok and g.startswith('{"QMP": {"version": {"qemu": {"micro": '), g)

greeting('greeting')

nf = '{"error": {"class": "CommandNotFound", "desc": "Expecting capabilities negotiation with \'qmp_capabilities\'"}}'
a, _ = cmd('{"execute": "query-status"}')
b, _ = cmd('{"execute": "qmp_capabilities", "id": 1}')
c, _ = cmd('{"execute": "qmp_capabilities"}')
check('negotiation', a == nf and b == '{"return": {}, "id": 1}' and
      c == '{"error": {"class": "CommandNotFound", "desc": "Capabilities negotiation is already complete, command ignored"}}',
      '%s / %s / %s' % (a, b, c))

expect('query-status', '{"execute": "query-status", "id": "x"}',
       '{"return": {"status": "running", "singlestep": false, "running": true}, "id": "x"}')
got, _ = cmd('{"execute": "query-version"}')
check('query-version', got.startswith('{"return": {"qemu": {"micro": ') and
      '"package": "tern ' in got, got)
got, _ = cmd('{"execute": "query-cpus-fast"}')
cpus = json.loads(got).get('return', [])
check('query-cpus-fast', [c['cpu-index'] for c in cpus] == [0, 1] and
      cpus[1]['props'] == {'core-id': 1, 'thread-id': 0, 'socket-id': 0} and
      cpus[0]['target'] == 'x86_64' and
      got.startswith('{"return": [{"props": {"core-id": 0, "thread-id": 0, "socket-id": 0}, "qom-path": "/machine/unattached/device[0]", "cpu-index": 0'),
      got)

got, _ = cmd('{"execute": "query-block"}')
blocks = json.loads(got).get('return', [])
check('query-block', [b['device'] for b in blocks] == ['virtio0', 'ide1-cd0'] and
      blocks[0]['inserted']['image'] == {'virtual-size': 2 << 20, 'filename': sys.argv[1].replace('q.sock', 'disk.img'), 'format': 'raw'} and
      blocks[0]['inserted']['cache'] == {'no-flush': False, 'direct': False, 'writeback': False} and
      blocks[0]['inserted']['ro'] is False and blocks[0]['removable'] is False and
      blocks[1]['removable'] is True and 'inserted' not in blocks[1] and blocks[1]['tray_open'] is False,
      got)

ev = expect('stop', '{"execute": "stop"}', '{"return": {}}', ['STOP'])
ts = json.loads(ev[0])['timestamp'] if ev else {}
check('event-timestamp', ev and list(ts) == ['seconds', 'microseconds'] and
      abs(ts['seconds'] - time.time()) < 60 and ev[0].startswith('{"timestamp": {"seconds": '),
      str(ev))
expect('stopped-status', '{"execute": "query-status"}',
       '{"return": {"status": "paused", "singlestep": false, "running": false}}')
expect('cont', '{"execute": "cont"}', '{"return": {}}', ['RESUME'])

send('{"execute": "system_reset"}\n')
got = [line(), line()]
reset_ev = [l for l in got if '"event": "RESET"' in l]
check('system_reset', '{"return": {}}' in got and len(reset_ev) == 1 and
      reset_ev[0].endswith('"event": "RESET", "data": {"guest": false, "reason": "host-qmp-system-reset"}}'),
      str(got))
expect('system_powerdown', '{"execute": "system_powerdown"}', '{"return": {}}', ['POWERDOWN'])
expect('human-monitor-command',
       '{"execute": "human-monitor-command", "arguments": {"command-line": "info status"}}',
       '{"return": "VM status: running\\r\\n"}')

errors = [
    ('{"execute": "nope", "id": 3}', '{"id": 3, "error": {"class": "CommandNotFound", "desc": "The command nope has not been found"}}'),
    ('{"execute": "query-status", "arguments": {"a": 1}}', '{"error": {"class": "GenericError", "desc": "Parameter \'a\' is unexpected"}}'),
    ('{"execute": "human-monitor-command", "arguments": {}}', '{"error": {"class": "GenericError", "desc": "Parameter \'command-line\' is missing"}}'),
    ('{"execute": "human-monitor-command", "arguments": {"command-line": 5}}', '{"error": {"class": "GenericError", "desc": "Invalid parameter type for \'command-line\', expected: string"}}'),
    ('{"execute": "stop", "arguments": 5}', '{"error": {"class": "GenericError", "desc": "QMP input member \'arguments\' must be an object"}}'),
    ('{"execute": 1}', '{"error": {"class": "GenericError", "desc": "QMP input member \'execute\' must be a string"}}'),
    ('{"id": 5}', '{"id": 5, "error": {"class": "GenericError", "desc": "QMP input lacks member \'execute\'"}}'),
    ('{"execute": "query-status", "foo": 1}', '{"error": {"class": "GenericError", "desc": "QMP input member \'foo\' is unexpected"}}'),
    ('[1, 2]', '{"error": {"class": "GenericError", "desc": "QMP input must be a JSON object"}}'),
    ('{"execute": "query-status", "id": [1, {"a": null, "b": "\\u00e9\\ud83d\\ude00"}]}',
     '{"return": {"status": "running", "singlestep": false, "running": true}, "id": [1, {"a": null, "b": "\\u00E9\\uD83D\\uDE00"}]}'),
]
bad = [(t, w, cmd(t)[0]) for t, w in errors]
bad = [b for b in bad if b[1] != b[2]]
check('errors', not bad, '; '.join('%s -> %s' % (t[:50], g) for t, w, g in bad))

def malformed(name, raw, want_desc):
    send(raw)
    got = line()
    want = '{"error": {"class": "GenericError", "desc": "%s"}}' % want_desc
    check('malformed-' + name, got == want and alive(), 'got %s (want %s)' % (got[:200], want))

malformed('truncated', '{"execute": "query-status", "id": \n]\n', 'JSON parse error, expecting value')
malformed('open-string', '{"execute": "query-st\n', 'JSON parse error, control character in string')
malformed('deep-nesting', '[' * 5000 + ']' * 5000 + '\n', 'JSON nesting depth limit exceeded')
malformed('huge-string', b'{"execute": "' + b'A' * (65 << 20) + b'"}\n', 'JSON token size limit exceeded')
malformed('binary', b'\xff\xfe\x00\x01\x80garbage\n', 'JSON parse error, expecting value')
malformed('bad-utf8', b'{"execute": "query-status", "id": "\xc3\x28"}\n',
          'JSON parse error, invalid UTF-8 sequence in string')
malformed('bad-escape', '{"execute": "query-status", "id": "\\q"}\n',
          'JSON parse error, invalid escape sequence in string')
malformed('keyword', 'nul\n', "JSON parse error, invalid keyword 'nul'")
big = 'B' * (1 << 20)
got, _ = cmd('{"execute": "query-status", "id": "%s"}' % big)
check('big-id', got.endswith('"id": "%s"}' % big), got[:100])

# a client that goes away mid-value, then a new one
send('{"execute": "query-status", "id": [[[')
sock.close()
sock, rf = connect()
greeting('reconnect-greeting')
a, _ = cmd('{"execute": "query-status"}')
check('reconnect', a == nf, a)
cmd('{"execute": "qmp_capabilities"}')

send('{"execute": "quit"}\n')
got = [line(), line()]
check('quit', '{"return": {}}' in got and any(l.endswith(
      '"event": "SHUTDOWN", "data": {"guest": false, "reason": "host-qmp-quit"}}') for l in got),
      str(got))
sys.exit(1 if failed else 0)
PY
py=$?
[ $py = 0 ] || kill $pid 2>/dev/null
wait $pid
st=$?
if [ $py != 0 ]; then
    :                                   # the client said what failed
elif [ "$st" != 0 ]; then
    echo "FAIL qmp/exit: tern exited with $st (want 0 after quit): $(tail -n 3 "$tmp/err")"
elif [ $py = 0 ]; then
    echo "PASS qmp/exit"
fi
exit 0
