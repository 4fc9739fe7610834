#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds, or reuses, the debug test kernel and prints its directory, which
# holds bzImage and the build tree modules are compiled against (build/).
# Runs inside the build root. The kernel is cached by the linux-source
# package version, the config fragment and the recipe version below; a
# directory without its .complete marker is an interrupted build and is
# started over.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
[ -n "${PCI_CMA_IN_ROOT:-}" ] || exec "$here/in-root.sh" "$here/kernel.sh" "$@"

fragment=$here/../qemu/kernel/debug.config
src=$(ls -d /usr/src/linux-source-* 2>/dev/null | head -n1)
[ -d "$src" ] || die "no unpacked linux-source tree in the build root"
src_version=$(dpkg-query -W -f '${Version}' "$(basename "$src")")
# Bump when a change to this script changes the kernel it builds.
recipe_version=1
key=$( (echo "$src_version recipe $recipe_version"; cat "$fragment") | sha256sum | cut -c1-16)
out=$PCI_CMA_CACHE/kernel-$key

if [ -f "$out/.complete" ]; then
	echo "$out"
	exit 0
fi

exec 9>"$PCI_CMA_CACHE/kernel.lock"
flock 9
if [ -f "$out/.complete" ]; then
	echo "$out"
	exit 0
fi
rm -rf "$out"
mkdir -p "$out/build"
log=$out/build.log
note "building the debug test kernel from $(basename "$src") $src_version (log: $log)"
start=$(date +%s)

kmake() {
	make -C "$src" O="$out/build" CC=gcc-14 HOSTCC=gcc-14 "$@"
}

kmake KCONFIG_ALLCONFIG="$fragment" allnoconfig >>"$log" 2>&1 ||
	die "configuring the debug kernel failed (log: $log)"

# allnoconfig silently drops a symbol whose dependencies are unmet; catch it.
missing=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$fragment" | while read -r line; do
	grep -qxF "$line" "$out/build/.config" || echo "$line"
done)
[ -z "$missing" ] || die "debug kernel config dropped: $(echo $missing)"

# "modules" builds none (everything is built in) but writes Module.symvers,
# which external module builds and scripts/check-module.sh read.
kmake -j"$(($(nproc) + 1))" bzImage modules modules_prepare >>"$log" 2>&1 ||
	die "building the debug kernel failed (log: $log)"
cp "$out/build/arch/x86/boot/bzImage" "$out/bzImage"
echo "$(( $(date +%s) - start ))" >"$out/build-seconds"
touch "$out/.complete"

for old in "$PCI_CMA_CACHE"/kernel-*; do
	[ "$old" = "$out" ] || [ ! -d "$old" ] || rm -rf "$old"
done
note "debug kernel built in $(cat "$out/build-seconds") s: $out"
echo "$out"
