#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The requester engine, with OpenSSL, against the responder process over the
# socket in DOE framing: every version and algorithm authenticates; every
# fault that breaks authentication ends in an error naming message and field.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. tests/suites/lib.sh
if ! make -s host >&2; then
	echo "not ok requester-build - see the suite log"
	exit 0
fi
run_gtest requester build/host/requester_tests
