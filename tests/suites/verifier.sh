#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The user-space verifier (cmactl) against the module over netlink, in QEMU
# on Debian's stock kernel: the full approve-then-bind flow, every refusal
# reason, privileges, malformed requests and a read racing a
# re-authentication. The guest job (qemu/guest/verifier.sh) judges.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
. qemu/lib.sh

suite_guest_setup verifier stock 400 400 || exit 0

# name | responder options; device i sits on bus i+1.
devices=(
	"good|--alg ecdsa-p384"
	"other|--alg ecdsa-p384 --identity other-device"
	"huge|--alg ecdsa-p384 --identity nvme-huge"
	"badsig|--alg ecdsa-p384 --fault measurements-bad-signature"
)
args=()
for i in "${!devices[@]}"; do
	IFS='|' read -r name options <<<"${devices[$i]}"
	# shellcheck disable=SC2086
	port=$(qemu_start_responder "$name" $options) || { echo "not ok verifier: responder $name starts"; exit 0; }
	read -ra more <<<"$(qemu_nvme_cma_args "$i" "$port" | tr '\n' ' ')"
	args+=("${more[@]}")
done

# The stock kernel's nvme driver, for binding after approval.
modules=()
for m in common/nvme-keyring common/nvme-auth host/nvme-core host/nvme; do
	xz -dc "/lib/modules/$stock_kver/kernel/drivers/nvme/$m.ko.xz" >"$run/$(basename "$m").ko"
	modules+=("$run/$(basename "$m").ko=/lib/modules/extra/$(basename "$m").ko")
done
qemu/initramfs.sh "$run/initrd" qemu/guest/verifier.sh \
	"$(module_dir "$kdir")/pci_cma_tsm.ko=/lib/modules/extra/pci_cma_tsm.ko" "${modules[@]}" \
	build/host/guest/cmactl=/test/bin/cmactl build/host/guest/netlink-probe=/test/bin/netlink-probe \
	build/host/pki/ecdsa-p384/root.pem=/test/pki/ecdsa-p384/root.pem \
	build/host/pki/rsa3072/root.pem=/test/pki/rsa3072/root.pem >&2
qemu_boot "$kernel" "$run/initrd" "$run/console.log" "$timeout" "${args[@]}"
rc=$?
cat "$run/console.log" >&2
qemu_results "$run/console.log" | sed 's/^\(ok\|not ok\|skip\) /\1 verifier: /'
[ "$rc" = 0 ] || echo "not ok verifier: guest job - status $rc"
