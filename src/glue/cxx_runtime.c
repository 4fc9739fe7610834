// SPDX-License-Identifier: GPL-2.0
/*
 * The little C++ runtime the engine needs, and the environment it runs in.
 *
 * The engine never allocates with operator new: it asks pci_cma_kernel_env,
 * and a failed allocation is a value it must handle. There are no global
 * constructors, no exceptions and no RTTI, so nothing else is needed; the
 * build's symbol check fails if the C++ objects reference anything more.
 */
#include <linux/bug.h>
#include <linux/error-injection.h>
#include <linux/slab.h>

#include "glue.h"

/*
 * A call through a pure virtual slot means an engine object was used during
 * its own construction or destruction: our bug, never the device's.
 */
void __cxa_pure_virtual(void);
void __cxa_pure_virtual(void)
{
	BUG();
}

static void *pci_cma_env_alloc(void *ctx, size_t size)
{
	/* Chains and transcripts reach tens of KiB: no physically contiguous need. */
	return kvmalloc(size, GFP_KERNEL);
}

/*
 * Every engine allocation comes through here: the debug kernel's
 * fail_function makes chosen ones fail, to test that each failure ends in
 * a clean error that reads as "could not check".
 */
ALLOW_ERROR_INJECTION(pci_cma_env_alloc, NULL);

static void pci_cma_env_free(void *ctx, void *block)
{
	kvfree(block);
}

/* kvmalloc() returns at least 8-byte aligned memory, as the ABI promises. */
const struct pci_cma_env pci_cma_kernel_env = {
	.ctx = NULL,
	.alloc = pci_cma_env_alloc,
	.free = pci_cma_env_free,
};
