#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# dkms add/build/install for Debian's stock kernel, inside the build root.
# DKMS's state, the source copy and the installed module live on tmpfs in a
# private mount namespace, so the cached root is left as it was.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"
. tests/suites/lib.sh
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"/\1/p' dkms.conf)

exec unshare --mount --propagation unchanged -- bash -c '
	top=$1 name=$2 version=$3 kver=$4
	src=/usr/src/$name-$version
	mkdir -p /var/lib/dkms "$src" "/lib/modules/$kver/updates"
	mount -t tmpfs tmpfs /var/lib/dkms
	mount -t tmpfs tmpfs "$src"
	mount -t tmpfs tmpfs "/lib/modules/$kver/updates"
	# The sources as a user would unpack them: no build outputs.
	tar -C "$top" --exclude=./build --exclude=./.git -cf - . | tar -C "$src" -xf -

	step() {
		local label=$1
		shift
		if "$@" >&2 2>&1; then
			echo "ok dkms $label"
		else
			echo "not ok dkms $label - see the suite log"
			find /var/lib/dkms -name make.log -exec cat {} + >&2
			exit 0
		fi
	}
	step add dkms add "$name/$version"
	step build dkms build "$name/$version" -k "$kver"
	step install dkms install --force "$name/$version" -k "$kver"
	ko=$(find "/lib/modules/$kver/updates" -name "pci_cma_tsm.ko*" | head -n1)
	if [ -n "$ko" ] && modinfo -F vermagic "$ko" | grep -q "^$kver "; then
		echo "ok dkms installed module is built for $kver"
	else
		echo "not ok dkms installed module is built for $kver - found \"$ko\""
	fi
	if find /var/lib/dkms -name make.log -exec grep -l "CHECK " {} + | grep -q .; then
		echo "ok dkms build ran the module checks"
	else
		echo "not ok dkms build ran the module checks - no CHECK line in make.log"
	fi
' dkms "$top" "$name" "$version" "$stock_kver"
