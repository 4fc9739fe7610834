#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host unit tests of the engine (GoogleTest, ASan + UBSan).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
if ! make -s host >&2; then
	echo "not ok host-build - see the suite log"
	exit 0
fi
run_gtest host build/host/engine_tests

# The exit-status check above must fail on what it guards: a program whose
# one test passes but which leaks 64 bytes is reported, with LeakSanitizer's
# report, through run_gtest's exit line alone.
echo "== leak fixture: the leak report below is expected ==" >&2
fixture=$(run_gtest leak-fixture build/host/fixtures/leak)
echo "$fixture" >&2
if grep -q '^ok LeakFixture\.PassesAndLeaks64Bytes$' <<<"$fixture" &&
	grep -q '^not ok leak-fixture-exit - exit [1-9][0-9]*: ERROR: LeakSanitizer: detected memory leaks; SUMMARY: AddressSanitizer: 64 byte(s) leaked' <<<"$fixture"; then
	echo "ok host-exit-detects-leak: a passing test that leaks 64 bytes fails its binary's exit check"
else
	echo "not ok host-exit-detects-leak - the leak fixture gave: $(tr '\n' ' ' <<<"$fixture")"
fi
