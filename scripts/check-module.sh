#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Fails the build when the C++ runtime leaks into a module:
#  - a section that only a hosted C++ runtime would act on (.init_array and
#    .ctors hold global constructors that a module never runs; .eh_frame and
#    .gcc_except_table mean exceptions or unwind tables), in any C++ object;
#  - an undefined symbol of a .ko that the target kernel does not export
#    (operator new, __cxa_*, __udivti3, ...): such a module would not load;
#  - two allocated sections of one name in a .ko: the kernel names each
#    loaded section in /sys/module/NAME/sections/ and refuses the module
#    (EEXIST), as it would one whose COMDAT groups kept their own
#    __patchable_function_entries.
#
# Usage: scripts/check-module.sh KDIR MODULE_OUTPUT_DIR
set -euo pipefail
kdir=$1
out=$2
status=0

forbidden_sections='^\.(init_array|fini_array|ctors|dtors|eh_frame|eh_frame_hdr|gcc_except_table)(\.|$)'

# Prints each name that two or more allocated sections of an object share.
shared_section_names() {
	readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] //p' |
		awk 'NF == 10 && $7 ~ /A/ { print $1 }' | sort | uniq -d
}

# Prints the forbidden sections of an object file, if any.
forbidden_in() {
	readelf -SW "$1" | awk '$1 == "[" { $1 = ""; $0 = $0 } { print $2 }' |
		grep -E "$forbidden_sections" || true
}

# Under KASAN the compiler adds constructors that register globals with the
# sanitizer, and such kernels run module constructors (CONFIG_CONSTRUCTORS).
# Those are not C++ dynamic initialisation: to tell them apart, recompile the
# object with its own recorded command minus the KASAN options and check the
# result instead.
recompile_without_kasan() {
	local cmd=$1 tmp=$2 line
	line=$(sed -n 's/^savedcmd_[^ ]* := //p' "$cmd" | sed -E \
		-e 's/ -Wp,-MMD,[^ ]+//' -e 's/ -fsanitize=kernel-address//g' \
		-e 's/ -fasan-shadow-offset=[^ ]+//g' -e 's/ --param[ =]asan-[^ ]+//g' \
		-e "s| -o [^ ]+| -o $tmp|" -e 's/ ; .*$//')
	rm -f "$tmp"
	[ -n "$line" ] && (cd "$out" && eval "$line") >/dev/null 2>&1 && [ -f "$tmp" ]
}

kasan=no
grep -q '^CONFIG_KASAN=y' "$kdir/.config" 2>/dev/null && kasan=yes
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

checked=0
# Kbuild records each object's source in its .cmd file: that finds the C++
# objects of any module, ours or a test fixture's.
while IFS= read -r cmd; do
	obj=$(dirname "$cmd")/$(basename "$cmd" .cmd)
	obj=${obj%/.*}/${obj##*/.}
	[ -f "$obj" ] || continue
	checked=$((checked + 1))
	bad=$(forbidden_in "$obj")
	if [ -n "$bad" ] && [ "$kasan" = yes ]; then
		if recompile_without_kasan "$cmd" "$scratch/check.o"; then
			bad=$(forbidden_in "$scratch/check.o")
		else
			bad="$bad (and recompiling it without KASAN failed)"
		fi
	fi
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
exports=$scratch/exports
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
	shared=$(shared_section_names "$ko")
	if [ -n "$shared" ]; then
		echo "check-module: $(basename "$ko") has several allocated sections named $(echo $shared): the kernel would refuse to load it" >&2
		status=1
	fi
done
[ "$status" = 0 ] && echo "  CHECK   $checked C++ objects, $(ls "$out"/*.ko | wc -l) module(s): no runtime sections, every symbol exported, section names unique"
exit $status
