// SPDX-License-Identifier: GPL-2.0
/*
 * Same-device checks after resume and reset, without a keyring.
 *
 * After a system resume (s2idle, S3, hibernation restore) and after a
 * function or bus reset, an approved device is checked with the engine's
 * same-device check against what user space approved; a device that is not
 * approved is authenticated again. What follows a check is decided in
 * verdict.c: a device that differs is contained until user space approves
 * it again, one that cannot be checked is checked again later.
 *
 * Where this runs, and the window it leaves:
 * - Resume: a PM notifier (PM_POST_SUSPEND, PM_POST_HIBERNATION,
 *   PM_POST_RESTORE). It runs after every device and driver has resumed and
 *   after user space is thawed, so a device swapped while the system slept
 *   is driven by its driver, and reachable by user space, for as long as
 *   the checks take (all devices in parallel; a few exchanges each, bounded
 *   by the conversation deadline). The notifier only queues the checks and
 *   returns: it runs under the PM notifier chain's lock, and containment
 *   unbinds drivers, whose remove() may unregister a PM notifier. A module
 *   outside the PCI core has no earlier hook that runs before the device's
 *   own driver; upstream, the check belongs in
 *   the PCI core's restore path (pci_restore_state()), before any driver
 *   resume callback.
 * - Reset: the PCI core has no reset notifier for other modules. A
 *   kretprobe on __pci_reset_function_locked() (every function-level reset:
 *   sysfs reset, drivers, VFIO) and on pci_reset_bus() (secondary bus
 *   resets) queues a check when a reset succeeded; reset_probe=0 turns it
 *   off. Resets it cannot see (a surprise link down, a reset by firmware or
 *   a kernel without kprobes) are not caught here: user space can ask for a
 *   check at any time with the netlink revalidate operation, and a
 *   re-authentication that finds another identity marks the device
 *   mismatched on its own.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/suspend.h>

#include "glue.h"

static bool reset_probe = true;
module_param(reset_probe, bool, 0444);
MODULE_PARM_DESC(reset_probe,
		 "Watch PCI function and bus resets with kretprobes and re-check the devices reset (default Y)");

static int pci_cma_queue_recheck(struct pci_cma_device *dev, void *bus)
{
	struct pci_bus *walk;

	if (bus) {
		/* Only devices at or below the bus that was reset. */
		for (walk = dev->pdev->bus; walk && walk != bus; walk = walk->parent)
			;
		if (!walk)
			return 0;
	}
	pci_cma_schedule_recheck(dev, 0);
	return 0;
}

/* Every device, in parallel, on the workqueue; nothing here waits for them. */
static int pci_cma_pm_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	u64 after = 0;

	switch (action) {
	case PM_POST_SUSPEND:
	case PM_POST_HIBERNATION:
	case PM_POST_RESTORE:
		pci_cma_visit_devices(pci_cma_queue_recheck, NULL, &after);
		break;
	}
	return NOTIFY_OK;
}

static struct notifier_block pci_cma_pm_nb = {
	.notifier_call = pci_cma_pm_notify,
};

/* A reset seen in probe context, handed to process context. */
struct pci_cma_reset_event {
	struct work_struct work;
	struct pci_dev *pdev;
	bool bus;
};

static void pci_cma_reset_work(struct work_struct *work)
{
	struct pci_cma_reset_event *event = container_of(work, struct pci_cma_reset_event, work);
	struct pci_cma_device *dev;
	u64 after = 0;

	if (event->bus) {
		pci_cma_visit_devices(pci_cma_queue_recheck, event->pdev->bus, &after);
	} else {
		dev = pci_cma_device_get_pdev(event->pdev);
		if (dev) {
			pr_info("%s: reset seen; checking it is still the same device\n",
				pci_name(event->pdev));
			pci_cma_schedule_recheck(dev, 0);
			pci_cma_device_put(dev);
		}
	}
	pci_dev_put(event->pdev);
	kfree(event);
}

struct pci_cma_reset_call {
	struct pci_dev *pdev;
};

static int pci_cma_reset_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct pci_cma_reset_call *call = (struct pci_cma_reset_call *)ri->data;

	call->pdev = (struct pci_dev *)regs_get_kernel_argument(regs, 0);
	return 0;
}

static int pci_cma_reset_return(struct kretprobe_instance *ri, struct pt_regs *regs, bool bus)
{
	struct pci_cma_reset_call *call = (struct pci_cma_reset_call *)ri->data;
	struct pci_cma_reset_event *event;

	if (regs_return_value(regs) || !call->pdev)
		return 0;
	/* Probe context: no sleeping, so the work does the rest. */
	event = kzalloc_obj(*event, GFP_ATOMIC);
	if (!event)
		return 0;
	INIT_WORK(&event->work, pci_cma_reset_work);
	event->pdev = pci_dev_get(call->pdev);
	event->bus = bus;
	queue_work(pci_cma_wq, &event->work);
	return 0;
}

static int pci_cma_function_reset_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return pci_cma_reset_return(ri, regs, false);
}

static int pci_cma_bus_reset_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return pci_cma_reset_return(ri, regs, true);
}

static struct kretprobe pci_cma_function_reset_probe = {
	.kp.symbol_name = "__pci_reset_function_locked",
	.entry_handler = pci_cma_reset_entry,
	.handler = pci_cma_function_reset_return,
	.data_size = sizeof(struct pci_cma_reset_call),
};

static struct kretprobe pci_cma_bus_reset_probe = {
	.kp.symbol_name = "pci_reset_bus",
	.entry_handler = pci_cma_reset_entry,
	.handler = pci_cma_bus_reset_return,
	.data_size = sizeof(struct pci_cma_reset_call),
};

static struct kretprobe *pci_cma_reset_probes[] = {
	&pci_cma_function_reset_probe,
	&pci_cma_bus_reset_probe,
};

static bool pci_cma_probes_registered;

/**
 * pci_cma_recheck_register() - watch resume and, if allowed, resets
 *
 * A kernel without kretprobes still gets the resume checks; the missing
 * reset watch is logged once.
 *
 * Return: 0, or the errno of register_pm_notifier().
 */
int pci_cma_recheck_register(void)
{
	int rc = register_pm_notifier(&pci_cma_pm_nb);

	if (rc || !reset_probe)
		return rc;
	if (!IS_ENABLED(CONFIG_KRETPROBES)) {
		pr_info("no kretprobes in this kernel: resets are re-checked only when user space asks\n");
		return 0;
	}
	rc = register_kretprobes(pci_cma_reset_probes, ARRAY_SIZE(pci_cma_reset_probes));
	if (rc) {
		pr_warn("cannot watch PCI resets (%d): resets are re-checked only when user space asks\n",
			rc);
		return 0;
	}
	pci_cma_probes_registered = true;
	return 0;
}

/**
 * pci_cma_recheck_unregister() - stop watching; waits for probes in flight
 */
void pci_cma_recheck_unregister(void)
{
	if (pci_cma_probes_registered)
		unregister_kretprobes(pci_cma_reset_probes, ARRAY_SIZE(pci_cma_reset_probes));
	pci_cma_probes_registered = false;
	unregister_pm_notifier(&pci_cma_pm_nb);
}
