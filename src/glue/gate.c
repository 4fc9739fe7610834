// SPDX-License-Identifier: GPL-2.0
/*
 * The gate: the driver core itself keeps a PCI device's driver off until
 * the module lets it bind.
 *
 * Each tracked device gets a supplier, a device on the module's "pci-cma"
 * bus named cma-DDDD:BB:DD.F under kernel-pci-cma, and a managed device
 * link from the PCI device to it. While the supplier has no driver, every
 * probe of the PCI device (autoprobe, drivers_probe, bind, a
 * driver_override of root's choosing, a rescan) ends in -EPROBE_DEFER in
 * device_links_check_suppliers(); unbinding the supplier makes the driver
 * core unbind the PCI device's driver first. Only the module binds the
 * supplier: the bus matches it only while the module says so, and the
 * supplier driver has no bind or unbind files. /sys/class/devlink/ shows
 * each link's state.
 *
 * The link also orders system sleep: the supplier's resume (and restore)
 * callback runs before the PCI device's driver resumes, after the PCI
 * core restored the device's config space in its noirq phase. That is
 * where an approved device is checked (recheck.c): its driver never sees
 * a device that is not the approved one, and suppliers resume
 * asynchronously, so devices are checked in parallel.
 *
 * The link is added twice, managed and then stateless, which makes it one
 * link with two references the module can drop: a link that is only
 * managed can be dropped only by unbinding the supplier, which would
 * unbind every driver of a tracked device when the module unloads. It
 * asks the driver core to probe the PCI device again whenever the gate
 * opens (DL_FLAG_AUTOPROBE_CONSUMER), so a device held at enumeration or
 * contained binds once it is let through, as drivers_autoprobe allows.
 *
 * Policy (gate=): whether a device with no approval is held; a device with
 * an approval (made now, or carried over from its place) is held until it
 * proves to be the approved one, whatever the policy, unless contain=N.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "glue.h"

/**
 * struct pci_cma_gate - the supplier a tracked PCI device's driver needs
 * @dev: on the module's "pci-cma" bus, named cma-DDDD:BB:DD.F; carries the
 *	device's attributes
 * @cma: the tracked device, referenced
 * @open: whether the module lets the supplier bind (what match() answers)
 */
struct pci_cma_gate {
	struct device dev;
	struct pci_cma_device *cma;
	bool open;
};

enum pci_cma_gate_policy {
	PCI_CMA_GATE_OFF,
	PCI_CMA_GATE_AUTHENTICATED,
	PCI_CMA_GATE_APPROVED,
};

static const char *const pci_cma_gate_policies[] = {
	[PCI_CMA_GATE_OFF] = "off",
	[PCI_CMA_GATE_AUTHENTICATED] = "authenticated",
	[PCI_CMA_GATE_APPROVED] = "approved",
};

static int gate = PCI_CMA_GATE_OFF;

static int pci_cma_gate_policy_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(pci_cma_gate_policies, val);

	if (i < 0)
		return -EINVAL;
	*(int *)kp->arg = i;
	return 0;
}

static int pci_cma_gate_policy_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", pci_cma_gate_policies[*(int *)kp->arg]);
}

static const struct kernel_param_ops pci_cma_gate_policy_ops = {
	.set = pci_cma_gate_policy_set,
	.get = pci_cma_gate_policy_get,
};
module_param_cb(gate, &pci_cma_gate_policy_ops, &gate, 0444);
MODULE_PARM_DESC(gate,
		 "Which devices without an approval drivers may bind: off (all), authenticated (once the kernel's authentication succeeded), approved (none until user space approves) (default off)");

static bool contain = true;
module_param(contain, bool, 0644);
MODULE_PARM_DESC(contain,
		 "Contain a device that is not the approved one: bus mastering and decode off at once, its driver unbound and held at the gate until it proves to be the approved device or user space approves it again (default Y; N only reports)");

/**
 * pci_cma_containing() - whether a failed check contains the device
 *
 * Return: the contain parameter.
 */
bool pci_cma_containing(void)
{
	return READ_ONCE(contain);
}

static struct pci_cma_gate *to_pci_cma_gate(struct device *d)
{
	return container_of(d, struct pci_cma_gate, dev);
}

static int pci_cma_gate_match(struct device *d, const struct device_driver *drv)
{
	return READ_ONCE(to_pci_cma_gate(d)->open);
}

/**
 * pci_cma_gate_device() - the tracked device a supplier stands for
 * @d: a supplier on the pci-cma bus
 *
 * Return: the device; valid for as long as @d is.
 */
struct pci_cma_device *pci_cma_gate_device(struct device *d)
{
	return to_pci_cma_gate(d)->cma;
}

/*
 * What the checks do when a supplier resumes, and the attributes a
 * supplier carries (pci_cma_gate_register()).
 */
static pci_cma_resume_fn pci_cma_gate_on_resume;
static const struct attribute_group **pci_cma_gate_groups;

static int pci_cma_gate_resume(struct device *d)
{
	pci_cma_gate_on_resume(to_pci_cma_gate(d)->cma);
	return 0;
}

/*
 * Bus callbacks run whether or not the supplier is bound, so a held device
 * is checked on resume too.
 */
static const struct dev_pm_ops pci_cma_gate_pm = {
	.resume = pci_cma_gate_resume,
	.restore = pci_cma_gate_resume,
};

static const struct bus_type pci_cma_gate_bus = {
	.name = "pci-cma",
	.match = pci_cma_gate_match,
	.pm = &pci_cma_gate_pm,
};

static int pci_cma_gate_probe(struct device *d)
{
	return 0;
}

static struct device_driver pci_cma_gate_driver = {
	.name = "pci_cma_gate",
	.bus = &pci_cma_gate_bus,
	.probe = pci_cma_gate_probe,
	.suppress_bind_attrs = true,
	.owner = THIS_MODULE,
};

/**
 * pci_cma_gate_register() - the supplier bus and its driver
 * @on_resume: the check of a device whose supplier resumes (or is
 *	restored), before the device's driver resumes
 * @groups: the attributes of each supplier (the device's state)
 *
 * Return: 0, or the errno of bus_register() or driver_register().
 */
int pci_cma_gate_register(pci_cma_resume_fn on_resume, const struct attribute_group **groups)
{
	int rc;

	pci_cma_gate_on_resume = on_resume;
	pci_cma_gate_groups = groups;
	rc = bus_register(&pci_cma_gate_bus);

	if (rc)
		return rc;
	rc = driver_register(&pci_cma_gate_driver);
	if (rc)
		bus_unregister(&pci_cma_gate_bus);
	return rc;
}

/**
 * pci_cma_gate_unregister() - once every supplier is gone
 *
 * A device link drops its reference to the supplier from the driver
 * core's device link workqueue, after the link is deleted: the supplier's
 * release function, this module's code, may run from there. Wait for those
 * releases before the code goes away.
 */
void pci_cma_gate_unregister(void)
{
	device_link_wait_removal();
	driver_unregister(&pci_cma_gate_driver);
	bus_unregister(&pci_cma_gate_bus);
}

/*
 * Whether drivers may bind now. One place decides, from the device's state
 * alone, so that every event (authentication, check, approval, revocation,
 * return from vfio-pci) ends in the same answer.
 */
static bool pci_cma_gate_wanted(const struct pci_cma_device *dev)
{
	/* With contain=N a difference is only reported: it holds nothing. */
	bool differs = dev->mismatch && pci_cma_containing();

	lockdep_assert_held(&dev->lock);
	if (dev->contained)
		return false;
	if (dev->approval && pci_cma_containing())
		return dev->proven;
	if (dev->prebound && !differs && dev->status != -EKEYREJECTED)
		return true;
	switch (gate) {
	case PCI_CMA_GATE_AUTHENTICATED:
		return dev->status == 0 && !differs;
	case PCI_CMA_GATE_APPROVED:
		return dev->approval && !differs;
	default:
		return true;
	}
}

/**
 * pci_cma_gate_held() - whether the device's drivers are kept off
 * @dev: the device, its lock held
 *
 * Return: true while the gate is closed.
 */
bool pci_cma_gate_held(const struct pci_cma_device *dev)
{
	lockdep_assert_held(&dev->lock);
	return dev->gate && !dev->gate_open;
}

/* Binding may probe, unbinding waits for the PCI device's driver. */
static void pci_cma_gate_set(struct pci_cma_gate *g, bool open)
{
	int rc;

	WRITE_ONCE(g->open, open);
	if (!open) {
		device_release_driver(&g->dev);
		return;
	}
	rc = device_attach(&g->dev);
	if (rc <= 0)
		dev_warn(&g->dev, "gate did not open (%d)\n", rc);
}

static void pci_cma_gate_work(struct work_struct *work)
{
	struct pci_cma_device *dev = container_of(work, struct pci_cma_device, gate_work);
	struct pci_cma_gate *g = NULL;
	bool open = false;

	scoped_guard(mutex, &dev->lock) {
		if (!dev->gone && dev->gate) {
			g = dev->gate;
			open = dev->gate_open;
			get_device(&g->dev);
		}
	}
	if (g) {
		pci_cma_gate_set(g, open);
		put_device(&g->dev);
	}
	/*
	 * A contained device's driver may have turned decode and bus
	 * mastering on again before it was unbound (its resume runs after
	 * the check in the supplier's, and may reset the device): now that
	 * no driver has it, it is quiesced once more.
	 */
	if (g && !open) {
		guard(mutex)(&dev->lock);
		if (dev->contained && !dev->gone)
			pci_cma_quiesce(dev->pdev);
	}
	pci_cma_device_put(dev);
}

/**
 * pci_cma_gate_update() - open or close the gate as the state says
 * @dev: the device, its lock held
 *
 * The supplier is bound or unbound from a work item: unbinding waits for
 * the PCI device's driver to unbind, which may wait on user space, and
 * callers include PM callbacks and netlink handlers.
 */
void pci_cma_gate_update(struct pci_cma_device *dev)
{
	bool open;

	lockdep_assert_held(&dev->lock);
	if (dev->gone || !dev->gate)
		return;
	open = pci_cma_gate_wanted(dev);
	if (open == dev->gate_open)
		return;
	dev->gate_open = open;
	pr_info("%s: gate %s\n", pci_name(dev->pdev),
		open ? "open: drivers may bind" : "closed: drivers are kept off");
	kref_get(&dev->ref);
	if (!queue_work(pci_cma_wq, &dev->gate_work))
		pci_cma_device_put(dev);
}

/**
 * pci_cma_gate_init() - set up a device's gate work
 * @dev: the device
 */
void pci_cma_gate_init(struct pci_cma_device *dev)
{
	INIT_WORK(&dev->gate_work, pci_cma_gate_work);
}

/**
 * pci_cma_gate_cancel() - cancel a queued gate change and wait for one
 *	in progress
 * @dev: the device, already marked gone
 */
void pci_cma_gate_cancel(struct pci_cma_device *dev)
{
	if (cancel_work_sync(&dev->gate_work))
		pci_cma_device_put(dev);
}

static void pci_cma_gate_release(struct device *d)
{
	struct pci_cma_gate *g = to_pci_cma_gate(d);

	pci_cma_device_put(g->cma);
	kfree(g);
}

/*
 * Both references of the link: the managed one, then the stateless one
 * (see the top of this file). Returns whether the device is gated.
 */
static bool pci_cma_gate_link(struct pci_dev *pdev, struct pci_cma_gate *g)
{
	if (!device_link_add(&pdev->dev, &g->dev, DL_FLAG_AUTOPROBE_CONSUMER))
		return false;
	/* The same link, found and referenced again: this cannot fail. */
	return device_link_add(&pdev->dev, &g->dev, DL_FLAG_STATELESS);
}

/**
 * pci_cma_gate_add() - make a new device's supplier and link to it
 * @dev: the device, not yet published
 * @parent: the kernel-pci-cma device
 *
 * Runs before the PCI device's driver can probe (from the bus notifier of
 * its addition), or, at load, under the device's lock so that no probe
 * runs meanwhile: a device whose driver is bound keeps it (the supplier
 * binds before the link exists), any other waits for the gate to open.
 *
 * Return: 0, or the errno when no supplier could be made (the device is
 * then tracked but not gated, and says so).
 */
int pci_cma_gate_add(struct pci_cma_device *dev, struct device *parent)
{
	struct pci_dev *pdev = dev->pdev;
	struct pci_cma_gate *g = kzalloc_obj(*g);
	int rc;

	if (!g)
		return -ENOMEM;
	device_initialize(&g->dev);
	g->dev.bus = &pci_cma_gate_bus;
	g->dev.parent = parent;
	g->dev.groups = pci_cma_gate_groups;
	g->dev.release = pci_cma_gate_release;
	kref_get(&dev->ref);
	g->cma = dev;
	device_enable_async_suspend(&g->dev);
	rc = dev_set_name(&g->dev, "cma-%s", pci_name(pdev));
	if (!rc)
		rc = device_add(&g->dev);
	if (rc) {
		put_device(&g->dev);
		pci_warn(pdev, "%s: no gate (%d): drivers bind at will\n", KBUILD_MODNAME, rc);
		return rc;
	}
	if (sysfs_create_link(&g->dev.kobj, &pdev->dev.kobj, "pci_dev"))
		pci_warn(pdev, "%s: no pci_dev link\n", KBUILD_MODNAME);

	device_lock(&pdev->dev);
	scoped_guard(mutex, &dev->lock) {
		dev->prebound = !!pdev->dev.driver;
		dev->gate_open = pci_cma_gate_wanted(dev);
	}
	if (dev->gate_open)
		pci_cma_gate_set(g, true);
	if (!pci_cma_gate_link(pdev, g)) {
		device_unlock(&pdev->dev);
		pci_warn(pdev, "%s: no device link to its gate: drivers bind at will\n",
			 KBUILD_MODNAME);
		sysfs_remove_link(&g->dev.kobj, "pci_dev");
		device_unregister(&g->dev);
		return -ENOMEM;
	}
	device_unlock(&pdev->dev);
	scoped_guard(mutex, &dev->lock)
		dev->gate = g;
	if (!dev->gate_open)
		pci_info(pdev, "%s: held at the gate (gate=%s)\n", KBUILD_MODNAME,
			 pci_cma_gate_policies[gate]);
	return 0;
}

/**
 * pci_cma_gate_remove() - drop a device's link and supplier
 * @dev: the device, stopped
 * @g: its supplier, taken from @dev under its lock
 * @unloading: the module is leaving (else the PCI device is)
 *
 * The link goes first, so that removing the supplier unbinds nothing. A
 * device the gate held may bind again once the module is gone: unloading
 * is the administrator's way out, and the log says so.
 */
void pci_cma_gate_remove(struct pci_cma_device *dev, struct pci_cma_gate *g, bool unloading)
{
	struct pci_dev *pdev = dev->pdev;
	bool was_open = READ_ONCE(g->open);

	device_link_remove(&pdev->dev, &g->dev);
	device_link_remove(&pdev->dev, &g->dev);
	sysfs_remove_link(&g->dev.kobj, "pci_dev");
	device_unregister(&g->dev);
	if (!unloading)
		return;
	if (was_open) {
		pr_info("%s: gate released\n", pci_name(pdev));
		return;
	}
	pr_warn("%s: gate released by unload: drivers may bind again\n", pci_name(pdev));
	if (device_attach(&pdev->dev) < 0)
		pr_warn("%s: no driver probed after release\n", pci_name(pdev));
}
