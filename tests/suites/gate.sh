#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The gate, in QEMU on one kernel, with gate=approved: two nvme functions
# with responders and a vfio-user TEE endpoint bound to the test driver
# that logs what it finds on resume. The host swaps identities when the
# guest asks (qemu_serve_control); the guest job (qemu/guest/gate.sh)
# judges.
# Usage: tests/suites/gate.sh stock|debug
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
. qemu/lib.sh
which=$1

suite_guest_setup "gate-$which" "$which" 900 1500 || exit 0

args=()
add_devices "gate-$which" good other || exit 0
# vfio-pci binds only to a device behind an IOMMU: an emulated one, where
# the kernel has VFIO (the stock kernel; the debug kernel has none).
if [ "$which" = stock ]; then
	args=(-device intel-iommu,intremap=off,caching-mode=on "${args[@]}")
	export PCI_CMA_APPEND=intel_iommu=on
fi

build_test_modules "gate-$which" || exit 0
set_resume_job_files
# The debug kernel has nvme built in; the stock kernel's modules go along.
if [ "$which" = stock ]; then
	add_kernel_modules drivers/nvme/common/nvme-keyring drivers/nvme/common/nvme-auth \
		drivers/nvme/host/nvme-core drivers/nvme/host/nvme
	add_kernel_modules virt/lib/irqbypass drivers/vfio/vfio drivers/vfio/vfio_iommu_type1 \
		drivers/vfio/pci/vfio-pci-core drivers/vfio/pci/vfio-pci
fi
run_guest_job "gate-$which" qemu/guest/gate.sh

# The responder's request counter when the device was lent to vfio-pci,
# when it was still lent after a revalidate, an authenticate, a reset and a
# resume, and once it came back.
if [ "$which" = stock ]; then
	read -ra counts <<<"$(sed -n 's/^good status -> ok .* requests \([0-9]*\) .*/\1/p' "$run/control.log" 2>/dev/null | tr '\n' ' ')"
	if [ "${#counts[@]}" != 3 ]; then
		echo "not ok gate-$which: vfio-pci: responder counters read - ${#counts[@]} of 3 status replies"
	else
		name="vfio-pci: no SPDM request reached the device while vfio-pci owned it (${counts[0]}, then ${counts[1]})"
		[ "${counts[0]}" = "${counts[1]}" ] && echo "ok gate-$which: $name" || echo "not ok gate-$which: $name"
		name="vfio-pci: the device was talked to again once back (${counts[1]}, then ${counts[2]})"
		[ "${counts[2]}" -gt "${counts[1]}" ] && echo "ok gate-$which: $name" || echo "not ok gate-$which: $name"
	fi
fi
