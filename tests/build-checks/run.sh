#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Proves the module checks can fail: builds fixture modules that break the
# freestanding rules and expects scripts/check-module.sh to reject each with
# the right reason, then expects it to accept the real module.
# Prints one "ok"/"not ok" line per check.
#
# Usage: tests/build-checks/run.sh KDIR REAL_MODULE_OUTPUT_DIR
set -uo pipefail
kdir=$1
real_out=$2
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out_base=$top/build/build-checks

expect_rejected() {
	local fixture=$1 reason=$2 out=$out_base/$1 log
	rm -rf "$out" && mkdir -p "$out"
	# The fixture must build, so that it is our check that rejects it;
	# modpost only warns about the undefined symbol we plant on purpose.
	if ! make -C "$kdir" M="$top/tests/build-checks/$fixture" MO="$out" \
		$("$top/scripts/kernel-cc.sh" "$kdir") KBUILD_MODPOST_WARN=1 modules >"$out/build.log" 2>&1; then
		echo "not ok $fixture: fixture did not build (see $out/build.log)"
		return
	fi
	log=$("$top/scripts/check-module.sh" "$kdir" "$out" 2>&1)
	if [ $? -ne 0 ] && grep -q -- "$reason" <<<"$log"; then
		echo "ok $fixture: rejected ($reason)"
	else
		echo "not ok $fixture: check-module did not reject it for $reason: $log"
	fi
}

expect_rejected global_ctor ".init_array"
expect_rejected plain_new "_Znwm"

if "$top/scripts/check-module.sh" "$kdir" "$real_out" >/dev/null 2>&1; then
	echo "ok pci_cma_tsm: accepted"
else
	echo "not ok pci_cma_tsm: rejected by check-module"
fi

# No keyring: same-device checks compare with what user space approved, and
# the module must not reach for the kernel's key or certificate machinery.
keyring=$(nm -u "$real_out/pci_cma_tsm.ko" 2>/dev/null |
	grep -E ' U (key_|keyring_|request_key|lookup_user_key|verify_pkcs7|verify_signature|public_key_|asymmetric_|x509_|restrict_link)' |
	awk '{print $2}' | tr '\n' ' ')
if [ -f "$real_out/pci_cma_tsm.ko" ] && [ -z "$keyring" ]; then
	echo "ok pci_cma_tsm: uses no keyring or certificate API ($(nm -u "$real_out/pci_cma_tsm.ko" | wc -l) undefined symbols checked)"
else
	echo "not ok pci_cma_tsm: keyring or certificate API used: ${keyring:-no module}"
fi
