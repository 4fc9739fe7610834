#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The stress suite on the debug kernel (KASAN, KFENCE, kmemleak, lockdep).
exec "$(dirname "${BASH_SOURCE[0]}")/stress.sh" debug
