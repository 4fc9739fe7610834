#!/bin/sh
# Guest job: cmactl agent as an operator runs it, with nobody at the
# console. The guest's init started, as services (/etc/rc.d, from
# qemu/guest/agent/services), a syslog daemon, the module with
# gate=approved, the nvme driver, then the agent with /etc/pci-cma; the
# kernel log is judged from before the first of them. The job judges
# what they did by themselves: one decision per device, the devices the
# policy passes approved and only then bound, the others held with the
# reason in the log; then devices changed while suspended, the agent
# killed and restarted, the module reloaded under it, and a malformed
# policy at start and on SIGHUP.
. /test/lib.sh
export PATH=/test/bin:$PATH
good=0000:01:00.0
anchor=0000:02:00.0
firmware=0000:03:00.0
tee=0000:04:00.0
all="$good $anchor $firmware $tee"
log=/run/cmactl-agent.log
err=/run/cmactl-agent.err
syslog=/run/messages
echo 0 >/sys/module/suspend/parameters/pm_test_delay

# lines_from FILE FROM: FILE from line FROM on.
lines_from() { tail -n "+$2" "$1" 2>/dev/null; }
# next_line FILE: the number of the line FILE's next line will have.
next_line() { echo $(($(wc -l <"$1" 2>/dev/null || echo 0) + 1)); }
# mark_logs: where the agent's log (from), its errors (efrom) and the
# kernel log (kfrom) go on from here, for the checks of what comes next.
mark_logs() {
	from=$(next_line $log)
	efrom=$(next_line $err)
	kfrom=$(($(dmesg | wc -l) + 1))
}
# decisions_of DEV [FROM]: DEV's decision lines in the agent's log from
# line FROM on.
decisions_of() { lines_from "$log" "${2:-1}" | grep "^device=$1 "; }
# field_of KEY: KEY's value in the decision line on stdin (quoted or not).
field_of() {
	sed -n -e "s/.* $1=\"\([^\"]*\)\".*/\1/p" -e t -e "s/.* $1=\([^ \"]*\).*/\1/p"
}
# decision DEV FROM: DEV's first decision line from line FROM on, as
# "VERDICT|SELECTION|ACTION|REASON".
decision() {
	local line
	line=$(decisions_of "$1" "$2" | head -n 1)
	[ -n "$line" ] || return 0
	echo "$(echo "$line" | field_of verdict)|$(echo "$line" | field_of selection)|$(echo "$line" | field_of action)|$(echo "$line" | field_of reason)"
}
# wait_decided FROM DEV...: until each DEV has a decision line from line
# FROM on (180 s: under TCG each is a full authentication).
wait_decided() {
	local from=$1 i d missing
	shift
	for i in $(seq 1800); do
		missing=
		for d in "$@"; do [ -n "$(decisions_of "$d" "$from")" ] || missing=1; done
		[ -z "$missing" ] && return 0
		sleep 0.1
	done
	return 1
}
# counts FROM DEV...: "DEV=N" for each DEV, N its decision lines from line
# FROM on.
counts() {
	local from=$1 d out=
	shift
	for d in "$@"; do out="$out $d=$(decisions_of "$d" "$from" | grep -c .)"; done
	echo $out
}
# ones DEV...: what counts prints for one line per DEV.
ones() {
	local d out=
	for d in "$@"; do out="$out $d=1"; done
	echo $out
}
# tracked: the devices the module tracks.
tracked() { cmactl list 2>/dev/null | sed -n 's/^\(0000:[0-9a-f:.]*\) .*/\1/p'; }
# kernel_approvals DEV FROM: the kernel's approvals of DEV in its log from
# line FROM on, as the generations approved.
kernel_approvals() {
	dmesg | tail -n "+$2" | sed -n "s/.*pci_cma_tsm: $1: approved at generation \([0-9]*\)$/\1/p" | tr '\n' ' '
}
# approved_gen VERDICT|SELECTION|ACTION|REASON: the generation the agent
# approved, if its action was an approval.
approved_gen() { echo "$1" | cut -d'|' -f3 | sed -n 's/^approved at generation \([0-9]*\)$/\1/p'; }
gate_of() { cat "/sys/bus/pci-cma/devices/cma-$1/gate" 2>/dev/null; }
# wait_bound DEV DRIVER: until DEV is bound to DRIVER (30 s).
wait_bound() {
	local i
	for i in $(seq 300); do
		[ "$(bound_to "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
# same NAME GOT WANT: one result, GOT shown when it is not WANT.
same() {
	if [ "$2" = "$3" ]; then
		result ok "$1"
	else
		result "not ok" "$1" "got '$2', want '$3'"
	fi
}
# syslog_of DEV: the priorities of DEV's decision lines in syslog.
syslog_of() {
	sed -n "s/.* \(daemon\.[a-z]*\) cmactl-agent\[[0-9]*\]: device=$1 .*/\1/p" $syslog | tr '\n' ' '
}
# running PID: the process exists and has not exited (a zombie has).
running() { [ -e "/proc/$1/stat" ] && ! grep -q ') Z ' "/proc/$1/stat"; }
# ended PID: until it is no longer running (10 s).
ended() {
	local i
	for i in $(seq 100); do
		running "$1" || return 0
		sleep 0.1
	done
	return 1
}
# has TEXT PATTERN: TEXT matches PATTERN (grep).
has() { echo "$1" | grep -q "$2"; }
# err_has FROM PATTERN: the agent's own messages from line FROM on match.
err_has() { lines_from "$err" "$1" | grep -q "$2"; }
# wait_err FROM PATTERN: until they do (30 s).
wait_err() {
	local i
	for i in $(seq 300); do
		err_has "$1" "$2" && return 0
		sleep 0.1
	done
	return 1
}

# 1. The boot: the services init started, and what they decided.
same "boot: the module loaded by init with gate=approved" \
	"$(cat /sys/module/pci_cma_tsm/parameters/gate 2>/dev/null)" approved
agent=$(cat /run/cmactl-agent.pid 2>/dev/null)
check "boot: the agent started by init is running" running "${agent:-0}"
check "boot: a decision on each of the 4 devices" wait_decided 1 $all
# A second line for a device would come from a notification the agent
# should have known for its own; give it the time to come.
sleep 5
dmesg | grep 'pci_cma_tsm: \|pci function\|rc.d: ' | sed 's/^/PCI_CMA_KERNEL: /'
sed 's/^/PCI_CMA_AGENT: /' $log $err
grep cmactl-agent $syslog | sed 's/^/PCI_CMA_SYSLOG: /'
same "boot: exactly one decision line per device" "$(counts 1 $all)" "$(ones $all)"
# Where an operator's logging looks: the same lines in syslog, facility
# daemon, an approval at info, a device held at warning.
for d in $good $tee; do
	same "boot: syslog: $d's decision, once, at info" "$(syslog_of $d)" "daemon.info "
done
for d in $anchor $firmware; do
	check "boot: syslog: $d's decision, once, at warning" \
		has "$(syslog_of $d)" '^daemon\.warn[a-z]* $'
done
for d in $good $tee; do
	line=$(decision $d 1)
	gen=$(approved_gen "$line")
	same "boot: $d verified and approved without a person (verdict, action)" \
		"$(echo "$line" | cut -d'|' -f1,3 | sed 's/generation [0-9][0-9]*$/generation N/')" "approve|approved at generation N"
	same "boot: $d approved in the kernel, at the generation the agent verified" \
		"$(kernel_approvals $d 1)" "$gen "
	same "boot: $d's gate open" "$(gate_of $d)" open
done
# The order in the kernel's own log: nvme was loaded (its service says
# so there, before the agent's started) and found the function held; the approval the
# agent made (at the generation its line names) opened the gate, and only
# then did nvme probe the function.
gen=$(approved_gen "$(decision $good 1)")
order=$(dmesg | awk -v d="$good" -v g="${gen:-none}" '
	index($0, "rc.d: nvme loaded") && !loaded { loaded = NR }
	index($0, "pci_cma_tsm: " d ": approved at generation ") && $NF == g && !approved { approved = NR }
	index($0, "pci function " d) && !probed { probed = NR }
	END { print loaded + 0, approved + 0, probed + 0 }')
echo "PCI_CMA_ORDER: kernel log lines: nvme loaded, $good approved by the agent (generation ${gen:-none}), nvme's probe of it: $order"
check "boot: nvme, loaded while $good was held, binds to it only after the agent approved it (kernel log order)" \
	sh -c "set -- $order; [ \$1 -gt 0 ] && [ \$2 -gt \$1 ] && [ \$3 -gt \$2 ]"
same "boot: nvme bound to $good" "$(bound_to $good)" nvme

# 2. What fails the policy stays held, and its line says why.
line=$(decision $anchor 1)
same "policy: under another vendor's root: rejected and held" "$(echo "$line" | cut -d'|' -f1,3)" "reject|held"
check "policy: the log line names why: the chain does not lead to the selection's anchor" \
	has "$(echo "$line" | cut -d'|' -f4)" '^chain: does not chain to the trust anchor'
line=$(decision $firmware 1)
same "policy: a measurement outside its reference value: rejected and held" \
	"$(echo "$line" | cut -d'|' -f1,3)" "reject|held"
check "policy: the log line names the measurement and both values" \
	has "$(echo "$line" | cut -d'|' -f4)" 'measurements policy: measurement 3 is text:1.0.0, policy expects text:2.0.0'
for d in $anchor $firmware; do
	echo $d >/sys/bus/pci/drivers_probe 2>/dev/null
	same "policy: $d not approved, held, no driver (state, gate, driver)" \
		"$(field $d state) $(gate_of $d) $(bound_to $d)" "authenticated held "
	same "policy: $d never approved in the kernel" "$(kernel_approvals $d 1)" ""
done

# 3. Devices changed while the system sleeps: the nvme function's
# identity swapped (nvme bound to it), and the TEE endpoint's firmware
# (no driver; the firmware left its decode on). Each is contained by the
# kernel, and the agent, which follows the mismatch, does not undo that.
# Then the originals back, and a reset of each: proven again, approved
# again.
# differs DEV: what the kernel finds changed in DEV.
differs() { [ "$1" = "$good" ] && echo chain || echo measurements; }
echo "PCI_CMA_COMMAND: before the swap: $good $(command_bits $good), $tee $(command_bits $tee)"
mark_logs
control good identity nvme-swapped reset
control tee measure 3 2.0.0 reset
check "swap: suspend and resume with $good's identity and $tee's firmware changed" suspend_once
for d in $good $tee; do
	check "swap: the kernel finds $d is not the approved device" field_wait $d state mismatch
	field_wait $d contained true
	wait_bound $d ""
	quiesced $d
	same "swap: $d contained: no driver, I/O, memory and bus mastering off, held" \
		"contained=$(field $d contained) driver=$(bound_to $d) io-memory-master=$(command_bits $d) gate=$(gate_of $d)" \
		"contained=true driver= io-memory-master=0 gate=held"
done
check "swap: the agent decides on both" wait_decided "$from" $good $tee
sleep 5
for d in $good $tee; do
	line=$(decision $d "$from")
	same "swap: the agent logs $d's mismatch and holds it" "$(echo "$line" | cut -d'|' -f1,3)" "mismatch|held"
	check "swap: $d's line says what differs" \
		has "$(echo "$line" | cut -d'|' -f4)" "^not the device approved before (differs in $(differs $d)[,)]"
	# (The devices without an approval were authenticated again after
	# the resume, and decided again: those lines are theirs.)
	same "swap: one decision line on $d" "$(counts "$from" $d)" "$d=1"
	same "swap: $d not approved: no approval in the kernel log" "$(kernel_approvals $d $kfrom)" ""
	same "swap: $d still mismatch, no driver, quiesced" \
		"$(field $d state) driver=$(bound_to $d) io-memory-master=$(command_bits $d)" "mismatch driver= io-memory-master=0"
done
mark_logs
control good identity nvme reset
control tee measure 3 1.0.0 reset
echo 1 >/sys/bus/pci/devices/$good/reset
echo 1 >/sys/bus/pci/devices/$tee/reset
for d in $good $tee; do
	check "restored and reset: the kernel finds $d the approved device again" field_wait $d state approved
done
check "restored and reset: the agent decides on both again" wait_decided "$from" $good $tee
sleep 5
for d in $good $tee; do
	line=$(decision $d "$from")
	same "restored and reset: the agent verifies $d and approves it (verdict)" "${line%%|*}" approve
	same "restored and reset: one decision line on $d" "$(counts "$from" $d)" "$d=1"
	same "restored and reset: $d's gate open, not contained" "$(gate_of $d) $(field $d contained)" "open false"
done
check "restored and reset: nvme bound to $good again" wait_bound $good nvme

# 4. The agent killed and started again (as its unit's Restart= would),
# writing to the same log: a decision on every device the module
# tracks, one each, and nothing approved twice.
kill -9 "$agent"
check "restart: the agent killed" ended "$agent"
mark_logs
cmactl agent >>$log 2>>$err &
agent=$!
devices=$(tracked | tr '\n' ' ')
same "restart: the module tracks the 4 devices" "$devices" "$all "
check "restart: a decision on every device" wait_decided "$from" $devices
sleep 5
same "restart: one decision line per device" "$(counts "$from" $devices)" "$(ones $devices)"
for d in $good $tee; do
	same "restart: $d found already approved, not approved twice" \
		"$(decision $d "$from" | cut -d'|' -f1,3) kernel approvals: $(kernel_approvals $d $kfrom)" \
		"approve|already approved kernel approvals: "
done
for d in $anchor $firmware; do
	same "restart: $d rejected again, still held" \
		"$(decision $d "$from" | cut -d'|' -f1,3) $(field $d state) $(kernel_approvals $d $kfrom)" \
		"reject|held authenticated "
done

# The module unloaded and loaded again under the running agent: it
# follows the family away and back, and decides on every device anew.
mark_logs
check "reload: unload pci_cma_tsm with the agent running" rmmod pci_cma_tsm
check "reload: the agent sees the family go" wait_err "$efrom" "family went away"
check "reload: the agent still runs" running $agent
check "reload: load pci_cma_tsm again with gate=approved" insmod /lib/modules/extra/pci_cma_tsm.ko gate=approved
check "reload: the agent sees the family come back" wait_err "$efrom" "family is back"
devices=$(tracked | tr '\n' ' ')
same "reload: the module tracks the 4 devices again" "$devices" "$all "
check "reload: a decision on every device" wait_decided "$from" $devices
sleep 5
same "reload: one decision line per device, none left without one" "$(counts "$from" $devices)" "$(ones $devices)"
for d in $good $tee; do
	line=$(decision $d "$from")
	gen=$(approved_gen "$line")
	same "reload: $d verified and approved anew (verdict, action)" \
		"$(echo "$line" | cut -d'|' -f1,3 | sed 's/generation [0-9][0-9]*$/generation N/')" "approve|approved at generation N"
	same "reload: $d approved exactly once in the kernel, at the agent's generation" \
		"$(kernel_approvals $d $kfrom)" "$gen "
	same "reload: $d approved" "$(field $d state)" approved
done
for d in $anchor $firmware; do
	same "reload: $d rejected again, not approved" \
		"$(decision $d "$from" | cut -d'|' -f1) $(field $d state) $(kernel_approvals $d $kfrom)" \
		"reject authenticated "
done
check "reload: the agent keeps running" running $agent

# 5. A malformed policy: refused at start with its file and line.
mkdir -p /tmp/bad/anchors.d
cp /etc/pci-cma/anchors.d/*.pem /tmp/bad/anchors.d/
printf '[storage]\nvendor 1b36\nanchors vendor\nmeasurment 3 312e302e30\n' >/tmp/bad/policy.conf
timeout 60 cmactl agent --config /tmp/bad >/tmp/bad.out 2>/tmp/bad.err
status=$?
sed 's/^/PCI_CMA_AGENT: /' /tmp/bad.out /tmp/bad.err
same "malformed policy: the agent refuses to start (exit status)" "$status" 2
check "malformed policy: refused with file:line and the reason" \
	grep -q "configuration refused: /tmp/bad/policy.conf:4: unknown key 'measurment'" /tmp/bad.err
check "malformed policy: no decision made" test ! -s /tmp/bad.out
# On SIGHUP: a new policy that would reject every device, malformed
# further down, is refused whole; the old one goes on deciding.
cp /etc/pci-cma/policy.conf /tmp/policy.good
printf '[everything]\nanchors other\n\n[broken\nanchors vendor\n' >/etc/pci-cma/policy.conf
efrom=$(next_line $err)
kill -HUP $agent
check "SIGHUP, malformed policy: the agent keeps the old one and says so, with file:line" \
	wait_err "$efrom" "configuration not reloaded, the last good one stays: /etc/pci-cma/policy.conf:4: malformed selection header"
check "SIGHUP, malformed policy: the refusal in syslog, at err" \
	grep -q 'daemon\.err cmactl-agent\[[0-9]*\]: configuration not reloaded, the last good one stays: /etc/pci-cma/policy.conf:4: ' $syslog
check "SIGHUP, malformed policy: the agent still runs" running $agent
from=$(next_line $log)
cmactl authenticate $good >/dev/null
check "SIGHUP, malformed policy: a re-authenticated device decided" wait_decided "$from" $good
line=$(decision $good "$from")
same "SIGHUP, malformed policy: decided by the old policy (verdict, selection)" \
	"$(echo "$line" | cut -d'|' -f1,2)" "approve|storage"
same "SIGHUP, malformed policy: still approved" "$(field $good state)" approved
# And a good file is taken on the next SIGHUP.
cp /tmp/policy.good /etc/pci-cma/policy.conf
efrom=$(next_line $err)
kill -HUP $agent
check "SIGHUP, the policy mended: reloaded" \
	wait_err "$efrom" "configuration reloaded: 2 trust anchor files, 4 selections"

kill $agent
wait $agent
status=$?
same "SIGTERM ends the agent (exit status)" "$status" 0
sed 's/^/PCI_CMA_AGENT: /' $log $err
check "unload pci_cma_tsm" rmmod pci_cma_tsm
check_kernel_log_clean
exit "$failures"
