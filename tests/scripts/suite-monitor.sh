#!/bin/sh
# suite-monitor: the human monitor (monitor/), driven over its Unix socket
# by a python3 client, against tests/x86/console.elf (it waits for a line
# on COM1, which -serial null never brings, so the guest keeps running):
#   PASS monitor/banner        the banner and the (tern) prompt on connect
#   PASS monitor/CMD ...       each command's output (a line per case below)
#   PASS monitor/bad-input     unknown commands, bad formats and
#                              expressions, a 1 MiB line and binary bytes
#                              each get a one-line error; tern still answers
#   PASS monitor/reconnect     a second client gets the banner again
#   PASS monitor/quit          quit ends tern with status 0
#   PASS monitor/console-mux   -nographic: Ctrl-A c switches the console to
#                              the monitor, which answers there
#   FAIL monitor/NAME: why
set -u
O=${O:-build}
TERN=${TERN:-$O/tern}
elf=$O/tests/x86/console.elf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$TERN" ] || [ ! -f "$elf" ] || ! command -v python3 >/dev/null; then
    echo "FAIL monitor: $TERN, $elf or python3 missing"
    exit 0
fi

sock=$tmp/m.sock
truncate -s 1M "$tmp/disk.img" "$tmp/cd.iso"
timeout 120 "$TERN" -nographic -serial null -S -kernel "$elf" \
    -monitor "unix:$sock,server,nowait" -drive "file=$tmp/disk.img,if=virtio,cache=unsafe" \
    -cdrom "$tmp/cd.iso" >"$tmp/out" 2>"$tmp/err" &
pid=$!

python3 - "$sock" "$elf" "$tmp/g.sock" <<'PY'
import os, re, socket, struct, sys, time

sock_path, elf_path, gdb_path = sys.argv[1:4]
PROMPT = b'(tern) '

def connect():
    for _ in range(200):
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(sock_path)
            s.settimeout(30)
            return s
        except OSError:
            time.sleep(0.05)
    print('FAIL monitor/banner: no connection to', sock_path)
    sys.exit(0)

pending = b''

def read_prompt(s):
    """Everything up to the next prompt, without it."""
    global pending
    while PROMPT not in pending:
        x = s.recv(65536)
        if not x:
            raise EOFError('tern closed the monitor')
        pending += x
    out, pending = pending.split(PROMPT, 1)
    return out.decode(errors='replace')

def check(name, ok, why=''):
    print(('PASS monitor/%s' % name) if ok else ('FAIL monitor/%s: %s' % (name, why)))

# The guest image's bytes at its entry point, from the ELF program headers.
def elf_entry_bytes(path, n):
    data = open(path, 'rb').read()
    entry, phoff = struct.unpack_from('<QQ', data, 24)
    phentsize, phnum = struct.unpack_from('<HH', data, 54)
    for i in range(phnum):
        p_type, _, off, vaddr, _, filesz = struct.unpack_from('<IIQQQQ', data, phoff + i * phentsize)
        if p_type == 1 and vaddr <= entry < vaddr + filesz:
            return entry, data[off + entry - vaddr: off + entry - vaddr + n]
    sys.exit('no PT_LOAD holds the entry')

entry, code = elf_entry_bytes(elf_path, 8)
s = connect()
banner = read_prompt(s)
check('banner', re.match(r"tern \S+ monitor - type 'help' for more information\n$", banner),
      repr(banner))

def cmd(line):
    s.sendall(line.encode() + b'\n')
    return read_prompt(s)

def case(name, line, pattern, flags=re.M):
    out = cmd(line)
    check(name, re.search(pattern, out, flags), '%r gave %r' % (line, out[:300]))
    return out

hexbytes = ' '.join('0x%02x' % b for b in code)
case('info-status-paused', 'info status', r'^VM status: paused$')
case('info-version', 'info version', r'^\d+\.\d+\.\d+$')
case('info-registers', 'info registers', r'^RIP=%016x .*\n(.*\n)*CR0=' % entry)
case('info-cpus', 'info cpus', r'^\* CPU #0: pc=0x%016x$' % entry)
case('xp', 'xp /8xb 0x%x' % entry, r'^%016x: %s$' % (entry, hexbytes))
case('x-virtual', 'x /8xb $pc', r'^%016x: %s$' % (entry, hexbytes))
word, half = struct.unpack_from('<I', code)[0], struct.unpack_from('<H', code)[0]
case('x-words', 'x /1xw %d' % entry, r'^%016x: 0x%08x$' % (entry, word))
case('x-decimal', 'x /1uh %#x' % entry, r'^%016x: %d$' % (entry, half))
case('x-chars', 'x /2c 0x%x' % entry, r"^%016x: '(.|\\x[0-9a-f]{2})' '(.|\\x[0-9a-f]{2})'$" % entry)
case('x-string', 'x /s 0x%x' % entry, r'^%016x: ".*"$' % entry)
out = case('x-disas', 'x /3i $pc', r'^0x%016x:  %02x ' % (entry, code[0]))
check('x-disas-count', len(out.strip().split('\n')) == 3, repr(out))
case('print-arith', 'p (1+2*3 - 4)/3', r'^1$')
case('print-hex', 'print /x 255', r'^0xff$')
case('print-pc', 'p $pc', r'^%d$' % entry)
case('print-reg-expr', 'p $rip + 0x10 - $pc', r'^16$')
case('print-div0', 'p 1/0', r'^print: division by zero$')
case('info-mtree', 'info mtree', r'^address-space: memory\n(.*\n)*.*pc\.ram')
case('info-pci', 'info pci', r'PCI device 8086:1237')
case('info-irq', 'info irq', r'^pic0 .*imr=')
case('info-roms', 'info roms', r'^kernel name=".*console\.elf"$')
case('info-block', 'info block', r'^virtio0: .*/disk\.img \(raw\)\n +Attached to: +virtio-blk-pci\n +Cache mode: +unsafe\n\nide1-cd0: .*/cd\.iso \(raw, read-only\)\n +Attached to: +IDE bus 1 unit 0 \(CD-ROM\)\n +Cache mode: +writeback$')
case('info-chardev', 'info chardev', r'^monitor0: filename=unix:')
case('info-mem', 'info mem', r'^[0-9a-f]{16}-[0-9a-f]{16} [0-9a-f]{16} [-u]r[-w]$')
case('info-tlb', 'info tlb', r'^[0-9a-f]{16}: [0-9a-f]{16} [-X][-G][-P][-D][-A][-C][-T][-U][-W]$')
case('help', 'help', r'^system_powerdown -- ')
case('help-info', 'help info', r'^info registers \[-a\] -- ')
case('log', 'log int', r'^$')
case('log-none', 'log none', r'^$')
case('cont', 'cont', r'^$')
case('info-status-running', 'info status', r'^VM status: running$')
case('stop', 'stop', r'^$')
case('info-status-stopped', 'info status', r'^VM status: paused$')
case('system-reset', 'system_reset', r'^$')
case('cont-again', 'c', r'^$')
case('system-powerdown', 'system_powerdown', r'^$')
case('info-registers-running', 'info registers', r'^RIP=')
case('gdbserver', 'gdbserver unix:' + gdb_path, r"^Waiting for gdb connection on device 'unix:")

# Bad input: each error is one line and the monitor answers after it.
bad = [
    ('foo', r"^unknown command: 'foo'\n$"),
    ('info foo', r"^unknown command: 'info foo'\n$"),
    ('x /zz 0', r"^x: invalid char in format: 'z'\n$"),
    ('x /4xb', r'^x: address expected\n$'),
    ('xp /4xb 0x10 +', r'^xp: expression expected\n$'),
    ('p $nosuch', r'^print: unknown register\n$'),
    ('p 1 2', r'^print: junk after the expression\n$'),
    ('x /100000xb 0', r'^x: count must be 1 to \d+\n$'),
    ('x 0xffff800000000000', r'^ffff800000000000: Cannot access memory\n$'),
    ('log bogus', r'^log: .*\n$'),
    ('cpu 7', r'^cpu: invalid CPU index'),
]
ok, why = True, ''
for line, pattern in bad:
    out = cmd(line)
    if not re.search(pattern, out):
        ok, why = False, '%r gave %r' % (line, out)
        break
if ok:
    s.sendall(b'A' * (1 << 20) + b'\n')
    out = read_prompt(s)
    if not re.search(r'^line too long', out):
        ok, why = False, '1 MiB line gave %r' % out[:200]
if ok:
    junk = bytes(range(256)) * 64 + b'\n\xff\xfe\x00\x01\x1b[A\n'
    s.sendall(junk)
    # one prompt per line ending in the junk (\r, \n, \r\n count once)
    ends = len(re.findall(rb'\r\n|\r|\n', junk))
    for _ in range(ends):
        read_prompt(s)
    out = cmd('info status')
    if out != 'VM status: running\n':
        ok, why = False, 'after binary bytes, info status gave %r' % out
check('bad-input', ok, why)

s.close()
time.sleep(0.2)
pending = b''
s = connect()
check('reconnect', read_prompt(s).startswith('tern '), 'no banner for a second client')
s.sendall(b'quit\n')
s.settimeout(10)
try:
    while s.recv(4096):
        pass
except OSError:
    pass
PY
st=0
wait $pid || st=$?
if [ "$st" = 0 ]; then
    echo "PASS monitor/quit"
else
    echo "FAIL monitor/quit: tern exited with $st ($(tail -n 1 "$tmp/err"))"
fi

# Ctrl-A c on the -nographic console (stdin a pipe): the monitor's banner
# and its answer reach stdout, and its quit ends tern.
printf '\001cinfo status\nquit\n' |
    timeout 30 "$TERN" -nographic -S -kernel "$elf" >"$tmp/mux" 2>&1
st=$?
if [ "$st" != 0 ]; then
    echo "FAIL monitor/console-mux: tern exited with $st ($(tail -n 1 "$tmp/mux"))"
elif ! grep -q "monitor - type 'help'" "$tmp/mux" || ! grep -q '^(tern) VM status: paused' "$tmp/mux"; then
    echo "FAIL monitor/console-mux: no monitor answer on the console: $(head -c 300 "$tmp/mux")"
else
    echo "PASS monitor/console-mux"
fi
exit 0
