#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs a command in a throwaway copy of the build root: an overlay of the
# root whose writable layer is a tmpfs in a private mount namespace, so
# that whatever the command installs, builds or removes vanishes with it.
# The cached root is shared by every checkout and suite and must stay as
# buildroot.sh made it. Run inside the build root (scripts/in-root.sh).
#
# Usage: tests/packages/overlay-root.sh DIR COMMAND [ARG...]
#   DIR (the project tree) appears at the same path inside; COMMAND runs
#   there, as root, with a clean environment.
set -euo pipefail
[ "$#" -ge 2 ] || { echo "usage: $0 DIR COMMAND [ARG...]" >&2; exit 2; }

exec unshare --mount --propagation unchanged -- bash -c '
	set -e
	dir=$1
	shift
	ov=$(mktemp -d /tmp/overlay-root.XXXXXX)
	# Upper and work directories must share one file system.
	mount -t tmpfs -o mode=0755 tmpfs "$ov"
	mkdir "$ov/upper" "$ov/work" "$ov/root"
	mount -t overlay overlay -o "lowerdir=/,upperdir=$ov/upper,workdir=$ov/work" "$ov/root"
	mount -t proc proc "$ov/root/proc"
	mount --rbind /dev "$ov/root/dev"
	mount --rbind /sys "$ov/root/sys"
	mount -t tmpfs tmpfs "$ov/root/tmp"
	mkdir -p "$ov/root$dir"
	mount --bind "$dir" "$ov/root$dir"
	exec chroot "$ov/root" /usr/bin/env -i \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive TERM=dumb \
		bash -c "cd \"\$0\" && exec \"\$@\"" "$dir" "$@"' \
	overlay-root "$@"
