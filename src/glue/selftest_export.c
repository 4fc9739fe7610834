// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's self-tests, exported only to the KUnit test module: these
 * symbols exist only in kernels with CONFIG_KUNIT and live in the
 * EXPORTED_FOR_KUNIT_TESTING namespace. The cases run with the module's own
 * kmalloc-backed environment, exactly as the engine does in production.
 */
#include <kunit/visibility.h>
#include <linux/export.h>

#include <pci_cma/kunit.h>

#include "glue.h"

/**
 * pci_cma_kunit_describe() - name one engine self-test case
 * @index: case number, from 0
 * @desc: filled with the case's area, suite and name
 *
 * Return: true if @index names a case, false past the last one.
 */
bool pci_cma_kunit_describe(size_t index, struct pci_cma_kunit_case *desc)
{
	if (index >= pci_cma_selftest_count())
		return false;
	desc->area = pci_cma_selftest_area(index);
	desc->suite = pci_cma_selftest_suite(index);
	desc->name = pci_cma_selftest_name(index);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(pci_cma_kunit_describe);

/**
 * pci_cma_kunit_run() - run one engine self-test case
 * @index: case number, from 0
 * @message: receives the reason on failure, NUL-terminated
 * @message_size: size of @message in bytes, at least 1
 *
 * Return: true if the case passed.
 */
bool pci_cma_kunit_run(size_t index, char *message, size_t message_size)
{
	return pci_cma_selftest_run(index, &pci_cma_kernel_env, message, message_size);
}
EXPORT_SYMBOL_IF_KUNIT(pci_cma_kunit_run);

/**
 * pci_cma_kunit_crypto_ops() - the kernel backend's callbacks, for tests
 * @ops: filled in; without a device, only the crypto callbacks may be used
 */
void pci_cma_kunit_crypto_ops(struct pci_cma_ops *ops)
{
	pci_cma_device_ops(NULL, ops);
}
EXPORT_SYMBOL_IF_KUNIT(pci_cma_kunit_crypto_ops);

/**
 * pci_cma_kunit_verify_mldsa() - one ML-DSA verification, as the module makes it
 * @pqc_asym: the SPDM 1.4 PqcAsymAlgo bit of the parameter set
 * @key: the raw public key
 * @message: the signed message
 * @context: the FIPS 204 context string
 * @signature: the signature
 *
 * Return: 0 if the signature verifies, else the engine error code.
 */
u16 pci_cma_kunit_verify_mldsa(u32 pqc_asym, const struct pci_cma_bytes *key,
			       const struct pci_cma_bytes *message,
			       const struct pci_cma_bytes *context,
			       const struct pci_cma_bytes *signature)
{
	struct pci_cma_ops ops;

	pci_cma_device_ops(NULL, &ops);
	return pci_cma_verify_mldsa(&pci_cma_kernel_env, &ops, pqc_asym, key,
				    message, context, signature);
}
EXPORT_SYMBOL_IF_KUNIT(pci_cma_kunit_verify_mldsa);

/**
 * pci_cma_kunit_doe_received() - pci_cma_doe_received() for KUnit
 * @rc: a pci_doe() result
 * @response_size: the receive buffer's size
 *
 * Return: what the engine is told.
 */
long pci_cma_kunit_doe_received(int rc, size_t response_size)
{
	return pci_cma_doe_received(rc, response_size);
}
EXPORT_SYMBOL_IF_KUNIT(pci_cma_kunit_doe_received);

/*
 * One exchange through the glue's callback on @dev, which has no mailbox at
 * all: reaching pci_doe() would crash, so a clean errno shows that the
 * exchange stopped before the mailbox.
 */
static long pci_cma_kunit_exchange(struct pci_cma_device *dev)
{
	struct pci_cma_ops ops;
	u8 request[4] = { 0x10, 0x84, 0, 0 };
	u8 response[16];

	pci_cma_device_ops(dev, &ops);
	return ops.exchange(ops.ctx, request, sizeof(request), response, sizeof(response));
}

/**
 * pci_cma_kunit_exchange_removed() - an exchange on a device being removed
 *
 * Return: what the exchange callback returned (-ENODEV expected).
 */
long pci_cma_kunit_exchange_removed(void)
{
	struct pci_cma_device dev = { .gone = true };

	return pci_cma_kunit_exchange(&dev);
}
EXPORT_SYMBOL_IF_KUNIT(pci_cma_kunit_exchange_removed);

/**
 * pci_cma_kunit_exchange_late() - an exchange past the conversation deadline
 *
 * Return: what the exchange callback returned (-ETIMEDOUT expected).
 */
long pci_cma_kunit_exchange_late(void)
{
	struct pci_cma_device dev = { .deadline = ktime_sub_ms(ktime_get(), 1) };

	return pci_cma_kunit_exchange(&dev);
}
EXPORT_SYMBOL_IF_KUNIT(pci_cma_kunit_exchange_late);

/**
 * pci_cma_kunit_authenticate() - a full authentication for KUnit
 * @ops: the callbacks, typically the kernel crypto backend with a replayed
 *	transport
 * @params: slot, nonce and evidence sink
 * @result: filled in
 *
 * Runs the engine with the module's own kmalloc-backed environment.
 *
 * Return: 0, or the engine's error code (see pci_cma_error_name()).
 */
u16 pci_cma_kunit_authenticate(const struct pci_cma_ops *ops,
			       const struct pci_cma_auth_params *params,
			       struct pci_cma_auth_result *result)
{
	return pci_cma_authenticate(&pci_cma_kernel_env, ops, params, result);
}
EXPORT_SYMBOL_IF_KUNIT(pci_cma_kunit_authenticate);

/* Error names, so KUnit messages say what the engine reported. */
EXPORT_SYMBOL_IF_KUNIT(pci_cma_error_name);
