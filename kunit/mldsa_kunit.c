// SPDX-License-Identifier: GPL-2.0
/*
 * ML-DSA in the module. SPDM 1.4 signs with pure ML-DSA under a FIPS 204
 * context string ("responder-challenge_auth signing"); the kernel's
 * mldsa_verify() verifies with the empty context only, so the engine
 * verifies ML-DSA itself over the kernel's SHAKE. With OpenSSL's
 * signatures of each parameter set: the engine accepts the SPDM-context
 * and the empty-context ones, the kernel's verifier only the latter, the
 * two agree on every empty-context vector and on its damaged copies, and
 * the engine refuses a flipped bit of signature, key, message or context.
 */
#include <crypto/mldsa.h>
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <pci_cma/kunit.h>

#include "mldsa_vectors.h"

/* SPDM 1.4 PqcAsymAlgo bits (DSP0274 1.4.0 table 22). */
#define KAT_MLDSA44	0x1
#define KAT_MLDSA65	0x2
#define KAT_MLDSA87	0x4

/* The engine's code for a signature that does not verify. */
#define KAT_VERIFY_FAILED "verify-failed"

struct kat_mldsa {
	const char *name;
	u32 pqc_asym;
	enum mldsa_alg alg;
	const u8 *pk;
	size_t pk_len;
	const u8 *sig_spdm;
	const u8 *sig_empty;
	size_t sig_len;
};

#define KAT_SET(level) { \
	"ML-DSA-" #level, KAT_MLDSA##level, MLDSA##level, \
	kat_mldsa##level##_pk, sizeof(kat_mldsa##level##_pk), \
	kat_mldsa##level##_sig_spdm_context, kat_mldsa##level##_sig_empty_context, \
	sizeof(kat_mldsa##level##_sig_spdm_context) }

static const struct kat_mldsa kat_sets[] = {
	KAT_SET(44), KAT_SET(65), KAT_SET(87),
};

static const char *engine_verify(const struct kat_mldsa *set, const u8 *pk,
				 const u8 *message, const char *context, const u8 *sig)
{
	struct pci_cma_bytes k = { pk, set->pk_len };
	struct pci_cma_bytes m = { message, sizeof(kat_mldsa_message) };
	struct pci_cma_bytes c = { (const u8 *)context, strlen(context) };
	struct pci_cma_bytes s = { sig, set->sig_len };
	u16 error = pci_cma_kunit_verify_mldsa(set->pqc_asym, &k, &m, &c, &s);

	return error ? pci_cma_error_name(error) : "ok";
}

static int kernel_verify(struct kunit *test, const struct kat_mldsa *set,
			 const u8 *pk, const u8 *sig)
{
	if (!IS_REACHABLE(CONFIG_CRYPTO_LIB_MLDSA))
		kunit_skip(test, "no mldsa_verify() in this kernel");
	return mldsa_verify(set->alg, sig, set->sig_len, kat_mldsa_message,
			    sizeof(kat_mldsa_message), pk, set->pk_len);
}

static void kat_engine_verifies_spdm_context(struct kunit *test)
{
	const struct kat_mldsa *set;

	for (set = kat_sets; set < kat_sets + ARRAY_SIZE(kat_sets); set++) {
		KUNIT_EXPECT_STREQ_MSG(test, engine_verify(set, set->pk, kat_mldsa_message,
							   KAT_MLDSA_CONTEXT, set->sig_spdm),
				       "ok", "%s", set->name);
		KUNIT_EXPECT_STREQ_MSG(test, engine_verify(set, set->pk, kat_mldsa_message,
							   "", set->sig_spdm),
				       KAT_VERIFY_FAILED, "%s without the context", set->name);
	}
}

static void kat_kernel_refuses_spdm_context(struct kunit *test)
{
	const struct kat_mldsa *set;

	for (set = kat_sets; set < kat_sets + ARRAY_SIZE(kat_sets); set++)
		KUNIT_EXPECT_EQ_MSG(test, kernel_verify(test, set, set->pk, set->sig_spdm),
				    -EKEYREJECTED, "%s", set->name);
}

/*
 * Flips one bit of @buf (the key @pk or the signature @sig) at a time, from
 * @first every @step bits: both verifiers refuse each copy. Returns how
 * many copies were tried.
 */
static size_t expect_both_refuse(struct kunit *test, const struct kat_mldsa *set, u8 *buf,
				 size_t len, size_t first, size_t step, const char *what,
				 const u8 *pk, const u8 *sig)
{
	size_t bit, tried = 0;

	for (bit = first; bit < len * 8; bit += step, tried++) {
		buf[bit / 8] ^= BIT(bit % 8);
		KUNIT_EXPECT_NE_MSG(test, kernel_verify(test, set, pk, sig), 0,
				    "%s %s bit %zu", set->name, what, bit);
		KUNIT_EXPECT_STREQ_MSG(test, engine_verify(set, pk, kat_mldsa_message, "", sig),
				       KAT_VERIFY_FAILED, "%s %s bit %zu", set->name, what, bit);
		buf[bit / 8] ^= BIT(bit % 8);
	}
	return tried;
}

/*
 * The empty-context signatures, whole and with one bit flipped at spread
 * positions of the signature and the key: the engine and the kernel accept
 * and refuse the same ones.
 */
static void kat_engine_and_kernel_agree_on_empty_context(struct kunit *test)
{
	const struct kat_mldsa *set;
	size_t agreed = 0;
	u8 *sig, *pk;

	for (set = kat_sets; set < kat_sets + ARRAY_SIZE(kat_sets); set++) {
		sig = kunit_kmalloc(test, set->sig_len, GFP_KERNEL);
		pk = kunit_kmalloc(test, set->pk_len, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, sig);
		KUNIT_ASSERT_NOT_NULL(test, pk);
		memcpy(sig, set->sig_empty, set->sig_len);
		memcpy(pk, set->pk, set->pk_len);
		KUNIT_EXPECT_EQ_MSG(test, kernel_verify(test, set, pk, sig), 0, "%s", set->name);
		KUNIT_EXPECT_STREQ_MSG(test, engine_verify(set, pk, kat_mldsa_message, "", sig),
				       "ok", "%s", set->name);
		agreed += expect_both_refuse(test, set, sig, set->sig_len, 5,
					     set->sig_len * 8 / 24 + 1, "signature", pk, sig);
		agreed += expect_both_refuse(test, set, pk, set->pk_len, 3,
					     set->pk_len * 8 / 8 + 1, "key", pk, sig);
	}
	kunit_info(test, "%zu damaged vectors refused by both", agreed);
}

/* The SPDM-context signatures with a flipped bit of message or context. */
static void kat_engine_refuses_damaged_message_and_context(struct kunit *test)
{
	char context[] = KAT_MLDSA_CONTEXT;
	const struct kat_mldsa *set;
	u8 message[sizeof(kat_mldsa_message)];
	const char *verdict;
	size_t bit;

	for (set = kat_sets; set < kat_sets + ARRAY_SIZE(kat_sets); set++) {
		memcpy(message, kat_mldsa_message, sizeof(message));
		for (bit = 1; bit < sizeof(message) * 8; bit += 97) {
			message[bit / 8] ^= BIT(bit % 8);
			verdict = engine_verify(set, set->pk, message, KAT_MLDSA_CONTEXT,
						set->sig_spdm);
			KUNIT_EXPECT_STREQ_MSG(test, verdict, KAT_VERIFY_FAILED,
					       "%s message bit %zu", set->name, bit);
			message[bit / 8] ^= BIT(bit % 8);
		}
		for (bit = 0; bit < strlen(context) * 8; bit += 29) {
			context[bit / 8] ^= BIT(bit % 8);
			KUNIT_EXPECT_STREQ_MSG(test, engine_verify(set, set->pk, kat_mldsa_message,
								   context, set->sig_spdm),
					       KAT_VERIFY_FAILED, "%s context bit %zu",
					       set->name, bit);
			context[bit / 8] ^= BIT(bit % 8);
		}
	}
}

static struct kunit_case pci_cma_mldsa_cases[] = {
	KUNIT_CASE(kat_engine_verifies_spdm_context),
	KUNIT_CASE(kat_kernel_refuses_spdm_context),
	KUNIT_CASE(kat_engine_and_kernel_agree_on_empty_context),
	KUNIT_CASE(kat_engine_refuses_damaged_message_and_context),
	{}
};

static struct kunit_suite pci_cma_mldsa_suite = {
	.name = "pci_cma_mldsa",
	.test_cases = pci_cma_mldsa_cases,
};

kunit_test_suite(pci_cma_mldsa_suite);
