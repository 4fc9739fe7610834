#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The glue off the happy path, on the debug kernel (KASAN, KFENCE, kmemleak,
# lockdep, hung-task detection): module load and unload raced with hot
# removal and rescan, with initial authentications, with post-resume
# checks and with evidence dumps; a device that goes silent mid-chain;
# concurrent nonce reads against revalidations; and a netlink fuzzer from
# an unprivileged and a privileged user. The guest job
# (qemu/guest/stress.sh) judges each case over its rounds.
# Usage: tests/suites/stress.sh debug|stock (make test runs it on debug)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
. qemu/lib.sh

which=$1
suite_guest_setup "stress-$which" "$which" 1800 3000 || exit 0

# name | responder options; device i sits on bus i+1.
devices=(
	"good|--alg ecdsa-p384"
	"huge|--alg ecdsa-p384 --identity nvme-huge"
)
args=()
for i in "${!devices[@]}"; do
	IFS='|' read -r name options <<<"${devices[$i]}"
	# shellcheck disable=SC2086
	port=$(qemu_start_responder "$name" $options) || { echo "not ok stress-$which: responder $name starts"; exit 0; }
	read -ra more <<<"$(qemu_nvme_cma_args "$i" "$port" | tr '\n' ' ')"
	args+=("${more[@]}")
done
# The device that goes silent is a vfio-user endpoint, on the next bus:
# behind QEMU's nvme a silent responder would stall QEMU itself, where a
# real device only leaves the guest's DOE exchange to time out.
qemu_start_vfio_device mute --alg ecdsa-p384 --identity nvme-huge ||
	{ echo "not ok stress-$which: vfio-user device mute starts"; exit 0; }
read -ra more <<<"$(qemu_vfio_device_args 0 "$run/mute.sock" | tr '\n' ' ')"
args+=("${more[@]}")

files=("$(module_dir "$kdir")/pci_cma_tsm.ko=/lib/modules/extra/pci_cma_tsm.ko"
	build/host/guest/cmactl=/test/bin/cmactl build/host/guest/netlink-fuzz=/test/bin/netlink-fuzz
	build/host/pki/ecdsa-p384/root.pem=/test/pki/ecdsa-p384/root.pem)
run_guest_job "stress-$which" qemu/guest/stress.sh
