#!/bin/sh
# Guest job: the module loads, shows up, unloads and leaves nothing behind:
# no warning, sanitizer or lockdep report, no leak.
. /test/lib.sh
ko=/lib/modules/extra/pci_cma_tsm.ko
dmesg_start_judging

for round in 1 2 3; do
	check "load (round $round)" insmod "$ko"
	check "listed in /sys/module (round $round)" test -d /sys/module/pci_cma_tsm
	check "unload (round $round)" rmmod pci_cma_tsm
	check "gone after unload (round $round)" test ! -d /sys/module/pci_cma_tsm
done

if dmesg | grep -q 'pci_cma_tsm: loading out-of-tree module taints kernel'; then
	result ok "taint notice is the expected out-of-tree one"
else
	result "not ok" "taint notice is the expected out-of-tree one" "no out-of-tree taint notice in dmesg"
fi

check_kernel_log_clean
exit "$failures"
