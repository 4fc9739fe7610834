#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Stages the build root's python3 for a guest and prints the SRC=DEST pairs
# qemu/initramfs.sh takes. The guest is busybox only, but a job that drives
# the module through a Python tool (the kernel's YNL client, say) needs an
# interpreter: the binary, the shared objects it and its extension modules
# link, the loader and the standard library. Files keep their build-root
# paths, so the interpreter finds its prefix (/usr) as it does in the root.
#
# Usage: qemu/python-initramfs.sh STAGE_DIR [DIST_PACKAGE ...]
#   STAGE_DIR     emptied, then holds the trimmed copies the pairs point to
#   DIST_PACKAGE  a top-level name in /usr/lib/python3/dist-packages to add
#                 (yaml, _yaml, jsonschema, ...)
set -euo pipefail
stage=$1
shift

python=$(readlink -f /usr/bin/python3)
version=$(basename "$python")
stdlib=/usr/lib/$version
dist=/usr/lib/python3/dist-packages

rm -rf "$stage"
mkdir -p "$stage/dist-packages"
# The standard library without bytecode (the guest compiles what it
# imports), tests, GUI and installer parts: about half its size. Symlinks
# are resolved, as one points into /etc.
tar -C /usr/lib -chf - --exclude=__pycache__ --exclude="$version/test" \
	--exclude="$version/idlelib" --exclude="$version/tkinter" --exclude="$version/turtledemo" \
	--exclude="$version/ensurepip" --exclude="$version/lib2to3" --exclude="$version/pydoc_data" \
	"$version" | tar -C "$stage" -xf -
for package in "$@"; do
	[ -e "$dist/$package" ] || { echo "python-initramfs: no $dist/$package" >&2; exit 1; }
	tar -C "$dist" -chf - --exclude=__pycache__ "$package" | tar -C "$stage/dist-packages" -xf -
done

echo "$python=/usr/bin/python3"
echo "$stage/$version=$stdlib"
echo "$stage/dist-packages=$dist"
# Every shared object the interpreter and the staged extension modules
# link, by the path the loader looks for, each copied as a file: the root's
# /lib and /lib64 are symlinks the guest does not have.
objects=$({
	echo "$python"
	find "$stage" -name '*.so' -type f
} | xargs ldd 2>/dev/null)
if echo "$objects" | grep -q 'not found'; then
	echo "python-initramfs: unresolved: $(echo "$objects" | grep 'not found' | sort -u | tr -d '\t' | tr '\n' ' ')" >&2
	exit 1
fi
echo "$objects" |
	sed -n 's/^[[:space:]]*\(.* => \)\?\(\/[^ ]*\) (0x[0-9a-f]*)$/\2/p' | sort -u |
	while read -r lib; do
		echo "$(readlink -f "$lib")=$lib"
	done
