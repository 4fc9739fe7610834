#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Module smoke test in QEMU on one kernel: load, unload, clean dmesg; then
# a boot whose random pool is not seeded when the module loads, with one
# device: the nonce waits for the pool.
# Usage: tests/suites/smoke.sh stock|debug|sid
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
. qemu/lib.sh
which=$1

build_module_or_fail "$which" || exit 0
if ! make -s host >&2; then
	echo "not ok $which: host-build - see the suite log"
	exit 0
fi
kernel=$(kernel_image "$which")
timeout=180
[ "$which" = debug ] && timeout=600
export PCI_CMA_KERNEL_ROOT=$kernel_root
run=build/qemu/smoke-$which
qemu_init "$run"
qemu/initramfs.sh "$run/initrd" qemu/guest/smoke.sh \
	"$(module_dir "$kdir")/pci_cma_tsm.ko=/lib/modules/extra/pci_cma_tsm.ko" >&2
qemu_boot "$kernel" "$run/initrd" "$run/console.log" "$timeout"
rc=$?
qemu_results "$run/console.log" | sed "s/^\(ok\|not ok\|skip\) /\1 $which: /"
case $rc in
124) echo "not ok $which: boot - timed out after ${timeout}s (see $run/console.log)" ;;
125) echo "not ok $which: boot - QEMU ended without the guest's exit status (see $run/console.log)" ;;
esac
cat "$run/console.log" >&2

# The random pool unseeded at load: neither the CPU's nor the bootloader's
# randomness is trusted, and nothing else seeds it this early.
port=$(qemu_start_responder rng --alg ecdsa-p256) || { echo "not ok $which: rng responder starts"; exit 0; }
read -ra args <<<"$(qemu_nvme_cma_args 0 "$port" | tr '\n' ' ')"
qemu/initramfs.sh "$run/rng-initrd" qemu/guest/rng.sh \
	"$(module_dir "$kdir")/pci_cma_tsm.ko=/lib/modules/extra/pci_cma_tsm.ko" >&2
PCI_CMA_APPEND="random.trust_cpu=0 random.trust_bootloader=0" \
	qemu_boot "$kernel" "$run/rng-initrd" "$run/rng-console.log" "$timeout" "${args[@]}"
rc=$?
qemu_results "$run/rng-console.log" | sed "s/^\(ok\|not ok\|skip\) /\1 $which: rng: /"
[ "$rc" = 0 ] || echo "not ok $which: rng: guest job - status $rc"
cat "$run/rng-console.log" >&2
