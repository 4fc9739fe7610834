#!/bin/sh
# Guest job of `make demo`: what a user sees on a stock kernel.
say() { echo "DEMO: $*"; }
show() { "$@" 2>&1 | sed 's/^/DEMO:     /'; }

say "kernel: $(uname -r)"
say ""
say "PCI devices with a DOE mailbox (CMA appears as doe_features/0001:01):"
for d in /sys/bus/pci/devices/*; do
	[ -e "$d/doe_features/0001:01" ] || continue
	devcap=$(od -An -tx4 -j 68 -N 4 "$d/config" | tr -d ' ')
	kind="CMA-only"
	[ $((0x$devcap & 0x40000000)) -ne 0 ] && kind="TSM-capable (DEVCAP.TEE)"
	say "  $(basename "$d") [$(cat "$d/vendor"):$(cat "$d/device")] $kind: $(ls "$d/doe_features" | tr '\n' ' ')"
	version=$(/bin/doe-exchange "$d" 10840000)
	say "    SPDM GET_VERSION through its DOE mailbox -> VERSION $version"
done
say ""
say "loading pci_cma_tsm: it authenticates every device with a CMA mailbox, in parallel"
show insmod /lib/modules/extra/pci_cma_tsm.ko
# Authentication runs on the module's workqueue; wait for every verdict.
expected=$(ls -d /sys/bus/pci/devices/*/doe_features/0001:01 2>/dev/null | wc -l)
for i in $(seq 100); do
	[ "$(dmesg | grep -c 'pci_cma_tsm: .*authenticated')" -ge "$expected" ] && break
	sleep 0.1
done
dmesg | grep 'pci_cma_tsm: .*authenticated' | sed 's/^\[[ 0-9.]*\] //' | while read -r line; do say "  $line"; done
say ""
say "user space makes the trust decision: cmactl reads each device's evidence over"
say "netlink with a fresh nonce and verifies it against the vendors' roots"
show cmactl list
for d in /sys/bus/pci/devices/*; do
	[ -e "$d/doe_features/0001:01" ] || continue
	say ""
	say "\$ cmactl verify $(basename "$d") --trust-anchor /etc/pci-cma/anchors.pem --approve"
	show cmactl verify "$(basename "$d")" --trust-anchor /etc/pci-cma/anchors.pem --approve
done
say ""
say "after a reset or resume the kernel only checks it is still the approved device"
say "(no keyring, no certificate re-read):"
for d in /sys/bus/pci/devices/*; do
	[ -e "$d/doe_features/0001:01" ] || continue
	show cmactl revalidate "$(basename "$d")"
done
show cmactl list
say ""
for t in /sys/class/tsm/tsm*; do
	[ "$(basename "$(readlink -f "$t/device")")" = kernel-pci-cma ] && tsm=$(basename "$t")
done
say "TSM registered: /sys/class/tsm/$tsm (parent kernel-pci-cma)"
for d in /sys/bus/pci/devices/*; do
	[ -e "$d/tsm/connect" ] || continue
	say "$(basename "$d") is TSM-capable: echo $tsm > tsm/connect"
	if echo "$tsm" >"$d/tsm/connect"; then
		say "  connected; authenticated: $(cat "$d/authenticated")"
		say "  $(dmesg | grep "pci_cma_tsm: $(basename "$d"): proved" | tail -n 1 | sed 's/^\[[ 0-9.]*\] //')"
		echo "$tsm" >"$d/tsm/disconnect" && say "  disconnected"
	fi
done
say ""
say "unloading pci_cma_tsm"
show rmmod pci_cma_tsm
if [ -d /sys/module/pci_cma_tsm ]; then
	say "module still present"
	exit 1
fi
say "done: devices authenticated by the kernel, verified and approved by user space, re-checked"
