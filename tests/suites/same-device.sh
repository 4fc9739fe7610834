#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Same-device checks on resume and reset, in QEMU on one kernel: four nvme
# functions with responders and two vfio-user TEE endpoints, approved
# through cmactl, then suspended and reset; the host changes a device when
# the guest asks (qemu_serve_control). The guest job judges.
# Usage: tests/suites/same-device.sh stock|debug
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
. qemu/lib.sh
which=$1

suite_guest_setup "same-device-$which" "$which" 600 1500 || exit 0

args=()
i=0
for name in good swap fw spare; do
	port=$(qemu_start_responder "$name" --alg ecdsa-p384) || { echo "not ok same-device-$which: $name starts"; exit 0; }
	read -ra more <<<"$(qemu_nvme_cma_args "$i" "$port" | tr '\n' ' ')"
	args+=("${more[@]}")
	i=$((i + 1))
done
i=0
for name in tee silent; do
	qemu_start_vfio_device "$name" --alg ecdsa-p384 --identity tee || { echo "not ok same-device-$which: $name starts"; exit 0; }
	read -ra more <<<"$(qemu_vfio_device_args "$i" "$run/$name.sock" | tr '\n' ' ')"
	args+=("${more[@]}")
	i=$((i + 1))
done

# The test driver that unregisters a PM notifier when unbound.
build_test_modules "same-device-$which" || exit 0
set_resume_job_files
# On the stock kernel the nvme driver shows that a changed device loses it.
if [ "$which" = stock ]; then
	add_kernel_modules drivers/nvme/common/nvme-keyring drivers/nvme/common/nvme-auth \
		drivers/nvme/host/nvme-core drivers/nvme/host/nvme
fi
run_guest_job "same-device-$which" qemu/guest/same-device.sh
