#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Emulated devices in QEMU on the stock kernel: several nvme functions,
# each with its own responder and identity, show CMA in their DOE
# features and answer SPDM end to end from the guest, with a clean kernel
# log; every responder logged the exchange and is stopped by pid.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
. qemu/lib.sh

if ! make -s host >&2; then
	echo "not ok devices-build - see the suite log"
	exit 0
fi
run=$PWD/build/qemu/devices
rm -rf "$run"
qemu_init "$run"
identities=(nvme nvme-swapped)
args=()
for i in "${!identities[@]}"; do
	port=$(qemu_start_responder "dev$i" --alg ecdsa-p384 --identity "${identities[$i]}") || {
		echo "not ok devices: responder dev$i starts"
		exit 0
	}
	read -ra more <<<"$(qemu_nvme_cma_args "$i" "$port" | tr '\n' ' ')"
	args+=("${more[@]}")
done
qemu_start_vfio_device tee0 --alg ecdsa-p256 --identity tee --ide || {
	echo "not ok devices: vfio-user device tee0 starts"
	exit 0
}
read -ra more <<<"$(qemu_vfio_device_args 0 "$run/tee0.sock" | tr '\n' ' ')"
args+=("${more[@]}")
qemu/initramfs.sh "$run/initrd" qemu/guest/devices.sh build/host/guest/doe-exchange=/bin/doe-exchange >&2
qemu_boot "$stock_kernel" "$run/initrd" "$run/console.log" 180 "${args[@]}"
rc=$?
cat "$run/console.log" "$run/console.log.qemu" >&2
qemu_results "$run/console.log" | sed 's/^\(ok\|not ok\|skip\) /\1 devices: /'
# The guest job's exit status is its count of failures; a guest that hung,
# panicked or never ran its job has no result lines to say so.
case $rc in
0) ;;
124) echo "not ok devices: guest job - timed out after 180s (see $run/console.log)" ;;
125) echo "not ok devices: guest job - QEMU ended without the guest's exit status (see $run/console.log.qemu)" ;;
*) echo "not ok devices: guest job - status $rc" ;;
esac
found=$(sed -n 's/.*PCI_CMA_DEVICES_FOUND=\([0-9]*\).*/\1/p' "$run/console.log" | tr -d '\r')
expected=$((${#identities[@]} + 1))
if [ "${found:-0}" = "$expected" ]; then
	echo "ok devices: guest found $expected CMA devices (nvme and vfio-user)"
else
	echo "not ok devices: guest found $expected CMA devices - found '${found:-none}' (status $rc)"
fi
if grep -q 'function level reset' "$run/tee0.exchange.log" 2>/dev/null; then
	echo "ok devices: tee0 saw the guest's FLR"
else
	echo "not ok devices: tee0 saw the guest's FLR"
fi
# Each device answered with its own identity: the digests differ.
for i in "${!identities[@]}"; do
	if grep -q -- '-> v1.2 GET_DIGESTS' "$run/dev$i.exchange.log" 2>/dev/null; then
		echo "ok devices: dev$i responder logged the guest's exchanges"
	else
		echo "not ok devices: dev$i responder logged the guest's exchanges"
	fi
done
pids=$(awk '$2 ~ /^(dev|tee)/ { print $1 }' "$run/pids")
qemu_stop_all
alive=0
for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive=$((alive + 1)); done
if [ "$alive" = 0 ]; then
	echo "ok devices: every device process stopped by pid"
else
	echo "not ok devices: every device process stopped by pid - $alive still running"
fi
