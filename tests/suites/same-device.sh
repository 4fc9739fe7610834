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
mkdir -p "$run/kmod"
if ! make -C "$kdir" M="$PWD/tests/kmod" MO="$run/kmod" $(scripts/kernel-cc.sh "$kdir") modules >&2; then
	echo "not ok same-device-$which: test driver build - see the suite log"
	exit 0
fi
files=("$(module_dir "$kdir")/pci_cma_tsm.ko=/lib/modules/extra/pci_cma_tsm.ko"
	"$run/kmod/pm_notifier_driver.ko=/lib/modules/extra/pm_notifier_driver.ko"
	build/host/guest/cmactl=/test/bin/cmactl
	build/host/pki/ecdsa-p384/root.pem=/test/pki/ecdsa-p384/root.pem)
# On the stock kernel the nvme driver shows that a changed device loses it.
if [ "$which" = stock ]; then
	for m in common/nvme-keyring common/nvme-auth host/nvme-core host/nvme; do
		xz -dc "/lib/modules/$stock_kver/kernel/drivers/nvme/$m.ko.xz" >"$run/$(basename "$m").ko"
		files+=("$run/$(basename "$m").ko=/lib/modules/extra/$(basename "$m").ko")
	done
fi
qemu/initramfs.sh "$run/initrd" qemu/guest/same-device.sh "${files[@]}" >&2
: >"$run/console.log"
qemu_serve_control "$run/console.log"
qemu_boot "$kernel" "$run/initrd" "$run/console.log" "$timeout" "${args[@]}"
rc=$?
cat "$run/console.log" >&2
cat "$run/control.log" >&2 2>/dev/null
qemu_results "$run/console.log" | sed "s/^\(ok\|not ok\|skip\) /\1 same-device-$which: /"
[ "$rc" = 0 ] || echo "not ok same-device-$which: guest job - status $rc"
