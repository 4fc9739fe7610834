// SPDX-License-Identifier: GPL-2.0
/*
 * Why the module offers devices no ML-DSA: SPDM 1.4 signs with pure ML-DSA
 * under a FIPS 204 context string ("responder-challenge_auth signing"),
 * and the kernel's crypto_sig "mldsa44" verifies with the empty context
 * only. These cases check both halves with OpenSSL's signatures over the
 * same SPDM message: the empty-context one verifies (the key format and the
 * algorithm are right), the SPDM one does not. crypto_sig_verify() takes no
 * context at all; once the kernel offers an interface that does, the
 * module can offer ML-DSA through pci_cma_ops.verify_message.
 */
#include <crypto/sig.h>
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/errno.h>

#include "mldsa_vectors.h"

static int verify_mldsa44(struct kunit *test, const u8 *sig, size_t sig_len)
{
	struct crypto_sig *tfm;
	int rc;

	tfm = crypto_alloc_sig("mldsa44", 0, 0);
	if (IS_ERR(tfm))
		kunit_skip(test, "no mldsa44 in this kernel (%ld)", PTR_ERR(tfm));
	rc = crypto_sig_set_pubkey(tfm, kat_mldsa44_pk, sizeof(kat_mldsa44_pk));
	if (!rc)
		rc = crypto_sig_verify(tfm, sig, sig_len, kat_mldsa44_message,
				       sizeof(kat_mldsa44_message));
	else
		KUNIT_FAIL(test, "crypto_sig_set_pubkey: %d", rc);
	crypto_free_sig(tfm);
	return rc;
}

static void kat_mldsa_empty_context_verifies(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, verify_mldsa44(test, kat_mldsa44_sig_empty_context,
					     sizeof(kat_mldsa44_sig_empty_context)), 0);
}

static void kat_mldsa_spdm_context_is_beyond_the_kernel(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, verify_mldsa44(test, kat_mldsa44_sig_spdm_context,
					     sizeof(kat_mldsa44_sig_spdm_context)),
			-EKEYREJECTED);
}

static struct kunit_case pci_cma_mldsa_cases[] = {
	KUNIT_CASE(kat_mldsa_empty_context_verifies),
	KUNIT_CASE(kat_mldsa_spdm_context_is_beyond_the_kernel),
	{}
};

static struct kunit_suite pci_cma_mldsa_suite = {
	.name = "pci_cma_kernel_mldsa",
	.test_cases = pci_cma_mldsa_cases,
};

kunit_test_suite(pci_cma_mldsa_suite);
