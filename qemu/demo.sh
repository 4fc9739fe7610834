#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: boots Debian's stock kernel in QEMU with an nvme function
# whose DOE mailbox reaches an emulated SPDM responder and a vfio-user
# TSM-capable endpoint, loads the module and walks through what happens.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. tests/suites/lib.sh
. qemu/lib.sh

out=$(module_dir "$stock_kdir")
run=$PWD/build/qemu/demo
rm -rf "$run"
qemu_init "$run"
port=$(qemu_start_responder nvme0 --alg ecdsa-p384 --identity nvme) || exit 1
qemu_start_vfio_device tee0 --alg ecdsa-p256 --identity tee --ide || exit 1
mapfile -t devices < <(qemu_nvme_cma_args 0 "$port"; qemu_vfio_device_args 0 "$run/tee0.sock")
args=()
for line in "${devices[@]}"; do
	read -ra words <<<"$line"
	args+=("${words[@]}")
done
# The verifier trusts the two vendors' roots, and nothing else.
cat build/host/pki/ecdsa-p384/root.pem build/host/pki/ecdsa-p256/root.pem >"$run/anchors.pem"
qemu/initramfs.sh "$run/initrd" qemu/guest/demo.sh \
	"$out/pci_cma_tsm.ko=/lib/modules/extra/pci_cma_tsm.ko" \
	build/host/guest/doe-exchange=/bin/doe-exchange build/host/guest/cmactl=/bin/cmactl \
	"$run/anchors.pem=/etc/pci-cma/anchors.pem"
echo "Devices: nvme (CMA-only, responder on 127.0.0.1:$port) and a vfio-user TEE endpoint"
echo "Booting Debian's $stock_kver kernel in QEMU (q35, $(qemu_accel "$stock_kernel"))..."
qemu_boot "$stock_kernel" "$run/initrd" "$run/console.log" 180 "${args[@]}"
rc=$?
sed -n 's/^.*DEMO: //p' "$run/console.log" | tr -d '\r'
echo
echo "What the nvme device's responder saw (from $run/nvme0.exchange.log):"
grep -E '^[0-9.]+ (->|<-)' "$run/nvme0.exchange.log" | cut -d' ' -f2- | sed 's/^/  /'
case $rc in
0) echo "Demo finished (console log: $run/console.log)" ;;
124) echo "Demo timed out (console log: $run/console.log)"; exit 1 ;;
*) echo "Demo failed with status $rc (console log: $run/console.log)"; exit 1 ;;
esac
