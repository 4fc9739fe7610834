#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The module smoke test on the debug kernel (KASAN, KFENCE, kmemleak, lockdep).
exec "$(dirname "${BASH_SOURCE[0]}")/smoke.sh" debug
