#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The module builds for the stock kernel, and the section and symbol checks
# reject modules that break the freestanding rules.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
build_module_or_fail stock || exit 0
tests/build-checks/run.sh "$stock_kdir" "$(module_dir "$stock_kdir")"
