#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host unit tests of the engine (GoogleTest, ASan + UBSan).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if ! make -s host >&2; then
	echo "not ok host-build - see the suite log"
	exit 0
fi
json=$PCI_CMA_RESULTS/host-gtest.json
build/host/engine_tests --gtest_output="json:$json" >&2
python3 scripts/results.py gtest "$json"
