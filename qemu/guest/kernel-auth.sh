#!/bin/sh
# Guest job: load the module, wait for a verdict on every CMA device, and
# hand the verdicts to the host; then unload and check the kernel log.
. /test/lib.sh
dmesg_start_judging
expected=$(ls -d /sys/bus/pci/devices/*/doe_features/0001:01 2>/dev/null | wc -l)
check "load pci_cma_tsm" insmod /lib/modules/extra/pci_cma_tsm.ko
verdicts=0
for i in $(seq 300); do
	verdicts=$(dmesg | grep -c 'pci_cma_tsm: .*authenticated')
	[ "$verdicts" -ge "$expected" ] && break
	sleep 0.1
done
if [ "$verdicts" -ge "$expected" ]; then
	result ok "a verdict for each of the $expected CMA devices"
else
	result "not ok" "a verdict for each of the $expected CMA devices" "only $verdicts"
fi
dmesg | grep 'pci_cma_tsm: ' | sed 's/^\[[ 0-9.]*\] /PCI_CMA_VERDICT: /'
check "unload pci_cma_tsm" rmmod pci_cma_tsm
check_kernel_log_clean
exit "$failures"
