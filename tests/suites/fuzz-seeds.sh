#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Every fuzz target replayed over its seed corpus (fuzz/corpus) under ASan
# and UBSan: one result per seed; a crash fails the rest of the target.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if ! make -s host >&2; then
	echo "not ok fuzz-build - see the suite log"
	exit 0
fi
for target in messages der requester; do
	seeds=(fuzz/corpus/"$target"/*)
	if [ ! -e "${seeds[0]}" ]; then
		echo "not ok fuzz $target - empty corpus"
		continue
	fi
	out=$(build/host/fuzz/"$target" "${seeds[@]}" 2>&1)
	rc=$?
	echo "$out" | sed -n "s|^ok |ok fuzz $target |p"
	if [ $rc -ne 0 ]; then
		echo "not ok fuzz $target - replay crashed (exit $rc)"
		echo "$out" >&2
	fi
done
