#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Authentication at load on the debug kernel (KASAN, KFENCE, kmemleak, lockdep).
exec "$(dirname "${BASH_SOURCE[0]}")/kernel-auth.sh" debug
