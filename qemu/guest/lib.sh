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
