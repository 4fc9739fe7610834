/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only interface between the kernel glue (C) and the SPDM engine
 * (freestanding C++): plain structs, fixed-width integers, opaque handles
 * and explicit lengths. Nothing else crosses.
 */
#ifndef PCI_CMA_ENGINE_H
#define PCI_CMA_ENGINE_H

#ifdef __cplusplus
#include "base/types.h"
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
