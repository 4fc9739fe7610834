#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Creates, or reuses, the Debian trixie root the project builds and runs in,
# and prints its path. The host's compiler is too old for the target kernels,
# so everything that touches a kernel happens inside this root.
#
# The root is cached in $PCI_CMA_CACHE under a key hashed from the package
# list and this script; it is built in a temporary directory and renamed into
# place only when complete, so an interrupted run never leaves a root that a
# later run would trust.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

packages_file=$here/buildroot.packages
# Bump when a change to this script changes what the root contains; the
# package list is hashed as it is.
recipe_version=1
key=$( (echo "recipe $recipe_version"; cat "$packages_file") | sha256sum | cut -c1-16)
root=$PCI_CMA_CACHE/root-$key
log=$PCI_CMA_CACHE/root-$key.log

if [ -f "$root/.complete" ]; then
	echo "$root"
	exit 0
fi

[ "$(id -u)" = 0 ] || die "the build root needs root (debootstrap and chroot)"
mkdir -p "$PCI_CMA_CACHE"
exec 9>"$PCI_CMA_CACHE/root.lock"
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
for suite in trixie trixie-backports; do
	reachable "$uri/dists/$suite/Release" ||
		die "package archive unreachable: $uri/dists/$suite/Release"
done

tmp=$(mktemp -d "$PCI_CMA_CACHE/root-$key.tmp.XXXXXX")
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
note "creating the build root in $root (log: $log)"

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
	trixie "$target" "$uri" >>"$log" 2>&1 ||
	die "debootstrap of trixie failed (log: $log)"
rm -rf "$tmp/.debootstrap"

cat >"$target/etc/apt/sources.list" <<SRC
deb $uri trixie main
deb $uri trixie-backports main
SRC
cat >"$target/etc/dpkg/dpkg.cfg.d/01-nodoc" <<'CFG'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/locale/*
CFG

in_target() {
	unshare --mount --propagation private -- sh -c '
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
	if [ "$suite" = trixie-backports ]; then bpo_pkgs+=("$pkg"); else main_pkgs+=("$pkg"); fi
done <"$packages_file"

in_target apt-get install -y --no-install-recommends "${main_pkgs[@]}" >>"$log" 2>&1 ||
	die "installing the trixie packages failed (log: $log)"
in_target apt-get install -y --no-install-recommends -t trixie-backports "${bpo_pkgs[@]}" >>"$log" 2>&1 ||
	die "installing the trixie-backports packages failed (log: $log)"
in_target apt-get clean >>"$log" 2>&1

# Unpack the kernel source once, here, so that kernel builds start from a
# tree that is part of the cached root.
src_tar=$(ls "$target"/usr/src/linux-source-*.tar.* 2>/dev/null | head -n1)
[ -n "$src_tar" ] || die "linux-source tarball not found in the build root"
tar -C "$target/usr/src" -xf "$src_tar" >>"$log" 2>&1 ||
	die "unpacking $src_tar failed (log: $log)"
rm -f "$src_tar"

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
for old in "$PCI_CMA_CACHE"/root-*; do
	case "$old" in "$root" | *.log | *.tmp.*) continue ;; esac
	[ -d "$old" ] && ! in_use "$old" && rm -rf "$old" "$old.log"
done
note "build root ready: $root"
echo "$root"
