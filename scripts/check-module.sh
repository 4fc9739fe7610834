#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Fails the build when the C++ runtime leaks into a module:
#  - a section that only a hosted C++ runtime would act on (.init_array and
#    .ctors hold global constructors that a module never runs; .eh_frame and
#    .gcc_except_table mean exceptions or unwind tables), in any C++ object;
#  - an undefined symbol of a .ko that the target kernel does not export
#    (operator new, __cxa_*, __udivti3, ...): such a module would not load.
#
# Usage: scripts/check-module.sh KDIR MODULE_OUTPUT_DIR
set -euo pipefail
kdir=$1
out=$2
status=0

forbidden_sections='^\.(init_array|fini_array|ctors|dtors|eh_frame|eh_frame_hdr|gcc_except_table)(\.|$)'

checked=0
# Kbuild records each object's source in its .cmd file: that finds the C++
# objects of any module, ours or a test fixture's.
while IFS= read -r cmd; do
	obj=$(dirname "$cmd")/$(basename "$cmd" .cmd)
	obj=${obj%/.*}/${obj##*/.}
	[ -f "$obj" ] || continue
	checked=$((checked + 1))
	bad=$(readelf -SW "$obj" | awk '$1 == "[" { $1 = ""; $0 = $0 } { print $2 }' |
		grep -E "$forbidden_sections" || true)
	if [ -n "$bad" ]; then
		echo "check-module: $obj has forbidden C++ runtime section(s): $(echo $bad)" >&2
		status=1
	fi
done < <(grep -rlE '^source_.*\.cpp$' --include='*.o.cmd' "$out" | sort)
if [ "$checked" = 0 ]; then
	echo "check-module: no C++ objects found under $out" >&2
	exit 1
fi

symvers=$kdir/Module.symvers
[ -f "$symvers" ] || { echo "check-module: $symvers missing" >&2; exit 1; }
exports=$(mktemp)
trap 'rm -f "$exports"' EXIT
# Exports of the target kernel, and of our own modules (the KUnit module
# imports the main module's KUnit-only exports).
cat "$symvers" "$out/Module.symvers" 2>/dev/null | awk '{ print $2 }' | sort -u >"$exports"

for ko in "$out"/*.ko; do
	[ -f "$ko" ] || continue
	missing=$(nm -u "$ko" | awk '{ print $2 }' | sort -u | comm -23 - "$exports")
	if [ -n "$missing" ]; then
		echo "check-module: $(basename "$ko") needs symbols $(basename "$kdir") does not export: $(echo $missing)" >&2
		status=1
	fi
done
[ "$status" = 0 ] && echo "  CHECK   $checked C++ objects, $(ls "$out"/*.ko | wc -l) module(s): no runtime sections, every symbol exported"
exit $status
