#!/bin/sh
# Guest job: the user-space verifier against the module. The design's full
# flow on a good device (authenticated at enumeration, held at its gate by
# gate=approved, evidence read with a fresh nonce, verified, approved, and
# only then its driver bound, by the driver core on its own), each
# way verification must fail, privileges, malformed requests, a read that a
# re-authentication overtakes, and the notifications user space sees.
. /test/lib.sh
good=0000:01:00.0
other=0000:02:00.0
huge=0000:03:00.0
badsig=0000:04:00.0
anchor=/test/pki/ecdsa-p384/root.pem
wrong_anchor=/test/pki/rsa3072/root.pem
export PATH=/test/bin:$PATH

dmesg_start_judging
# No driver binds before user space approves: the module's gate holds every
# device, and nvme, loaded after it, finds them held.
# IMA measures the module's records (Documentation/ima-records.rst) once
# its policy has a rule for their label.
ima=/sys/kernel/security/ima
check "IMA rule for the pci-cma label" sh -c "echo 'measure func=CRITICAL_DATA label=pci-cma' >$ima/policy"
check "load pci_cma_tsm with gate=approved" insmod /lib/modules/extra/pci_cma_tsm.ko gate=approved
for m in nvme-keyring nvme-auth nvme-core nvme; do insmod /lib/modules/extra/$m.ko || true; done
for i in $(seq 600); do
	[ "$(dmesg | grep -c 'pci_cma_tsm: .*authenticated')" -ge 4 ] && break
	sleep 0.1
done
dmesg | grep 'pci_cma_tsm: ' | sed 's/^\[[ 0-9.]*\] /PCI_CMA_VERDICT: /'

# "expect_status WANT NAME COMMAND...": the command's exit status and its
# output (shown on the console either way).
expect_status() {
	local want=$1 name=$2 out status
	shift 2
	out=$("$@" 2>&1)
	status=$?
	echo "$out" | sed 's/^/    /'
	if [ "$status" = "$want" ]; then
		result ok "$name"
	else
		result "not ok" "$name" "exit $status, want $want"
	fi
	LAST_OUTPUT=$out
}
# "output_has NAME PATTERN": the last command's output matches PATTERN.
output_has() {
	if echo "$LAST_OUTPUT" | grep -Eq "$2"; then
		result ok "$1"
	else
		result "not ok" "$1" "no /$2/ in the output"
	fi
}
# "driver_of DEV": the name of the driver bound to DEV, or "none".
driver_of() {
	if [ -e /sys/bus/pci/devices/$1/driver ]; then
		basename "$(readlink -f /sys/bus/pci/devices/$1/driver)"
	else
		echo none
	fi
}

expect_status 0 "cmactl list" cmactl list
output_has "list shows the good device authenticated" "^$good +cma-only +authenticated +SPDM 1.4 +ECDSA-P384"
output_has "list shows the bad signer failed" "^$badsig .* failed"

cmactl monitor --count 4 >/tmp/monitor 2>&1 &
monitor=$!
sleep 0.5

# The full flow: fresh evidence, verified against the vendor's root with a
# policy on measurements, approved at the generation verified, then bound.
cat >/tmp/policy <<'POLICY'
# firmware version and security version of the emulated device
index 3 text:1.0.0
index 4 hex:0100000000000000
index 5 any
POLICY
# Before approval every way of binding nvme is tried: the driver core
# defers each probe while the device's gate is closed.
expect_status 0 "show the good device before approval" cmactl show $good
output_has "state authenticated, not approved" "^state: +authenticated$"
check_same "no driver bound when nvme loaded" "$(driver_of $good)" none
echo $good >/sys/bus/pci/drivers_probe
echo $good >/sys/bus/pci/drivers/nvme/bind 2>/dev/null
echo nvme >/sys/bus/pci/devices/$good/driver_override
echo $good >/sys/bus/pci/drivers_probe
echo >/sys/bus/pci/devices/$good/driver_override
check_same "held before approval: drivers_probe, bind and driver_override bind nothing" \
	"$(driver_of $good)" none
expect_status 0 "verify with a fresh nonce, policy and approve" \
	cmactl verify $good --trust-anchor $anchor --policy /tmp/policy --approve
# Anchored: "NOT TRUSTED" ends in "TRUSTED" too.
output_has "every check passed" "^$good: TRUSTED$"
output_has "approved at the generation verified" "approved at generation [0-9]+"
output_has "chain up to the trust anchor" "ok +chain +3 certificates"
output_has "SAN matches config space" "ok +device identity +Vendor=1b36:Device=0010:CC=010802:REV=02:SSVID=1af4:SSID=1100"
output_has "challenge verified with the verifier's nonce" "ok +challenge signature +verified, with the verifier's nonce"
expect_status 0 "show the approved device" cmactl show $good
output_has "state approved" "^state: +approved"
for i in $(seq 100); do [ "$(driver_of $good)" = nvme ] && break; sleep 0.1; done
check_same "nvme binds on its own once approved" "$(driver_of $good)" nvme
echo "PCI_CMA_DRIVER: $(basename "$(readlink -f /sys/bus/pci/devices/$good/driver)")"

# The kernel only confirms it is the same device: no certificate is read.
expect_status 0 "revalidate the approved device" cmactl revalidate $good
expect_status 0 "show after revalidation" cmactl --json show $good
output_has "revalidated without reading certificates" '"certificate_bytes":0,"last_event":"revalidated"'
expect_status 0 "revoke" cmactl revoke $good
for i in $(seq 100); do [ "$(driver_of $good)" = none ] && break; sleep 0.1; done
check_same "revoked under gate=approved: the gate closes and nvme is unbound" "$(driver_of $good)" none
wait $monitor
echo "$(cat /tmp/monitor)" | sed 's/^/    /'
LAST_OUTPUT=$(cat /tmp/monitor)
output_has "monitor saw the approval" "^approved $good: state approved"
output_has "monitor saw the revalidation" "^revalidated $good"
output_has "monitor saw the revocation" "^revoked $good: state authenticated"

# Each way verification must fail, with a reason a person understands;
# with --approve, a failed verification approves nothing (and the gate
# keeps the driver off).
expect_status 1 "wrong trust anchor refused" cmactl verify $good --trust-anchor $wrong_anchor --approve
output_has "reason: does not chain" "FAIL +chain +does not chain to the trust anchor"
check_same "refused with --approve: not approved" "$(field $good state)" authenticated
check_same "refused with --approve: no driver" "$(driver_of $good)" none
expect_status 1 "leaf naming another device refused" cmactl verify $other --trust-anchor $anchor --approve
output_has "reason: SAN names another device" "FAIL +device identity +leaf names Vendor=8086:Device=1234.* but the device is Vendor=1b36:Device=0010"
check_same "refused with --approve: the other device not approved" "$(field $other state)" authenticated
expect_status 1 "device signing measurements badly refused" cmactl verify $badsig --trust-anchor $anchor
output_has "reason: measurement signature" "FAIL +measurements signature +signature does not verify"
expect_status 0 "evidence saved with a nonce" cmactl evidence $good --nonce random --out /tmp/old
expect_status 0 "saved evidence verifies with its own nonce" cmactl verify /tmp/old --trust-anchor $anchor
expect_status 1 "replayed transcript refused" cmactl verify /tmp/old --trust-anchor $anchor \
	--nonce 0101010101010101010101010101010101010101010101010101010101010101
output_has "reason: nonce mismatch" "FAIL +challenge signature +nonce is not the verifier's"
printf 'index 3 text:2.0.0\n' >/tmp/policy-new
expect_status 1 "measurements outside the policy refused" cmactl verify $good --trust-anchor $anchor --policy /tmp/policy-new
output_has "reason: names the measurement" "FAIL +measurements policy +measurement 3 is text:1.0.0, policy expects text:2.0.0"

# Evidence larger than one netlink message, streamed in chunks: a chain
# near 64 KiB, whose CHALLENGE transcript is over 64 KiB, through the read
# operation's repeated val attributes.
expect_status 0 "64 KiB chain read in chunks and verified" cmactl verify $huge --trust-anchor $anchor
expect_status 0 "evidence of the 64 KiB chain saved" cmactl evidence $huge --types cert0,challenge --out /tmp/huge
challenge_size=$(wc -c </tmp/huge/challenge.bin 2>/dev/null || echo 0)
check "challenge transcript over 64 KiB read whole ($challenge_size bytes)" test "$challenge_size" -gt 65536
expect_status 0 "evidence digests only" cmactl evidence $good --digest --types cert0,vca --out /tmp/digests
check_same "digest of cert0 is the chain digest" "$(xxd -p /tmp/digests/cert0.bin | tr -d '\n')" \
	"$(cmactl --json show $good | sed -n 's/.*"chain_digest":"\([0-9a-f]*\)".*/\1/p')"

# Privileges and hostile requests: "nobody" has no capability.
mkdir -p /etc
echo 'root:x:0:0:root:/root:/bin/sh' >/etc/passwd
echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' >/etc/group
as_nobody() { su -s /bin/sh nobody -c "PATH=/test/bin:/bin:/sbin $*"; }
# Every operation of the family needs CAP_SYS_ADMIN, dev-get included.
expect_status 3 "unprivileged list refused" as_nobody cmactl list
output_has "reason: list refused with EPERM" "^cmactl: list: .*\(Operation not permitted\)$"
expect_status 3 "unprivileged evidence read refused" \
	as_nobody cmactl evidence $good --out /tmp/x
output_has "reason: EPERM, and what it needs" "need CAP_SYS_ADMIN"
expect_status 3 "unprivileged approve refused" \
	as_nobody cmactl approve $good
# Exit 3 is any refusal by the kernel; this one must be for privilege.
output_has "reason: approve refused with EPERM" "^cmactl: $good: .*\(Operation not permitted\)$"
output_has "reason: approve needs CAP_SYS_ADMIN" "need CAP_SYS_ADMIN"
for op in authenticate revalidate revoke; do
	expect_status 3 "unprivileged $op refused" as_nobody cmactl $op $good
	output_has "reason: $op refused with EPERM" "\(Operation not permitted\)"
done
expect_status 0 "show after the refused approval" cmactl show $good
output_has "refused approval changed nothing" "^state: +authenticated$"
# The monitor group is administrative too: joining it is refused.
expect_status 3 "unprivileged monitor refused" as_nobody cmactl monitor --count 1
output_has "reason: monitor refused with EPERM" "\(Operation not permitted\)"
# Root of another network namespace steers nothing and reads nothing: the
# devices are the initial namespace's.
expect_status 3 "list from another network namespace refused" unshare -n cmactl list
output_has "reason: only from the initial network namespace" "initial network namespace"
expect_status 3 "approve from another network namespace refused" unshare -n cmactl approve $good
expect_status 0 "malformed requests refused with a message" netlink-probe malformed $good
expect_status 0 "an evidence dump as a socket's first receive fits (4, 8, 64 KiB buffers)" \
	netlink-probe first-receive $huge
expect_status 0 "a read overtaken by a re-authentication gets EAGAIN, then succeeds" netlink-probe race $huge

# cmactl agent decides by itself, by a policy: the right anchor for one
# device, the wrong one for another, no selection for the rest. One
# decision per device, and only what passed is approved.
mkdir -p /tmp/agent/anchors.d
cp $anchor /tmp/agent/anchors.d/vendor.pem
cp $wrong_anchor /tmp/agent/anchors.d/other.pem
printf '[good]\nplace %s\nanchors vendor\n[other]\nplace %s\nanchors other\n' $good $other >/tmp/agent/policy.conf
for d in $good $other $huge $badsig; do cmactl revoke $d >/dev/null 2>&1; done
cmactl agent --config /tmp/agent --once --json >/tmp/agent.out 2>/tmp/agent.err
sed 's/^/PCI_CMA_AGENT: /' /tmp/agent.out /tmp/agent.err
# decided DEV VERDICT FILE: DEV's last decision line in FILE has VERDICT.
decided() {
	grep "\"device\":\"$1\"" "$3" | tail -n 1 | grep -q "\"verdict\":\"$2\""
}
check "agent --once: one decision line per device" test "$(grep -c '"verdict"' /tmp/agent.out)" = 4
check "agent --once: $good verified and approved" decided $good approve /tmp/agent.out
check_same "agent --once: $good approved in the kernel" "$(field $good state)" approved
check "agent --once: $other, under the wrong anchor, rejected" decided $other reject /tmp/agent.out
check_same "agent --once: $other not approved" "$(field $other state)" authenticated
check "agent --once: $huge, in no selection, not approved" decided $huge no-policy /tmp/agent.out
check "agent --once: $badsig not approved" sh -c "! grep '\"device\":\"$badsig\".*\"verdict\":\"approve\"' /tmp/agent.out"
# Running: a re-authentication is announced and verified again; the
# kernel found it to be the approved device, so the approval stands.
cmactl agent --config /tmp/agent --json >/tmp/agent-run.out 2>/tmp/agent-run.err &
agent=$!
for i in $(seq 600); do [ "$(grep -c '"verdict"' /tmp/agent-run.out)" -ge 4 ] && break; sleep 0.1; done
generation=$(field $good generation)
cmactl authenticate $good >/dev/null
# newer: the agent passed $good at a generation after $generation.
newer() {
	grep "\"device\":\"$good\"" /tmp/agent-run.out | tail -n 1 |
		sed -n 's/.*"generation":\([0-9]*\).*"verdict":"approve".*/\1/p' | grep -q "^[0-9]" &&
		[ "$(grep "\"device\":\"$good\"" /tmp/agent-run.out | tail -n 1 | sed -n 's/.*"generation":\([0-9]*\).*/\1/p')" -gt "$generation" ]
}
for i in $(seq 600); do newer && break; sleep 0.1; done
kill $agent
wait $agent
sed 's/^/PCI_CMA_AGENT: /' /tmp/agent-run.out /tmp/agent-run.err
check "agent: the re-authenticated device verified again" newer
check_same "agent: still approved" "$(field $good state)" approved

# The measurement list holds the module's records: every one matches its
# digest and decodes; each device's authentication and the agent's
# approval are there; a record altered after the fact is caught.
expect_status 0 "IMA: every pci-cma record matches its digest and decodes" cmactl ima-log
cmactl ima-log >/tmp/ima.out
for d in $good $other $huge; do
	check "IMA: $d's authentication recorded" grep -q "^$d authenticated: " /tmp/ima.out
done
check "IMA: the approval of $good recorded, with its identity" \
	grep -q "^$good approved: .*flags approved.*approved identity [0-9a-f]\{96\}" /tmp/ima.out
check "IMA: the refused device's failure recorded" grep -q "^$badsig failed: " /tmp/ima.out
echo "PCI_CMA_IMA: $(tail -n 1 /tmp/ima.out); list of $(wc -l <$ima/ascii_runtime_measurements) entries"
# One hex digit of the first record's buffer changed.
awk 'done != 1 && $5 ~ /^0000:..:..\..\// { c = substr($6, 20, 1); $6 = substr($6, 1, 19) (c == "0" ? "1" : "0") substr($6, 21); done = 1 } { print }' \
	$ima/ascii_runtime_measurements >/tmp/ima-altered
expect_status 1 "IMA: an altered record no longer matches its digest" cmactl ima-log /tmp/ima-altered
output_has "IMA: the altered record is named" "BAD: digest does not match the buffer"

check "unload pci_cma_tsm" rmmod pci_cma_tsm
check_kernel_log_clean
exit "$failures"
