#!/bin/sh
# Guest job: the module loads before the kernel's random pool is seeded
# (the CPU's and the bootloader's randomness not trusted), as it does from
# an early initramfs. Its nonces must wait for the pool: the device is
# authenticated only after "crng init done", and nothing draws unseeded
# random bytes.
. /test/lib.sh
dev=0000:01:00.0
dmesg_start_judging
seeded_at_load=$(dmesg | grep -c 'crng init done')
echo "PCI_CMA_RNG: pool seeded before the load: $seeded_at_load"
check "load pci_cma_tsm" insmod /lib/modules/extra/pci_cma_tsm.ko
for i in $(seq 600); do
	dmesg | grep -q "pci_cma_tsm: $dev: authenticated" && break
	sleep 0.1
done
dmesg | grep "crng init done\|pci_cma_tsm: $dev: \|unseeded" | sed 's/^/    /'
if [ "$seeded_at_load" != 0 ]; then
	result skip "nonces wait for the random pool" "the pool was seeded before the module loaded"
else
	check "$dev authenticated" sh -c "dmesg | grep -q 'pci_cma_tsm: $dev: authenticated'"
	# dmesg is in order: the pool's line comes before the verdict.
	check "the authentication waited for the random pool" \
		sh -c "dmesg | grep 'crng init done\|pci_cma_tsm: $dev: authenticated' | head -n1 | grep -q 'crng init done'"
fi
check "unload pci_cma_tsm" rmmod pci_cma_tsm
check_kernel_log_clean
exit "$failures"
