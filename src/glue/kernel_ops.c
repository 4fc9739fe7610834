// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's view of the world inside the kernel: SPDM messages over the
 * device's CMA DOE mailbox, hashes through crypto_shash, signatures through
 * crypto_sig, the raw RSA operation through crypto_akcipher, SHAKE for the
 * engine's ML-DSA verifier from lib/crypto, nonces from get_random_bytes().
 * No protocol logic lives here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/akcipher.h>
#include <crypto/hash.h>
#include <crypto/sha3.h>
#include <crypto/sig.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/pci.h>
#include <linux/error-injection.h>
#include <linux/pci-doe.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "glue.h"

/* SPDM BaseHashAlgo and BaseAsymAlgo bits, DSP0274 1.3.0 tables 15-16. */
#define SPDM_HASH_SHA256	BIT(0)
#define SPDM_HASH_SHA384	BIT(1)
#define SPDM_HASH_SHA512	BIT(2)
#define SPDM_HASH_SHA3_256	BIT(3)
#define SPDM_HASH_SHA3_384	BIT(4)
#define SPDM_HASH_SHA3_512	BIT(5)

static const char *pci_cma_hash_alg(u32 base_hash)
{
	switch (base_hash) {
	case SPDM_HASH_SHA256: return "sha256";
	case SPDM_HASH_SHA384: return "sha384";
	case SPDM_HASH_SHA512: return "sha512";
	case SPDM_HASH_SHA3_256: return "sha3-256";
	case SPDM_HASH_SHA3_384: return "sha3-384";
	case SPDM_HASH_SHA3_512: return "sha3-512";
	}
	return NULL;
}

static u32 pci_cma_hashes;

/**
 * pci_cma_crypto_init() - find the hashes this kernel can compute
 *
 * SHA-3 is often a module, or absent: a device must not be led to choose
 * a hash the digest callback would then fail on. Looked up once, at load:
 * a lookup may load a module, which a conversation must never wait for (a
 * resume callback runs in async context, where request_module() may
 * deadlock, with user space frozen).
 */
void pci_cma_crypto_init(void)
{
	u32 bit;

	pci_cma_hashes = 0;
	for (bit = SPDM_HASH_SHA256; bit <= SPDM_HASH_SHA3_512; bit <<= 1)
		if (crypto_has_shash(pci_cma_hash_alg(bit), 0, 0))
			pci_cma_hashes |= bit;
}

/*
 * The crypto_sig algorithm for a key: ECDSA with raw r || s signatures
 * (the SPDM format, "p1363"), RSA with PKCS#1 v1.5 padding of @base_hash.
 */
static int pci_cma_sig_alg(const struct pci_cma_public_key *key, u32 base_hash,
			   char *name, size_t size)
{
	const char *hash = pci_cma_hash_alg(base_hash);

	switch (key->type) {
	case PCI_CMA_KEY_EC_P256:
		return strscpy(name, "p1363(ecdsa-nist-p256)", size) < 0 ? -EINVAL : 0;
	case PCI_CMA_KEY_EC_P384:
		return strscpy(name, "p1363(ecdsa-nist-p384)", size) < 0 ? -EINVAL : 0;
	case PCI_CMA_KEY_EC_P521:
		return strscpy(name, "p1363(ecdsa-nist-p521)", size) < 0 ? -EINVAL : 0;
	case PCI_CMA_KEY_RSA:
		if (!hash)
			return -EINVAL;
		return snprintf(name, size, "pkcs1(rsa,%s)", hash) >= size ? -EINVAL : 0;
	}
	return -EINVAL;
}

/**
 * pci_cma_doe_received() - what a pci_doe() result means to the engine
 * @rc: the bytes pci_doe() received, or its negative errno
 * @response_size: the size of the receive buffer
 *
 * pci_doe() stops at the end of the buffer without saying whether more
 * was coming, so a response that fills the buffer is treated as cut short:
 * the engine sizes its buffer one dword beyond the largest response it
 * accepts.
 *
 * Return: the response length, -EMSGSIZE for a response that fills the
 * buffer, or @rc when the exchange itself failed.
 */
long pci_cma_doe_received(int rc, size_t response_size)
{
	if (rc < 0)
		return rc;
	if (rc >= response_size)
		return -EMSGSIZE;
	return rc;
}

/**
 * pci_cma_exchange() - one SPDM exchange over the CMA DOE mailbox
 * @ctx: the device's struct pci_cma_device
 * @request: SPDM request
 * @request_len: bytes of @request
 * @response: receives the SPDM response
 * @response_size: room at @response
 *
 * pci_doe() discards what does not fit and returns what it kept, so a
 * response that fills @response may have been cut: it is reported as
 * too large rather than passed on.
 *
 * Return: bytes received, -EMSGSIZE if the response may be truncated,
 * -ENODEV once the device is being removed, -ETIMEDOUT past the
 * conversation's deadline, or the errno of pci_doe() (-EIO, -ETIMEDOUT,
 * -ENOMEM, ...).
 */
static long pci_cma_exchange(void *ctx, const u8 *request, size_t request_len,
			     u8 *response, size_t response_size)
{
	struct pci_cma_device *dev = ctx;
	int rc;

	/* A device on its way out ends the conversation at the next message. */
	if (READ_ONCE(dev->gone))
		return -ENODEV;
	if (!pci_cma_conversation_left_us(dev))
		return -ETIMEDOUT;
	rc = pci_doe(dev->mailbox, PCI_VENDOR_ID_PCI_SIG, PCI_DOE_FEATURE_CMA,
		     request, request_len, response, response_size);
	return pci_cma_doe_received(rc, response_size);
}

/**
 * pci_cma_digest() - hash a list of byte ranges
 * @ctx: unused
 * @base_hash: SPDM BaseHashAlgo bit
 * @parts: ranges hashed in order
 * @count: number of @parts
 * @out: receives the digest
 * @out_len: digest size of @base_hash
 *
 * Return: 0, -EINVAL for an unknown hash or wrong size, or the errno of the
 * crypto API.
 */
static int pci_cma_digest(void *ctx, u32 base_hash, const struct pci_cma_bytes *parts,
			  size_t count, u8 *out, size_t out_len)
{
	const char *name = pci_cma_hash_alg(base_hash);
	struct crypto_shash *tfm;
	size_t i;
	int rc;

	if (!name)
		return -EINVAL;
	tfm = crypto_alloc_shash(name, 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	if (crypto_shash_digestsize(tfm) != out_len) {
		rc = -EINVAL;
		goto out;
	}
	{
		SHASH_DESC_ON_STACK(desc, tfm);

		desc->tfm = tfm;
		rc = crypto_shash_init(desc);
		for (i = 0; !rc && i < count; i++)
			rc = crypto_shash_update(desc, parts[i].data, parts[i].len);
		if (!rc)
			rc = crypto_shash_final(desc, out);
		shash_desc_zero(desc);
	}
out:
	crypto_free_shash(tfm);
	return rc;
}

/**
 * pci_cma_object_digest() - hash one evidence object
 * @base_hash: SPDM BaseHashAlgo bit
 * @data: the object
 * @len: its size
 * @out: receives the digest
 * @out_len: digest size of @base_hash
 *
 * Return: 0, -EINVAL for an unknown hash or wrong size, or the errno of the
 * crypto API.
 */
int pci_cma_object_digest(u32 base_hash, const u8 *data, size_t len, u8 *out, size_t out_len)
{
	struct pci_cma_bytes part = { .data = data, .len = len };

	return pci_cma_digest(NULL, base_hash, &part, 1, out, out_len);
}

/**
 * pci_cma_verify() - verify an ECDSA or RSASSA-PKCS1-v1_5 signature
 * @ctx: unused
 * @base_asym: SPDM BaseAsymAlgo bit (the key type decides the algorithm)
 * @base_hash: SPDM BaseHashAlgo bit the digest was made with
 * @key: the leaf's public key
 * @digest: hashed message
 * @digest_len: bytes of @digest
 * @signature: ECDSA r || s, or the RSA signature
 * @signature_len: bytes of @signature
 *
 * Return: 0 if it verifies, -EKEYREJECTED if it does not, or another errno
 * when it could not be checked.
 */
static int pci_cma_verify(void *ctx, u32 base_asym, u32 base_hash,
			  const struct pci_cma_public_key *key, const u8 *digest,
			  size_t digest_len, const u8 *signature, size_t signature_len)
{
	struct crypto_sig *tfm;
	char name[CRYPTO_MAX_ALG_NAME];
	int rc;

	rc = pci_cma_sig_alg(key, base_hash, name, sizeof(name));
	if (rc)
		return rc;
	tfm = crypto_alloc_sig(name, 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	rc = crypto_sig_set_pubkey(tfm, key->key, key->key_len);
	if (!rc) {
		rc = crypto_sig_verify(tfm, signature, signature_len, digest, digest_len);
		/*
		 * With the key accepted, every refusal is about the signature:
		 * pkcs1 reports bad padding as -EINVAL, others -EBADMSG.
		 */
		if (rc == -EBADMSG || rc == -EINVAL)
			rc = -EKEYREJECTED;
	}
	crypto_free_sig(tfm);
	return rc;
}

/* The debug kernel's fail_function makes a check unverifiable on demand. */
ALLOW_ERROR_INJECTION(pci_cma_verify, ERRNO);

/**
 * pci_cma_shake() - a stretch of SHAKE128 or SHAKE256 output
 * @ctx: unused
 * @bits: 128 or 256
 * @parts: the input, in pieces
 * @count: number of @parts
 * @offset: the first byte of the output stream wanted
 * @out: receives bytes @offset to @offset + @out_len of the output
 * @out_len: bytes wanted
 *
 * The engine's ML-DSA samplers read the stream in order and ask for a
 * later stretch only when their buffer ran out, which almost never
 * happens; the bytes before @offset are squeezed again and dropped.
 *
 * Return: 0, or -EINVAL for another @bits.
 */
static int pci_cma_shake(void *ctx, u32 bits, const struct pci_cma_bytes *parts,
			 size_t count, size_t offset, u8 *out, size_t out_len)
{
	struct shake_ctx shake;
	u8 skipped[64];
	size_t i, n;

	if (bits == 128)
		shake128_init(&shake);
	else if (bits == 256)
		shake256_init(&shake);
	else
		return -EINVAL;
	for (i = 0; i < count; i++)
		shake_update(&shake, parts[i].data, parts[i].len);
	for (; offset; offset -= n) {
		n = min(offset, sizeof(skipped));
		shake_squeeze(&shake, skipped, n);
	}
	shake_squeeze(&shake, out, out_len);
	shake_zeroize_ctx(&shake);
	return 0;
}

/**
 * pci_cma_rsa_public() - the raw RSA public operation
 * @ctx: unused
 * @key: an RSA public key (DER RSAPublicKey)
 * @in: the signature
 * @in_len: bytes of @in
 * @out: receives @in^e mod n, right-aligned in the modulus size
 * @out_len: the modulus size
 *
 * Return: 0, -EKEYREJECTED for a signature the key cannot have made (not
 * below the modulus), or the errno of the crypto API (-EINVAL for a
 * non-RSA key).
 */
static int pci_cma_rsa_public(void *ctx, const struct pci_cma_public_key *key,
			      const u8 *in, size_t in_len, u8 *out, size_t out_len)
{
	struct crypto_akcipher *tfm;
	u8 *buf;
	int rc;

	if (key->type != PCI_CMA_KEY_RSA)
		return -EINVAL;
	tfm = crypto_alloc_akcipher("rsa", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	buf = kzalloc(out_len, GFP_KERNEL);
	rc = buf ? crypto_akcipher_set_pub_key(tfm, key->key, key->key_len) : -ENOMEM;
	if (!rc) {
		rc = crypto_akcipher_sync_encrypt(tfm, in, in_len, buf, out_len);
		/* With the key accepted, the rsa driver refuses s >= n so. */
		if (rc == -EINVAL)
			rc = -EKEYREJECTED;
	}
	if (!rc)
		memcpy(out, buf, out_len);
	kfree(buf);
	crypto_free_akcipher(tfm);
	return rc;
}

/* The pool is seeded: pci_cma_conversation_begin() waited for it. */
static void pci_cma_random(void *ctx, u8 *out, size_t len)
{
	get_random_bytes(out, len);
}

static u64 pci_cma_now_us(void *ctx)
{
	return div_u64(ktime_get_ns(), NSEC_PER_USEC);
}

/*
 * A ResponseNotReady wait ends at the deadline (the next exchange then
 * fails), and in slices, so that a removal or an unload waiting for the
 * conversation is not kept waiting for the device's whole RDT.
 */
static void pci_cma_sleep_us(void *ctx, u64 us)
{
	struct pci_cma_device *dev = ctx;
	u64 left = min(us, pci_cma_conversation_left_us(dev));
	u64 slice;

	while (left && !READ_ONCE(dev->gone)) {
		slice = min_t(u64, left, 10 * USEC_PER_MSEC);
		fsleep(slice);
		left -= slice;
	}
}

/**
 * pci_cma_device_ops() - the engine callbacks for one device
 * @dev: the device, with its CMA mailbox found
 * @ops: filled in
 */
void pci_cma_device_ops(struct pci_cma_device *dev, struct pci_cma_ops *ops)
{
	*ops = (struct pci_cma_ops) {
		.ctx = dev,
		.exchange = pci_cma_exchange,
		.digest = pci_cma_digest,
		.verify = pci_cma_verify,
		/*
		 * No verify_message: SPDM 1.4 signs with ML-DSA under a
		 * non-empty FIPS 204 context string, and the kernel's
		 * mldsa_verify() only knows the empty one. The engine then
		 * verifies ML-DSA itself over this SHAKE. A kernel whose
		 * verifier takes a context belongs in verify_message, which
		 * the engine prefers.
		 */
		.shake = pci_cma_shake,
		.rsa_public = pci_cma_rsa_public,
		.random = pci_cma_random,
		.now_us = pci_cma_now_us,
		.sleep_us = pci_cma_sleep_us,
		.base_hashes = pci_cma_hashes,
	};
}
