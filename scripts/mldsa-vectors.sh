#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Writes kunit/mldsa_vectors.h: an ML-DSA-44 public key (raw, as the
# kernel's crypto_sig takes it), the message an SPDM 1.4 responder signs for
# CHALLENGE_AUTH (the 100-byte signing prefix and a SHA-384 transcript
# hash), and two signatures over it made with OpenSSL: one with the FIPS 204
# context string SPDM uses, one with the empty context. The KUnit case shows
# which of the two the kernel can verify.
#
# Usage: scripts/mldsa-vectors.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ -n "${PCI_CMA_IN_ROOT:-}" ] || exec "$here/in-root.sh" "$here/mldsa-vectors.sh" "$@"
cd "$here/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
context="responder-challenge_auth signing"
openssl genpkey -algorithm ML-DSA-44 -out "$work/key.pem" 2>/dev/null
# The raw key is the SubjectPublicKeyInfo less its 22-byte DER head.
openssl pkey -in "$work/key.pem" -pubout -outform DER | tail -c 1312 >"$work/pk"
{
	for _ in 1 2 3 4; do printf 'dmtf-spdm-v1.4.*'; done
	head -c $((36 - ${#context})) /dev/zero
	printf '%s' "$context"
	printf 'pci-cma-tsm transcript' | openssl dgst -sha384 -binary
} >"$work/message"
openssl pkeyutl -sign -rawin -inkey "$work/key.pem" -in "$work/message" \
	-pkeyopt "context-string:$context" -out "$work/sig_context"
openssl pkeyutl -sign -rawin -inkey "$work/key.pem" -in "$work/message" -out "$work/sig_empty"
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
 * ML-DSA-44 vectors made with OpenSSL by scripts/mldsa-vectors.sh: a raw
 * public key, the message an SPDM 1.4 responder signs for CHALLENGE_AUTH,
 * and its signature with SPDM's context string and with the empty one.
 */
#ifndef PCI_CMA_MLDSA_VECTORS_H
#define PCI_CMA_MLDSA_VECTORS_H

#include <linux/types.h>

HEAD
	c_array kat_mldsa44_pk "$work/pk"
	c_array kat_mldsa44_message "$work/message"
	c_array kat_mldsa44_sig_spdm_context "$work/sig_context"
	c_array kat_mldsa44_sig_empty_context "$work/sig_empty"
	echo "#endif"
} >kunit/mldsa_vectors.h
echo "wrote kunit/mldsa_vectors.h" >&2
