#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Generates the UAPI header and the kernel's policy and op tables of the
# pci-cma netlink family from its YNL spec with the kernel's own generator,
# as upstream generates its families. Runs inside the build root.
#
# Usage: scripts/ynl-gen.sh [--check]
#   --check  fail (and show the diff) if the committed files are not what
#            the spec generates
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(ls -d /usr/src/linux-source-*/ 2>/dev/null | head -n1)
[ -n "$src" ] || { echo "ynl-gen: no linux-source in the build root" >&2; exit 1; }
spec=Documentation/netlink/specs/pci-cma.yaml
gen=$src/tools/net/ynl/pyynl/ynl_gen_c.py

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The generator finds the schema next to the spec's directory.
mkdir -p "$work/Documentation/netlink/specs"
cp "$src/Documentation/netlink/genetlink.yaml" "$work/Documentation/netlink/"
cp "$spec" "$work/$spec"
# ... and names the spec by its path below a directory holding MAINTAINERS.
touch "$work/MAINTAINERS"

generate() { python3 "$gen" --spec "$work/$spec" "$@"; }
generate --mode uapi --header -o "$work/pci_cma.h"
generate --mode kernel --header -o "$work/nl_gen.h"
generate --mode kernel --source -o "$work/nl_gen.c"

status=0
for pair in pci_cma.h=include/uapi/linux/pci_cma.h nl_gen.h=src/glue/nl_gen.h nl_gen.c=src/glue/nl_gen.c; do
	made=$work/${pair%%=*}
	file=${pair#*=}
	if [ "${1:-}" = --check ]; then
		diff -u "$file" "$made" || { echo "ynl-gen: $file is not what $spec generates" >&2; status=1; }
	else
		mkdir -p "$(dirname "$file")"
		cp "$made" "$file"
	fi
done
exit $status
