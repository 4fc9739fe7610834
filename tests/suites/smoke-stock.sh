#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The module smoke test on Debian's stock kernel.
exec "$(dirname "${BASH_SOURCE[0]}")/smoke.sh" stock
