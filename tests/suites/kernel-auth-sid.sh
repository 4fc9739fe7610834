#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Authentication at load on Debian sid's kernel, the module built by its gcc.
exec "$(dirname "${BASH_SOURCE[0]}")/kernel-auth.sh" sid
