// SPDX-License-Identifier: GPL-2.0
/*
 * The evidence an authentication gathers, copied out of the engine's
 * buffers as it hands each object over, and freed as a whole.
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "glue.h"

/* Largest object kept: a 64 KiB chain plus the transcript around it. */
#define PCI_CMA_EVIDENCE_MAX	(128 * 1024)

/**
 * pci_cma_evidence_sink() - keep one evidence object
 * @ctx: the struct pci_cma_evidence being filled
 * @type: PCI_CMA_EVIDENCE_*
 * @data: the object, valid only during the call
 * @len: its size
 *
 * Return: 0, -EINVAL for an unknown type or an oversized object, or
 * -ENOMEM.
 */
int pci_cma_evidence_sink(void *ctx, u32 type, const u8 *data, size_t len)
{
	struct pci_cma_evidence *evidence = ctx;
	u8 *copy;

	if (type >= PCI_CMA_EVIDENCE_COUNT || len > PCI_CMA_EVIDENCE_MAX)
		return -EINVAL;
	copy = kvmemdup(data, len, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	kvfree(evidence->data[type]);
	evidence->data[type] = copy;
	evidence->len[type] = len;
	return 0;
}

/**
 * pci_cma_evidence_free() - free every object and forget them
 * @evidence: the evidence
 */
void pci_cma_evidence_free(struct pci_cma_evidence *evidence)
{
	size_t i;

	for (i = 0; i < PCI_CMA_EVIDENCE_COUNT; i++)
		kvfree(evidence->data[i]);
	memset(evidence, 0, sizeof(*evidence));
}
