#!/bin/sh
# Guest job: load the module, wait for a verdict on every CMA device, and
# hand the verdicts to the host; then unload and check the kernel log.
. /test/lib.sh
dmesg_start_judging
expected=$(ls -d /sys/bus/pci/devices/*/doe_features/0001:01 2>/dev/null | wc -l)
if [ -e /lib/modules/extra/sha3.ko ]; then
	check "load sha3" insmod /lib/modules/extra/sha3.ko
fi
load_and_wait "$expected" 'pci_cma_tsm: .*authenticated' 600
# Wall time from load to the last verdict, for the host to set against the
# sum of each device's own time.
echo "PCI_CMA_WALL_MS: $wall_ms"
if [ "$verdicts" -ge "$expected" ]; then
	result ok "a verdict for each of the $expected CMA devices"
else
	result "not ok" "a verdict for each of the $expected CMA devices" "only $verdicts"
fi
dmesg | grep 'pci_cma_tsm: ' | sed 's/^\[[ 0-9.]*\] /PCI_CMA_VERDICT: /'

# Each device's state under kernel-pci-cma, for the host to judge.
for c in /sys/devices/faux/kernel-pci-cma/cma-*; do
	[ -d "$c" ] || continue
	echo "PCI_CMA_SYSFS: $(basename "$(readlink -f "$c/pci_dev")") state=$(cat "$c/state") version=$(cat "$c/version") algorithms=$(cat "$c/algorithms" | tr ' ' '+') slot=$(cat "$c/slot") digest=$(cat "$c/chain_digest" | cut -c1-16) error=$(cat "$c/last_error" | cut -d' ' -f1-3 | tr ' ' '+')"
done

# Our TSM is the one whose parent is kernel-pci-cma.
tsm=
for t in /sys/class/tsm/tsm*; do
	[ "$(basename "$(readlink -f "$t/device")")" = kernel-pci-cma ] && tsm=$(basename "$t")
done
check "registered as TSM kernel-pci-cma ($tsm)" test -n "$tsm"
# TSM-capable devices get tsm/connect from the core: connect, read the
# core's authenticated attribute, disconnect; twice. The host judges each
# device's outcome, as it knows which devices should pass.
# function1_link DEV: which DSM function 1 of DEV's device is linked to,
# as "NAME-dsm=DSM", or "none".
function1_link() {
	local f=/sys/bus/pci/devices/${1%.0}.1
	if [ -e "$f/tsm/dsm" ] && [ -n "$(cat "$f/tsm/dsm")" ]; then
		echo "$(basename "$f")-dsm=$(cat "$f/tsm/dsm")"
	else
		echo none
	fi
}
connectable=0
for d in /sys/bus/pci/devices/*; do
	[ -e "$d/tsm/connect" ] || continue
	connectable=$((connectable + 1))
	dev=$(basename "$d")
	for round in 1 2; do
		if echo "$tsm" >"$d/tsm/connect" 2>/dev/null; then
			auth=$(cat "$d/authenticated" 2>&1)
			fn1=$(function1_link "$dev")
			echo "$tsm" >"$d/tsm/disconnect" 2>/dev/null && disc=ok || disc=failed
			echo "PCI_CMA_CONNECT: $dev round $round connected authenticated=$auth function1=$fn1 function1-after=$(function1_link "$dev") disconnect=$disc"
		else
			echo "PCI_CMA_CONNECT: $dev round $round refused"
		fi
	done
done
echo "PCI_CMA_CONNECTABLE=$connectable"

# Hotplug through the QEMU monitor (when the host offers it): a device
# plugged in later is authenticated through the bus notifier, and leaves
# cleanly when it is unplugged.
if [ -e /test/hotplug ]; then
	known=$(dmesg | sed -n 's/.*pci_cma_tsm: \([0-9a-f:.]*\): .*authenticated.*/\1/p' | sort -u)
	echo "PCI_CMA_HOTPLUG: add"
	hot=
	for i in $(seq 600); do
		hot=$(dmesg | sed -n 's/.*pci_cma_tsm: \([0-9a-f:.]*\): authenticated.*/\1/p' | sort -u |
			grep -vxF "$known" | head -n1)
		[ -n "$hot" ] && break
		sleep 0.1
	done
	check "hot-added device authenticated (${hot:-none})" test -n "$hot"
	dmesg | grep "pci_cma_tsm: ${hot:-none}: " | sed 's/^\[[ 0-9.]*\] /PCI_CMA_VERDICT: /'
	echo "PCI_CMA_HOTPLUG: remove"
	for i in $(seq 600); do
		dmesg | grep -q "pci_cma_tsm: ${hot:-none}: no longer tracked\|${hot:-none}: no longer tracked" && break
		sleep 0.1
	done
	check "hot-removed device no longer tracked" sh -c "dmesg | grep -q '${hot:-none}: no longer tracked'"
fi

# Removal and rediscovery: the first device leaves (as on hot-unplug) and
# comes back on a rescan, which the module sees through its bus notifier.
first=0000:01:00.0
before=$(dmesg | grep -c "pci_cma_tsm: $first: authenticated")
echo 1 >/sys/bus/pci/devices/$first/remove
check "$first: removed device no longer tracked" sh -c "dmesg | grep -q '$first: no longer tracked'"
echo 1 >/sys/bus/pci/rescan
for i in $(seq 100); do
	[ "$(dmesg | grep -c "pci_cma_tsm: $first: authenticated")" -gt "$before" ] && break
	sleep 0.1
done
check "$first: authenticated again after rescan" \
	sh -c "[ \$(dmesg | grep -c 'pci_cma_tsm: $first: authenticated') -gt $before ]"
# The reset kretprobes are in place with the defaults, and see a function
# reset.
kprobes=/sys/kernel/debug/kprobes/list
check "reset_probe=Y: kretprobes on the reset paths" grep -q 'pcie_flr' $kprobes
before=$(dmesg | grep -c "$first: reset seen")
echo 1 >/sys/bus/pci/devices/$first/reset
for i in $(seq 100); do
	[ "$(dmesg | grep -c "$first: reset seen")" -gt "$before" ] && break
	sleep 0.1
done
check "reset_probe=Y: a function reset is seen" \
	sh -c "[ \$(dmesg | grep -c '$first: reset seen') -gt $before ]"
check "unload pci_cma_tsm" rmmod pci_cma_tsm
check "unload: its kretprobes are gone" sh -c "! grep -q 'pcie_flr' $kprobes"

# The module's parameters: slot=1 authenticates certificate slot 1 on each
# device, which only $first provisions (the others are refused, naming the
# slot); reset_probe=N registers no kretprobe, so a function reset is
# not seen.
mark=$(dmesg | wc -l)
expected=$(ls -d /sys/bus/pci/devices/*/doe_features/0001:01 2>/dev/null | wc -l)
check "load pci_cma_tsm slot=1 reset_probe=0" insmod /lib/modules/extra/pci_cma_tsm.ko slot=1 reset_probe=0
verdicts=0
for i in $(seq 600); do
	verdicts=$(dmesg | tail -n +$((mark + 1)) | grep -c 'pci_cma_tsm: .*authenticated')
	[ "$verdicts" -ge "$expected" ] && break
	sleep 0.05
done
dmesg | tail -n +$((mark + 1)) | grep "pci_cma_tsm: $first: \|pci_cma_tsm: 0000:02:00.0: " | sed 's/^/    /'
check "slot=1: $first authenticated with slot 1" \
	sh -c "dmesg | tail -n +$((mark + 1)) | grep -q 'pci_cma_tsm: $first: authenticated: .*, slot 1,'"
check "slot=1: $first's sysfs slot is 1" test "$(cat /sys/bus/pci-cma/devices/cma-$first/slot)" = 1
check "slot=1: a device without slot 1 refused, naming the slot" \
	sh -c "dmesg | tail -n +$((mark + 1)) | grep -q 'pci_cma_tsm: 0000:02:00.0: not authenticated .* in slot '"
check "reset_probe=N: no kretprobe on the reset paths" sh -c "! grep -q 'pcie_flr' $kprobes"
before=$(dmesg | grep -c "$first: reset seen")
echo 1 >/sys/bus/pci/devices/$first/reset
sleep 2
check "reset_probe=N: a function reset is not seen" test "$(dmesg | grep -c "$first: reset seen")" = "$before"
check "unload pci_cma_tsm (slot=1 reset_probe=0)" rmmod pci_cma_tsm
# Without an IMA policy rule for its label, the module's events measure
# nothing (the verifier suite sets the rule and reads the records).
list=/sys/kernel/security/ima/ascii_runtime_measurements
if [ -r $list ]; then
	check "no IMA rule: no pci-cma records in the measurement list" \
		sh -c "! grep -q ' [0-9a-f]\{4\}:[0-9a-f]\{2\}:[0-9a-f]\{2\}\.[0-7]/' $list"
else
	result skip "no IMA rule: no pci-cma records" "no IMA in this kernel"
fi
check_kernel_log_clean
exit "$failures"
