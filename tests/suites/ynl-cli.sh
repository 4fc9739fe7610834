#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's own YNL client (tools/net/ynl/pyynl/cli.py from the build
# root's linux-source) against the module, in QEMU on Debian's stock
# kernel, with only the spec this repository ships: a generic netlink tool
# that knows nothing of the module dumps its devices and evidence. The
# guest has no Python of its own, so the build root's goes into the
# initramfs. The guest job (qemu/guest/ynl-cli.sh) judges.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
. qemu/lib.sh

if ! make -s host >&2; then
	echo "not ok ynl-cli: host-build - see the suite log"
	exit 0
fi
build_module_or_fail stock >/dev/null || { echo "not ok ynl-cli: module-build"; exit 0; }
src=$(ls -d /usr/src/linux-source-*/ 2>/dev/null | head -n1)
pyynl=${src}tools/net/ynl/pyynl
if [ ! -f "$pyynl/cli.py" ]; then
	echo "not ok ynl-cli: cli.py in the build root's linux-source - not found"
	exit 0
fi
run=$PWD/build/qemu/ynl-cli
rm -rf "$run"
qemu_init "$run"

port=$(qemu_start_responder good --alg ecdsa-p384) || { echo "not ok ynl-cli: responder starts"; exit 0; }
read -ra args <<<"$(qemu_nvme_cma_args 0 "$port" | tr '\n' ' ')"

# What cli.py imports beyond the standard library: PyYAML, and jsonschema
# with its dependencies to validate the spec against the genetlink schema.
if ! pairs=$(qemu/python-initramfs.sh "$run/python" yaml jsonschema jsonschema_specifications \
	referencing rpds attrs attr); then
	echo "not ok ynl-cli: python staged for the guest - see the suite log"
	exit 0
fi
mapfile -t python <<<"$pairs"
# cli.py and its library, without bytecode; the spec and the schema in the
# kernel tree's layout, where cli.py looks for the schema.
mkdir -p "$run/pyynl"
cp "$pyynl/cli.py" "$run/pyynl/"
tar -C "$pyynl" -cf - --exclude=__pycache__ lib | tar -C "$run/pyynl" -xf -
qemu/initramfs.sh "$run/initrd" qemu/guest/ynl-cli.sh \
	"$(module_dir "$kdir")/pci_cma_tsm.ko=/lib/modules/extra/pci_cma_tsm.ko" "${python[@]}" \
	"$run/pyynl=/ynl/tools/net/ynl/pyynl" \
	"Documentation/netlink/specs/pci-cma.yaml=/ynl/Documentation/netlink/specs/pci-cma.yaml" \
	"${src}Documentation/netlink/genetlink.yaml=/ynl/Documentation/netlink/genetlink.yaml" >&2 ||
	{ echo "not ok ynl-cli: initramfs built"; exit 0; }
echo "ynl-cli: initramfs $(($(gzip -dc "$run/initrd" | wc -c) / 1024)) KiB, $(($(stat -c %s "$run/initrd") / 1024)) KiB compressed" >&2

qemu_boot "$stock_kernel" "$run/initrd" "$run/console.log" 700 "${args[@]}"
rc=$?
cat "$run/console.log" >&2
qemu_results "$run/console.log" | sed 's/^\(ok\|not ok\|skip\) /\1 ynl-cli: /'
[ "$rc" = 0 ] || echo "not ok ynl-cli: guest job - status $rc"
