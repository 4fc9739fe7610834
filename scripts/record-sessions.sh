#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Records real SPDM sessions between the host requester and the emulated
# responder, with a fixed verifier nonce so the requests are the ones the
# module sends, and writes them as kunit/session_vectors.h for the KUnit
# replay suite.
# Signatures are randomised, so each run writes different vectors; the
# committed header is one such recording.
#
# Usage: scripts/record-sessions.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ -n "${PCI_CMA_IN_ROOT:-}" ] || exec "$here/in-root.sh" "$here/record-sessions.sh" "$@"
cd "$here/.."
make -s host >&2
run=$(mktemp -d)
trap 'kill $(cat "$run"/pids 2>/dev/null) 2>/dev/null || true; rm -rf "$run"' EXIT
nonce=$(seq 0 39 | awk '{ printf "%02x", $1 }')

# name | responder options: every version, each signature family, SHA-3.
sessions=(
	"ecdsa_p256_v10|--alg ecdsa-p256 --versions 1.0"
	"rsassa2048_v11|--alg rsa2048 --asym 0x1 --versions 1.0,1.1"
	"rsapss3072_v12|--alg rsa3072 --asym 0x8 --versions 1.0,1.1,1.2"
	"ecdsa_p384_v13|--alg ecdsa-p384 --versions 1.0,1.1,1.2,1.3"
	"ecdsa_p521_v14|--alg ecdsa-p521 --versions 1.2,1.3,1.4"
	"ecdsa_p256_sha3_256_v13|--alg ecdsa-p256 --hash sha3-256 --versions 1.3"
	"rsassa3072_sha3_384_v14|--alg rsa3072 --asym 0x4 --hash sha3-384"
	"rsapss2048_sha3_512_v12|--alg rsa2048 --asym 0x2 --hash sha3-512 --versions 1.2"
	"mldsa44_v14|--alg mldsa44"
)
records=()
for session in "${sessions[@]}"; do
	name=${session%%|*}
	build/host/spdm-responder --pki build/host/pki ${session#*|} \
		--port 0 --port-file "$run/port" >/dev/null &
	echo $! >>"$run/pids"
	for _ in $(seq 100); do [ -s "$run/port" ] && break; sleep 0.05; done
	build/host/spdm-requester --port "$(cat "$run/port")" --nonce "$nonce" \
		--record "$run/$name.bin" >&2
	rm -f "$run/port"
	records+=("$name=$run/$name.bin")
done
python3 scripts/session-vectors.py "$nonce" "${records[@]}" >kunit/session_vectors.h
echo "wrote kunit/session_vectors.h (${#records[@]} sessions)" >&2
