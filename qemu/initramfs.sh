#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds a busybox initramfs that boots straight into a guest test script.
#
# Usage: qemu/initramfs.sh OUTPUT.cpio.gz GUEST_SCRIPT [SRC=DEST ...]
#   GUEST_SCRIPT  runs as the guest's job; its exit status is reported
#   SRC=DEST      extra files (modules, programs) copied to DEST in the guest
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
output=$1
script=$2
shift 2

stage=$(mktemp -d)
# The root of the guest: mktemp makes it private, the guest needs it open.
chmod 755 "$stage"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,dev,proc,sys,tmp,run,root,lib/modules,test}
cp /bin/busybox "$stage/bin/busybox"
cp "$here/guest/init" "$stage/init"
cp "$here/guest/lib.sh" "$stage/test/lib.sh"
cp "$script" "$stage/test/job"
chmod +x "$stage/init" "$stage/test/job"
for pair in "$@"; do
	src=${pair%%=*}
	dest=${pair#*=}
	[ -e "$src" ] || { echo "initramfs: $src does not exist" >&2; exit 1; }
	mkdir -p "$stage$(dirname "$dest")"
	cp -a "$src" "$stage$dest"
done

# What modprobe would load before the module: the kernel modules it
# depends on (the stock kernel builds lib/crypto's SHA-3 as one), from the
# kernel's own tree, in /lib/modules/deps/ with their load order in
# "order"; the guest's init loads them before its job. A kernel whose
# modules live in another root (sid's) names it in PCI_CMA_KERNEL_ROOT.
add_dependencies() {
	local ko=$1 release dep path
	release=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
	for dep in $(modinfo -F depends "$ko" | tr , ' '); do
		[ -e "$stage/lib/modules/deps/$dep.ko" ] && continue
		path=$(find "${PCI_CMA_KERNEL_ROOT:-}/lib/modules/$release/kernel" -name "$dep.ko*" 2>/dev/null | head -n1)
		[ -n "$path" ] ||
			{ echo "initramfs: $ko needs $dep, not in ${PCI_CMA_KERNEL_ROOT:-}/lib/modules/$release" >&2; exit 1; }
		mkdir -p "$stage/lib/modules/deps"
		case $path in
		*.xz) xz -dc "$path" >"$stage/lib/modules/deps/$dep.ko" ;;
		*) cp "$path" "$stage/lib/modules/deps/$dep.ko" ;;
		esac
		add_dependencies "$stage/lib/modules/deps/$dep.ko"
		echo "$dep" >>"$stage/lib/modules/deps/order"
	done
}
for pair in "$@"; do
	case ${pair#*=} in
	*/pci_cma_tsm.ko) add_dependencies "${pair%%=*}" ;;
	esac
done
(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$output.tmp"
mv "$output.tmp" "$output"
