#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs a command inside the build root (or, with --sid, the sid root that
# has the second kernel's headers and compiler), creating it first if
# needed.
# The clone and the cache appear at the same paths inside as outside, so
# paths in messages and build files mean the same thing on both sides.
# Mounts live in a private mount namespace and vanish with the command.
#
# Usage: scripts/in-root.sh [--sid] COMMAND [ARG...]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

dist=trixie
if [ "${1:-}" = --sid ]; then
	dist=sid
	shift
fi
root=$("$here/buildroot.sh" "$dist")
top=$(cd "$here/.." && pwd)
workdir=$(pwd)

# Inside the build root already (a suite building for the sid kernel), its
# mounts are private to the outer command, and the chroot's "/" is no
# mount point whose propagation could change.
propagation=private
[ -n "${PCI_CMA_IN_ROOT:-}" ] && propagation=unchanged

exec unshare --mount --propagation "$propagation" -- bash -c '
	set -e
	root=$1 top=$2 cache=$3 workdir=$4
	shift 4
	mount -t proc proc "$root/proc"
	mount --rbind /dev "$root/dev"
	mount --rbind /sys "$root/sys"
	mount -t tmpfs tmpfs "$root/tmp"
	mkdir -p "$root$top" "$root$cache"
	mount --bind "$top" "$root$top"
	mount --bind "$cache" "$root$cache"
	exec chroot "$root" /usr/bin/env -i \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
		PCI_CMA_CACHE="$cache" PCI_CMA_IN_ROOT=1 TERM=dumb \
		bash -c "cd \"\$0\" && exec \"\$@\"" "$workdir" "$@"' \
	in-root "$root" "$top" "$PCI_CMA_CACHE" "$workdir" "$@"
