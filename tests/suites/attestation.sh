#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fleet attestation with standard tools, in QEMU on Debian's stock kernel
# with swtpm as the guest's TPM: the guest (qemu/guest/attestation.sh)
# authenticates eight devices in parallel with IMA measuring the module's
# records, approves them and quotes PCR 10 with a nonce chosen here; here,
# as a remote verifier would, tpm2_checkquote verifies the quote,
# evmctl replays the guest's binary measurement list to the quoted PCR 10,
# and cmactl appraises the module's records with the guest's allow-list.
# A wrong nonce, an altered record and a swapped device must each fail.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
. qemu/lib.sh

suite_guest_setup attestation stock 900 900 || exit 0
start=$(date +%s)

# Eight nvme functions, each with its own responder; device i sits on bus
# i+1, and the first is the one the guest has swapped.
devices=8
args=()
for i in $(seq 0 $((devices - 1))); do
	name=dev$i
	[ "$i" = 0 ] && name=swap
	port=$(qemu_start_responder "$name" --alg ecdsa-p384) || { echo "not ok attestation: responder $name starts"; exit 0; }
	read -ra more <<<"$(qemu_nvme_cma_args "$i" "$port" | tr '\n' ' ')"
	args+=("${more[@]}")
done
qemu_start_swtpm tpm || { echo "not ok attestation: swtpm starts"; exit 0; }
read -ra more <<<"$(qemu_tpm_args "$run/tpm.sock" | tr '\n' ' ')"
args+=("${more[@]}")

# Fresh nonces, one per quote, chosen here as a verifier chooses them.
nonce1=$(openssl rand -hex 32)
nonce2=$(openssl rand -hex 32)
echo "$nonce1 $nonce2" >"$run/nonces"
echo "$devices" >"$run/devices"

# tpm2-tools in the guest: the multi-call binary at its own path, linked
# under each tool's name, its libraries, and the device TCTI that its
# loader dlopens.
tpm2=$(command -v tpm2)
tcti=$(ls /usr/lib/x86_64-linux-gnu/libtss2-tcti-device.so.0)
if ! tools=$(qemu/dynamic-initramfs.sh "$tpm2" "$tcti"); then
	echo "not ok attestation: tpm2-tools staged for the guest"
	exit 0
fi
files=("$(module_dir "$kdir")/pci_cma_tsm.ko=/lib/modules/extra/pci_cma_tsm.ko"
	build/host/guest/cmactl=/test/bin/cmactl
	build/host/pki/ecdsa-p384/root.pem=/test/pki/ecdsa-p384/root.pem
	"$run/nonces=/test/nonces" "$run/devices=/test/devices")
mapfile -t more <<<"$tools"
files+=("${more[@]}")
for tool in createek createak quote pcrread; do
	ln -sf "$tpm2" "$run/tpm2_$tool"
	files+=("$run/tpm2_$tool=/test/bin/tpm2_$tool")
done
run_guest_job attestation qemu/guest/attestation.sh

# What the guest sent, as a remote verifier receives it.
got=$run/from-guest
mkdir -p "$got"
received() {
	local f
	for f in "$@"; do qemu_guest_file "$run/console.log" "$f" "$got/$f" || return 1; done
}

# checkquote N NONCE: tpm2_checkquote of quote N against the attestation
# key and NONCE; prints the PCR 10 value it verified.
checkquote() {
	local out
	out=$(tpm2_checkquote -u "$got/ak.pem" -m "$got/quote$1.msg" -s "$got/quote$1.sig" \
		-f "$got/quote$1.pcrs" -g sha256 -q "$2" 2>&1) || { echo "$out" >&2; return 1; }
	echo "$out" >&2
	echo "$out" | sed -n 's/^ *10 *: *0x\([0-9A-Fa-f]*\)$/\1/p' | tr 'A-F' 'a-f'
}

# replays LIST PCR10: evmctl replays the binary list LIST, every entry
# extending the SHA-256 bank, and compares with PCR10 (hex), given in the
# TPM 1.2 sysfs format that evmctl's --pcrs reads: PCR-00 to PCR-10, in
# order; the PCRs the list does not extend are not compared.
replays() {
	local pcrs=$run/pcrs.$$ i
	for i in $(seq 0 9); do printf 'PCR-%02d: %064d\n' "$i" 0; done >"$pcrs"
	echo "PCR-10: $2" >>"$pcrs"
	evmctl -v ima_measurement --pcrs "sha256,$pcrs" "$1" >&2
}

# altered LIST OUT: LIST with one byte of its first pci-cma record changed
# (the chain digest's first byte, at offset 72 of the record).
altered() {
	python3 - "$1" "$2" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
at = data.find(b"PCMA\x01\x00")
if at < 0:
    sys.exit("no pci-cma record in the list")
data[at + 72] ^= 0x01
open(sys.argv[2], "wb").write(data)
PY
}

# keylime_accepts LIST POLICY: what a Keylime verifier's runtime policy
# check does with the ima-buf entries of the binary LIST (keylime/ima/ima.py,
# _validate_ima_buf): an entry whose name the policy's "excludes" match is
# skipped; any other needs its name in the "ima-buf" section with the
# entry's digest among those listed. Keylime is not in the archive; this
# stands in for its appraisal only, after the quote and the replay above.
# Prints each entry that fails.
keylime_accepts() {
	python3 - "$1" "$2" <<'PY'
import json, re, struct, sys
data = open(sys.argv[1], "rb").read()
policy = json.load(open(sys.argv[2]))
excludes = [re.compile(e) for e in policy.get("excludes", [])]
at, failed = 0, 0
def field(buf, i):
    n, = struct.unpack_from("<I", buf, i)
    return buf[i + 4:i + 4 + n], i + 4 + n
while at < len(data):
    template, at = field(data, at + 24)
    fields, at = field(data, at)
    if template != b"ima-buf":
        continue
    digest, i = field(fields, 0)
    name, i = field(fields, i)
    name = name.rstrip(b"\0").decode()
    if any(e.match(name) for e in excludes):
        continue
    if digest.split(b":\0", 1)[1].hex() not in policy.get("ima-buf", {}).get(name, []):
        print(name)
        failed += 1
sys.exit(1 if failed else 0)
PY
}

# result STATUS NAME [WHY]: one result line of this suite.
result() {
	echo "$1 attestation: $2${3:+ - $3}"
}
# expect NAME COMMAND...: ok when COMMAND succeeds.
expect() {
	local name=$1
	shift
	if "$@"; then result ok "$name"; else result "not ok" "$name" "failed: $*"; fi
}
# refuse NAME COMMAND...: ok when COMMAND fails.
refuse() {
	local name=$1
	shift
	if "$@"; then result "not ok" "$name" "succeeded: $*"; else result ok "$name"; fi
}

if ! received ak.pem allow keylime.json quote1.msg quote1.sig quote1.pcrs ima1.bin pcr1.sysfs; then
	result "not ok" "quote 1, the key and the list came out of the guest intact" "see $run/console.log"
	exit 0
fi
result ok "quote 1, the key and the list came out of the guest intact"
if pcr1=$(checkquote 1 "$nonce1") && [ -n "$pcr1" ]; then
	result ok "quote verifies with the host's nonce"
else
	result "not ok" "quote verifies with the host's nonce" "tpm2_checkquote failed (see the log)"
fi
refuse "quote with another nonce (a replay of it to a later challenge) is refused" checkquote 1 "$nonce2"
sysfs1=$(tr 'A-F' 'a-f' <"$got/pcr1.sysfs")
expect "the quoted PCR 10 is the one the guest's kernel shows" test -n "${pcr1:-}" -a "${pcr1:-}" = "$sysfs1"
replayed=no
replays "$got/ima1.bin" "${pcr1:-none}" && replayed=yes
expect "IMA list replays to the quoted PCR 10" test "$replayed" = yes
# The appraisal reads the very bytes that replayed.
build/host/guest/cmactl ima-log "$got/ima1.bin" >"$run/ima1.records" 2>&1
# The authentications at load are the records of generation 1 (each
# verification before approval authenticates again).
at_load=$(grep -c '^[0-9a-f:.]* authenticated: .*, generation 1, ' "$run/ima1.records")
expect "$devices devices in parallel: the list with their $at_load authentications at load replays to PCR 10" \
	test "$at_load" = "$devices" -a "$replayed" = yes
build/host/guest/cmactl ima-log "$got/ima1.bin" --policy "$got/allow" >"$run/ima1.appraisal" 2>&1
status=$?
sed 's/^/    /' "$run/ima1.appraisal" >&2
expect "appraisal accepts the quoted list with the guest's allow-list" test "$status" = 0
keylime_accepts "$got/ima1.bin" "$got/keylime.json" >"$run/keylime1.out" 2>&1
status=$?
sed 's/^/    keylime: /' "$run/keylime1.out" >&2
expect "Keylime runtime policy from cmactl ima-policy --keylime accepts the quoted list" test "$status" = 0
# The same policy with another identity allowed for the first device.
sed '0,/approved-identity": \["./s//approved-identity": ["x/' "$got/keylime.json" >"$run/keylime-other.json"
keylime_accepts "$got/ima1.bin" "$run/keylime-other.json" >"$run/keylime-other.out" 2>&1
expect "Keylime runtime policy allowing another identity fails that device's entry" \
	test "$(cat "$run/keylime-other.out")" = 0000:01:00.0/approved-identity
if altered "$got/ima1.bin" "$run/ima1-altered.bin"; then
	refuse "altered record: list no longer replays" replays "$run/ima1-altered.bin" "${pcr1:-none}"
	# Without the quote too: the record no longer matches its own digest.
	build/host/guest/cmactl ima-log "$run/ima1-altered.bin" >"$run/ima1-altered.records" 2>&1
	status=$?
	expect "altered record: cmactl ima-log names it BAD (digest does not match)" \
		test "$status" = 1 -a "$(grep -c 'BAD: digest does not match the buffer' "$run/ima1-altered.records")" = 1
else
	result "not ok" "altered record: list no longer replays" "no record to alter"
fi

# After the swap: the second quote is as good, its list replays, and the
# appraisal of that list rejects, naming the containment.
if ! received quote2.msg quote2.sig quote2.pcrs ima2.bin pcr2.sysfs; then
	result "not ok" "quote 2 and the list after the swap came out of the guest intact" "see $run/console.log"
	exit 0
fi
if pcr2=$(checkquote 2 "$nonce2") && [ -n "$pcr2" ]; then
	result ok "after the swap: quote verifies with the host's second nonce"
else
	result "not ok" "after the swap: quote verifies with the host's second nonce" "tpm2_checkquote failed (see the log)"
fi
expect "after the swap: IMA list replays to the quoted PCR 10" replays "$got/ima2.bin" "${pcr2:-none}"
build/host/guest/cmactl ima-log "$got/ima2.bin" --policy "$got/allow" >"$run/ima2.appraisal" 2>&1
status=$?
sed 's/^/    /' "$run/ima2.appraisal" >&2
expect "after the swap: appraisal of the quoted list rejects" test "$status" = 1
expect "after the swap: the appraisal names the containment" \
	grep -q '^rejected: 0000:01:00.0/.*: contained' "$run/ima2.appraisal"
keylime_accepts "$got/ima2.bin" "$got/keylime.json" >"$run/keylime2.out" 2>&1
status=$?
sed 's/^/    keylime: /' "$run/keylime2.out" >&2
expect "after the swap: the Keylime runtime policy fails the mismatch and the containment, nothing else" \
	test "$status" = 1 -a "$(sort -u "$run/keylime2.out" | tr '\n' ' ')" = "0000:01:00.0/contained 0000:01:00.0/mismatch "
echo "ok attestation: whole run took $(($(date +%s) - start)) s" >&2
