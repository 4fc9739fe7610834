#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# cmactl agent as an operator runs it, in QEMU on Debian's stock kernel:
# the guest's init starts a syslog daemon, loads the module with
# gate=approved and the nvme driver, then starts the agent with a policy
# and anchors in /etc/pci-cma (qemu/guest/agent/services). Three nvme
# functions with responders (one the policy passes, one under another
# vendor's root, one whose firmware version is not the reference value)
# and a vfio-user TEE endpoint; the host changes a device when the guest
# asks (qemu_serve_control). The guest job (qemu/guest/agent.sh) judges.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
. qemu/lib.sh

suite_guest_setup agent stock 900 900 || exit 0

# Device i sits on bus i+1 (qemu/guest/agent/policy.conf names places).
args=()
add_devices agent good anchor firmware || exit 0

files=("$(module_dir "$kdir")/pci_cma_tsm.ko=/lib/modules/extra/pci_cma_tsm.ko"
	build/host/guest/cmactl=/test/bin/cmactl
	build/host/pki/ecdsa-p384/root.pem=/test/pki/ecdsa-p384/root.pem
	build/host/pki/ecdsa-p384/root.pem=/etc/pci-cma/anchors.d/vendor.pem
	build/host/pki/rsa3072/root.pem=/etc/pci-cma/anchors.d/other.pem
	qemu/guest/agent/policy.conf=/etc/pci-cma/policy.conf)
for f in qemu/guest/agent/services/*; do
	files+=("$f=/etc/rc.d/$(basename "$f")")
done
add_kernel_modules drivers/nvme/common/nvme-keyring drivers/nvme/common/nvme-auth \
	drivers/nvme/host/nvme-core drivers/nvme/host/nvme
start=$(date +%s)
run_guest_job agent qemu/guest/agent.sh
echo "agent: the guest job took $(($(date +%s) - start)) s" >&2
