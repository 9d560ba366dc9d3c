"""rsp_client: a minimal GDB remote serial protocol client for the gdbstub
suites (tests/scripts/suite-gdb.sh): framing, and reading the next reply."""
import socket
import sys


class RSP:
    def __init__(self, port, timeout=10):
        self.s = socket.create_connection(('127.0.0.1', int(port)))
        self.s.settimeout(timeout)
        self.buf = b''

    @staticmethod
    def frame(data):
        return b'$' + data + b'#%02x' % (sum(data) & 0xff)

    def send(self, data):
        self.s.sendall(self.frame(data))

    def reply(self, ack=False):
        """The next packet's data (acked with '+' when ack), or b'-' for a
        nack; exits with a FAIL line if the stub closes the connection."""
        while True:
            self.buf = self.buf.lstrip(b'+')
            if self.buf.startswith(b'-'):
                self.buf = self.buf[1:]
                return b'-'
            a = self.buf.find(b'$')
            h = self.buf.find(b'#', a + 1) if a >= 0 else -1
            if h >= 0 and len(self.buf) >= h + 3:
                data, self.buf = self.buf[a + 1:h], self.buf[h + 3:]
                if ack:
                    self.s.sendall(b'+')
                return data
            x = self.s.recv(65536)
            if not x:
                sys.exit('FAIL connection closed')
            self.buf += x
