#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A helper process for the harness test: listens on 127.0.0.1:PORT, says
so, accepts one connection and writes what it receives to stdout."""
import socket
import sys

server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen(1)
print("listening", flush=True)
conn, _ = server.accept()
while True:
    data = conn.recv(4096)
    if not data:
        break
    sys.stdout.write(data.decode(errors="replace"))
    sys.stdout.flush()
