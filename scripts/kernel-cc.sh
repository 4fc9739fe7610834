#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Prints "CC=<compiler>" for the C compiler a kernel tree was built with, as
# its config records it, or nothing when the config does not say. A tree
# built here names gcc-14, and the build root has no plain "gcc".
# Usage: scripts/kernel-cc.sh KDIR
cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\) .*/\1/p' "$1/.config" 2>/dev/null)
[ -n "$cc" ] && command -v "$cc" >/dev/null && echo "CC=$cc"
exit 0
