// SPDX-License-Identifier: GPL-2.0
/*
 * pci_cma_tsm: native PCIe CMA-SPDM device authentication.
 *
 * At load, every PCI device with a CMA DOE mailbox is authenticated
 * asynchronously and in parallel, on the module's own workqueue, so no
 * probe waits for it. The SPDM engine is freestanding C++ behind
 * include/pci_cma/engine.h; this glue owns every kernel interface.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-doe.h>
#include <linux/slab.h>

#include "glue.h"

static unsigned int slot;
module_param(slot, uint, 0444);
MODULE_PARM_DESC(slot, "Certificate slot (0-7) authenticated on each device (default 0)");

static struct workqueue_struct *pci_cma_wq;
static LIST_HEAD(pci_cma_devices);
static DEFINE_MUTEX(pci_cma_devices_lock);

static void pci_cma_report(struct pci_cma_device *dev)
{
	const struct pci_cma_auth_result *r = &dev->result;

	/*
	 * The device may be bound to any driver, whose name dev_info() would
	 * show; these lines are ours, so they carry the module's prefix.
	 */
	if (!dev->status) {
		pr_info("%s: authenticated: SPDM %x.%x, %s, %s, slot %u, %u exchanges, %llu certificate bytes\n",
			pci_name(dev->pdev), r->version >> 4, r->version & 0xf,
			pci_cma_asym_name(r->base_asym), pci_cma_hash_name(r->base_hash), r->slot,
			r->exchanges, r->certificate_bytes);
		return;
	}
	pr_warn("%s: not authenticated (%d): %s in %s at byte %u (SPDM error 0x%02x, transport %d)\n",
		pci_name(dev->pdev), dev->status, pci_cma_error_name(r->error),
		r->field ?: "(no field)", r->offset, r->spdm_error, r->transport_errno);
}

/* One authentication, its verdict kept and logged. */
static int pci_cma_run(struct pci_cma_device *dev)
{
	struct pci_cma_ops ops;
	u16 error;

	guard(mutex)(&dev->lock);
	pci_cma_device_ops(dev, &ops);
	error = pci_cma_authenticate(&pci_cma_kernel_env, &ops, slot, &dev->result);
	dev->status = pci_cma_errno(error);
	pci_cma_report(dev);
	return dev->status;
}

static void pci_cma_authenticate_work(struct work_struct *work)
{
	pci_cma_run(container_of(work, struct pci_cma_device, work));
}

/**
 * pci_cma_authenticate_now() - authenticate a tracked device synchronously
 * @pdev: the device
 *
 * Return: 0 if authenticated, -ENODEV if the module does not track @pdev,
 * or the errno of the failure.
 */
int pci_cma_authenticate_now(struct pci_dev *pdev)
{
	struct pci_cma_device *dev;

	scoped_guard(mutex, &pci_cma_devices_lock) {
		list_for_each_entry(dev, &pci_cma_devices, node)
			if (dev->pdev == pdev)
				goto found;
	}
	return -ENODEV;
found:
	/* The entry lives until module exit, which cannot run meanwhile. */
	return pci_cma_run(dev);
}

/**
 * pci_cma_add_device() - start authenticating a device if it has CMA
 * @pdev: any PCI device
 *
 * Return: 0 (also for a device without a CMA mailbox), or -ENOMEM.
 */
static int pci_cma_add_device(struct pci_dev *pdev)
{
	struct pci_doe_mb *mailbox;
	struct pci_cma_device *dev;

	mailbox = pci_find_doe_mailbox(pdev, PCI_VENDOR_ID_PCI_SIG, PCI_DOE_FEATURE_CMA);
	if (!mailbox)
		return 0;
	dev = kzalloc_obj(*dev);
	if (!dev)
		return -ENOMEM;
	dev->pdev = pci_dev_get(pdev);
	dev->mailbox = mailbox;
	dev->status = -EINPROGRESS;
	mutex_init(&dev->lock);
	INIT_WORK(&dev->work, pci_cma_authenticate_work);
	scoped_guard(mutex, &pci_cma_devices_lock)
		list_add_tail(&dev->node, &pci_cma_devices);
	queue_work(pci_cma_wq, &dev->work);
	return 0;
}

static void pci_cma_remove_all(void)
{
	struct pci_cma_device *dev, *next;

	guard(mutex)(&pci_cma_devices_lock);
	list_for_each_entry_safe(dev, next, &pci_cma_devices, node) {
		cancel_work_sync(&dev->work);
		list_del(&dev->node);
		mutex_destroy(&dev->lock);
		pci_dev_put(dev->pdev);
		kfree(dev);
	}
}

static int __init pci_cma_init(void)
{
	struct pci_dev *pdev = NULL;
	int rc = 0;

	if (slot > 7)
		return -EINVAL;
	/* Unbound: authentications run in parallel, off every probe path. */
	pci_cma_wq = alloc_workqueue("pci_cma", WQ_UNBOUND, 0);
	if (!pci_cma_wq)
		return -ENOMEM;
	for_each_pci_dev(pdev) {
		rc = pci_cma_add_device(pdev);
		if (rc) {
			pci_dev_put(pdev);
			break;
		}
	}
	if (!rc)
		rc = pci_cma_tsm_register();
	if (rc) {
		pci_cma_remove_all();
		destroy_workqueue(pci_cma_wq);
	}
	return rc;
}

static void __exit pci_cma_exit(void)
{
	/* First the TSM, so that no connect can start on a device we free. */
	pci_cma_tsm_unregister();
	pci_cma_remove_all();
	destroy_workqueue(pci_cma_wq);
}

module_init(pci_cma_init);
module_exit(pci_cma_exit);

MODULE_DESCRIPTION("PCIe CMA-SPDM device authentication as a TSM driver");
MODULE_LICENSE("GPL");
