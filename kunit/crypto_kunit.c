// SPDX-License-Identifier: GPL-2.0
/*
 * Known-answer tests of the module's crypto backend (src/glue/kernel_ops.c)
 * inside the kernel: SHA-2 digests over split input, ECDSA P-256 and
 * RSASSA-2048 verification through crypto_sig, and the raw RSA operation
 * through crypto_akcipher, with vectors made by OpenSSL.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/string.h>

#include <pci_cma/kunit.h>

#include "crypto_vectors.h"

/* SPDM BaseHashAlgo and BaseAsymAlgo bits (DSP0274 1.3.0 tables 15-16). */
#define KAT_SHA256		0x1
#define KAT_SHA384		0x2
#define KAT_SHA512		0x4
#define KAT_ECDSA_P256		0x10
#define KAT_RSASSA_2048		0x1

static void kat_digests(struct kunit *test)
{
	static const struct {
		u32 hash;
		const u8 *expected;
		size_t len;
	} cases[] = {
		{ KAT_SHA256, kat_sha256, sizeof(kat_sha256) },
		{ KAT_SHA384, kat_sha384, sizeof(kat_sha384) },
		{ KAT_SHA512, kat_sha512, sizeof(kat_sha512) },
	};
	/* Split in two, as transcripts arrive in pieces. */
	struct pci_cma_bytes parts[] = {
		{ kat_message, 10 },
		{ kat_message + 10, sizeof(kat_message) - 10 },
	};
	struct pci_cma_ops ops;
	u8 out[64];
	size_t i;

	pci_cma_kunit_crypto_ops(&ops);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		KUNIT_ASSERT_EQ(test, ops.digest(ops.ctx, cases[i].hash, parts, 2, out,
						 cases[i].len), 0);
		KUNIT_EXPECT_MEMEQ(test, out, cases[i].expected, cases[i].len);
	}
	KUNIT_EXPECT_EQ(test, ops.digest(ops.ctx, 0x80, parts, 2, out, 32), -EINVAL);
	KUNIT_EXPECT_EQ(test, ops.digest(ops.ctx, KAT_SHA256, parts, 2, out, 48), -EINVAL);
}

static void kat_ecdsa_p256(struct kunit *test)
{
	struct pci_cma_public_key key = {
		PCI_CMA_KEY_EC_P256, kat_ec_p256_point, sizeof(kat_ec_p256_point)
	};
	u8 sig[sizeof(kat_ec_p256_sig)];
	u8 digest[sizeof(kat_sha256)];
	struct pci_cma_ops ops;

	pci_cma_kunit_crypto_ops(&ops);
	memcpy(sig, kat_ec_p256_sig, sizeof(sig));
	memcpy(digest, kat_sha256, sizeof(digest));
	KUNIT_EXPECT_EQ(test, ops.verify(ops.ctx, KAT_ECDSA_P256, KAT_SHA256, &key, digest,
					 sizeof(digest), sig, sizeof(sig)), 0);
	sig[10] ^= 1;
	KUNIT_EXPECT_EQ(test, ops.verify(ops.ctx, KAT_ECDSA_P256, KAT_SHA256, &key, digest,
					 sizeof(digest), sig, sizeof(sig)), -EKEYREJECTED);
	sig[10] ^= 1;
	digest[0] ^= 1;
	KUNIT_EXPECT_EQ(test, ops.verify(ops.ctx, KAT_ECDSA_P256, KAT_SHA256, &key, digest,
					 sizeof(digest), sig, sizeof(sig)), -EKEYREJECTED);
}

static void kat_rsassa_2048(struct kunit *test)
{
	struct pci_cma_public_key key = {
		PCI_CMA_KEY_RSA, kat_rsa2048_key, sizeof(kat_rsa2048_key)
	};
	u8 sig[sizeof(kat_rsa2048_sig)];
	struct pci_cma_ops ops;

	pci_cma_kunit_crypto_ops(&ops);
	memcpy(sig, kat_rsa2048_sig, sizeof(sig));
	KUNIT_EXPECT_EQ(test, ops.verify(ops.ctx, KAT_RSASSA_2048, KAT_SHA256, &key, kat_sha256,
					 sizeof(kat_sha256), sig, sizeof(sig)), 0);
	sig[100] ^= 0x40;
	KUNIT_EXPECT_EQ(test, ops.verify(ops.ctx, KAT_RSASSA_2048, KAT_SHA256, &key, kat_sha256,
					 sizeof(kat_sha256), sig, sizeof(sig)), -EKEYREJECTED);
}

/* The raw operation the engine's RSASSA-PSS verification builds on. */
static void kat_rsa_raw(struct kunit *test)
{
	struct pci_cma_public_key key = {
		PCI_CMA_KEY_RSA, kat_rsa2048_key, sizeof(kat_rsa2048_key)
	};
	struct pci_cma_ops ops;
	u8 out[sizeof(kat_rsa2048_em)];

	pci_cma_kunit_crypto_ops(&ops);
	KUNIT_ASSERT_EQ(test, ops.rsa_public(ops.ctx, &key, kat_rsa2048_sig,
					     sizeof(kat_rsa2048_sig), out, sizeof(out)), 0);
	KUNIT_EXPECT_MEMEQ(test, out, kat_rsa2048_em, sizeof(out));
	key.type = PCI_CMA_KEY_EC_P256;
	KUNIT_EXPECT_EQ(test, ops.rsa_public(ops.ctx, &key, kat_rsa2048_sig,
					     sizeof(kat_rsa2048_sig), out, sizeof(out)), -EINVAL);
}

static struct kunit_case pci_cma_crypto_cases[] = {
	KUNIT_CASE(kat_digests),
	KUNIT_CASE(kat_ecdsa_p256),
	KUNIT_CASE(kat_rsassa_2048),
	KUNIT_CASE(kat_rsa_raw),
	{}
};

static struct kunit_suite pci_cma_crypto_suite = {
	.name = "pci_cma_crypto_backend",
	.test_cases = pci_cma_crypto_cases,
};

kunit_test_suites(&pci_cma_crypto_suite);
