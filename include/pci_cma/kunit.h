/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What pci_cma_tsm exports to its KUnit test module, and only in kernels
 * with CONFIG_KUNIT (namespace EXPORTED_FOR_KUNIT_TESTING).
 */
#ifndef PCI_CMA_KUNIT_H
#define PCI_CMA_KUNIT_H

#include <linux/types.h>

#include <pci_cma/engine.h>

/**
 * struct pci_cma_kunit_case - one engine self-test case
 * @area: engine area the case tests ("base", ...)
 * @suite: suite within the area
 * @name: what the case checks
 */
struct pci_cma_kunit_case {
	const char *area;
	const char *suite;
	const char *name;
};

bool pci_cma_kunit_describe(size_t index, struct pci_cma_kunit_case *desc);
bool pci_cma_kunit_run(size_t index, char *message, size_t message_size);
void pci_cma_kunit_crypto_ops(struct pci_cma_ops *ops);
u16 pci_cma_kunit_verify_mldsa(u32 pqc_asym, const struct pci_cma_bytes *key,
			       const struct pci_cma_bytes *message,
			       const struct pci_cma_bytes *context,
			       const struct pci_cma_bytes *signature);
long pci_cma_kunit_doe_received(int rc, size_t response_size);
long pci_cma_kunit_exchange_removed(void);
long pci_cma_kunit_exchange_late(void);
u16 pci_cma_kunit_authenticate(const struct pci_cma_ops *ops,
			       const struct pci_cma_auth_params *params,
			       struct pci_cma_auth_result *result);

#endif /* PCI_CMA_KUNIT_H */
