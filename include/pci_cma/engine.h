/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only interface between the kernel glue (C) and the SPDM engine
 * (freestanding C++): plain structs, fixed-width integers, opaque handles
 * and explicit lengths. Nothing else crosses.
 */
#ifndef PCI_CMA_ENGINE_H
#define PCI_CMA_ENGINE_H

#ifdef __cplusplus
#include "abi/abi_types.h"
#define PCI_CMA_ABI extern "C"
#else
#include <linux/types.h>
#define PCI_CMA_ABI
#endif

/**
 * struct pci_cma_env - services the environment lends the engine
 * @ctx: passed back to every callback
 * @alloc: returns @size bytes aligned to 8, or NULL; may sleep
 * @free: releases a block from @alloc; NULL is not passed
 */
struct pci_cma_env {
	void *ctx;
	void *(*alloc)(void *ctx, size_t size);
	void (*free)(void *ctx, void *block);
};

/**
 * struct pci_cma_bytes - a read-only byte range
 * @data: first byte
 * @len: number of bytes
 */
struct pci_cma_bytes {
	const u8 *data;
	size_t len;
};

/* Key types of struct pci_cma_public_key. */
#define PCI_CMA_KEY_EC_P256	1
#define PCI_CMA_KEY_EC_P384	2
#define PCI_CMA_KEY_EC_P521	3
#define PCI_CMA_KEY_RSA		4
#define PCI_CMA_KEY_MLDSA44	5
#define PCI_CMA_KEY_MLDSA65	6
#define PCI_CMA_KEY_MLDSA87	7

/**
 * struct pci_cma_public_key - a device's leaf public key
 * @type: PCI_CMA_KEY_*
 * @key: EC: the uncompressed point 04 || X || Y; RSA: the DER RSAPublicKey;
 *	ML-DSA: the raw FIPS 204 public key
 * @key_len: bytes at @key
 * @spki: the whole DER SubjectPublicKeyInfo it came from
 * @spki_len: bytes at @spki
 */
struct pci_cma_public_key {
	u32 type;
	const u8 *key;
	size_t key_len;
	const u8 *spki;
	size_t spki_len;
};

/**
 * struct pci_cma_ops - how the engine reaches a device and the crypto
 * @ctx: passed back to every callback
 * @exchange: sends @request and receives the response into @response;
 *	returns the bytes received, -EMSGSIZE if the response would not fit
 *	(never cut silently), or another negative errno
 * @digest: hashes the concatenation of @parts with the SPDM BaseHashAlgo
 *	@base_hash into @out (@out_len is its digest size); 0 or -errno
 * @verify: verifies an ECDSA (r || s) or RSASSA-PKCS1-v1_5 @signature over
 *	the already hashed @digest; 0, -EKEYREJECTED if it does not verify,
 *	or another negative errno
 * @verify_message: verifies a pure ML-DSA @signature (SPDM 1.4 PqcAsymAlgo
 *	@pqc_asym) over the whole message @parts with the FIPS 204 context
 *	string @context; 0, -EKEYREJECTED if it does not verify, or another
 *	negative errno. May be NULL: the engine then verifies ML-DSA itself
 *	with @shake, and offers no PQC algorithm if that is NULL too.
 * @shake: SHAKE128 or SHAKE256 (@bits 128 or 256) over the concatenation
 *	of @parts: bytes @offset to @offset + @out_len of its output stream;
 *	0 or a negative errno
 * @rsa_public: the raw RSA public operation @in^e mod n into @out, which
 *	has the modulus size; for RSASSA-PSS, verified by the engine
 * @random: fills @out with random bytes
 * @now_us: a monotonic clock in microseconds
 * @sleep_us: waits about @us microseconds
 * @base_hashes: the SPDM BaseHashAlgo bits @digest can compute, so that
 *	the engine offers no other; 0 for every hash the engine knows
 */
struct pci_cma_ops {
	void *ctx;
	long (*exchange)(void *ctx, const u8 *request, size_t request_len,
			 u8 *response, size_t response_size);
	int (*digest)(void *ctx, u32 base_hash, const struct pci_cma_bytes *parts,
		      size_t count, u8 *out, size_t out_len);
	int (*verify)(void *ctx, u32 base_asym, u32 base_hash,
		      const struct pci_cma_public_key *key, const u8 *digest,
		      size_t digest_len, const u8 *signature, size_t signature_len);
	int (*verify_message)(void *ctx, u32 pqc_asym,
			      const struct pci_cma_public_key *key,
			      const struct pci_cma_bytes *parts, size_t count,
			      const u8 *context, size_t context_len,
			      const u8 *signature, size_t signature_len);
	int (*shake)(void *ctx, u32 bits, const struct pci_cma_bytes *parts,
		     size_t count, size_t offset, u8 *out, size_t out_len);
	int (*rsa_public)(void *ctx, const struct pci_cma_public_key *key,
			  const u8 *in, size_t in_len, u8 *out, size_t out_len);
	void (*random)(void *ctx, u8 *out, size_t len);
	u64 (*now_us)(void *ctx);
	void (*sleep_us)(void *ctx, u64 us);
	u32 base_hashes;
};

/*
 * Evidence objects an authentication hands to its sink, numbered as the
 * netlink family numbers them. CERT0..CERT7: a slot's SPDM certificate
 * chain (length header, root hash, DER certificates). VCA: the version,
 * capabilities and algorithms messages. CHALLENGE: A || B || CHALLENGE ||
 * CHALLENGE_AUTH, the signature last. MEASUREMENTS: (1.2+: VCA ||)
 * GET_MEASUREMENTS || MEASUREMENTS, the signature last if the device signs
 * measurements (see pci_cma_auth_result.meas_cap). IDENTITY: the
 * engine's record of what a later same-device check compares; opaque.
 */
#define PCI_CMA_EVIDENCE_CERT0		0
#define PCI_CMA_EVIDENCE_CERT7		7
#define PCI_CMA_EVIDENCE_VCA		8
#define PCI_CMA_EVIDENCE_MEASUREMENTS	9
#define PCI_CMA_EVIDENCE_CHALLENGE	10
#define PCI_CMA_EVIDENCE_IDENTITY	11
#define PCI_CMA_EVIDENCE_COUNT		12

/**
 * struct pci_cma_auth_params - what to authenticate and where evidence goes
 * @slot: certificate slot (0-7)
 * @nonce: a verifier's nonce, at least 32 bytes, or NULL for random ones;
 *	bytes 0-31 are the SPDM nonce, 32-39 (if given) the 1.3 context
 * @nonce_len: bytes at @nonce
 * @sink_ctx: passed back to @sink
 * @sink: receives each evidence object gathered, even when a later step
 *	fails (not IDENTITY, given only on success); @data lives only for
 *	the call; returns 0 or a negative errno, which fails the
 *	authentication. May be NULL.
 */
struct pci_cma_auth_params {
	u8 slot;
	const u8 *nonce;
	size_t nonce_len;
	void *sink_ctx;
	int (*sink)(void *ctx, u32 type, const u8 *data, size_t len);
};

/* What a same-device check found different (pci_cma_auth_result.differences). */
#define PCI_CMA_DIFF_VERSION		0x01
#define PCI_CMA_DIFF_ALGORITHMS		0x02
#define PCI_CMA_DIFF_CHAIN		0x04
#define PCI_CMA_DIFF_KEY		0x08
#define PCI_CMA_DIFF_MEASUREMENTS	0x10

/**
 * struct pci_cma_auth_result - what an authentication found
 * @version: negotiated SPDM version (0x10..0x14)
 * @slot: certificate slot authenticated
 * @slot_mask: slots the device has provisioned
 * @base_asym: negotiated BaseAsymAlgo bit, 0 when @pqc_asym is used
 * @pqc_asym: negotiated PqcAsymAlgo bit (SPDM 1.4), 0 when @base_asym is
 * @base_hash: negotiated BaseHashAlgo bit
 * @exchanges: request/response exchanges made
 * @bytes_sent: request bytes sent
 * @bytes_received: response bytes received
 * @certificate_bytes: certificate chain bytes read
 * @chain_digest: digest of the slot's certificate chain
 * @chain_digest_len: bytes of @chain_digest used
 * @error: 0, or the engine's error code (pci_cma_error_name())
 * @spdm_error: the device's SPDM error code when @error says so
 * @transport_errno: the transport's errno when the exchange itself failed
 * @offset: byte offset in the failing message
 * @field: the message and field that failed, a static string, or NULL
 * @differences: for a same-device check, PCI_CMA_DIFF_* found
 * @first_measurement: the lowest measurement index that changed, appeared
 *	or disappeared; 0 when the device's MEAS_CAP itself changed
 * @meas_cap: the device's MEAS_CAP, PCI_CMA_MEAS_CAP_*
 */
struct pci_cma_auth_result {
	u8 version;
	u8 slot;
	u8 slot_mask;
	u32 base_asym;
	u32 pqc_asym;
	u32 base_hash;
	u32 exchanges;
	u64 bytes_sent;
	u64 bytes_received;
	u64 certificate_bytes;
	u8 chain_digest[64];
	size_t chain_digest_len;
	u16 error;
	u8 spdm_error;
	int transport_errno;
	u32 offset;
	const char *field;
	u32 differences;
	u8 first_measurement;
	u8 meas_cap;
};

/*
 * A device's MEAS_CAP (pci_cma_auth_result.meas_cap): NONE, it has no
 * measurements, none are read and no MEASUREMENTS evidence is given;
 * UNSIGNED, they are read without a signature (evidence of what the device
 * reports, not of who reported it); SIGNED, they are read signed.
 */
#define PCI_CMA_MEAS_CAP_NONE		0
#define PCI_CMA_MEAS_CAP_UNSIGNED	1
#define PCI_CMA_MEAS_CAP_SIGNED		2

/*
 * Authenticates a device: VCA, GET_DIGESTS, the chain of @params->slot
 * (checked against its digest and the negotiated algorithm), CHALLENGE
 * and signed GET_MEASUREMENTS with fresh nonces; a device whose MEAS_CAP
 * offers no signed measurements gets unsigned GET_MEASUREMENTS or none
 * (@result->meas_cap). Returns 0, or the engine error code also stored in
 * @result->error. May sleep.
 */
PCI_CMA_ABI u16 pci_cma_authenticate(const struct pci_cma_env *env,
				     const struct pci_cma_ops *ops,
				     const struct pci_cma_auth_params *params,
				     struct pci_cma_auth_result *result);
/*
 * Is this still the device whose IDENTITY record is @identity? VCA,
 * GET_DIGESTS compared (no certificate read while the digest matches), a
 * CHALLENGE with a fresh nonce verified with the recorded leaf key, and
 * measurements gathered as the record's were and compared (a block that
 * changed, appeared or disappeared differs), except indices 1-32 set in
 * @ignore_mask.
 * Returns 0 when the check could be made (@result->differences says what
 * differed, 0 if nothing), or the engine error code. May sleep.
 */
PCI_CMA_ABI u16 pci_cma_check_same_device(const struct pci_cma_env *env,
					  const struct pci_cma_ops *ops,
					  const struct pci_cma_bytes *identity,
					  u32 ignore_mask,
					  struct pci_cma_auth_result *result);
/*
 * What differs between two IDENTITY records, by the rules of a same-device
 * check (indices 1-32 set in @ignore_mask are not compared): for a device
 * authenticated again in full while approved. Returns 0 with
 * @differences (PCI_CMA_DIFF_*) and @first_measurement set, or the engine
 * error code of a record that does not parse. Does not sleep but to
 * allocate.
 */
PCI_CMA_ABI u16 pci_cma_compare_identities(const struct pci_cma_env *env,
					   const struct pci_cma_bytes *approved,
					   const struct pci_cma_bytes *now, u32 ignore_mask,
					   u32 *differences, u8 *first_measurement);
/*
 * Verifies the pure ML-DSA @signature (SPDM 1.4 PqcAsymAlgo @pqc_asym) over
 * @message with the FIPS 204 context string @context by the raw public key
 * @key, as an authentication does: with @ops->verify_message if set, else
 * with the engine's own verifier over @ops->shake. Returns 0 if it
 * verifies, or the engine error code ("verify-failed" if it does not).
 */
PCI_CMA_ABI u16 pci_cma_verify_mldsa(const struct pci_cma_env *env,
				     const struct pci_cma_ops *ops, u32 pqc_asym,
				     const struct pci_cma_bytes *key,
				     const struct pci_cma_bytes *message,
				     const struct pci_cma_bytes *context,
				     const struct pci_cma_bytes *signature);
/* Stable name of an engine error code ("truncated", "verify-failed", ...). */
PCI_CMA_ABI const char *pci_cma_error_name(u16 error);
/* Names of SPDM algorithm bits ("ECDSA-P384", "SHA-512"), "?" if unknown. */
PCI_CMA_ABI const char *pci_cma_asym_name(u32 base_asym);
PCI_CMA_ABI const char *pci_cma_hash_name(u32 base_hash);
/* Name of an SPDM 1.4 PqcAsymAlgo bit ("ML-DSA-65"), "?" if unknown. */
PCI_CMA_ABI const char *pci_cma_pqc_asym_name(u32 pqc_asym);

/*
 * Engine self-tests. The same data-driven cases run in host unit tests
 * and in KUnit inside the debug kernel. Cases are numbered 0..count-1;
 * each belongs to an area ("base", ...) and a suite within it.
 */
PCI_CMA_ABI size_t pci_cma_selftest_count(void);
PCI_CMA_ABI const char *pci_cma_selftest_area(size_t index);
PCI_CMA_ABI const char *pci_cma_selftest_suite(size_t index);
PCI_CMA_ABI const char *pci_cma_selftest_name(size_t index);
/*
 * Runs one case with memory from @env. Returns true on success; on failure
 * @message (NUL-terminated, at most @message_size bytes) says why.
 */
PCI_CMA_ABI bool pci_cma_selftest_run(size_t index, const struct pci_cma_env *env,
				      char *message, size_t message_size);

#endif /* PCI_CMA_ENGINE_H */
