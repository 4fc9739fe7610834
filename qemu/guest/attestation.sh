#!/bin/sh
# Guest job: the host side of a fleet attestation. IMA measures the
# module's records into PCR 10 of the guest's TPM (swtpm on the host); the
# devices are authenticated in parallel at load and approved; the job
# creates an attestation key, quotes PCR 10 with the nonce the host chose,
# and hands the quote, the key and the binary measurement list to the host,
# which checks them with the standard tools (tests/suites/attestation.sh).
# Then one device's identity is swapped and found at a reset, and a second
# quote, with the host's second nonce, carries the containment record.
. /test/lib.sh
export PATH=/test/bin:$PATH
# tpm2-tools reach the TPM through the kernel's resource manager.
export TPM2TOOLS_TCTI=device:/dev/tpmrm0
anchor=/test/pki/ecdsa-p384/root.pem
ima=/sys/kernel/security/ima
devices=$(cat /test/devices)
swap=0000:01:00.0
read -r nonce1 nonce2 </test/nonces

dmesg_start_judging
check "TPM 2.0 present: /dev/tpmrm0" test -c /dev/tpmrm0
# IMA took its boot aggregate from the TPM's PCRs (all zeros without a
# TPM). The list's template is the kernel's default (ima-sig here).
aggregate=$(sed -n 's/^10 [0-9a-f]* [a-z-]* sha256:\([0-9a-f]*\) boot_aggregate *$/\1/p' $ima/ascii_runtime_measurements)
check "IMA: the boot aggregate taken from the TPM (${aggregate:-none})" \
	sh -c "echo '$aggregate' | grep -q '^[0-9a-f]\{64\}$' && echo '$aggregate' | grep -vq '^0*$'"
check "IMA rule for the pci-cma label" sh -c "echo 'measure func=CRITICAL_DATA label=pci-cma' >$ima/policy"

# The devices are authenticated at load, each on its own work item, so
# their records are measured while others are still in flight.
load_and_wait "$devices" 'pci_cma_tsm: [0-9a-f:.]*: authenticated: ' 1200
wall=$wall_ms
sum=$(dmesg | sed -n 's/.*pci_cma_tsm: [0-9a-f:.]*: authenticated: .*, \([0-9]*\) ms$/\1/p' | awk '{ s += $1 } END { print s + 0 }')
dmesg | grep 'pci_cma_tsm: ' | sed 's/^\[[ 0-9.]*\] /PCI_CMA_VERDICT: /'
check_same "$devices devices authenticated" "$verdicts" "$devices"
# In parallel: from load to the last verdict took less than the devices'
# own times added up.
check "$devices devices authenticated in parallel: $wall ms from load to the last verdict, $sum ms summed" \
	test "$wall" -lt "$sum"
# Records are measured from the module's queue, just after each event.
records() { cmactl ima-log 2>/dev/null | grep -c "^[0-9a-f:.]* $1: "; }
for i in $(seq 100); do [ "$(records authenticated)" -ge "$devices" ] && break; sleep 0.1; done
check_same "IMA: one authentication record per device" "$(records authenticated)" "$devices"

for p in /sys/bus/pci-cma/devices/cma-*; do
	d=${p##*/cma-}
	check "$d verified and approved" sh -c "cmactl verify $d --trust-anchor $anchor --approve >/dev/null"
done
for i in $(seq 100); do [ "$(records approved)" -ge "$devices" ] && break; sleep 0.1; done
check_same "IMA: one approval record per device" "$(records approved)" "$devices"
cmactl ima-policy >/tmp/allow
check_same "an allow-list of the $devices approved devices" "$(grep -c '^0000:' /tmp/allow)" "$devices"
check "the records pass the allow-list here" sh -c "cmactl ima-log --policy /tmp/allow >/dev/null"
# The same devices as a Keylime runtime policy's ima-buf section: each
# approval's canonical approved-identity entry, by its digest.
cmactl ima-policy --keylime >/tmp/keylime.json
check_same "a Keylime policy naming the $devices approved identities" \
	"$(grep -c '/approved-identity": \["[0-9a-f]\{64\}"\]' /tmp/keylime.json)" "$devices"

# The attestation key: a restricted signing key under the endorsement key,
# as an attestation agent creates it; its public part goes to the host.
check "endorsement key created" tpm2_createek -c /tmp/ek.ctx -G rsa -u /tmp/ek.pub
check "attestation key created" tpm2_createak -C /tmp/ek.ctx -c /tmp/ak.ctx -G rsa -g sha256 -s rsassa \
	-u /tmp/ak.pem -f pem -n /tmp/ak.name

# quote N NONCE: quotes PCR 10 (SHA-256) with NONCE, and saves the binary
# list as it was quoted: read before and after the quote and the same both
# times, so that no measurement fell between list and quote. PCR 10 as
# the kernel shows it is saved too.
quote() {
	local n=$1 nonce=$2 try
	for try in 1 2 3; do
		cat $ima/binary_runtime_measurements >/tmp/before
		tpm2_quote -c /tmp/ak.ctx -l sha256:10 -g sha256 -q "$nonce" \
			-m /tmp/quote$n.msg -s /tmp/quote$n.sig -o /tmp/quote$n.pcrs >/tmp/quote$n.out || return 1
		cat $ima/binary_runtime_measurements >/tmp/ima$n.bin
		cat /sys/class/tpm/tpm0/pcr-sha256/10 >/tmp/pcr$n.sysfs
		cmp -s /tmp/before /tmp/ima$n.bin && return 0
	done
	return 1
}
# send_quote N: the quote, its PCR values and the list to the host.
send_quote() {
	local f
	for f in quote$1.msg quote$1.sig quote$1.pcrs ima$1.bin pcr$1.sysfs; do send_file "$f" "/tmp/$f"; done
}
check "quote 1 over PCR 10 with the host's nonce" quote 1 "$nonce1"
sed 's/^/PCI_CMA_QUOTE: /' /tmp/quote1.out
tpm2_pcrread sha256:10 >/tmp/pcrread
sed 's/^/PCI_CMA_PCRREAD: /' /tmp/pcrread
check_same "PCR 10: the kernel's sysfs file and tpm2_pcrread agree" \
	"$(tr 'A-F' 'a-f' </tmp/pcr1.sysfs)" "$(sed -n 's/^ *10 *: *0x\([0-9A-Fa-f]*\)$/\1/p' /tmp/pcrread | tr 'A-F' 'a-f')"
send_file ak.pem /tmp/ak.pem
send_file allow /tmp/allow
send_file keylime.json /tmp/keylime.json
send_quote 1

# A device swapped: the responder serves another identity from its next
# reset, and a function reset makes the module check it.
control swap identity nvme-swapped reset
echo 1 >/sys/bus/pci/devices/$swap/reset
check "swap: caught at the reset" field_wait $swap state mismatch
check "swap: contained" field_wait $swap contained true
for i in $(seq 100); do [ "$(records contained)" -ge 1 ] && break; sleep 0.1; done
check_same "IMA: the containment recorded" "$(records contained)" 1
check "quote 2 over PCR 10 with the host's second nonce" quote 2 "$nonce2"
send_quote 2

check "unload pci_cma_tsm" rmmod pci_cma_tsm
check_kernel_log_clean
exit "$failures"
