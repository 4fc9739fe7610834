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

# Reports leaks kmemleak finds, when the kernel has kmemleak.
kmemleak_report() {
	local f=/sys/kernel/debug/kmemleak
	[ -w "$f" ] || return 0
	echo scan >"$f"
	sleep 1
	echo scan >"$f"
	cat "$f"
}
