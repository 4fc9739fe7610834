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

#include <uapi/linux/pci_cma.h>

#include "glue.h"

static unsigned int slot;
module_param(slot, uint, 0444);
MODULE_PARM_DESC(slot, "Certificate slot (0-7) authenticated on each device (default 0)");

struct workqueue_struct *pci_cma_wq;

static void pci_cma_authenticate_work(struct work_struct *work)
{
	pci_cma_run(container_of(work, struct pci_cma_device, work));
}

/**
 * pci_cma_authenticate_now() - make a tracked device prove itself now
 * @pdev: the device
 *
 * Return: 0 if it proved possession of its key again, -ENODEV if the module
 * does not track @pdev, or the errno of the failure.
 */
int pci_cma_authenticate_now(struct pci_dev *pdev)
{
	struct pci_cma_device *dev;

	scoped_guard(mutex, &pci_cma_devices_lock)
		dev = pci_cma_find_locked(pdev);
	if (!dev)
		return -ENODEV;
	/*
	 * The entry outlives this call: the PCI core tears down TSM
	 * connections (pci_tsm_destroy()) before it announces the removal
	 * that frees it, and module exit unregisters the TSM first.
	 */
	return pci_cma_prove(dev);
}

/**
 * pci_cma_add_device() - start authenticating a device if it has CMA
 * @pdev: any PCI device
 *
 * Return: 0 (also for a device without a CMA mailbox or one already
 * tracked), or -ENOMEM.
 */
static int pci_cma_add_device(struct pci_dev *pdev)
{
	struct pci_doe_mb *mailbox;
	struct pci_cma_device *dev;

	mailbox = pci_find_doe_mailbox(pdev, PCI_VENDOR_ID_PCI_SIG, PCI_DOE_FEATURE_CMA);
	if (!mailbox)
		return 0;
	scoped_guard(mutex, &pci_cma_devices_lock)
		if (pci_cma_find_locked(pdev))
			return 0;
	dev = kzalloc_obj(*dev);
	if (!dev)
		return -ENOMEM;
	kref_init(&dev->ref);
	dev->pdev = pci_dev_get(pdev);
	dev->mailbox = mailbox;
	dev->slot = slot;
	dev->last_event = PCI_CMA_NO_EVENT;
	dev->status = -EINPROGRESS;
	mutex_init(&dev->lock);
	INIT_WORK(&dev->work, pci_cma_authenticate_work);
	pci_cma_recheck_init(dev);
	pci_cma_sysfs_add(dev, pci_cma_tsm_parent_device());
	scoped_guard(mutex, &pci_cma_devices_lock)
		list_add_tail(&dev->node, &pci_cma_devices);
	queue_work(pci_cma_wq, &dev->work);
	return 0;
}

/*
 * Stops every conversation with the device and drops the list's reference;
 * netlink operations still holding one see it gone.
 */
static void pci_cma_free(struct pci_cma_device *dev)
{
	WRITE_ONCE(dev->gone, true);
	cancel_work_sync(&dev->work);
	/* Waits for a conversation user space started to end. */
	scoped_guard(mutex, &dev->lock) {
		/* Unloading hands the decision back to the administrator. */
		pci_cma_release_containment(dev);
		pci_cma_notify(dev, PCI_CMA_EVENT_REMOVED);
	}
	pci_cma_sysfs_remove(dev);
	pci_cma_device_put(dev);
}

/* A device is going away: stop talking to it before its mailbox goes. */
static void pci_cma_remove_device(struct pci_dev *pdev)
{
	struct pci_cma_device *dev;

	scoped_guard(mutex, &pci_cma_devices_lock) {
		dev = pci_cma_find_locked(pdev);
		if (dev)
			list_del(&dev->node);
	}
	if (dev) {
		pci_info(pdev, "no longer tracked by %s\n", KBUILD_MODNAME);
		pci_cma_free(dev);
	}
}

/*
 * Devices that appear later (hotplug, rescan, SR-IOV) are authenticated
 * too; a device is announced removed (device_del()) before the PCI core
 * destroys its DOE mailboxes, so removal stops our use of them in time.
 */
static int pci_cma_bus_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);

	switch (action) {
	case BUS_NOTIFY_ADD_DEVICE:
		if (pci_cma_add_device(pdev))
			pci_warn(pdev, "%s: out of memory, not authenticated\n", KBUILD_MODNAME);
		break;
	case BUS_NOTIFY_DEL_DEVICE:
		pci_cma_remove_device(pdev);
		break;
	}
	return NOTIFY_OK;
}

static struct notifier_block pci_cma_bus_nb = {
	.notifier_call = pci_cma_bus_notify,
};

static void pci_cma_remove_all(void)
{
	struct pci_cma_device *dev, *next;

	LIST_HEAD(all);

	scoped_guard(mutex, &pci_cma_devices_lock)
		list_splice_init(&pci_cma_devices, &all);
	list_for_each_entry_safe(dev, next, &all, node) {
		list_del(&dev->node);
		pci_cma_free(dev);
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
	/* The TSM's parent device is also the parent of each device's object. */
	rc = pci_cma_tsm_register();
	if (rc) {
		destroy_workqueue(pci_cma_wq);
		return rc;
	}
	rc = pci_cma_netlink_register();
	if (!rc) {
		rc = pci_cma_recheck_register();
		if (rc)
			pci_cma_netlink_unregister();
	}
	if (rc) {
		pci_cma_tsm_unregister();
		pci_cma_tsm_destroy_parent();
		destroy_workqueue(pci_cma_wq);
		return rc;
	}
	/* Listen first, then scan: a device added in between is seen twice. */
	rc = bus_register_notifier(&pci_bus_type, &pci_cma_bus_nb);
	if (rc) {
		pci_cma_recheck_unregister();
		pci_cma_netlink_unregister();
		pci_cma_tsm_unregister();
		pci_cma_tsm_destroy_parent();
		destroy_workqueue(pci_cma_wq);
		return rc;
	}
	for_each_pci_dev(pdev) {
		rc = pci_cma_add_device(pdev);
		if (rc) {
			pci_dev_put(pdev);
			break;
		}
	}
	if (rc) {
		pci_cma_tsm_unregister();
		bus_unregister_notifier(&pci_bus_type, &pci_cma_bus_nb);
		pci_cma_recheck_unregister();
		pci_cma_netlink_unregister();
		pci_cma_remove_all();
		pci_cma_tsm_destroy_parent();
		destroy_workqueue(pci_cma_wq);
	}
	return rc;
}

static void __exit pci_cma_exit(void)
{
	/* First the TSM, so that no connect can start on a device we free. */
	pci_cma_tsm_unregister();
	bus_unregister_notifier(&pci_bus_type, &pci_cma_bus_nb);
	/* Waits for probes and netlink operations in flight; none starts after. */
	pci_cma_recheck_unregister();
	pci_cma_netlink_unregister();
	pci_cma_remove_all();
	pci_cma_tsm_destroy_parent();
	destroy_workqueue(pci_cma_wq);
}

module_init(pci_cma_init);
module_exit(pci_cma_exit);

MODULE_DESCRIPTION("PCIe CMA-SPDM device authentication as a TSM driver");
MODULE_LICENSE("GPL");
/* SHA-3 is offered to devices only when loaded; modprobe loads it first. */
MODULE_SOFTDEP("pre: sha3");
