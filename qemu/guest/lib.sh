# Helpers for guest job scripts (sourced). Results go to the console as
# "PCI_CMA_RESULT: ok|not ok|skip NAME [- reason]" lines that the host
# collects; everything else on the console is context.

failures=0
# Where the boot log is set aside, and where the kernel log is written.
boot_log=/tmp/boot.dmesg
kmsg=/dev/kmsg

result() {
	local status=$1 name=$2
	shift 2
	echo "PCI_CMA_RESULT: $status $name${*:+ - $*}"
	[ "$status" = "not ok" ] && failures=$((failures + 1))
	return 0
}

# check NAME COMMAND...: one result from a command's exit status.
check() {
	local name=$1
	shift
	if "$@"; then
		result ok "$name"
	else
		result "not ok" "$name" "failed: $*"
	fi
}

# check_same NAME A B: A and B are equal and neither is empty; two empty
# values (two commands that both failed) are no match.
check_same() {
	if [ -z "$2" ] || [ -z "$3" ]; then
		result "not ok" "$1" "empty value: '$2' and '$3'"
	elif [ "$2" = "$3" ]; then
		result ok "$1"
	else
		result "not ok" "$1" "'$2' differs from '$3'"
	fi
}

# Kernel log lines that mean a bug: warnings, oopses, sanitizer, lockdep,
# hung-task and kmemleak reports. Loading an out-of-tree, unsigned module
# taints the kernel with a notice; that notice is expected and is not a
# warning, nor are the detectors' own start-up lines. The host reads these
# two lines too (qemu_kernel_reports, qemu/lib.sh), so that both sides
# judge by the same pattern.
kernel_report_pattern='WARNING:|BUG:|Oops|KASAN|KFENCE|UBSAN|kmemleak:|possible circular|possible recursive|inconsistent lock|INFO: task|Call Trace|general protection'
# kmemleak's own scan-area allocation failing under fault injection: it
# scans the whole object instead, and goes on finding leaks.
kernel_report_benign='taints kernel|module verification failed|kmemleak: Kernel memory leak detector initialized|kmemleak: Automatic memory scanning thread started|kmemleak: Cannot allocate a scan area, scanning the full object|KFENCE: initialized|PCI_CMA_JUDGING'

# kernel_reports: the report lines of the kernel log on stdin.
kernel_reports() {
	grep -E "$kernel_report_pattern" | grep -vE "$kernel_report_benign"
}

dmesg_problems() {
	dmesg | kernel_reports
}

# Starts judging the kernel log from here, before the job loads a module:
# the boot log is set aside (kept in $boot_log; the console carries it
# too) so that a report the kernel made while booting, before any of our
# code ran, is not blamed on the module. Such a report is still shown, as a
# skipped result that names it. A line in the kernel log marks the moment
# for the host, which reads the console on its own.
dmesg_start_judging() {
	local problems
	dmesg -c >"$boot_log"
	problems=$(kernel_reports <"$boot_log" | sed 's/^\[[ 0-9.]*\] //' | head -n 2 | tr '\n' ' ')
	if [ -n "$problems" ]; then
		result skip "kernel booted without a report" "set aside, the kernel reported before the module loaded: $problems"
	else
		result ok "kernel booted without a report"
	fi
	echo "<4>PCI_CMA_JUDGING: kernel reports from here on fail the job" >"$kmsg"
}

# load_and_wait COUNT PATTERN TRIES: loads pci_cma_tsm and waits, at most
# TRIES times 50 ms, until the kernel log has COUNT lines matching PATTERN
# (the devices' verdicts); sets verdicts (the lines seen) and wall_ms, the
# time from the load to then, to set against the devices' own times.
load_and_wait() {
	local count=$1 pattern=$2 tries=$3 loaded_at i
	loaded_at=$(cut -d' ' -f1 /proc/uptime)
	check "load pci_cma_tsm" insmod /lib/modules/extra/pci_cma_tsm.ko
	verdicts=0
	for i in $(seq "$tries"); do
		verdicts=$(dmesg | grep -c "$pattern")
		[ "$verdicts" -ge "$count" ] && break
		sleep 0.05
	done
	wall_ms=$(awk -v a="$loaded_at" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%d", (b - a) * 1000 }')
}

# kmemleak_configured: the kernel was built with kmemleak (its parameters
# exist whether or not it is running).
kmemleak_configured() {
	[ -d /sys/module/kmemleak ]
}

# Reports leaks kmemleak finds. An object is reported only once it is
# older than kmemleak's minimum age (5 s) at a scan, so the scan waits past
# it; the second scan drops objects that were only in transit during the
# first. Fails, saying why, when kmemleak cannot scan (disabled at boot or
# after an error of its own, or no debugfs file).
kmemleak_report() {
	local f=/sys/kernel/debug/kmemleak why
	if [ ! -w "$f" ]; then
		echo "no $f"
		return 1
	fi
	sleep 6
	if ! echo scan >"$f" 2>/dev/null; then
		why=$(cat "$boot_log" 2>/dev/null; dmesg)
		why=$(echo "$why" | grep -m1 'kmemleak: .*disabled' | sed 's/^\[[ 0-9.]*\] //')
		echo "kmemleak refuses to scan: ${why:-disabled}"
		return 1
	fi
	echo scan >"$f"
	cat "$f"
}

# Results for the kernel log since dmesg_start_judging: no warning,
# sanitizer, lockdep or hung-task report, and (where the kernel has
# kmemleak) kmemleak running and finding no leak.
check_kernel_log_clean() {
	local problems leaks
	problems=$(dmesg_problems)
	if [ -z "$problems" ]; then
		result ok "no warning, sanitizer or lockdep report"
	else
		result "not ok" "no warning, sanitizer or lockdep report" "$(echo "$problems" | head -n 3 | tr '\n' ' ')"
		dmesg
	fi
	kmemleak_configured || return 0
	if ! leaks=$(kmemleak_report); then
		result "not ok" "kmemleak is active" "$leaks"
	elif [ -z "$leaks" ]; then
		result ok "kmemleak finds no leak"
	else
		result "not ok" "kmemleak finds no leak" "$(echo "$leaks" | head -n 3 | tr '\n' ' ')"
		echo "$leaks"
	fi
}

# field DEV NAME: one field of cmactl's JSON view of the device.
field() {
	cmactl --json show "$1" 2>/dev/null | sed -n "s/.*\"$2\":\"\{0,1\}\([^\",}]*\).*/\1/p"
}
# field_wait DEV NAME VALUE: until a field has VALUE (60 s).
field_wait() {
	local i
	for i in $(seq 600); do
		[ "$(field "$1" "$2")" = "$3" ] && return 0
		sleep 0.1
	done
	return 1
}
# control NAME COMMAND...: asks the host to change an emulated device.
control() {
	echo "PCI_CMA_CONTROL: $*"
	sleep 1
}
# bound_to DEV: the name of the device's driver, empty if none.
bound_to() {
	basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null
}
# bus_master DEV: the Bus Master Enable bit of the command register.
bus_master() {
	echo $(($(od -An -tu1 -j4 -N1 "/sys/bus/pci/devices/$1/config") & 4 ? 1 : 0))
}
# command_bits DEV: the command register's I/O, memory and bus master bits.
command_bits() { echo $(($(od -An -tu2 -j4 -N2 "/sys/bus/pci/devices/$1/config") & 7)); }
# quiesced DEV: until those bits are off (5 s: the driver's unbind and
# the module's quiescing after it run in the background).
quiesced() {
	local i
	for i in $(seq 50); do
		[ "$(command_bits "$1")" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

# One suspend to idle under the kernel's pm_test=devices: every device's
# suspend and resume callbacks and every PM notifier run as for s2idle, but
# the platform is not entered. This QEMU offers no s2idle wake source a
# guest can arm, and an S3 resume through its firmware loses the ECAM
# window, and with it the DOE mailbox in extended config space. Approved
# devices are checked in their gate suppliers' resume callbacks, before the
# write returns; other devices are re-authenticated after it, and callers
# wait for those.
suspend_once() {
	echo devices >/sys/power/pm_test && echo freeze >/sys/power/state
}

# check_connect_refused NAME DEV: tsm/connect of DEV through the
# kernel-pci-cma TSM fails; a DEV without tsm/connect, or no such TSM,
# fails NAME too.
check_connect_refused() {
	local t tsm=
	for t in /sys/class/tsm/tsm*; do
		[ "$(basename "$(readlink -f "$t/device")")" = kernel-pci-cma ] && tsm=$(basename "$t")
	done
	if [ -e "/sys/bus/pci/devices/$2/tsm/connect" ] && [ -n "$tsm" ]; then
		check "$1" sh -c "! echo $tsm >/sys/bus/pci/devices/$2/tsm/connect 2>/dev/null"
	else
		result "not ok" "$1" "no tsm/connect on $2, or no kernel-pci-cma TSM"
	fi
}

# rechecks DEV: how often the module found DEV still the approved device.
rechecks() {
	dmesg | grep -c "$1: still the approved device"
}
# rechecked_after DEV COUNT: until DEV was found the approved device more
# than COUNT times (30 s).
rechecked_after() {
	local i
	for i in $(seq 300); do
		[ "$(rechecks "$1")" -gt "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# send_file NAME FILE: FILE to the host on the console, base64 in lines
# marked with NAME, then its SHA-256 (qemu_guest_file, qemu/lib.sh): the
# console is the one channel out of the guest every suite has.
send_file() {
	base64 "$2" | sed "s/^/PCI_CMA_FILE $1: /"
	echo "PCI_CMA_FILE_SHA256 $1: $(sha256sum "$2" | cut -d' ' -f1)"
}
