// SPDX-License-Identifier: GPL-2.0
/*
 * pci_cma_tsm: native PCIe CMA-SPDM device authentication, registered with
 * the PCI TSM core as the "kernel-pci-cma" TSM driver.
 *
 * This file holds module init and exit. The SPDM engine is freestanding C++
 * behind include/pci_cma/engine.h; the C glue owns every kernel interface.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "glue.h"

static int __init pci_cma_init(void)
{
	pr_debug("engine ready\n");
	return 0;
}

static void __exit pci_cma_exit(void)
{
	pr_debug("unloaded\n");
}

module_init(pci_cma_init);
module_exit(pci_cma_exit);

MODULE_DESCRIPTION("PCIe CMA-SPDM device authentication as a TSM driver");
MODULE_LICENSE("GPL");
