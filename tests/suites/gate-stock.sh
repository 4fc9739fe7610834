#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The gate on Debian's stock kernel.
exec "$(dirname "${BASH_SOURCE[0]}")/gate.sh" stock
