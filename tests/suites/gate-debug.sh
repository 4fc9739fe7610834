#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The gate on the debug kernel (KASAN, KFENCE, kmemleak, lockdep).
exec "$(dirname "${BASH_SOURCE[0]}")/gate.sh" debug
