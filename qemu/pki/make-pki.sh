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
padding() { head -c "$1" /dev/zero | od -An -tx1 -v | tr -d ' \n'; }
LEAF_PADDING=$(padding 14336)
export LEAF_PADDING

algorithms="ecdsa-p256 ecdsa-p384 ecdsa-p521 rsa2048 rsa3072 rsa4096 mldsa44 mldsa65 mldsa87"

# The identities the tests use: QEMU's nvme (1b36:0010, class 010802,
# revision 02, subsystem 1af4:1100), a second nvme with another key (the
# "swapped" device), two whose leaves carry 14 KiB and 63 KiB of extension
# data (chains of about 16 KiB and of nearly the 64 KiB an SPDM chain can
# hold), the vfio-user TEE endpoint, and a leaf whose SAN names a
# different device.
identities="
nvme 1b36 0010 010802 02 1af4 1100
nvme-swapped 1b36 0010 010802 02 1af4 1100
nvme-large 1b36 0010 010802 02 1af4 1100
nvme-huge 1b36 0010 010802 02 1af4 1100
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
		# The huge chain comes as close to the 65535 bytes an SPDM chain
		# holds (with its 4-byte header and a SHA-512 root hash) as the
		# certificates' own sizes allow, so that its CHALLENGE transcript
		# is an evidence object over 64 KiB. Overhead: each algorithm's
		# certificate bytes besides the padding, with a margin.
		pad=14336
		if [ "$name" = nvme-huge ]; then
			case $alg in
			rsa4096) overhead=4250 ;;
			rsa3072) overhead=3450 ;;
			rsa2048) overhead=2700 ;;
			mldsa*) continue ;;  # its certificates alone approach the limit
			*) overhead=1900 ;;
			esac
			# OpenSSL takes config values of up to 64 KiB: two halves.
			pad=$(((65200 - overhead) / 2))
		fi
		LEAF_PADDING=$(padding "$pad") \
		CMA_SAN="Vendor=$vendor:Device=$device:CC=$cc:REV=$rev:SSVID=$ssvid:SSID=$ssid" \
			openssl x509 -req -days 3650 $md -in "$leaf/leaf.csr" -CA "$dir/inter.pem" \
			-CAkey "$dir/inter.key" -set_serial "0x$(openssl rand -hex 8)" \
			-out "$leaf/leaf.pem" -extfile "$here/pki.cnf" \
			-extensions "$(case $name in nvme-large) echo device_leaf_large ;; nvme-huge) echo device_leaf_huge ;; *) echo device_leaf ;; esac)" 2>/dev/null
		for cert in "$dir/root.pem" "$dir/inter.pem" "$leaf/leaf.pem"; do
			openssl x509 -in "$cert" -outform DER
		done >"$leaf/chain.der"
		rm -f "$leaf/leaf.csr"
	done <<<"$identities"
	rm -f "$dir/inter.csr"
	touch "$dir/.complete"
done
