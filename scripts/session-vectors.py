#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes recorded SPDM sessions (see scripts/record-sessions.sh) as a C
header for the KUnit replay suite: per session the recording as it was
written (length-prefixed requests and responses) and its exchange count.

Usage: session-vectors.py NONCE_HEX NAME=FILE...
"""
import struct
import sys


def exchanges(blob):
    at, count = 0, 0
    while at < len(blob):
        for _ in range(2):
            (size,) = struct.unpack_from("<I", blob, at)
            at += 4 + size
        count += 1
    if at != len(blob):
        sys.exit("session-vectors: recording ends inside an exchange")
    return count


def c_bytes(data, indent="\t"):
    lines = []
    for i in range(0, len(data), 12):
        lines.append(indent + " ".join(f"0x{b:02x}," for b in data[i:i + 12]))
    return "\n".join(lines)


def main():
    nonce = bytes.fromhex(sys.argv[1])
    out = ["/* SPDX-License-Identifier: GPL-2.0 */",
           "/*",
           " * SPDM sessions recorded between the host requester and the emulated",
           " * responder by scripts/record-sessions.sh, for the KUnit replay suite:",
           " * each exchange is the request and the response, each a 32-bit",
           " * little-endian length and the bytes. All use the nonce below.",
           " */",
           "#ifndef PCI_CMA_SESSION_VECTORS_H",
           "#define PCI_CMA_SESSION_VECTORS_H",
           "",
           "#include <linux/types.h>",
           "",
           "static const u8 session_nonce[] = {",
           c_bytes(nonce),
           "};",
           ""]
    table = []
    for arg in sys.argv[2:]:
        name, path = arg.split("=", 1)
        blob = open(path, "rb").read()
        out += [f"static const u8 session_{name}[] = {{", c_bytes(blob), "};", ""]
        table.append((name, exchanges(blob)))
    out += ["struct session_vector {",
            "\tconst char *name;",
            "\tconst u8 *data;",
            "\tsize_t len;",
            "\tunsigned int exchanges;",
            "};",
            "",
            "static const struct session_vector session_vectors[] = {"]
    for name, count in table:
        out.append(f'\t{{ "{name}", session_{name},')
        out.append(f'\t  sizeof(session_{name}), {count} }},')
    out += ["};", "", "#endif"]
    print("\n".join(out))


if __name__ == "__main__":
    main()
