#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Makes the test PKI of the emulated SPDM devices with OpenSSL: per
# algorithm a root CA and an intermediate CA (the "vendor"), and per device
# identity a leaf certificate carrying the PCIe CMA Subject Alternative Name
# (PCIe r6.1 sec 6.31.3: otherName 2.23.147, a UTF8String
# "Vendor=vvvv:Device=dddd:CC=cccccc:REV=rr:SSVID=ssss:SSID=ssss").
#
# Every algorithm gets its own directory and keys, so a chain can never mix
# algorithms by accident.
#
# Usage: qemu/pki/make-pki.sh OUTDIR
# Output: OUTDIR/ALG/{root,inter}.{key,pem}, OUTDIR/ALG/IDENTITY/leaf.{key,pem},
#         OUTDIR/ALG/IDENTITY/chain.der (root, intermediate, leaf in DER)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$1
mkdir -p "$out"
# pki.cnf names CMA_SAN and LEAF_PADDING; only leaves give them values.
export CMA_SAN=unused
LEAF_PADDING=$(head -c 14336 /dev/zero | od -An -tx1 -v | tr -d ' \n')
export LEAF_PADDING

algorithms="ecdsa-p256 ecdsa-p384 ecdsa-p521 rsa2048 rsa3072 rsa4096 mldsa44 mldsa65 mldsa87"

# The identities the tests use: QEMU's nvme (1b36:0010, class 010802,
# revision 02, subsystem 1af4:1100), a second nvme with another key (the
# "swapped" device), one whose leaf carries 14 KiB of extension data (for
# a chain of about 16 KiB), the vfio-user TEE endpoint, and a leaf whose
# SAN names a different device.
identities="
nvme 1b36 0010 010802 02 1af4 1100
nvme-swapped 1b36 0010 010802 02 1af4 1100
nvme-large 1b36 0010 010802 02 1af4 1100
tee 1b36 0051 ff0000 01 1b36 0051
other-device 8086 1234 020000 01 8086 0001
"

genkey() {
	local alg=$1 key=$2
	case $alg in
	ecdsa-p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$key" ;;
	ecdsa-p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$key" ;;
	ecdsa-p521) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out "$key" ;;
	rsa*) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${alg#rsa}" -out "$key" ;;
	mldsa44) openssl genpkey -algorithm ML-DSA-44 -out "$key" ;;
	mldsa65) openssl genpkey -algorithm ML-DSA-65 -out "$key" ;;
	mldsa87) openssl genpkey -algorithm ML-DSA-87 -out "$key" ;;
	*) echo "make-pki: unknown algorithm $alg" >&2; exit 1 ;;
	esac 2>/dev/null
}

# The digest certificates are signed with; ML-DSA signs without one.
digest_opt() {
	case $1 in
	ecdsa-p384 | rsa3072) echo -sha384 ;;
	ecdsa-p521 | rsa4096) echo -sha512 ;;
	mldsa*) ;;
	*) echo -sha256 ;;
	esac
}

for alg in $algorithms; do
	dir=$out/$alg
	[ -f "$dir/.complete" ] && continue
	rm -rf "$dir" && mkdir -p "$dir"
	md=$(digest_opt "$alg")
	genkey "$alg" "$dir/root.key"
	openssl req -new -x509 -days 3650 $md -key "$dir/root.key" -out "$dir/root.pem" \
		-subj "/CN=pci-cma-tsm test root CA ($alg)" -config "$here/pki.cnf" -extensions root_ca
	genkey "$alg" "$dir/inter.key"
	openssl req -new $md -key "$dir/inter.key" -out "$dir/inter.csr" \
		-subj "/CN=pci-cma-tsm test intermediate CA ($alg)" -config "$here/pki.cnf"
	openssl x509 -req -days 3650 $md -in "$dir/inter.csr" -CA "$dir/root.pem" \
		-CAkey "$dir/root.key" -set_serial 2 -out "$dir/inter.pem" \
		-extfile "$here/pki.cnf" -extensions intermediate_ca 2>/dev/null
	while read -r name vendor device cc rev ssvid ssid; do
		[ -n "$name" ] || continue
		leaf=$dir/$name
		mkdir -p "$leaf"
		genkey "$alg" "$leaf/leaf.key"
		openssl req -new $md -key "$leaf/leaf.key" -out "$leaf/leaf.csr" \
			-subj "/CN=pci-cma-tsm test device $name ($alg)" -config "$here/pki.cnf"
		CMA_SAN="Vendor=$vendor:Device=$device:CC=$cc:REV=$rev:SSVID=$ssvid:SSID=$ssid" \
			openssl x509 -req -days 3650 $md -in "$leaf/leaf.csr" -CA "$dir/inter.pem" \
			-CAkey "$dir/inter.key" -set_serial "0x$(openssl rand -hex 8)" \
			-out "$leaf/leaf.pem" -extfile "$here/pki.cnf" \
			-extensions "$([ "$name" = nvme-large ] && echo device_leaf_large || echo device_leaf)" 2>/dev/null
		for cert in "$dir/root.pem" "$dir/inter.pem" "$leaf/leaf.pem"; do
			openssl x509 -in "$cert" -outform DER
		done >"$leaf/chain.der"
		rm -f "$leaf/leaf.csr"
	done <<<"$identities"
	rm -f "$dir/inter.csr"
	touch "$dir/.complete"
done
