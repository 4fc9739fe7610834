#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Kernel coding style on the C glue: checkpatch.pl --strict, file by file.
cd "$(dirname "${BASH_SOURCE[0]}")/../.." && scripts/checkpatch.sh
exit 0
