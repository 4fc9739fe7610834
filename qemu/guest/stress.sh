#!/bin/sh
# Guest job: the module's kernel glue off the happy path, on the debug
# kernel. Each case races one callback (module init and exit, the bus
# notifier, the workqueue, the gate's work and PM callbacks, netlink
# handlers) against device removal or module unload for several rounds; a
# round is bad when it ends in an unexpected state. The kernel log is judged after every
# case, so a report names the case that caused it.
. /test/lib.sh
export PATH=/test/bin:$PATH
good=0000:01:00.0
huge=0000:02:00.0
mute=0000:03:00.0
anchor=/test/pki/ecdsa-p384/root.pem
rounds=20
module=/lib/modules/extra/pci_cma_tsm.ko

cma_present() {
	ls -d /sys/bus/pci/devices/*/doe_features/0001:01 2>/dev/null | wc -l
}
cma_tracked() {
	ls -d /sys/devices/faux/kernel-pci-cma/cma-* 2>/dev/null | wc -l
}
# present DEV: until the device is back after a rescan (5 s).
present() {
	local i
	for i in $(seq 50); do
		[ -e "/sys/bus/pci/devices/$1" ] && return 0
		sleep 0.1
	done
	return 1
}
# bad_round CASE ROUND WHY: counts and shows one bad round.
bad=0
bad_round() {
	echo "PCI_CMA_STRESS: $1: round $2: $3"
	dmesg | grep 'pci_cma_tsm' | tail -n 4 | sed 's/^/PCI_CMA_LOG: /'
	bad=$((bad + 1))
}
# finish CASE: one result for the case's rounds, and one for the kernel
# reports made during the case.
reported=0
finish() {
	local now
	check "$1 ($rounds rounds, $bad bad)" test "$bad" = 0
	bad=0
	now=$(dmesg_problems | wc -l)
	check "$1: no kernel report" test "$now" = "$reported"
	[ "$now" = "$reported" ] || dmesg_problems | tail -n +$((reported + 1)) | head -n 5
	reported=$now
	lsmod | grep -q '^pci_cma_tsm' && rmmod pci_cma_tsm
	echo 1 >/sys/bus/pci/rescan
}
unloaded() {
	! lsmod | grep -q '^pci_cma_tsm'
}

dmesg_start_judging
echo 0 >/sys/module/suspend/parameters/pm_test_delay 2>/dev/null
# A task stuck for 30 s (a conversation without its deadline, a lock held
# across one) is reported, and fails the case it happens in.
echo 30 >/proc/sys/kernel/hung_task_timeout_secs 2>/dev/null || true

# 1. The load-time scan against a device leaving and coming back: each CMA
# device present must end up tracked once.
case="load raced with hot removal and rescan"
for r in $(seq $rounds); do
	insmod $module &
	loader=$!
	echo 1 >/sys/bus/pci/devices/$good/remove
	echo 1 >/sys/bus/pci/rescan
	wait $loader || { bad_round "$case" $r "load failed"; continue; }
	present $good || bad_round "$case" $r "$good did not come back"
	[ "$(cma_tracked)" = "$(cma_present)" ] ||
		bad_round "$case" $r "$(cma_tracked) tracked of $(cma_present) present"
	rmmod pci_cma_tsm || bad_round "$case" $r "unload failed"
done
finish "$case"

# 2. Unload while the initial authentications run, and a device leaves.
case="unload during initial authentication raced with hot removal"
for r in $(seq $rounds); do
	insmod $module || { bad_round "$case" $r "load failed"; continue; }
	sleep "0.$((r % 10))"
	rmmod pci_cma_tsm &
	unloader=$!
	echo 1 >/sys/bus/pci/devices/$huge/remove
	wait $unloader || bad_round "$case" $r "unload failed"
	echo 1 >/sys/bus/pci/rescan
	present $huge || bad_round "$case" $r "$huge did not come back"
done
finish "$case"

# 2b. Unload while user space has the device authenticated again over
# netlink (a 64 KiB chain), and the device leaves 0.03 s later: the
# request ends with an error, the unload and the removal both wait for it.
case="unload during a netlink authentication raced with hot removal"
for r in $(seq $rounds); do
	insmod $module || { bad_round "$case" $r "load failed"; continue; }
	field_wait $huge state authenticated || bad_round "$case" $r "not authenticated at load"
	cmactl authenticate $huge >/dev/null 2>&1 &
	requester=$!
	sleep 0.2
	rmmod pci_cma_tsm &
	unloader=$!
	sleep 0.03
	echo 1 >/sys/bus/pci/devices/$huge/remove
	wait $unloader || bad_round "$case" $r "unload failed"
	wait $requester
	echo 1 >/sys/bus/pci/rescan
	present $huge || bad_round "$case" $r "$huge did not come back"
done
finish "$case"

# 3. Unload right after a resume, while the approved devices are checked:
# leaving is no verdict, so nvme keeps the healthy device, with bus
# mastering as it was.
case="unload during post-resume checks"
for r in $(seq $rounds); do
	insmod $module || { bad_round "$case" $r "load failed"; continue; }
	if ! field_wait $good state authenticated ||
		! cmactl verify $good --trust-anchor $anchor --approve >/dev/null; then
		bad_round "$case" $r "not approved"
		rmmod pci_cma_tsm
		continue
	fi
	driver=$(bound_to $good)
	master=$(bus_master $good)
	suspend_once || bad_round "$case" $r "suspend failed"
	sleep "0.0$((r % 10))"
	rmmod pci_cma_tsm || bad_round "$case" $r "unload failed"
	[ "$(bound_to $good)" = "$driver" ] || bad_round "$case" $r "driver '$driver' became '$(bound_to $good)'"
	[ "$(bus_master $good)" = "$master" ] || bad_round "$case" $r "bus mastering changed"
	[ "$(cat /sys/bus/pci/devices/$good/driver_override)" = "(null)" ] ||
		bad_round "$case" $r "a driver override is left"
done
finish "$case"

# 4. A device removed while its evidence is dumped: the dump ends (with an
# error or not), nothing hangs, the module unloads.
case="hot removal during an evidence dump"
insmod $module
for r in $(seq $rounds); do
	field_wait $huge state authenticated ||
		{ bad_round "$case" $r "state '$(field $huge state)', not authenticated"; continue; }
	cmactl evidence $huge --out /tmp/evidence >/dev/null 2>&1 &
	reader=$!
	sleep "0.0$((r % 10))"
	echo 1 >/sys/bus/pci/devices/$huge/remove
	wait $reader
	echo 1 >/sys/bus/pci/rescan
	present $huge || bad_round "$case" $r "$huge did not come back"
done
unloaded || rmmod pci_cma_tsm || bad_round "$case" end "unload failed"
finish "$case"

# 5. A device that stops answering in the middle of a conversation (its
# 64 KiB chain takes about 20 exchanges): a clean failure in bounded time,
# and it authenticates again once it answers. The fault is armed while the
# re-authentication runs; if that one finished first, the next one meets
# the silence from its start.
case="a device that goes silent mid-chain"
insmod $module
field_wait $mute state authenticated
for r in $(seq 5); do
	start=$(date +%s)
	cmactl authenticate $mute >/dev/null 2>&1 &
	auth=$!
	sleep 0.3
	echo "PCI_CMA_CONTROL: mute fault never-answer"
	if wait $auth; then
		sleep 1
		cmactl authenticate $mute >/dev/null 2>&1 && bad_round "$case" $r "authenticated while silent"
	fi
	took=$(($(date +%s) - start))
	[ "$took" -lt 90 ] || bad_round "$case" $r "took ${took}s"
	[ "$(field $mute state)" = failed ] || bad_round "$case" $r "state $(field $mute state)"
	echo "PCI_CMA_STRESS: silent: round $r: $(field $mute last_error) after ${took}s"
	control mute clear
	cmactl authenticate $mute >/dev/null 2>&1 || bad_round "$case" $r "no recovery"
done
rounds_saved=$rounds
rounds=5
finish "$case"
rounds=$rounds_saved

# 3b. The gate opened and closed (approvals and revocations under
# gate=approved bind and unbind nvme from the gate's work item) while the
# device leaves or the module unloads: nothing hangs, and once the module
# is gone its driver has the device again (unloading releases the gate).
case="gate changes raced with hot removal and unload"
driver=$(bound_to $good)
for r in $(seq $rounds); do
	insmod $module gate=approved || { bad_round "$case" $r "load failed"; continue; }
	field_wait $good state authenticated || bad_round "$case" $r "not authenticated at load"
	(for i in 1 2 3 4 5; do
		cmactl approve $good >/dev/null 2>&1
		cmactl revoke $good >/dev/null 2>&1
	done) &
	flipper=$!
	sleep "0.$((r % 10))"
	if [ $((r % 2)) = 1 ]; then
		echo 1 >/sys/bus/pci/devices/$good/remove
		echo 1 >/sys/bus/pci/rescan
		present $good || bad_round "$case" $r "$good did not come back"
	fi
	rmmod pci_cma_tsm || bad_round "$case" $r "unload failed"
	wait $flipper
	for i in $(seq 100); do [ "$(bound_to $good)" = "$driver" ] && break; sleep 0.1; done
	[ "$(bound_to $good)" = "$driver" ] ||
		bad_round "$case" $r "driver '$driver' became '$(bound_to $good)' after unload"
done
finish "$case"

# 6. Eight readers with their own nonces against two devices while
# revalidations run: each read succeeds or reports that the evidence kept
# changing; none hangs or fails otherwise, and both devices stay approved.
case="8 nonce reads against 2 devices during revalidations"
insmod $module
for d in $good $huge; do
	field_wait $d state authenticated && cmactl verify $d --trust-anchor $anchor --approve >/dev/null ||
		bad_round "$case" 0 "$d not approved"
done
pids=
for i in 1 2 3 4 5 6 7 8; do
	[ $((i % 2)) = 0 ] && d=$good || d=$huge
	(cmactl evidence $d --nonce random --out /tmp/reader$i >/tmp/reader$i.log 2>&1 ||
		grep -q 'changed' /tmp/reader$i.log) &
	pids="$pids $!"
done
(for i in $(seq 10); do cmactl revalidate $good; cmactl revalidate $huge; done) >/tmp/revalidate.log 2>&1 &
revalidations=$!
readers_ok=0
for p in $pids; do wait $p && readers_ok=$((readers_ok + 1)); done
wait $revalidations
[ "$readers_ok" = 8 ] || bad_round "$case" 1 "$readers_ok of 8 readers ended well"
for d in $good $huge; do
	[ "$(field $d state)" = approved ] || bad_round "$case" 1 "$d is $(field $d state)"
done
grep -v 'still the approved device' /tmp/revalidate.log | head -n 3 | sed 's/^/PCI_CMA_STRESS: revalidate: /'
rounds_saved=$rounds
rounds=1
finish "$case"
rounds=$rounds_saved

# 7. Random requests from an unprivileged and a privileged user: every one
# answered, the module unharmed and still serving.
mkdir -p /etc
echo 'root:x:0:0:root:/root:/bin/sh' >/etc/passwd
echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' >/etc/group
insmod $module
field_wait $good state authenticated
messages=${PCI_CMA_FUZZ_MESSAGES:-100000}
check "netlink fuzzer as nobody ($messages messages)" \
	su -s /bin/sh nobody -c "/test/bin/netlink-fuzz $messages 1 $good $huge $mute"
check "netlink fuzzer as root ($messages messages)" netlink-fuzz "$messages" 2 $good $huge $mute
check "module still serves after the fuzzers" sh -c "cmactl show $good >/dev/null"
check "unload after the fuzzers" rmmod pci_cma_tsm

check_kernel_log_clean
exit "$failures"
