#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# KUnit in the debug kernel: the engine's self-test cases run inside the
# kernel; the KTAP they print is parsed by the kernel's own kunit.py.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
. qemu/lib.sh

build_module_or_fail debug || exit 0
out=$(module_dir "$kdir")
run=$PWD/build/qemu/kunit
qemu_init "$run"
qemu/initramfs.sh "$run/initrd" qemu/guest/kunit.sh \
	"$out/pci_cma_tsm.ko=/lib/modules/extra/pci_cma_tsm.ko" \
	"$out/pci_cma_tsm_kunit.ko=/lib/modules/extra/pci_cma_tsm_kunit.ko" >&2
timeout=600
# KUnit is built in but neither enabled nor run on module load by default
# (CONFIG_KUNIT_DEFAULT_ENABLED and CONFIG_KUNIT_AUTORUN_ENABLED are off).
PCI_CMA_APPEND="kunit.enable=1 kunit.autorun=1" qemu_boot "$kernel_dir/bzImage" "$run/initrd" "$run/console.log" "$timeout"
rc=$?
cat "$run/console.log" >&2
if [ "$rc" != 0 ]; then
	echo "not ok kunit boot - guest ended with status $rc (124: timeout after ${timeout}s; see $run/console.log)"
	exit 0
fi
sed -n '/PCI_CMA_KTAP_BEGIN/,/PCI_CMA_KTAP_END/p' "$run/console.log" | tr -d '\r' |
	grep -v PCI_CMA_RESULT >"$run/dmesg.log"
kunit_py=$(ls /usr/src/linux-source-*/tools/testing/kunit/kunit.py | head -n1)
python3 "$kunit_py" parse --json="$run/kunit.json" "$run/dmesg.log" >&2
if [ ! -s "$run/kunit.json" ]; then
	echo "not ok kunit parse - kunit.py found no KTAP (see $run/dmesg.log)"
	exit 0
fi
python3 scripts/results.py kunit "$run/kunit.json"
qemu_results "$run/console.log" | sed 's/^\(ok\|not ok\|skip\) /\1 guest: /'
