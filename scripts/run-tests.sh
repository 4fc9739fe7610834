#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the test suites (all of them, or the ones named) inside the build
# root. Each suite in tests/suites/ prints result lines ("ok NAME",
# "not ok NAME - why", "skip NAME - why") to build/test-results/SUITE.results
# and its diagnostics to SUITE.log; the last line sums every suite:
# "N passed, N failed, N skipped".
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
results=$top/build/test-results
rm -rf "$results"
mkdir -p "$results"

all_suites=(host fuzz-seeds libfuzzer responder requester build-checks checkpatch dkms packages harness devices smoke-stock kernel-auth-stock smoke-sid kernel-auth-sid verifier agent attestation ynl-cli same-device-stock gate-stock kunit smoke-debug detector-debug kernel-auth-debug same-device-debug gate-debug stress-debug)
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=("${all_suites[@]}")

for suite in "${suites[@]}"; do
	script=tests/suites/$suite.sh
	start=$(date +%s)
	echo "==> $suite" >&2
	if [ ! -x "$script" ]; then
		echo "not ok $suite - no such suite" >"$results/$suite.results"
		continue
	fi
	PCI_CMA_RESULTS=$results "$script" >"$results/$suite.results" 2>"$results/$suite.log"
	rc=$?
	if ! grep -qE '^(ok|not ok|skip) ' "$results/$suite.results"; then
		echo "not ok $suite - reported no results (exit $rc, see $results/$suite.log)" >>"$results/$suite.results"
	fi
	echo "    $(grep -c '^ok ' "$results/$suite.results") passed, $(grep -c '^not ok ' "$results/$suite.results") failed, $(grep -c '^skip ' "$results/$suite.results") skipped in $(($(date +%s) - start)) s" >&2
done

python3 scripts/results.py summary "$results" | tee "$results/summary"
exit "${PIPESTATUS[0]}"
