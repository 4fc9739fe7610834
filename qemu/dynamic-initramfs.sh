#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Prints the SRC=DEST pairs qemu/initramfs.sh takes for dynamically linked
# programs of the build root: each program or shared object named, and
# every shared object they link, with the loader, each at the path the
# loader looks for (as qemu/python-initramfs.sh stages python3). A library
# a program only dlopens (a TCTI of tpm2-tools, say) is not in its ldd
# output: name it too.
#
# Usage: qemu/dynamic-initramfs.sh PATH...
set -euo pipefail

objects=$(ldd "$@" 2>/dev/null)
if echo "$objects" | grep -q 'not found'; then
	echo "dynamic-initramfs: unresolved: $(echo "$objects" | grep 'not found' | sort -u | tr -d '\t' | tr '\n' ' ')" >&2
	exit 1
fi
# Each copied as a file: the root's /lib and /lib64 are symlinks the guest
# does not have, and so are the libraries' soname links.
{
	printf '%s\n' "$@"
	echo "$objects" | sed -n 's/^[[:space:]]*\(.* => \)\?\(\/[^ ]*\) (0x[0-9a-f]*)$/\2/p'
} | sort -u | while read -r path; do
	echo "$(readlink -f "$path")=$path"
done
