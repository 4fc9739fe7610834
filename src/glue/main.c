// SPDX-License-Identifier: GPL-2.0
/*
 * pci_cma_tsm: native PCIe CMA-SPDM device authentication.
 *
 * At load, every PCI device with a CMA DOE mailbox is authenticated
 * asynchronously and in parallel, on the module's own workqueue, so no
 * probe waits for it. The SPDM engine is freestanding C++ behind
 * include/pci_cma/engine.h; this glue owns every kernel interface.
 *
 * The glue in layers, each calling only those below it:
 * - registry.c: the tracked devices, their lifetime, where events go;
 * - gate.c, places.c: the supplier each device's driver depends on, and
 *   approvals kept by place;
 * - conversation.c, kernel_ops.c: one SPDM conversation through the
 *   kernel's DOE and crypto;
 * - checks.c, verdict.c, recheck.c: authentication and every check, and
 *   the one place their outcomes become state and action;
 * - netlink.c, sysfs.c, tsm.c: what user space and the PCI TSM core see;
 * - main.c: wires them together, and adds and stops devices.
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

/*
 * Serializes adding devices, so that a device seen by both the load-time
 * scan and the bus notifier is tracked once; set @pci_cma_leaving under it
 * and no device is added again.
 */
static DEFINE_MUTEX(pci_cma_membership);
static bool pci_cma_leaving;
static u64 pci_cma_next_id;

/*
 * pci_cma_device_stop() - end every use of the device's mailbox
 * @dev: the device, referenced by the caller
 * @unloading: the module is leaving; else the PCI device is, and its
 *	approval stays with its place
 *
 * Idempotent, and safe to call from two paths at once (a hot removal
 * during unload): each caller returns only once no conversation runs and
 * none can start, so the PCI core may free the mailbox. Nothing that
 * follows is a verdict on the device.
 */
static void pci_cma_device_stop(struct pci_cma_device *dev, bool unloading)
{
	struct pci_cma_gate *gate;

	/* Under the lock: no work item is queued after this (see verdict.c). */
	scoped_guard(mutex, &dev->lock)
		WRITE_ONCE(dev->gone, true);
	cancel_work_sync(&dev->work);
	pci_cma_cancel_works(dev);
	pci_cma_gate_cancel(dev);
	/* A conversation in flight ends at its next exchange. */
	mutex_lock(&dev->conversation);
	mutex_unlock(&dev->conversation);
	scoped_guard(mutex, &dev->lock) {
		if (dev->stopped)
			return;
		dev->stopped = true;
		if (!unloading)
			pci_cma_place_keep(dev);
		pci_cma_announce(dev, PCI_CMA_EVENT_REMOVED);
		gate = dev->gate;
		dev->gate = NULL;
	}
	/* Waits for attribute readers, which take @dev->lock: not under it. */
	if (gate)
		pci_cma_gate_remove(dev, gate, unloading);
}

/**
 * pci_cma_add_device() - start authenticating a device if it has CMA
 * @pdev: any PCI device
 *
 * Return: 0 (also for a device without a CMA mailbox, one already tracked,
 * or any device once the module is leaving), or -ENOMEM.
 */
static int pci_cma_add_device(struct pci_dev *pdev)
{
	struct pci_doe_mb *mailbox;
	struct pci_cma_device *dev;

	mailbox = pci_find_doe_mailbox(pdev, PCI_VENDOR_ID_PCI_SIG, PCI_DOE_FEATURE_CMA);
	if (!mailbox)
		return 0;
	guard(mutex)(&pci_cma_membership);
	if (pci_cma_leaving)
		return 0;
	scoped_guard(mutex, &pci_cma_devices_lock)
		if (pci_cma_find_locked(pdev))
			return 0;
	dev = pci_cma_device_alloc(pdev, mailbox, slot);
	if (!dev)
		return -ENOMEM;
	INIT_WORK(&dev->work, pci_cma_authenticate_work);
	pci_cma_verdict_init(dev);
	pci_cma_gate_init(dev);
	pci_cma_place_adopt(dev);
	/* Gated before any driver can probe it; published with its data. */
	pci_cma_gate_add(dev, pci_cma_tsm_parent_device());
	scoped_guard(mutex, &pci_cma_devices_lock) {
		dev->id = ++pci_cma_next_id;
		list_add_tail(&dev->node, &pci_cma_devices);
	}
	queue_work(pci_cma_wq, &dev->work);
	return 0;
}

/* Drops the list's reference once @dev is stopped, if nobody did yet. */
static void pci_cma_unlink(struct pci_cma_device *dev)
{
	bool linked;

	scoped_guard(mutex, &pci_cma_devices_lock) {
		linked = !list_empty(&dev->node);
		list_del_init(&dev->node);
	}
	if (linked)
		pci_cma_device_put(dev);
}

/*
 * A device is going away: returns only once nothing talks to its mailbox
 * and nothing will, even if module unload is stopping the same device.
 */
static void pci_cma_remove_device(struct pci_dev *pdev)
{
	struct pci_cma_device *dev = pci_cma_device_get_pdev(pdev);

	if (!dev)
		return;
	pci_info(pdev, "no longer tracked by %s\n", KBUILD_MODNAME);
	pci_cma_device_stop(dev, false);
	pci_cma_unlink(dev);
	pci_cma_device_put(dev);
}

/*
 * Devices that appear later (hotplug, rescan, SR-IOV) are authenticated
 * too, and gated before the PCI core lets drivers match them; a device is
 * announced removed (device_del()) before the PCI core destroys its DOE
 * mailboxes, so removal stops our use of them in time. Drivers that hand
 * a device to user space (vfio-pci) are seen binding and leaving.
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
	case BUS_NOTIFY_BIND_DRIVER:
		pci_cma_lend(pdev);
		break;
	case BUS_NOTIFY_UNBOUND_DRIVER:
	case BUS_NOTIFY_DRIVER_NOT_BOUND:
		pci_cma_take_back(pdev);
		break;
	}
	return NOTIFY_OK;
}

static struct notifier_block pci_cma_bus_nb = {
	.notifier_call = pci_cma_bus_notify,
};

/*
 * Stops adding devices, then stops and unlinks every tracked one. A device
 * stays on the list until it is stopped, so a hot removal racing with this
 * finds it and waits for the same stop.
 */
static void pci_cma_remove_all(void)
{
	struct pci_cma_device *dev;

	scoped_guard(mutex, &pci_cma_membership)
		pci_cma_leaving = true;
	for (;;) {
		scoped_guard(mutex, &pci_cma_devices_lock) {
			dev = list_first_entry_or_null(&pci_cma_devices, struct pci_cma_device,
						       node);
			if (dev)
				kref_get(&dev->ref);
		}
		if (!dev)
			return;
		pci_cma_device_stop(dev, true);
		pci_cma_unlink(dev);
		pci_cma_device_put(dev);
	}
}

/*
 * Every device present now, under the lock that hotplug and rescans hold
 * while they add and remove devices: none is half added or half removed
 * while we look, and the notifier, registered first, sees every later one.
 */
static int pci_cma_scan(void)
{
	struct pci_dev *pdev = NULL;
	int rc = 0;

	pci_lock_rescan_remove();
	for_each_pci_dev(pdev) {
		rc = pci_cma_add_device(pdev);
		if (rc) {
			pci_dev_put(pdev);
			break;
		}
	}
	pci_unlock_rescan_remove();
	return rc;
}

static int __init pci_cma_init(void)
{
	int rc;

	if (slot > 7)
		return -EINVAL;
	pci_cma_crypto_init();
	/* First in, last out: every other work of the module may queue a record. */
	rc = pci_cma_ima_init();
	if (rc)
		return rc;
	/*
	 * Unbound: authentications run in parallel, off every probe path.
	 * Freezable: no check talks to a device while the system suspends
	 * and powers devices down; queued ones run after thaw.
	 */
	pci_cma_wq = alloc_workqueue("pci_cma", WQ_UNBOUND | WQ_FREEZABLE, 0);
	if (!pci_cma_wq) {
		pci_cma_ima_exit();
		return -ENOMEM;
	}
	rc = pci_cma_gate_register(pci_cma_resume_check, pci_cma_device_groups);
	if (rc)
		goto destroy_wq;
	/* The TSM's parent device is also the parent of each device's gate. */
	rc = pci_cma_tsm_register();
	if (rc)
		goto unregister_gate;
	rc = pci_cma_netlink_register();
	if (rc)
		goto unregister_tsm;
	rc = pci_cma_recheck_register();
	if (rc)
		goto unregister_netlink;
	/* Listen first, then scan: a device added in between is seen twice. */
	rc = bus_register_notifier(&pci_bus_type, &pci_cma_bus_nb);
	if (rc)
		goto unregister_recheck;
	rc = pci_cma_scan();
	if (rc)
		goto remove_all;
	return 0;

remove_all:
	pci_cma_tsm_unregister();
	pci_cma_recheck_unregister();
	pci_cma_remove_all();
	bus_unregister_notifier(&pci_bus_type, &pci_cma_bus_nb);
	pci_cma_netlink_unregister();
	pci_cma_places_forget();
	goto destroy_parent;
unregister_recheck:
	pci_cma_recheck_unregister();
unregister_netlink:
	pci_cma_netlink_unregister();
unregister_tsm:
	pci_cma_tsm_unregister();
destroy_parent:
	pci_cma_tsm_destroy_parent();
unregister_gate:
	pci_cma_gate_unregister();
destroy_wq:
	destroy_workqueue(pci_cma_wq);
	pci_cma_ima_exit();
	return rc;
}

/*
 * Order matters: no new connect or reset check can start; every device is
 * stopped and its gate released (each waits for its conversation, and a
 * hot removal meanwhile waits for the same stop) while the bus notifier
 * still sees removals and the family still carries the REMOVED
 * notifications; only then are the notifier and the family dropped (the
 * latter waits for requests in flight, which find their device gone).
 */
static void __exit pci_cma_exit(void)
{
	pci_cma_tsm_unregister();
	pci_cma_recheck_unregister();
	pci_cma_remove_all();
	bus_unregister_notifier(&pci_bus_type, &pci_cma_bus_nb);
	pci_cma_netlink_unregister();
	pci_cma_places_forget();
	pci_cma_tsm_destroy_parent();
	pci_cma_gate_unregister();
	destroy_workqueue(pci_cma_wq);
	pci_cma_ima_exit();
}

module_init(pci_cma_init);
module_exit(pci_cma_exit);

MODULE_DESCRIPTION("PCIe CMA-SPDM device authentication as a TSM driver");
MODULE_LICENSE("GPL");
/* SHA-3 is offered to devices only when loaded; modprobe loads it first. */
MODULE_SOFTDEP("pre: sha3");
