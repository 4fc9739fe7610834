#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The module smoke test on Debian sid's kernel, the module built by its gcc.
exec "$(dirname "${BASH_SOURCE[0]}")/smoke.sh" sid
