#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The module authenticates devices at load, in QEMU, on one kernel: good
# devices of several algorithms (ECDSA, RSASSA, RSA-PSS through the kernel's
# raw RSA; SHA-2 and SHA-3) are authenticated; devices with faults are refused with one clear
# line naming the message and field; the module unloads cleanly.
# Usage: tests/suites/kernel-auth.sh stock|debug|sid
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
. qemu/lib.sh
which=$1

suite_guest_setup "kernel-auth-$which" "$which" 240 900 || exit 0

# name | responder options | expected verdict (regex on the dmesg line)
devices=(
	"p384|--alg ecdsa-p384 --slot 1=nvme-large|authenticated: SPDM 1.4, ECDSA-P384"
	"rsassa|--alg rsa2048 --asym 0x1|authenticated: SPDM 1.4, RSASSA-2048"
	"rsapss|--alg rsa3072 --asym 0x8 --versions 1.2|authenticated: SPDM 1.2, RSAPSS-3072"
	"p521v10|--alg ecdsa-p521 --versions 1.0|authenticated: SPDM 1.0, ECDSA-P521"
	"badsig|--alg ecdsa-p256 --fault challenge-bad-signature|not authenticated .*CHALLENGE_AUTH.Signature"
	"digest|--alg ecdsa-p256 --fault chain-digest-mismatch|not authenticated .*DIGESTS.Digest vs chain"
	"remainder|--alg ecdsa-p256 --fault cert-lying-remainder|not authenticated .*CERTIFICATE.RemainderLength vs CertChain.Length"
	"busy|--alg ecdsa-p256 --fault busy-forever|not authenticated .*SPDM error 0x03"
	"truncchain|--alg ecdsa-p256 --fault chain-length-lies|not authenticated .*CertChain"
	"sha3ec|--alg ecdsa-p256 --hash sha3-256|authenticated: SPDM 1.4, ECDSA-P256, SHA3-256"
	"sha3rsa|--alg rsa3072 --asym 0x4 --hash sha3-384|authenticated: SPDM 1.4, RSASSA-3072, SHA3-384"
	"mldsa44|--alg mldsa44|authenticated: SPDM 1.4, ML-DSA-44, SHA-512, slot 0"
	"mldsa65|--alg mldsa65 --hash sha3-384|authenticated: SPDM 1.4, ML-DSA-65, SHA3-384, slot 0"
	"mldsa87|--alg mldsa87|authenticated: SPDM 1.4, ML-DSA-87, SHA-512, slot 0"
)
# A device that never answers sits behind vfio-user: QEMU's nvme waits for
# its responder inside the guest's config write, so a silent responder
# there stalls QEMU itself rather than the guest's DOE mailbox.
args=()
declare -A bdf_of
for i in "${!devices[@]}"; do
	IFS='|' read -r name options expected <<<"${devices[$i]}"
	# shellcheck disable=SC2086
	port=$(qemu_start_responder "$name" $options) || { echo "not ok $which: responder $name starts"; exit 0; }
	read -ra more <<<"$(qemu_nvme_cma_args "$i" "$port" | tr '\n' ' ')"
	args+=("${more[@]}")
done
# The TEE endpoint is a multi-function device: function 1 has no mailbox,
# and function 0's Device Security Manager speaks for it once connected.
qemu_start_vfio_device tee --alg ecdsa-p384 --identity tee || { echo "not ok $which: tee starts"; exit 0; }
qemu_start_vfio_device tee-fn1 --alg ecdsa-p384 --identity tee --no-doe || { echo "not ok $which: tee-fn1 starts"; exit 0; }
qemu_start_vfio_device silent --alg ecdsa-p256 --identity tee --fault never-answer ||
	{ echo "not ok $which: silent starts"; exit 0; }
read -ra more <<<"$(qemu_vfio_device_args 0 "$run/tee.sock" "$run/tee-fn1.sock" | tr '\n' ' ')"
args+=("${more[@]}")
read -ra more <<<"$(qemu_vfio_device_args 1 "$run/silent.sock" | tr '\n' ' ')"
args+=("${more[@]}")

# Hotplug through the QEMU monitor: an empty root port, last so that no
# other bus number moves, and a responder for the nvme function the guest
# asks to have plugged in. Debian's kernels (stock and sid) take it through
# native PCIe hotplug (pciehp); the debug kernel through ACPI hotplug, QEMU's default,
# because pciehp itself trips lockdep there on any hot-add
# (pci_rescan_remove_lock against ctrl->reset_lock in
# pciehp_configure_device), whatever else is loaded.
extra=()
hot_port=$(qemu_start_responder hot --alg ecdsa-p256) || { echo "not ok $which: responder hot starts"; exit 0; }
args+=(-device pcie-root-port,id=hot_rp,bus=pcie.0,chassis=60,slot=60 -qmp "unix:$run/qmp.sock,server=on,wait=off")
[ "$which" != debug ] && args+=(-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off)
: >"$run/hotplug"
extra+=("$run/hotplug=/test/hotplug")
(
	until grep -q 'PCI_CMA_HOTPLUG: add' "$run/console.log" 2>/dev/null; do sleep 0.2; done
	qemu_qmp "$run/qmp.sock" device_add \
		"{\"driver\": \"nvme\", \"id\": \"hot0\", \"bus\": \"hot_rp\", \"serial\": \"hot0\", \"spdm_port\": $hot_port}" >>"$run/qmp.log" 2>&1
	until grep -q 'PCI_CMA_HOTPLUG: remove' "$run/console.log" 2>/dev/null; do sleep 0.2; done
	qemu_qmp "$run/qmp.sock" device_del '{"id": "hot0"}' >>"$run/qmp.log" 2>&1
) &
qemu_track $! hotplug
# Debian's kernels build SHA-3 as modules, and the guest has no modprobe
# to load them on demand: lib/crypto's SHAKE comes first, as the module
# depends on it (qemu/initramfs.sh), the crypto API's SHA-3 here.
if [ "$which" != debug ]; then
	files=()
	add_kernel_modules crypto/sha3 || { echo "not ok $which: unpack crypto/sha3.ko.xz"; exit 0; }
	extra+=("${files[@]}")
fi
qemu/initramfs.sh "$run/initrd" qemu/guest/kernel-auth.sh \
	"$(module_dir "$kdir")/pci_cma_tsm.ko=/lib/modules/extra/pci_cma_tsm.ko" "${extra[@]}" >&2
: >"$run/console.log"
start=$(date +%s)
qemu_boot "$kernel" "$run/initrd" "$run/console.log" "$timeout" "${args[@]}"
rc=$?
cat "$run/console.log" >&2
qemu_results "$run/console.log" | sed "s/^\(ok\|not ok\|skip\) /\1 $which: /"
[ "$rc" = 0 ] || echo "not ok $which: guest job - status $rc"
sed -n 's/.*PCI_CMA_VERDICT: //p' "$run/console.log" | tr -d '\r' >"$run/verdicts"
# Root ports are created in order, so device i sits on bus i+1.
for i in "${!devices[@]}"; do
	IFS='|' read -r name options expected <<<"${devices[$i]}"
	bdf=$(printf '0000:%02x:00.0' $((i + 1)))
	line=$(grep "pci_cma_tsm: $bdf: " "$run/verdicts")
	if echo "$line" | grep -Eq "$expected"; then
		echo "ok $which: $name ($bdf) - $(echo "$line" | cut -d: -f4- | cut -c1-90)"
	else
		echo "not ok $which: $name ($bdf) - want /$expected/, got: ${line:-no verdict}"
	fi
done
# ML-DSA-87's CHALLENGE_AUTH (a 4627-byte signature) is larger than the
# module's DataTransferSize, so it came through CHUNK_GET.
chunks=$(grep -c -- '-> v1.4 CHUNK_GET' "$run/mldsa87.exchange.log" 2>/dev/null)
if [ "${chunks:-0}" -gt 0 ]; then
	echo "ok $which: ML-DSA-87 signatures came in chunks ($chunks CHUNK_GET requests)"
else
	echo "not ok $which: ML-DSA-87 signatures came in chunks - no CHUNK_GET in $run/mldsa87.exchange.log"
fi
# Authentication runs in parallel: the wall time from load to the last
# verdict is well below the sum of each device's own time.
wall=$(sed -n 's/.*PCI_CMA_WALL_MS: \([0-9]*\).*/\1/p' "$run/console.log" | tr -d '\r')
sum=$(sed -n 's/.*, \([0-9]*\) ms$/\1/p' "$run/verdicts" | head -n "$((${#devices[@]} + 2))" | awk '{ s += $1 } END { print s + 0 }')
longest=$(sed -n 's/.*, \([0-9]*\) ms$/\1/p' "$run/verdicts" | head -n "$((${#devices[@]} + 2))" | sort -n | tail -n1)
if [ -n "$wall" ] && [ "$sum" -gt 0 ] && [ "$wall" -lt "$sum" ]; then
	echo "ok $which: $((${#devices[@]} + 2)) devices authenticated in parallel - ${wall} ms from load to the last verdict, sum of per-device times ${sum} ms, longest ${longest} ms"
else
	echo "not ok $which: devices authenticated in parallel - wall ${wall:-?} ms, sum ${sum} ms"
fi
tee_bdf=$(printf '0000:%02x:00.0' $((${#devices[@]} + 1)))
silent_bdf=$(printf '0000:%02x:00.0' $((${#devices[@]} + 2)))
if grep -q "pci_cma_tsm: $tee_bdf: authenticated" "$run/verdicts"; then
	echo "ok $which: vfio-user TEE endpoint ($tee_bdf) authenticated"
else
	echo "not ok $which: vfio-user TEE endpoint ($tee_bdf) authenticated - $(grep "$tee_bdf" "$run/verdicts")"
fi
if grep -q "pci_cma_tsm: $silent_bdf: not authenticated .*DOE exchange" "$run/verdicts"; then
	echo "ok $which: a device that stops answering ($silent_bdf) is refused in bounded time"
else
	echo "not ok $which: a device that stops answering ($silent_bdf) is refused - $(grep "$silent_bdf" "$run/verdicts")"
fi
sysfs=$(sed -n 's/.*PCI_CMA_SYSFS: //p' "$run/console.log" | tr -d '\r')
line=$(echo "$sysfs" | grep "^0000:01:00.0 ")
if echo "$line" | grep -q "state=authenticated version=1.4 algorithms=ECDSA-P384+SHA-512 slot=0 digest=[0-9a-f]\{16\} error=$"; then
	echo "ok $which: sysfs state of an authenticated device"
else
	echo "not ok $which: sysfs state of an authenticated device - ${line:-none}"
fi
for i in "${!devices[@]}"; do
	[ "${devices[$i]%%|*}" = mldsa65 ] && mldsa65_bdf=$(printf '0000:%02x:00.0' $((i + 1)))
done
line=$(echo "$sysfs" | grep "^${mldsa65_bdf:-none} ")
if echo "$line" | grep -q "state=authenticated version=1.4 algorithms=ML-DSA-65+SHA3-384 "; then
	echo "ok $which: sysfs algorithms of an ML-DSA device"
else
	echo "not ok $which: sysfs algorithms of an ML-DSA device - ${line:-none}"
fi
line=$(echo "$sysfs" | grep "^0000:05:00.0 ")
if echo "$line" | grep -q "state=failed .*error=verify-failed+in+CHALLENGE_AUTH.Signature"; then
	echo "ok $which: sysfs state and last_error of a refused device"
else
	echo "not ok $which: sysfs state and last_error of a refused device - ${line:-none}"
fi
connectable=$(sed -n 's/.*PCI_CMA_CONNECTABLE=\([0-9]*\).*/\1/p' "$run/console.log" | tr -d '\r')
# The two vfio-user endpoints have DEVCAP.TEE; the nvme functions do not.
if [ "${connectable:-0}" = 2 ]; then
	echo "ok $which: tsm/connect offered on exactly the 2 TSM-capable endpoints"
else
	echo "not ok $which: tsm/connect offered on exactly the 2 TSM-capable endpoints - on ${connectable:-0}"
fi
connects=$(sed -n 's/.*PCI_CMA_CONNECT: //p' "$run/console.log" | tr -d '\r')
for round in 1 2; do
	line=$(echo "$connects" | grep "^$tee_bdf round $round ")
	# The core's authenticated attribute names the TSM that connected it.
	if echo "$line" | grep -Eq "connected authenticated=tsm[0-9]+ .*disconnect=ok"; then
		echo "ok $which: TEE endpoint connect, authenticated, disconnect (round $round)"
	else
		echo "not ok $which: TEE endpoint connect, authenticated, disconnect (round $round) - ${line:-no line}"
	fi
	# Function 1 is linked to function 0's DSM while connected (the
	# core's link constructor), and unlinked by the disconnect.
	line=$(echo "$connects" | grep "^$tee_bdf round $round ")
	if echo "$line" | grep -q " function1=${tee_bdf%.0}.1-dsm=$tee_bdf function1-after=none "; then
		echo "ok $which: TEE endpoint's function 1 linked to function 0's DSM, unlinked by disconnect (round $round)"
	else
		echo "not ok $which: TEE endpoint's function 1 linked to function 0's DSM, unlinked by disconnect (round $round) - ${line:-no line}"
	fi
	line=$(echo "$connects" | grep "^$silent_bdf round $round ")
	if echo "$line" | grep -q "refused"; then
		echo "ok $which: silent endpoint's connect refused (round $round)"
	else
		echo "not ok $which: silent endpoint's connect refused (round $round) - ${line:-no line}"
	fi
done
# Each connect makes the device prove itself again, as the endpoint's own
# log shows: after the load's authentication (ending in GET_MEASUREMENTS),
# each of the two connects is a conversation of its own, VCA and a
# CHALLENGE with a fresh nonce (4 exchanges, no certificate read). The
# module's second load (slot=1) talks to it after them.
after_load=$(awk '$2 == "->" { print $4 }' "$run/tee.exchange.log" 2>/dev/null |
	sed -n '/^GET_MEASUREMENTS$/,$p' | sed -n 2,9p | tr '\n' ' ')
want="GET_VERSION GET_CAPABILITIES NEGOTIATE_ALGORITHMS CHALLENGE "
if [ "$after_load" = "$want$want" ]; then
	echo "ok $which: each connect of the TEE endpoint is a new proof: 4 exchanges, VCA and CHALLENGE"
else
	echo "not ok $which: each connect of the TEE endpoint is a new proof - requests after the load: ${after_load:-none}"
fi
echo "ok $which: whole run took $(($(date +%s) - start)) s" >&2
