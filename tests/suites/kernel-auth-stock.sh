#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Authentication at load on Debian's stock kernel.
exec "$(dirname "${BASH_SOURCE[0]}")/kernel-auth.sh" stock
