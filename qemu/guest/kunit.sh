#!/bin/sh
# Guest job: load the module and its KUnit test module, which runs the
# engine's suites on load, and hand the kernel log (with the KTAP) to the
# host between markers; the host parses it with the kernel's kunit.py.
# Then report what the debug kernel saw: sanitizer, lockdep or leak reports.
. /test/lib.sh
# Boot already printed an empty KTAP document for the (no) built-in suites;
# start from a clean log so the parser sees only ours.
dmesg_start_judging
check "load pci_cma_tsm" insmod /lib/modules/extra/pci_cma_tsm.ko
check "load pci_cma_tsm_kunit (runs the suites)" insmod /lib/modules/extra/pci_cma_tsm_kunit.ko
check "unload pci_cma_tsm_kunit" rmmod pci_cma_tsm_kunit
check "unload pci_cma_tsm" rmmod pci_cma_tsm
echo "PCI_CMA_KTAP_BEGIN"
dmesg
echo "PCI_CMA_KTAP_END"

check_kernel_log_clean
exit "$failures"
