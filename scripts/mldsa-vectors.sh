#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Writes kunit/mldsa_vectors.h: for ML-DSA-44, -65 and -87, a public key
# (raw, as the kernel's crypto_sig takes it), and two signatures made with
# OpenSSL over the message an SPDM 1.4 responder signs for CHALLENGE_AUTH
# (the 100-byte signing prefix and a SHA-384 transcript hash): one with
# the FIPS 204 context string SPDM uses, one with the empty context. The
# KUnit cases check what the kernel's verifier and the module's make of
# each.
#
# Usage: scripts/mldsa-vectors.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ -n "${PCI_CMA_IN_ROOT:-}" ] || exec "$here/in-root.sh" "$here/mldsa-vectors.sh" "$@"
cd "$here/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
context="responder-challenge_auth signing"
{
	for _ in 1 2 3 4; do printf 'dmtf-spdm-v1.4.*'; done
	head -c $((36 - ${#context})) /dev/zero
	printf '%s' "$context"
	printf 'pci-cma-tsm transcript' | openssl dgst -sha384 -binary
} >"$work/message"
for level in 44 65 87; do
	openssl genpkey -algorithm "ML-DSA-$level" -out "$work/key$level.pem" 2>/dev/null
	# The raw key is the SubjectPublicKeyInfo less its 22-byte DER head.
	size=$(openssl pkey -in "$work/key$level.pem" -pubout -outform DER | wc -c)
	openssl pkey -in "$work/key$level.pem" -pubout -outform DER | tail -c $((size - 22)) >"$work/pk$level"
	openssl pkeyutl -sign -rawin -inkey "$work/key$level.pem" -in "$work/message" \
		-pkeyopt "context-string:$context" -out "$work/sig_context$level"
	openssl pkeyutl -sign -rawin -inkey "$work/key$level.pem" -in "$work/message" -out "$work/sig_empty$level"
	# OpenSSL checks both before they are written down.
	openssl pkeyutl -verify -rawin -inkey "$work/key$level.pem" -in "$work/message" \
		-pkeyopt "context-string:$context" -sigfile "$work/sig_context$level" >/dev/null
	openssl pkeyutl -verify -rawin -inkey "$work/key$level.pem" -in "$work/message" \
		-sigfile "$work/sig_empty$level" >/dev/null
done
c_array() {
	echo "static const u8 $1[] = {"
	od -An -v -tx1 -w12 "$2" | sed 's/ \([0-9a-f][0-9a-f]\)/ 0x\1,/g; s/^ /\t/; s/,$/,/'
	echo "};"
	echo
}
{
	cat <<'HEAD'
/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ML-DSA-44, -65 and -87 vectors made with OpenSSL by
 * scripts/mldsa-vectors.sh: the message an SPDM 1.4 responder signs for
 * CHALLENGE_AUTH and, per parameter set, a raw public key and its
 * signatures over the message with SPDM's context string and with the
 * empty one.
 */
#ifndef PCI_CMA_MLDSA_VECTORS_H
#define PCI_CMA_MLDSA_VECTORS_H

#include <linux/types.h>

#define KAT_MLDSA_CONTEXT "responder-challenge_auth signing"

HEAD
	c_array kat_mldsa_message "$work/message"
	for level in 44 65 87; do
		c_array "kat_mldsa${level}_pk" "$work/pk$level"
		c_array "kat_mldsa${level}_sig_spdm_context" "$work/sig_context$level"
		c_array "kat_mldsa${level}_sig_empty_context" "$work/sig_empty$level"
	done
	echo "#endif"
} >kunit/mldsa_vectors.h
echo "wrote kunit/mldsa_vectors.h" >&2
