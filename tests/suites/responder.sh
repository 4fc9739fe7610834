#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The emulated SPDM responder as a real process on loopback: every version,
# algorithm and hash, every fault of the catalogue, the spec's error
# answers, the socket commands and the control channel.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
if ! make -s host >&2; then
	echo "not ok responder-build - see the suite log"
	exit 0
fi
run_gtest responder build/host/responder_tests
