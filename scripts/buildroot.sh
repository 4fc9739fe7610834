#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Creates, or reuses, a Debian root the project builds and runs in, and
# prints its path. The host's compiler is too old for the target kernels,
# so everything that touches a kernel happens inside such a root.
#
#   trixie (the default)  the build root: gcc-14, trixie-backports' kernel,
#                         QEMU and every tool the tests run
#   sid                   the second kernel and compiler: sid's kernel image
#                         and headers with the gcc it was built with; only
#                         the module is built there, QEMU runs from trixie
#
# A root is cached in $PCI_CMA_CACHE under a key hashed from its package
# list and recipe version; it is built in a temporary directory and renamed
# into place only when complete, so an interrupted run never leaves a root
# that a later run would trust.
#
# Usage: scripts/buildroot.sh [trixie|sid]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

dist=${1:-trixie}
# Bump when a change to this script changes what a root contains; the
# package list is hashed as it is.
recipe_version=1
case $dist in
trixie)
	packages_file=$here/buildroot.packages
	name=root
	suites="trixie trixie-backports"
	;;
sid)
	packages_file=$here/buildroot-sid.packages
	name=sid-root
	suites=sid
	;;
*) die "unknown root: $dist (trixie or sid)" ;;
esac
key=$( (echo "recipe $recipe_version"; cat "$packages_file") | sha256sum | cut -c1-16)
root=$PCI_CMA_CACHE/$name-$key
log=$PCI_CMA_CACHE/$name-$key.log

if [ -f "$root/.complete" ]; then
	echo "$root"
	exit 0
fi

[ "$(id -u)" = 0 ] || die "the build root needs root (debootstrap and chroot)"
mkdir -p "$PCI_CMA_CACHE"
exec 9>"$PCI_CMA_CACHE/$name.lock"
flock 9
if [ -f "$root/.complete" ]; then
	echo "$root"
	exit 0
fi

avail_kib=$(df -Pk "$PCI_CMA_CACHE" | awk 'NR == 2 { print $4 }')
[ "$avail_kib" -ge $((6 * 1024 * 1024)) ] ||
	die "disk short: the build root needs 6 GiB free in $PCI_CMA_CACHE, $((avail_kib / 1024)) MiB available"

uri=$(archive_uri) || die "no Debian archive URI found in the host's apt sources"
reachable() {
	if command -v curl >/dev/null; then
		curl -fsS -m 60 -o /dev/null "$1"
	else
		wget -q -T 60 -O /dev/null "$1"
	fi
}
for suite in $suites; do
	reachable "$uri/dists/$suite/Release" ||
		die "package archive unreachable: $uri/dists/$suite/Release"
done

tmp=$(mktemp -d "$PCI_CMA_CACHE/$name-$key.tmp.XXXXXX")
cleanup() {
	local m
	# Unmount anything still mounted under the half-built root, deepest first.
	for m in $(awk -v t="$tmp" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
: >"$log"
note "creating the $dist root in $root (log: $log)"

# debootstrap from the host if present, otherwise unpacked from the
# archive without touching the host's installed packages.
debootstrap=$(command -v debootstrap || true)
if [ -z "$debootstrap" ]; then
	mkdir -p "$tmp/.debootstrap"
	# A fresh host may have no package lists yet: refresh them once.
	(cd "$tmp/.debootstrap" && { apt-get download debootstrap ||
		{ apt-get update && apt-get download debootstrap; }; }) >>"$log" 2>&1 ||
		die "could not download debootstrap from the host's archive (log: $log)"
	dpkg-deb -x "$tmp"/.debootstrap/debootstrap_*.deb "$tmp/.debootstrap/x"
	export DEBOOTSTRAP_DIR=$tmp/.debootstrap/x/usr/share/debootstrap
	debootstrap=$tmp/.debootstrap/x/usr/sbin/debootstrap
fi

target=$tmp/root
"$debootstrap" --variant=minbase --include=ca-certificates,curl \
	--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
	"$dist" "$target" "$uri" >>"$log" 2>&1 ||
	die "debootstrap of $dist failed (log: $log)"
rm -rf "$tmp/.debootstrap"

if [ "$dist" = sid ]; then
	# The archive these machines reach is a snapshot whose sid Release has
	# passed its Valid-Until date (sid's is one week). Its signature is
	# still checked; only the expiry, which guards a live mirror against
	# replayed old states, is waived, and for sid alone.
	echo "deb [check-valid-until=no] $uri sid main" >"$target/etc/apt/sources.list"
else
	cat >"$target/etc/apt/sources.list" <<SRC
deb $uri trixie main
deb $uri trixie-backports main
SRC
fi
cat >"$target/etc/dpkg/dpkg.cfg.d/01-nodoc" <<'CFG'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/locale/*
CFG

# Created from inside the build root (a suite's first use of the sid root),
# the outer mounts are private already and "/" is no mount point whose
# propagation could change.
propagation=private
[ -n "${PCI_CMA_IN_ROOT:-}" ] && propagation=unchanged
in_target() {
	unshare --mount --propagation "$propagation" -- sh -c '
		t=$1; shift
		mount -t proc proc "$t/proc" && mount --rbind /dev "$t/dev" &&
		mount --rbind /sys "$t/sys" &&
		exec chroot "$t" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"' \
		sh "$target" "$@"
}

in_target apt-get update >>"$log" 2>&1 ||
	die "apt-get update inside the build root failed (log: $log)"

# Check every package exists before installing, so a missing one is named.
main_pkgs=() bpo_pkgs=()
while read -r suite pkg; do
	case "$suite" in '' | '#'*) continue ;; esac
	in_target apt-cache show --no-all-versions "$pkg" >/dev/null 2>&1 ||
		die "package missing from the archive: $pkg ($suite)"
	case $suite in
	"$dist") main_pkgs+=("$pkg") ;;
	trixie-backports) bpo_pkgs+=("$pkg") ;;
	*) die "$packages_file: $pkg comes from $suite, not from the $dist root's archive" ;;
	esac
done <"$packages_file"

in_target apt-get install -y --no-install-recommends "${main_pkgs[@]}" >>"$log" 2>&1 ||
	die "installing the $dist packages failed (log: $log)"
if [ ${#bpo_pkgs[@]} -gt 0 ]; then
	in_target apt-get install -y --no-install-recommends -t trixie-backports "${bpo_pkgs[@]}" >>"$log" 2>&1 ||
		die "installing the trixie-backports packages failed (log: $log)"
fi
in_target apt-get clean >>"$log" 2>&1

# Unpack the kernel source once, here, so that kernel builds start from a
# tree that is part of the cached root. The sid root has no source: only
# the module is built there.
if [ "$dist" = trixie ]; then
	src_tar=$(ls "$target"/usr/src/linux-source-*.tar.* 2>/dev/null | head -n1)
	[ -n "$src_tar" ] || die "linux-source tarball not found in the build root"
	tar -C "$target/usr/src" -xf "$src_tar" >>"$log" 2>&1 ||
		die "unpacking $src_tar failed (log: $log)"
	rm -f "$src_tar"
fi

touch "$target/.complete"
mv "$target" "$root"
# Older roots are dead weight once a new key is complete, unless a process
# still runs inside one (its /proc/PID/root points there).
in_use() {
	local link
	for link in /proc/[0-9]*/root; do
		case "$(readlink "$link" 2>/dev/null)" in "$1" | "$1"/*) return 0 ;; esac
	done
	return 1
}
for old in "$PCI_CMA_CACHE/$name"-*; do
	case "$old" in "$root" | *.log | *.tmp.*) continue ;; esac
	[ -d "$old" ] && ! in_use "$old" && rm -rf "$old" "$old.log"
done
note "$dist root ready: $root"
echo "$root"
