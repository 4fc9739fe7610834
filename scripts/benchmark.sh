#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark of the requester engine against the emulated responder on the
# host: per flow (full authentication, same-device check) and chain size
# (about 1, 4 and 16 KiB; ML-DSA-44 and -87 chains for the cost of PQC
# signatures), the exchanges and bytes each way, the fewest
# exchanges the transfer size allows, and the host time (median of runs).
# Counts are the result; times are indications (ASan build, loopback).
# Then the cost of one signature verification (build/host/verify-bench,
# optimised, no sanitizers): the engine's ML-DSA-44/65/87, which the module
# runs over the kernel's SHAKE, next to ECDSA P-384 and OpenSSL's ML-DSA,
# with the SHAKE calls and bytes one ML-DSA verification takes.
#
# Usage: scripts/benchmark.sh [RUNS]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ -n "${PCI_CMA_IN_ROOT:-}" ] || exec "$here/in-root.sh" "$here/benchmark.sh" "$@"
cd "$here/.."
runs=${1:-5}
make -s host >&2
dts=4096
run=$(mktemp -d)
trap 'kill $(cat "$run"/pids 2>/dev/null) 2>/dev/null || true; rm -rf "$run"' EXIT

printf '%-22s %-6s %9s %9s %9s %10s %11s %9s\n' chain flow exchanges minimum sent received cert-bytes ms
for spec in "ecdsa-p256 nvme" "rsa4096 nvme" "ecdsa-p256 nvme-large" "mldsa44 nvme" "mldsa87 nvme"; do
	set -- $spec
	build/host/spdm-responder --pki build/host/pki --alg "$1" --identity "$2" --persist \
		--port 0 --port-file "$run/port" >/dev/null &
	echo $! >>"$run/pids"
	for _ in $(seq 100); do [ -s "$run/port" ] && break; sleep 0.05; done
	port=$(cat "$run/port")
	rm -f "$run/port"
	for i in $(seq "$runs"); do
		build/host/spdm-requester --port "$port" --json --check-same-device --data-transfer-size "$dts"
	done >"$run/results"
	python3 - "$run/results" "$1/$2" "$dts" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
chain, dts = sys.argv[2], int(sys.argv[3])
first = rows[0]
assert all(r["authenticated"] and r["same_device"]["same"] for r in rows), "a run failed"
chain_bytes = first["chain_bytes"]
# VCA 3 + DIGESTS + CHALLENGE + MEASUREMENTS, plus the chain in portions
# of at most DataTransferSize - 8 bytes, plus for each response larger than
# DataTransferSize (ML-DSA-87's signatures) the fewest CHUNK_GETs its size
# allows (the request answered with ERROR LargeResponse is already counted).
def chunking(r):
    return r["fewest_chunk_gets"]
minimum = 6 + -(-chain_bytes // (dts - 8)) + chunking(first)
label = f"{chain} ({chain_bytes} B)"
def ms(key):
    return statistics.median(r[key] if key == "milliseconds" else r["same_device"]["milliseconds"] for r in rows)
print(f"{label:<22} {'full':<6} {first['exchanges']:>9} {minimum:>9} {first['bytes_sent']:>9} "
      f"{first['bytes_received']:>10} {first['certificate_bytes']:>11} {ms('milliseconds'):>9.1f}")
s = first["same_device"]
# The same-device check at the protocol floor: VCA 3 + CHALLENGE, whose
# summary hash matches, plus CHUNK_GETs for a CHALLENGE_AUTH larger than
# DataTransferSize.
print(f"{'':<22} {'same':<6} {s['exchanges']:>9} {4 + chunking(s):>9} {s['bytes_sent']:>9} {s['bytes_received']:>10} "
      f"{s['certificate_bytes']:>11} {ms('same'):>9.1f}")
print(f"{'':<22} ratio  same/full: exchanges {s['exchanges'] / first['exchanges']:.2f}, "
      f"bytes received {s['bytes_received'] / first['bytes_received']:.2f}")
PY
done
echo
build/host/verify-bench build/host/pki
