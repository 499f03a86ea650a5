#!/usr/bin/python3
"""A kext the test drives by hand, for what kextsim would never send.

Listens on an AF_UNIX SOCK_SEQPACKET socket as a kernel control would and
speaks only what it is told. One line per happening on stdout:
  ready                 listening
  accept                the daemon connected (an earlier connection is dropped)
  recv HEX              a datagram from the daemon
  closed                the daemon closed its connection
and one command per line on stdin:
  send HEX              send one datagram to the connected daemon
  close                 drop the connection
EOF on stdin ends it.

    puppet-kext.py SOCKET_PATH
"""
import os
import select
import socket
import sys


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: puppet-kext.py SOCKET_PATH\n")
        return 2
    path = sys.argv[1]
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    # A puppet killed by a test leaves its socket behind for the next one.
    if os.path.exists(path):
        os.unlink(path)
    listener.bind(path)
    os.chmod(path, 0o600)
    listener.listen(4)
    say("ready")
    conn = None
    stdin = sys.stdin.buffer
    pending = b""
    while True:
        watched = [listener, stdin] + ([conn] if conn else [])
        readable, _, _ = select.select(watched, [], [])
        if listener in readable:
            if conn:
                conn.close()
            conn, _ = listener.accept()
            say("accept")
        if conn and conn in readable:
            try:
                datagram = conn.recv(1 << 20)
            except ConnectionResetError:
                datagram = b""
            if datagram:
                say("recv " + datagram.hex())
            else:
                conn.close()
                conn = None
                say("closed")
        if stdin in readable:
            chunk = os.read(stdin.fileno(), 1 << 20)
            if not chunk:
                break
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                words = line.decode().split()
                if not words:
                    continue
                if words[0] == "send" and conn:
                    conn.send(bytes.fromhex(words[1] if len(words) > 1 else ""))
                elif words[0] == "close" and conn:
                    conn.close()
                    conn = None
                    say("closed")
                elif words[0] not in ("send", "close"):
                    sys.stderr.write("puppet-kext: unknown command %r\n" % words[0])
                    return 2
    listener.close()
    os.unlink(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
