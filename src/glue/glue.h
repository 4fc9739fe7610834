/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by the C glue files of pci_cma_tsm. */
#ifndef PCI_CMA_GLUE_H
#define PCI_CMA_GLUE_H

#include <pci_cma/engine.h>

extern const struct pci_cma_env pci_cma_kernel_env;

#endif /* PCI_CMA_GLUE_H */
