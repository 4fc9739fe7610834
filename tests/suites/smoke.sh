#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Module smoke test in QEMU on one kernel: load, unload, clean dmesg.
# Usage: tests/suites/smoke.sh stock|debug
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
. qemu/lib.sh
which=$1

build_module_or_fail "$which" || exit 0
case $which in
stock) kernel=$stock_kernel timeout=180 ;;
debug) kernel=$kernel_dir/bzImage timeout=600 ;;
esac
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
