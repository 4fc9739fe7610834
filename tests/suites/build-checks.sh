#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The module builds for both kernels, and on both the section and symbol
# checks reject modules that break the freestanding rules. On the debug
# kernel this also proves KASAN's own constructors are told apart from C++
# dynamic initialisation.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
for which in stock debug; do
	build_module_or_fail "$which" || continue
	tests/build-checks/run.sh "$kdir" "$(module_dir "$kdir")" | sed "s/^\(ok\|not ok\) /\1 $which: /"
done
# The netlink UAPI header and the kernel's policy tables are what the spec
# generates, with the kernel's own generator.
if log=$(scripts/ynl-gen.sh --check 2>&1); then
	echo "ok ynl: include/uapi/linux/pci_cma.h and src/glue/nl_gen.[ch] match Documentation/netlink/specs/pci-cma.yaml"
else
	echo "$log" >&2
	echo "not ok ynl: generated files differ from the spec (run scripts/ynl-gen.sh in the build root)"
fi
