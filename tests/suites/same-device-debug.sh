#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Same-device checks on the debug kernel (KASAN, kmemleak, lockdep).
exec "$(dirname "${BASH_SOURCE[0]}")/same-device.sh" debug
