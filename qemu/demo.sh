#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: boots Debian's stock kernel in QEMU with the module and walks
# through what it does, step by step.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. tests/suites/lib.sh
. qemu/lib.sh

out=$(module_dir "$stock_kdir")
run=build/qemu/demo
qemu_init "$run"
qemu/initramfs.sh "$run/initrd" qemu/guest/demo.sh \
	"$out/pci_cma_tsm.ko=/lib/modules/extra/pci_cma_tsm.ko"
echo "Booting Debian's $stock_kver kernel in QEMU (q35, $(qemu_accel "$stock_kernel"))..."
qemu_boot "$stock_kernel" "$run/initrd" "$run/console.log" 180
rc=$?
sed -n 's/^.*DEMO: //p' "$run/console.log" | tr -d '\r'
case $rc in
0) echo "Demo finished (console log: $run/console.log)" ;;
124) echo "Demo timed out (console log: $run/console.log)"; exit 1 ;;
*) echo "Demo failed with status $rc (console log: $run/console.log)"; exit 1 ;;
esac
