// SPDX-License-Identifier: GPL-2.0
/*
 * Real SPDM sessions, recorded on the host against the emulated responder
 * (kunit/session_vectors.h), replayed through the engine with the kernel's
 * crypto backend: every signature is verified by crypto_sig and the raw
 * RSA of crypto_akcipher, over transcripts the engine builds in the kernel.
 * The requests must be byte for byte the recorded ones; a flipped bit in
 * either signature must be refused and named.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include <pci_cma/kunit.h>

#include "session_vectors.h"

/**
 * struct replay - a recorded session being played back
 * @data: the recording, length-prefixed requests and responses
 * @len: bytes at @data
 * @at: where the next exchange starts
 * @exchanges: exchanges played so far
 * @mismatch: a request differed from the recording
 */
struct replay {
	const u8 *data;
	size_t len;
	size_t at;
	unsigned int exchanges;
	bool mismatch;
};

/* Reads one length-prefixed record; NULL past the end or if cut short. */
static const u8 *replay_next(struct replay *r, size_t *len)
{
	const u8 *bytes;
	u32 size;

	if (r->len - r->at < sizeof(size))
		return NULL;
	size = get_unaligned_le32(r->data + r->at);
	if (r->len - r->at - sizeof(size) < size)
		return NULL;
	bytes = r->data + r->at + sizeof(size);
	r->at += sizeof(size) + size;
	*len = size;
	return bytes;
}

static long replay_exchange(void *ctx, const u8 *request, size_t request_len,
			    u8 *response, size_t response_size)
{
	struct replay *r = ctx;
	const u8 *recorded, *answer;
	size_t recorded_len, answer_len;

	recorded = replay_next(r, &recorded_len);
	answer = replay_next(r, &answer_len);
	if (!recorded || !answer)
		return -ENODATA;
	if (recorded_len != request_len || memcmp(recorded, request, request_len)) {
		r->mismatch = true;
		return -EPROTO;
	}
	if (answer_len >= response_size)
		return -EMSGSIZE;
	memcpy(response, answer, answer_len);
	r->exchanges++;
	return answer_len;
}

/* The recorded sessions never waited; a replay has no clock to speak of. */
static u64 replay_now_us(void *ctx)
{
	return 0;
}

static void replay_sleep_us(void *ctx, u64 us)
{
}

static u16 replay_session(struct replay *r, struct pci_cma_auth_result *result)
{
	struct pci_cma_auth_params params = {
		.slot = 0,
		.nonce = session_nonce,
		.nonce_len = sizeof(session_nonce),
	};
	struct pci_cma_ops ops;

	pci_cma_kunit_crypto_ops(&ops);
	ops.ctx = r;
	ops.exchange = replay_exchange;
	ops.now_us = replay_now_us;
	ops.sleep_us = replay_sleep_us;
	return pci_cma_kunit_authenticate(&ops, &params, result);
}

static void session_desc(const struct session_vector *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(session, session_vectors, session_desc);

static void pci_cma_replay_authenticates(struct kunit *test)
{
	const struct session_vector *v = test->param_value;
	struct replay r = { .data = v->data, .len = v->len };
	struct pci_cma_auth_result result;

	KUNIT_EXPECT_EQ_MSG(test, replay_session(&r, &result), 0,
			    "%s in %s at byte %u", pci_cma_error_name(result.error),
			    result.field ?: "(none)", result.offset);
	KUNIT_EXPECT_FALSE(test, r.mismatch);
	KUNIT_EXPECT_EQ(test, r.exchanges, v->exchanges);
	KUNIT_EXPECT_EQ(test, result.exchanges, v->exchanges);
	KUNIT_EXPECT_EQ(test, r.at, v->len);
}

/*
 * Flips one bit inside the signature of the response to @request_code:
 * eight bytes from the end is inside every signature (64 bytes or more)
 * whatever DOE padding (at most three bytes) follows it.
 */
static u8 *session_with_bad_signature(struct kunit *test,
				      const struct session_vector *v,
				      u8 request_code)
{
	struct replay r = { .data = v->data, .len = v->len };
	const u8 *request, *response;
	size_t request_len, response_len;
	u8 *copy;

	copy = kunit_kmalloc(test, v->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	memcpy(copy, v->data, v->len);
	while ((request = replay_next(&r, &request_len)) &&
	       (response = replay_next(&r, &response_len))) {
		if (request_len >= 2 && request[1] == request_code &&
		    response_len >= 72) {
			copy[response - v->data + response_len - 8] ^= 0x01;
			return copy;
		}
	}
	KUNIT_FAIL(test, "no response to request 0x%02x in %s", request_code, v->name);
	return copy;
}

static void expect_refused(struct kunit *test, u8 request_code, const char *field)
{
	const struct session_vector *v = test->param_value;
	struct replay r = { .len = v->len };
	struct pci_cma_auth_result result;

	r.data = session_with_bad_signature(test, v, request_code);
	KUNIT_EXPECT_NE(test, replay_session(&r, &result), 0);
	KUNIT_EXPECT_STREQ(test, pci_cma_error_name(result.error), "verify-failed");
	KUNIT_EXPECT_STREQ(test, result.field ?: "(none)", field);
	KUNIT_EXPECT_FALSE(test, r.mismatch);
}

static void pci_cma_replay_bad_challenge_signature(struct kunit *test)
{
	expect_refused(test, 0x83, "CHALLENGE_AUTH.Signature");
}

static void pci_cma_replay_bad_measurements_signature(struct kunit *test)
{
	expect_refused(test, 0xe0, "MEASUREMENTS.Signature");
}

static struct kunit_case pci_cma_replay_cases[] = {
	KUNIT_CASE_PARAM(pci_cma_replay_authenticates, session_gen_params),
	KUNIT_CASE_PARAM(pci_cma_replay_bad_challenge_signature, session_gen_params),
	KUNIT_CASE_PARAM(pci_cma_replay_bad_measurements_signature, session_gen_params),
	{}
};

static struct kunit_suite pci_cma_replay_suite = {
	.name = "pci_cma_replay",
	.test_cases = pci_cma_replay_cases,
};

kunit_test_suite(pci_cma_replay_suite);
