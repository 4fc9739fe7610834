# Helpers for guest job scripts (sourced). Results go to the console as
# "PCI_CMA_RESULT: ok|not ok|skip NAME [- reason]" lines that the host
# collects; everything else on the console is context.

failures=0

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

# Kernel log lines that mean a bug: warnings, oopses, sanitizer and lockdep
# reports. Loading an out-of-tree, unsigned module taints the kernel with a
# notice; that notice is expected and is not a warning.
dmesg_problems() {
	dmesg | grep -E 'WARNING:|BUG:|Oops|KASAN|KFENCE|UBSAN|kmemleak|possible circular|possible recursive|inconsistent lock|INFO: task|Call Trace|general protection' |
		grep -vE 'taints kernel|module verification failed|kmemleak: Kernel memory leak detector initialized|kmemleak: Automatic memory scanning thread started|KFENCE: initialized'
}

# Starts judging the kernel log from here: the boot log is set aside (and
# kept on the console) so that a report the kernel made while booting,
# before any of our code ran, is not blamed on the module. Such a report is
# still shown, as a skipped result that names it.
dmesg_start_judging() {
	local boot problems
	boot=$(dmesg -c)
	problems=$(echo "$boot" | grep -E 'WARNING:|BUG:|Oops|KASAN|KFENCE|UBSAN|possible circular|inconsistent lock|general protection' | head -n 2 | tr '\n' ' ')
	if [ -n "$problems" ]; then
		echo "$boot"
		result skip "kernel booted without a report" "the kernel reported before the module loaded: $problems"
	else
		result ok "kernel booted without a report"
	fi
}

# Reports leaks kmemleak finds, when the kernel has kmemleak.
kmemleak_report() {
	local f=/sys/kernel/debug/kmemleak
	[ -w "$f" ] || return 0
	echo scan >"$f"
	sleep 1
	echo scan >"$f"
	cat "$f"
}

# Results for the kernel log since dmesg_start_judging: no warning,
# sanitizer or lockdep report, and (where the kernel has it) no leak.
check_kernel_log_clean() {
	local problems leaks
	problems=$(dmesg_problems)
	if [ -z "$problems" ]; then
		result ok "no warning, sanitizer or lockdep report"
	else
		result "not ok" "no warning, sanitizer or lockdep report" "$(echo "$problems" | head -n 3 | tr '\n' ' ')"
		dmesg
	fi
	[ -e /sys/kernel/debug/kmemleak ] || return 0
	leaks=$(kmemleak_report)
	if [ -z "$leaks" ]; then
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

# One suspend to idle under the kernel's pm_test=devices: every device's
# suspend and resume callbacks and every PM notifier run as for s2idle, but
# the platform is not entered. This QEMU offers no s2idle wake source a
# guest can arm, and an S3 resume through its firmware loses the ECAM
# window, and with it the DOE mailbox in extended config space. The
# module's PM notifier only queues the checks: they run after the write
# returns, and callers wait for them.
suspend_once() {
	echo devices >/sys/power/pm_test && echo freeze >/sys/power/state
}
