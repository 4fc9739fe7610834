# SPDX-License-Identifier: GPL-2.0
# Shared by the suites (sourced, inside the build root).

stock_kver=$(basename "$(ls -d /lib/modules/*/ | head -n1)")
stock_kdir=/lib/modules/$stock_kver/build
stock_kernel=/boot/vmlinuz-$stock_kver

module_dir() {
	echo "build/module/$(cat "$1/include/config/kernel.release")"
}

# build_module_or_fail stock|debug: builds the module for that kernel and
# sets kdir; on failure prints a failed result and returns 1.
build_module_or_fail() {
	case $1 in
	stock) kdir=$stock_kdir ;;
	debug)
		if ! kernel_dir=$(scripts/kernel.sh); then
			echo "not ok debug-kernel-build - see the suite log"
			return 1
		fi
		kdir=$kernel_dir/build
		;;
	esac
	if make --no-print-directory module KDIR="$kdir" >&2; then
		echo "ok module-build-$1"
		return 0
	fi
	echo "not ok module-build-$1 - see the suite log"
	return 1
}

# suite_guest_setup NAME WHICH STOCK_TIMEOUT DEBUG_TIMEOUT: the common start
# of a QEMU suite: host programs and the module for WHICH (stock|debug)
# built, then kernel, timeout and a fresh run directory (run) set and the
# harness initialised. Prints a "not ok" line and fails otherwise.
suite_guest_setup() {
	local name=$1 which=$2
	if ! make -s host >&2; then
		echo "not ok $name: host-build - see the suite log"
		return 1
	fi
	build_module_or_fail "$which" >/dev/null || { echo "not ok $name: module-build"; return 1; }
	case $which in
	stock) kernel=$stock_kernel timeout=$3 ;;
	debug) kernel=$kernel_dir/bzImage timeout=$4 ;;
	esac
	run=$PWD/build/qemu/$name
	rm -rf "$run"
	qemu_init "$run"
}
