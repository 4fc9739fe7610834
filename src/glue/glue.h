/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by the C glue files of pci_cma_tsm. */
#ifndef PCI_CMA_GLUE_H
#define PCI_CMA_GLUE_H

#include <linux/device/faux.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/workqueue.h>

#include <pci_cma/engine.h>

extern const struct pci_cma_env pci_cma_kernel_env;

/**
 * struct pci_cma_device - a PCI device with a CMA DOE mailbox
 * @node: in the module's device list
 * @pdev: the device, referenced
 * @mailbox: its CMA-capable DOE mailbox
 * @work: authentication, run on the module's workqueue
 * @lock: one SPDM conversation with the device at a time
 * @result: what the last authentication found
 * @status: 0 once authenticated, -EINPROGRESS before, or the failure errno
 * @gone: set when the device is being removed: exchanges stop at once
 * @sysfs: its object under kernel-pci-cma, or NULL
 */
struct pci_cma_device {
	struct list_head node;
	struct pci_dev *pdev;
	struct pci_doe_mb *mailbox;
	struct work_struct work;
	struct mutex lock; /* one SPDM conversation with the device at a time */
	struct pci_cma_auth_result result;
	int status;
	bool gone;
	struct faux_device *sysfs;
};

void pci_cma_device_ops(struct pci_cma_device *dev, struct pci_cma_ops *ops);
int pci_cma_errno(u16 engine_error);
int pci_cma_authenticate_now(struct pci_dev *pdev);
int pci_cma_tsm_register(void);
void pci_cma_tsm_unregister(void);
void pci_cma_tsm_destroy_parent(void);
struct device *pci_cma_tsm_parent_device(void);
int pci_cma_sysfs_add(struct pci_cma_device *dev, struct device *parent);
void pci_cma_sysfs_remove(struct pci_cma_device *dev);

#endif /* PCI_CMA_GLUE_H */
