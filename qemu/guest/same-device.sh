#!/bin/sh
# Guest job: same-device checks after resume and reset. Every device is
# approved through cmactl; then 20 suspend/resume rounds must re-accept all
# of them without reading a certificate; then each kind of change (identity
# swapped while suspended or at an FLR, a firmware update, a device that
# stops answering) must be caught and contained, and a firmware update must
# pass when the approval ignores its measurement.
. /test/lib.sh
export PATH=/test/bin:$PATH
good=0000:01:00.0
swap=0000:02:00.0
fw=0000:03:00.0
tee=0000:04:00.0
silent=0000:05:00.0
all="$good $swap $fw $tee $silent"
anchor=/test/pki/ecdsa-p384/root.pem
rounds=20

# field DEV NAME: one field of cmactl's JSON view of the device.
field() {
	cmactl --json show "$1" | sed -n "s/.*\"$2\":\"\{0,1\}\([^\",}]*\).*/\1/p"
}
# bus_master DEV: the Bus Master Enable bit of the command register.
bus_master() {
	echo $(($(od -An -tu1 -j4 -N1 "/sys/bus/pci/devices/$1/config") & 4 ? 1 : 0))
}
# control NAME COMMAND...: asks the host to change an emulated device.
control() {
	echo "PCI_CMA_CONTROL: $*"
	sleep 1
}
# One suspend to idle under the kernel's pm_test=devices: every device's
# suspend and resume callbacks and every PM notifier run as for s2idle, but
# the platform is not entered. This QEMU offers no s2idle wake source a
# guest can arm, and an S3 resume through its firmware loses the ECAM
# window, and with it the DOE mailbox in extended config space. The
# module's checks are done when the write returns: they run in its PM
# notifier.
suspend_once() {
	echo devices >/sys/power/pm_test && echo freeze >/sys/power/state
}
# wait_event DEV EVENT: until the device's last event is EVENT (10 s).
wait_event() {
	local i
	for i in $(seq 100); do
		[ "$(field "$1" last_event)" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

dmesg_start_judging
if [ ! -e /sys/power/pm_test ]; then
	result skip "same-device checks on resume" "this kernel has no /sys/power/pm_test (CONFIG_PM_DEBUG)"
	exit 0
fi
echo 0 >/sys/module/suspend/parameters/pm_test_delay
driver=
if [ -e /lib/modules/extra/nvme.ko ]; then
	echo 0 >/sys/bus/pci/drivers_autoprobe
	for m in nvme-keyring nvme-auth nvme-core nvme; do insmod /lib/modules/extra/$m.ko || true; done
	driver=nvme
fi
check "load pci_cma_tsm" insmod /lib/modules/extra/pci_cma_tsm.ko
for i in $(seq 600); do
	[ "$(dmesg | grep -c 'pci_cma_tsm: .*authenticated')" -ge 5 ] && break
	sleep 0.1
done
for d in $all; do
	check "$d verified and approved" sh -c "cmactl verify $d --trust-anchor $anchor --approve >/dev/null"
done
if [ -n "$driver" ]; then
	for d in $good $swap $fw; do echo "$d" >/sys/bus/pci/drivers/nvme/bind; done
	check "nvme bound to the approved nvme functions" test -e /sys/bus/pci/devices/$swap/driver
fi

# Unchanged devices across suspend/resume: all re-accepted, no false alarm.
before=$(dmesg | grep -c 'still the approved device')
failed_rounds=0
start=$(date +%s)
for r in $(seq $rounds); do
	suspend_once || failed_rounds=$((failed_rounds + 1))
done
elapsed=$(($(date +%s) - start))
dmesg | grep 'pci_cma_tsm: ' | tail -n 12 | sed 's/^/PCI_CMA_LOG: /'
check "$rounds suspend/resume rounds" test "$failed_rounds" = 0
rechecks=$(($(dmesg | grep -c 'still the approved device') - before))
alarms=$(dmesg | grep -c 'not the approved device\|same-device check failed')
echo "PCI_CMA_ROUNDS: $rounds rounds in ${elapsed}s, $rechecks same-device checks, $alarms alarms"
check "every device re-accepted after every round ($rechecks of $((rounds * 5)))" test "$rechecks" = $((rounds * 5))
check "no false alarm" test "$alarms" = 0
for d in $all; do
	line="state $(field $d state), event $(field $d last_event), $(field $d exchanges) exchanges, $(field $d certificate_bytes) certificate bytes"
	echo "PCI_CMA_RECHECK: $d $line"
	check "$d: approved, revalidated, no certificate re-read" \
		test "$line" = "state approved, event revalidated, 6 exchanges, 0 certificate bytes"
done

# An identity swapped while the system sleeps.
generation=$(field $swap generation)
control swap identity nvme-swapped reset
suspend_once
check "swapped identity caught after resume" test "$(field $swap state)" = mismatch
check "swap: the chain is what differs" test "$(field $swap differences)" = chain
check "swap: evidence generation advanced" test "$(field $swap generation)" -gt "$generation"
[ -n "$driver" ] && check "swap: driver unbound" test ! -e /sys/bus/pci/devices/$swap/driver
check "swap: kept unbound" test "$(cat /sys/bus/pci/devices/$swap/driver_override)" = "pci_cma_tsm:contained"
check "swap: bus mastering off" test "$(bus_master $swap)" = 0
echo "$swap" >/sys/bus/pci/drivers_probe 2>/dev/null
check "swap: probing binds nothing" test ! -e /sys/bus/pci/devices/$swap/driver
check "swap: no approval without fresh evidence" sh -c "! cmactl approve $swap"

# A firmware update: caught, then accepted by an approval that ignores it.
control fw measure 3 2.0.0 reset
suspend_once
check "firmware update caught after resume" test "$(field $fw state)" = mismatch
check "firmware update: the measurements differ" test "$(field $fw differences)" = measurements
check "re-approved with measurement 3 ignored" \
	sh -c "cmactl verify $fw --trust-anchor $anchor --approve --ignore-measurements 3 >/dev/null"
check "re-approval lifts the containment" test "$(cat /sys/bus/pci/devices/$fw/driver_override)" = "(null)"
control fw measure 3 3.0.0 reset
suspend_once
check "ignored measurement changed: still accepted" test "$(field $fw state)" = approved
check "ignored measurement changed: revalidated" test "$(field $fw last_event)" = revalidated

# Resets: the TEE endpoint's FLR with a swap armed, and the nvme
# function's sysfs reset with nothing changed.
control tee identity other-device reset
echo 1 >/sys/bus/pci/devices/$tee/reset
check "FLR seen and re-checked" wait_event $tee mismatch
check "FLR with a swapped identity caught" test "$(field $tee differences)" = chain
check "FLR: bus mastering off" test "$(bus_master $tee)" = 0
before=$(dmesg | grep -c "$good: still the approved device")
echo 1 >/sys/bus/pci/devices/$good/reset
for i in $(seq 100); do
	[ "$(dmesg | grep -c "$good: still the approved device")" -gt "$before" ] && break
	sleep 0.1
done
check "sysfs reset of the nvme function re-checked" \
	sh -c "dmesg | grep -q '$good: reset seen' && [ \$(dmesg | grep -c '$good: still the approved device') -gt $before ]"
check "unchanged after reset: still approved" test "$(field $good state)" = approved

# A device that stops answering after resume: refused in bounded time.
control silent fault never-answer reset
start=$(date +%s)
suspend_once
took=$(($(date +%s) - start))
echo "PCI_CMA_SILENT: resume with a silent device took ${took}s"
check "silent device not accepted" test "$(field $silent state)" = mismatch
check "silent device: resume bounded (${took}s)" test "$took" -lt 60
check "others unaffected by the silent one" test "$(field $good state)" = approved

check "unload pci_cma_tsm" rmmod pci_cma_tsm
check "unload hands containment back" test "$(cat /sys/bus/pci/devices/$swap/driver_override)" = "(null)"
check_kernel_log_clean
exit "$failures"
