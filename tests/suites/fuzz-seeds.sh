#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Every fuzz target replayed over its seed corpus (fuzz/corpus) under ASan
# and UBSan: one result per seed, each seed in a process of its own, so a
# crash or a leak fails that seed and the rest still run.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if ! make -s host >&2; then
	echo "not ok fuzz-build - see the suite log"
	exit 0
fi

# replay_results TARGET BINARY SEED...: the replay's result lines, named
# "fuzz TARGET SEED", then a failure if the replay did not report every
# seed exactly once (it died itself) or exited non-zero with none failed.
replay_results() {
	local target=$1 binary=$2 out rc results
	shift 2
	out=$("$binary" "$@")
	rc=$?
	results=$(grep -E '^(ok|not ok) ' <<<"$out")
	[ -z "$results" ] || sed -E "s/^(ok|not ok) /\1 fuzz $target /" <<<"$results"
	if [ "$(grep -c . <<<"$results")" != $# ]; then
		echo "not ok fuzz $target - $# seeds, $(grep -c . <<<"$results") results (exit $rc)"
	elif [ "$rc" != 0 ] && ! grep -q '^not ok ' <<<"$results"; then
		echo "not ok fuzz $target - replay exited $rc with every seed passed"
	fi
}

for target in messages der requester mldsa; do
	seeds=(fuzz/corpus/"$target"/*)
	if [ ! -e "${seeds[0]}" ]; then
		echo "not ok fuzz $target - empty corpus"
		continue
	fi
	replay_results "$target" build/host/fuzz/"$target" "${seeds[@]}"
done

# The checks above must fail on what they guard. A target that crashes on
# one seed and leaks on another fails exactly those two, and the seed after
# the crash still runs; a replay that reports nothing is caught by the count.
fixture=$(mktemp -d)
printf 'fine' >"$fixture/1-fine"
printf 'crash' >"$fixture/2-crash"
printf 'leak' >"$fixture/3-leak"
printf 'fine' >"$fixture/4-fine"
echo "== crash fixture: the reports below are expected ==" >&2
got=$(replay_results fixture build/host/fixtures/fuzz-crash "$fixture"/*)
echo "$got" >&2
want="^ok fuzz fixture $fixture/1-fine\$
^not ok fuzz fixture $fixture/2-crash - exit [1-9][0-9]*: .*(ERROR: AddressSanitizer: SEGV|runtime error: load of null pointer)
^not ok fuzz fixture $fixture/3-leak - exit [1-9][0-9]*: ERROR: LeakSanitizer: detected memory leaks\$
^ok fuzz fixture $fixture/4-fine\$"
matched=0
while read -r pattern; do
	grep -qE "$pattern" <<<"$got" && matched=$((matched + 1))
done <<<"$want"
if [ "$matched" = 4 ] && [ "$(grep -c . <<<"$got")" = 4 ]; then
	echo "ok fuzz replay fails a crashing and a leaking seed, and runs the seeds after them"
else
	echo "not ok fuzz replay fails a crashing and a leaking seed, and runs the seeds after them - got: $(tr '\n' ' ' <<<"$got")"
fi
got=$(replay_results fixture true "$fixture"/*)
if [ "$got" = "not ok fuzz fixture - 4 seeds, 0 results (exit 0)" ]; then
	echo "ok fuzz replay that reports no seed fails the seed count"
else
	echo "not ok fuzz replay that reports no seed fails the seed count - got: $(tr '\n' ' ' <<<"$got")"
fi
rm -rf "$fixture"
