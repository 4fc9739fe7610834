#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Same-device checks on Debian's stock kernel.
exec "$(dirname "${BASH_SOURCE[0]}")/same-device.sh" stock
