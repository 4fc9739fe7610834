// SPDX-License-Identifier: GPL-2.0
/*
 * cma_test_bus_reset: calls pci_reset_bus() on the function whose name is
 * written to its "reset_bus" parameter, as VFIO's hot-reset ioctl does for
 * a device user space owns. The write fails with pci_reset_bus()'s errno.
 * Nothing in the test guests calls pci_reset_bus() otherwise.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>

static int cma_test_reset_bus_set(const char *val, const struct kernel_param *kp)
{
	unsigned int domain, bus, slot, fn;
	struct pci_dev *pdev;
	int rc;

	if (sscanf(val, "%x:%x:%x.%x", &domain, &bus, &slot, &fn) != 4)
		return -EINVAL;
	pdev = pci_get_domain_bus_and_slot(domain, bus, PCI_DEVFN(slot, fn));
	if (!pdev)
		return -ENODEV;
	rc = pci_reset_bus(pdev);
	pci_info(pdev, "cma_test_bus_reset: pci_reset_bus() returned %d\n", rc);
	pci_dev_put(pdev);
	return rc;
}

static const struct kernel_param_ops cma_test_reset_bus_ops = {
	.set = cma_test_reset_bus_set,
};
module_param_cb(reset_bus, &cma_test_reset_bus_ops, NULL, 0200);
MODULE_PARM_DESC(reset_bus, "Write DDDD:BB:DD.F: pci_reset_bus() of that function");

MODULE_DESCRIPTION("Test module that calls pci_reset_bus() on demand");
MODULE_LICENSE("GPL");
