#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The kernel-report detector of the QEMU suites, proved on the debug
# kernel: each fixture of tests/kmod/detector (a leak, a lock order
# inversion, an out-of-bounds read) is loaded in a guest job of its own,
# and that job must fail both ways, by the guest's check of its kernel log
# and by the host's reading of the console; a kmemleak that is off must
# fail the job too. Boot-time reports must be set aside as named skips.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
. qemu/lib.sh
name=detector-debug

# Boot-time reports, on logs made up here: the guest's filter and the
# host's console reading both set each kind aside as a skip naming it.
while IFS='|' read -r kind report; do
	out=$(REPORT="[    1.000000] $report" sh -c '
		dmesg() { [ "${1:-}" = -c ] && printf "[    0.500000] booting\n%s\n" "$REPORT"; return 0; }
		. qemu/guest/lib.sh
		boot_log=$(mktemp) kmsg=/dev/null
		dmesg_start_judging
		rm -f "$boot_log"' | sed -n 's/^PCI_CMA_RESULT: //p')
	case $out in
	"skip kernel booted without a report - "*"$report"*) echo "ok $name: guest sets aside a boot-time $kind as a skip that names it" ;;
	*) echo "not ok $name: guest sets aside a boot-time $kind as a skip that names it - $out" ;;
	esac
	printf '[    1.000000] %s\n[    2.000000] PCI_CMA_JUDGING: x\n[    3.000000] fine\n' "$report" >"$PWD/build/detector-console.log"
	out=$(qemu_kernel_reports "$PWD/build/detector-console.log")
	if grep -q "^skip .*$report" <<<"$out" && grep -q '^ok ' <<<"$out" && ! grep -q '^not ok' <<<"$out"; then
		echo "ok $name: host sets aside a boot-time $kind as a skip that names it"
	else
		echo "not ok $name: host sets aside a boot-time $kind as a skip that names it - $(echo "$out" | tr '\n' ' ')"
	fi
	printf '[    1.000000] fine\n[    2.000000] PCI_CMA_JUDGING: x\n[    3.000000] %s\n' "$report" >"$PWD/build/detector-console.log"
	out=$(qemu_kernel_reports "$PWD/build/detector-console.log")
	if grep -q "^not ok kernel report on the console - $report" <<<"$out"; then
		echo "ok $name: host fails a $kind after the module loaded"
	else
		echo "not ok $name: host fails a $kind after the module loaded - $(echo "$out" | tr '\n' ' ')"
	fi
done <<'EOF'
WARN|WARNING: CPU: 0 PID: 1 at kernel/x.c:1 x+0x1/0x2
kmemleak report|kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)
hung task|INFO: task kworker/0:1:12 blocked for more than 120 seconds.
lockdep circular dependency|WARNING: possible circular locking dependency detected
lockdep inconsistent lock state|WARNING: inconsistent lock state
KASAN report|BUG: KASAN: slab-out-of-bounds in x+0x1/0x2
EOF
rm -f "$PWD/build/detector-console.log"

if ! kernel_dir=$(scripts/kernel.sh); then
	echo "not ok $name: debug-kernel-build - see the suite log"
	exit 0
fi
kdir=$kernel_dir/build
run=$PWD/build/qemu/$name
rm -rf "$run"
qemu_init "$run"
mkdir -p "$run/kmod"
if ! make -C "$kdir" M="$PWD/tests/kmod/detector" MO="$run/kmod" $(scripts/kernel-cc.sh "$kdir") modules >&2; then
	echo "not ok $name: fixture build - see the suite log"
	exit 0
fi

# fixture LABEL MODULE GUEST_CHECK CONSOLE_PATTERN [KERNEL ARGS]: boots a
# job loading MODULE; passes when the job failed, its guest result
# GUEST_CHECK failed, and the host's console result failed on a line
# matching CONSOLE_PATTERN (or, without a pattern, did not fail).
fixture() {
	local label=$1 module=$2 guest=$3 console=$4 append=${5:-} dir rc results g c
	dir=$run/$label
	mkdir -p "$dir"
	qemu/initramfs.sh "$dir/initrd" qemu/guest/detector.sh \
		"$run/kmod/$module.ko=/lib/modules/extra/$module.ko" >&2
	PCI_CMA_APPEND=$append qemu_boot "$kernel_dir/bzImage" "$dir/initrd" "$dir/console.log" 900
	rc=$?
	echo "==> $label: guest job status $rc" >&2
	cat "$dir/console.log" >&2
	results=$(qemu_results "$dir/console.log")
	echo "$results" | sed "s/^/    $label: /" >&2
	g=$(grep -m1 -E "^not ok $guest" <<<"$results")
	c=$(grep -m1 '^not ok kernel report on the console' <<<"$results")
	if [ "$rc" = 124 ] || [ "$rc" = 125 ]; then
		echo "not ok $name: $label fixture detected - the guest job did not finish (status $rc, see $dir/console.log)"
	elif [ "$rc" = 0 ]; then
		echo "not ok $name: $label fixture detected - the guest job passed"
	elif [ -z "$g" ]; then
		echo "not ok $name: $label fixture detected - no failed '$guest' from the guest"
	elif [ -n "$console" ] && ! grep -qE "$console" <<<"$c"; then
		echo "not ok $name: $label fixture detected - the host's console reading: ${c:-passed}"
	elif [ -z "$console" ] && [ -n "$c" ]; then
		echo "not ok $name: $label fixture detected - the host's console reading: $c"
	else
		echo "ok $name: $label fixture detected - guest: ${g#not ok }${c:+; host: ${c#not ok }}"
	fi
}

fixture leak detector_leak "kmemleak finds no leak" 'kmemleak'
fixture lockdep detector_lockdep "no warning, sanitizer or lockdep report - .*possible circular locking" \
	'possible circular locking'
fixture kasan detector_kasan "no warning, sanitizer or lockdep report - .*(KASAN|KFENCE)" \
	'KASAN: slab-out-of-bounds|KFENCE: out-of-bounds'
# kmemleak off at boot: the leak goes unseen, and that must not read as clean.
fixture kmemleak-off detector_leak "kmemleak is active" '' kmemleak=off
