# SPDX-License-Identifier: GPL-2.0
# Shared by the suites (sourced, inside the build root).

stock_kver=$(basename "$(ls -d /lib/modules/*/ | head -n1)")
stock_kdir=/lib/modules/$stock_kver/build
stock_kernel=/boot/vmlinuz-$stock_kver

module_dir() {
	echo "build/module/$(cat "$1/include/config/kernel.release")"
}

# build_module_or_fail stock|debug|sid: builds the module for that kernel
# and sets kdir (its headers, as seen from here) and kernel_root (where its
# own modules are: / but for sid); on failure prints a failed result and
# returns 1. The sid kernel's module is built in the sid root, by the gcc
# that built that kernel; the root is created on first use.
build_module_or_fail() {
	kernel_root=
	case $1 in
	stock) kdir=$stock_kdir ;;
	debug)
		if ! kernel_dir=$(scripts/kernel.sh); then
			echo "not ok debug-kernel-build - see the suite log"
			return 1
		fi
		kdir=$kernel_dir/build
		;;
	sid)
		if ! kernel_root=$(scripts/buildroot.sh sid); then
			echo "not ok sid-root - see the suite log"
			return 1
		fi
		sid_kver=$(basename "$(ls -d "$kernel_root"/lib/modules/*/ | head -n1)")
		# The headers' link is meant for inside the sid root: an absolute
		# one is taken from there, a relative one resolved physically.
		link=$(readlink "$kernel_root/lib/modules/$sid_kver/build")
		case $link in
		/*) kdir=$kernel_root$link ;;
		*) kdir=$(cd -P "$kernel_root/lib/modules/$sid_kver/build" && pwd) ;;
		esac
		if scripts/in-root.sh --sid make --no-print-directory module >&2; then
			echo "ok module-build-sid ($sid_kver, $(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"/\1/p' "$kdir/.config"))"
			return 0
		fi
		echo "not ok module-build-sid - see the suite log"
		return 1
		;;
	esac
	if make --no-print-directory module KDIR="$kdir" >&2; then
		echo "ok module-build-$1"
		return 0
	fi
	echo "not ok module-build-$1 - see the suite log"
	return 1
}

# kernel_image stock|debug|sid: the image QEMU boots for that kernel, once
# build_module_or_fail has set it up.
kernel_image() {
	case $1 in
	stock) echo "$stock_kernel" ;;
	debug) echo "$kernel_dir/bzImage" ;;
	sid) echo "$kernel_root/boot/vmlinuz-$sid_kver" ;;
	esac
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
	kernel=$(kernel_image "$which")
	case $which in
	debug) timeout=$4 ;;
	*) timeout=$3 ;;
	esac
	export PCI_CMA_KERNEL_ROOT=$kernel_root
	run=$PWD/build/qemu/$name
	rm -rf "$run"
	qemu_init "$run"
}

# sanitizer_report: the first line of a sanitizer's report in the output on
# stdin and its SUMMARY line, without the "==PID==" prefix; nothing if the
# output holds no report.
sanitizer_report() {
	local out first summary
	out=$(cat)
	first=$(grep -m1 -E 'ERROR: [A-Za-z]*Sanitizer|runtime error:|Sanitizer has encountered a fatal error' <<<"$out" |
		sed 's/^==[0-9]*==//')
	summary=$(grep -m1 '^SUMMARY: ' <<<"$out")
	[ -n "$first" ] && [ -n "$summary" ] && first="$first; "
	echo "$first$summary"
}

# run_gtest NAME BINARY [ARGS...]: runs a GoogleTest binary with JSON output
# to $PCI_CMA_RESULTS/NAME-gtest.json and prints its result lines, then
# "not ok NAME-exit" with the sanitizer's report when the binary exited
# non-zero. LeakSanitizer reports at exit, after the JSON is written, so a
# leak shows only in the exit status; so does any report after the last
# test. The binary's output goes to the suite log.
run_gtest() {
	local name=$1 json=$PCI_CMA_RESULTS/$1-gtest.json out rc report
	shift
	out=$(mktemp)
	rm -f "$json"
	"$@" --gtest_output="json:$json" >"$out" 2>&1
	rc=$?
	cat "$out" >&2
	python3 scripts/results.py gtest "$json"
	if [ "$rc" != 0 ]; then
		report=$(sanitizer_report <"$out")
		[ -n "$report" ] || report="no sanitizer report (see the failed tests and the suite log)"
		echo "not ok $name-exit - exit $rc: $report"
	fi
	rm -f "$out"
}

# build_test_modules NAME: the test modules of tests/kmod for $kdir, in
# $run/kmod; on failure a failed result for NAME, and status 1.
build_test_modules() {
	mkdir -p "$run/kmod"
	# shellcheck disable=SC2046
	make -C "$kdir" M="$PWD/tests/kmod" MO="$run/kmod" $(scripts/kernel-cc.sh "$kdir") modules >&2 && return 0
	echo "not ok $1: test driver build - see the suite log"
	return 1
}

# set_resume_job_files: the guest files of the jobs that suspend, resume
# and approve: the module, the test modules, cmactl, fail-nth and the trust
# anchor.
set_resume_job_files() {
	files=("$(module_dir "$kdir")/pci_cma_tsm.ko=/lib/modules/extra/pci_cma_tsm.ko"
		"$run/kmod/pm_notifier_driver.ko=/lib/modules/extra/pm_notifier_driver.ko"
		"$run/kmod/bus_reset_caller.ko=/lib/modules/extra/bus_reset_caller.ko"
		build/host/guest/fail-nth=/test/bin/fail-nth
		build/host/guest/cmactl=/test/bin/cmactl
		build/host/pki/ecdsa-p384/root.pem=/test/pki/ecdsa-p384/root.pem)
}

# add_kernel_modules PATH...: the Debian kernel's own modules at each PATH
# (under its kernel/ directory, without .ko.xz) join the guest's files, in
# /lib/modules/extra/. Debian's kernels (stock and sid) build them as
# modules; the debug kernel has them built in.
add_kernel_modules() {
	local m release
	release=$(cat "$kdir/include/config/kernel.release")
	for m in "$@"; do
		xz -dc "$kernel_root/lib/modules/$release/kernel/$m.ko.xz" >"$run/$(basename "$m").ko" || return 1
		files+=("$run/$(basename "$m").ko=/lib/modules/extra/$(basename "$m").ko")
	done
}

# run_guest_job NAME SCRIPT: boots $kernel with the guest job SCRIPT and
# the guest files in files, the QEMU options in args and the control
# channel served; prints the job's results and the host's reading of the
# console, prefixed with NAME.
run_guest_job() {
	local name=$1 rc
	qemu/initramfs.sh "$run/initrd" "$2" "${files[@]}" >&2
	: >"$run/console.log"
	qemu_serve_control "$run/console.log"
	qemu_boot "$kernel" "$run/initrd" "$run/console.log" "$timeout" "${args[@]}"
	rc=$?
	cat "$run/console.log" >&2
	cat "$run/control.log" >&2 2>/dev/null
	qemu_results "$run/console.log" | sed "s/^\(ok\|not ok\|skip\) /\1 $name: /"
	[ "$rc" = 0 ] || echo "not ok $name: guest job - status $rc"
}

# add_devices RESULT NAME...: for each NAME an nvme function with its own
# ECDSA-P384 responder, device i on bus i+1, then the vfio-user TEE
# endpoint (its socket $run/tee.sock) after them; their QEMU options are
# appended to args. Prints "not ok RESULT: ..." and fails if one does not
# start.
add_devices() {
	local result=$1 name port i=0 more
	shift
	for name in "$@"; do
		port=$(qemu_start_responder "$name" --alg ecdsa-p384) || { echo "not ok $result: $name starts"; return 1; }
		read -ra more <<<"$(qemu_nvme_cma_args "$i" "$port" | tr '\n' ' ')"
		args+=("${more[@]}")
		i=$((i + 1))
	done
	qemu_start_vfio_device tee --alg ecdsa-p384 --identity tee || { echo "not ok $result: tee starts"; return 1; }
	read -ra more <<<"$(qemu_vfio_device_args 0 "$run/tee.sock" | tr '\n' ' ')"
	args+=("${more[@]}")
}
