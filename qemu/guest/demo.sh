#!/bin/sh
# Guest job of `make demo`: what a user sees on a stock kernel.
say() { echo "DEMO: $*"; }
show() { "$@" 2>&1 | sed 's/^/DEMO:     /'; }

say "kernel: $(uname -r)"
say "PCI devices with a DOE mailbox (CMA shows as doe_features/0001:01):"
for f in /sys/bus/pci/devices/*/doe_features; do
	[ -e "$f" ] || continue
	say "  $(basename "$(dirname "$f")"): $(ls "$f" | tr '\n' ' ')"
done
say "loading pci_cma_tsm"
show insmod /lib/modules/extra/pci_cma_tsm.ko
show cat /sys/module/pci_cma_tsm/taint
say "module state: $(cat /sys/module/pci_cma_tsm/initstate)"
say "unloading pci_cma_tsm"
show rmmod pci_cma_tsm
if [ -d /sys/module/pci_cma_tsm ]; then
	say "module still present"
	exit 1
fi
say "done: module loaded and unloaded cleanly"
