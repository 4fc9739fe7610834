#!/bin/sh
# Guest job: load the module and its KUnit test module, which runs the
# engine's suites on load, and hand the kernel log (with the KTAP) to the
# host between markers; the host parses it with the kernel's kunit.py.
. /test/lib.sh
insmod /lib/modules/extra/pci_cma_tsm.ko || echo "insmod pci_cma_tsm failed"
insmod /lib/modules/extra/pci_cma_tsm_kunit.ko || echo "insmod pci_cma_tsm_kunit failed"
rmmod pci_cma_tsm_kunit
rmmod pci_cma_tsm
echo "PCI_CMA_KTAP_BEGIN"
dmesg
echo "PCI_CMA_KTAP_END"
exit 0
