#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages (debian/): built with dpkg-buildpackage from a copy
# of the sources as a release would have them, checked with lintian, then
# installed, checked and purged in a throwaway overlay of the build root
# (tests/packages/), so the cached root is left as it was.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"
. tests/suites/lib.sh

out=$top/build/packages
version=$(dpkg-parsechangelog -S Version)
src=$out/pci-cma-tsm-$version
rm -rf "$out"
mkdir -p "$src"
tar --exclude=./build --exclude=./.git -cf - . | tar -C "$src" -xf -

if (cd "$src" && dpkg-buildpackage -us -uc -b) >&2 2>&1; then
	echo "ok packages build"
else
	echo "not ok packages build - dpkg-buildpackage failed (see the suite log)"
	exit 0
fi

contents() { dpkg-deb -c "$1" | awk '{ print $6 }' | sed 's|^\./|/|'; }
cmactl_files=$(contents "$out"/cmactl_*.deb)
dkms_files=$(contents "$out"/pci-cma-tsm-dkms_*_all.deb)
missing=
for f in /usr/sbin/cmactl /usr/share/man/man8/cmactl.8.gz /usr/lib/systemd/system/cmactl-agent.service \
	/etc/pci-cma/policy.conf /etc/pci-cma/anchors.d/README /etc/modprobe.d/pci-cma-tsm.conf; do
	grep -qx "$f" <<<"$cmactl_files" || missing="$missing $f"
done
for f in dkms.conf Kbuild scripts/Kbuild.cxx scripts/check-module.sh src/glue/main.c; do
	grep -qx "/usr/src/pci-cma-tsm-$version/$f" <<<"$dkms_files" || missing="$missing $f"
done
if [ -z "$missing" ]; then
	echo "ok packages contents"
else
	echo "not ok packages contents - missing:$missing"
fi

# Errors and warnings fail; each override in debian/ says why it is there.
lintian_out=$(lintian --fail-on error,warning --display-info "$out"/pci-cma-tsm_*.changes 2>&1)
rc=$?
echo "$lintian_out" >&2
if [ "$rc" = 0 ]; then
	echo "ok packages lintian"
else
	echo "not ok packages lintian - $(grep -E '^[EW]: ' <<<"$lintian_out" | cut -d' ' -f2- | sort -u | tr '\n' ';')"
fi

tests/packages/overlay-root.sh "$top" tests/packages/installed.sh "$out" "$stock_kver"

# What was installed lived in the overlay only. (Empty directories named
# like the module's source may be there: the dkms suite's mount points.)
if dpkg-query -W cmactl pci-cma-tsm-dkms >/dev/null 2>&1 ||
	[ -n "$(find /usr/src -maxdepth 1 -name 'pci-cma-tsm-*' ! -empty)$(ls -d /etc/pci-cma 2>/dev/null)" ]; then
	echo "not ok packages build root left as it was - the packages are installed in it"
else
	echo "ok packages build root left as it was"
fi
