#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# libFuzzer over every fuzz target under ASan and UBSan, a fixed number of
# inputs from a fixed seed (see scripts/fuzz.sh), so a failure reproduces.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if ! make -s host >&2; then
	echo "not ok libfuzzer-build - see the suite log"
	exit 0
fi
scripts/fuzz.sh 500000 1 messages der requester
# An ML-DSA verification costs as much as thousands of message parses.
scripts/fuzz.sh 20000 1 mldsa
