#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the libFuzzer builds of the fuzz targets, each for RUNS inputs from
# SEED, starting from the committed seed corpus. New inputs go to a working
# corpus under build/, never into fuzz/corpus. Prints one result line per
# target with the executions and coverage reached; a crash keeps its input
# under build/fuzz/TARGET/ and prints the command that reproduces it.
#
# Usage: scripts/fuzz.sh RUNS SEED TARGET...
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=$1 seed=$2
shift 2
for target in "$@"; do
	work=build/fuzz/$target
	rm -rf "$work" && mkdir -p "$work/corpus"
	cp fuzz/corpus/"$target"/* "$work/corpus/"
	log=$work/fuzz.log
	# One process, no forking: -runs and -seed make the run reproducible.
	build/host/libfuzzer/"$target" -runs="$runs" -seed="$seed" -max_len=70000 \
		-artifact_prefix="$work/" -print_final_stats=1 "$work/corpus" >"$log" 2>&1
	rc=$?
	stats=$(awk '/^stat::number_of_executed_units:/ { e = $2 }
		/^stat::peak_rss_mb:/ { m = $2 }
		/ cov: / { for (i = 1; i < NF; i++) if ($i == "cov:") c = $(i + 1) }
		END { printf "%s inputs, %s coverage points, %s MiB peak", e, c, m }' "$log")
	if [ $rc -eq 0 ]; then
		echo "ok libfuzzer $target - $stats"
	else
		crash=$(ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null | head -n1)
		echo "not ok libfuzzer $target - exit $rc; reproduce: build/host/libfuzzer/$target ${crash:-(no artifact)}"
		tail -n 40 "$log" >&2
	fi
done
