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
 * - Resume: in the resume and restore callbacks of the device's gate
 *   supplier (gate.c). The device link makes them run before the PCI
 *   device's driver resumes and after the PCI core restored its config
 *   space, so a device swapped while the system slept is found, quiesced
 *   (bus mastering and decode off) and held at the gate before its driver
 *   touches it; suppliers resume asynchronously, so devices are checked in
 *   parallel. A device that is not approved is re-authenticated after the
 *   resume, from the workqueue: until then it runs under its driver (with
 *   gate=authenticated too). Upstream, this check belongs in the PCI core's
 *   restore path.
 * - Reset: the PCI core has no reset notifier for other modules, and a
 *   probe handler cannot sleep, so no check can run between a reset and the
 *   driver's reset_done(): after a reset the driver runs the device until
 *   the check, queued from a kretprobe, finds it is another one (then it is
 *   quiesced and held at once). The probes cover every function reset
 *   (__pci_reset_function_locked(): sysfs, drivers, VFIO; pcie_flr() that
 *   drivers call directly), bus and slot resets (pci_reset_bus(),
 *   pci_bridge_secondary_bus_reset(): reset_subordinate and error
 *   recovery) and AER/DPC recovery (pcie_do_recovery(), which may retrain a
 *   link without any of the others). A reset the probes missed (more
 *   resets in flight than instances) is counted by the kprobe core; on the
 *   next event every device is checked. reset_probe=0 turns the probes
 *   off. Resets no probe sees (by firmware, or on a kernel without
 *   kprobes) are caught when user space asks for a check (netlink
 *   revalidate) or by the next re-authentication. Upstream, the check
 *   belongs in pci_dev_restore(), before reset_done().
 * - A device owned by vfio-pci is not talked to (its user owns the mailbox)
 *   and is checked when it comes back to the host; the gate holds it
 *   meanwhile as the policy says.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "glue.h"

static bool reset_probe = true;
module_param(reset_probe, bool, 0444);
MODULE_PARM_DESC(reset_probe,
		 "Watch PCI function and bus resets with kretprobes and re-check the devices reset (default Y)");

/*
 * Which devices a reset reached, and what did it: NULL for "every device,
 * nothing to say about why" (the caller logs that).
 */
struct pci_cma_reset_scope {
	struct pci_bus *bus;		/* at or below it; NULL: the device itself */
	struct pci_dev *target;		/* what the reset was called on */
	const char *by;			/* the reset function */
};

static int pci_cma_queue_recheck(struct pci_cma_device *dev, void *arg)
{
	const struct pci_cma_reset_scope *scope = arg;
	struct pci_bus *walk;

	if (scope && scope->bus) {
		for (walk = dev->pdev->bus; walk && walk != scope->bus; walk = walk->parent)
			;
		if (!walk)
			return 0;
	}
	if (scope)
		pr_info("%s: reset seen (%s() of %s); checking it is still the same device\n",
			pci_name(dev->pdev), scope->by, pci_name(scope->target));
	pci_cma_schedule_recheck(dev, 0);
	return 0;
}

/**
 * pci_cma_resume_check() - the check of a device whose system resumes
 * @dev: the device, from its gate supplier's resume or restore callback
 *
 * An approved device is checked now, before its driver resumes; any other
 * is re-authenticated once the system runs again.
 */
void pci_cma_resume_check(struct pci_cma_device *dev)
{
	bool approved;

	scoped_guard(mutex, &dev->lock)
		approved = dev->approval && !dev->gone && !dev->lent;
	if (approved)
		pci_cma_revalidate(dev);
	else
		pci_cma_schedule_recheck(dev, 0);
}

/* vfio-pci and its variants: the user of the device owns its mailbox. */
static bool pci_cma_driver_lends(const struct device_driver *drv)
{
	return drv && strstr(drv->name, "vfio");
}

/**
 * pci_cma_lend() - a driver is about to bind to a tracked device
 * @pdev: the device, its device lock held by the driver core
 *
 * If the driver hands the device to user space, no SPDM of ours reaches
 * it from now on: a conversation in flight ends first.
 */
void pci_cma_lend(struct pci_dev *pdev)
{
	struct pci_cma_device *dev;

	if (!pci_cma_driver_lends(pdev->dev.driver))
		return;
	dev = pci_cma_device_get_pdev(pdev);
	if (!dev)
		return;
	scoped_guard(mutex, &dev->lock)
		WRITE_ONCE(dev->lent, true);
	mutex_lock(&dev->conversation);
	mutex_unlock(&dev->conversation);
	pr_info("%s: owned by %s: no SPDM from %s until it returns\n", pci_name(pdev),
		pdev->dev.driver->name, KBUILD_MODNAME);
	pci_cma_device_put(dev);
}

/**
 * pci_cma_take_back() - a driver unbound from (or failed to bind to) a
 *	tracked device
 * @pdev: the device
 *
 * A device coming back from vfio-pci is checked as after a reset: it may
 * be anything now. Until then it is not proven, and the gate holds it if
 * it is approved, or if the policy holds devices that are not yet
 * authenticated.
 */
void pci_cma_take_back(struct pci_dev *pdev)
{
	struct pci_cma_device *dev = pci_cma_device_get_pdev(pdev);
	bool returned;

	if (!dev)
		return;
	scoped_guard(mutex, &dev->lock) {
		returned = dev->lent;
		if (returned) {
			WRITE_ONCE(dev->lent, false);
			dev->proven = false;
			if (!dev->approval)
				dev->status = -EINPROGRESS;
			pr_info("%s: back from its user: checking it\n", pci_name(pdev));
			pci_cma_gate_update(dev);
		}
	}
	if (returned)
		pci_cma_schedule_recheck(dev, 0);
	pci_cma_device_put(dev);
}

/* What a reset of a device reached. */
enum pci_cma_reset_reach {
	PCI_CMA_RESET_FUNCTION,	/* the device itself */
	PCI_CMA_RESET_ITS_BUS,	/* every device on its bus */
	PCI_CMA_RESET_BELOW,	/* below it if a bridge, else its bus */
};

/* A reset seen in probe context, handed to process context. */
struct pci_cma_reset_event {
	struct work_struct work;
	struct pci_dev *pdev;
	enum pci_cma_reset_reach reach;
	const char *by;
};

/* Resets the probes could not record: counted by the kprobe core. */
static unsigned long pci_cma_resets_missed;

static unsigned long pci_cma_reset_probes_missed(void);

static void pci_cma_reset_work(struct work_struct *work)
{
	struct pci_cma_reset_event *event = container_of(work, struct pci_cma_reset_event, work);
	struct pci_dev *pdev = event->pdev;
	unsigned long missed = pci_cma_reset_probes_missed();
	struct pci_cma_reset_scope scope = { .target = pdev, .by = event->by };
	struct pci_cma_device *dev;
	u64 after = 0;

	if (missed != pci_cma_resets_missed) {
		pr_warn("%lu resets were not seen; checking every device\n",
			missed - pci_cma_resets_missed);
		pci_cma_resets_missed = missed;
		pci_cma_visit_devices(pci_cma_queue_recheck, NULL, &after);
	} else if (event->reach == PCI_CMA_RESET_FUNCTION) {
		dev = pci_cma_device_get_pdev(pdev);
		if (dev) {
			pci_cma_queue_recheck(dev, &scope);
			pci_cma_device_put(dev);
		}
	} else {
		scope.bus = event->reach == PCI_CMA_RESET_BELOW && pdev->subordinate ?
			    pdev->subordinate : pdev->bus;
		pci_cma_visit_devices(pci_cma_queue_recheck, &scope, &after);
	}
	pci_dev_put(pdev);
	kfree(event);
}

/*
 * A reset whose event could not be allocated in probe context: which
 * device it reached is lost, so every device is checked. One static work
 * item, so that this path needs no memory of its own.
 */
static void pci_cma_reset_lost_work(struct work_struct *work)
{
	u64 after = 0;

	pr_warn("a reset was seen but not recorded (no memory); checking every device\n");
	pci_cma_visit_devices(pci_cma_queue_recheck, NULL, &after);
}

static DECLARE_WORK(pci_cma_reset_lost, pci_cma_reset_lost_work);

struct pci_cma_reset_call {
	struct pci_dev *pdev;
};

static int pci_cma_reset_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct pci_cma_reset_call *call = (struct pci_cma_reset_call *)ri->data;

	call->pdev = (struct pci_dev *)regs_get_kernel_argument(regs, 0);
	return 0;
}

/*
 * Whatever the reset returned: one that failed may have reset the device
 * anyway (a secondary bus reset is issued before the wait for the link,
 * which times out on some ports; error recovery returns how it ended, and
 * any ending may have reset the link). Checking a device that was not
 * reset costs one conversation.
 */
static int pci_cma_reset_return(struct kretprobe_instance *ri, struct pt_regs *regs,
				enum pci_cma_reset_reach reach)
{
	struct pci_cma_reset_call *call = (struct pci_cma_reset_call *)ri->data;
	struct pci_cma_reset_event *event;

	if (!call->pdev)
		return 0;
	/* Probe context: no sleeping, so the work does the rest. */
	event = kzalloc_obj(*event, GFP_ATOMIC);
	if (!event) {
		queue_work(pci_cma_wq, &pci_cma_reset_lost);
		return 0;
	}
	INIT_WORK(&event->work, pci_cma_reset_work);
	event->pdev = pci_dev_get(call->pdev);
	event->reach = reach;
	event->by = get_kretprobe(ri)->kp.symbol_name;
	queue_work(pci_cma_wq, &event->work);
	return 0;
}

static int pci_cma_function_reset_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return pci_cma_reset_return(ri, regs, PCI_CMA_RESET_FUNCTION);
}

/* pci_reset_bus(dev): the bus or slot dev is on. */
static int pci_cma_bus_reset_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return pci_cma_reset_return(ri, regs, PCI_CMA_RESET_ITS_BUS);
}

/* pci_bridge_secondary_bus_reset(bridge): everything below the bridge. */
static int pci_cma_bridge_reset_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return pci_cma_reset_return(ri, regs, PCI_CMA_RESET_BELOW);
}

/* pcie_do_recovery(dev): below dev's port. */
static int pci_cma_recovery_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return pci_cma_reset_return(ri, regs, PCI_CMA_RESET_BELOW);
}

#define PCI_CMA_RESET_PROBE(fn, on_return)				\
	{								\
		.kp.symbol_name = fn,					\
		.entry_handler = pci_cma_reset_entry,			\
		.handler = on_return,					\
		.data_size = sizeof(struct pci_cma_reset_call),		\
	}

static struct kretprobe pci_cma_reset_probe_set[] = {
	PCI_CMA_RESET_PROBE("__pci_reset_function_locked", pci_cma_function_reset_return),
	PCI_CMA_RESET_PROBE("pcie_flr", pci_cma_function_reset_return),
	PCI_CMA_RESET_PROBE("pci_reset_bus", pci_cma_bus_reset_return),
	PCI_CMA_RESET_PROBE("pci_bridge_secondary_bus_reset", pci_cma_bridge_reset_return),
	PCI_CMA_RESET_PROBE("pcie_do_recovery", pci_cma_recovery_return),
};

/* Which of them are registered: a kernel may lack one (no AER, say). */
static bool pci_cma_reset_probed[ARRAY_SIZE(pci_cma_reset_probe_set)];

static unsigned long pci_cma_reset_probes_missed(void)
{
	unsigned long missed = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(pci_cma_reset_probe_set); i++)
		if (pci_cma_reset_probed[i])
			missed += READ_ONCE(pci_cma_reset_probe_set[i].nmissed);
	return missed;
}

/**
 * pci_cma_recheck_register() - watch resets, if allowed
 *
 * Resume checks need nothing registered (gate.c). Each reset function is
 * watched if this kernel has it and lets it be probed; what is not watched
 * is logged, and a kernel without kretprobes still gets the resume checks.
 *
 * Return: 0.
 */
int pci_cma_recheck_register(void)
{
	struct kretprobe *probe;
	int i, rc, watched = 0;

	if (!reset_probe)
		return 0;
	if (!IS_ENABLED(CONFIG_KRETPROBES)) {
		pr_info("no kretprobes in this kernel: resets are re-checked only when user space asks\n");
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(pci_cma_reset_probe_set); i++) {
		probe = &pci_cma_reset_probe_set[i];
		/* Resets run in parallel on every CPU: one instance each. */
		probe->maxactive = max_t(int, 16, 2 * num_possible_cpus());
		rc = register_kretprobe(probe);
		if (rc) {
			pr_info("%s() not watched (%d): resets through it are re-checked only when user space asks\n",
				probe->kp.symbol_name, rc);
			continue;
		}
		pci_cma_reset_probed[i] = true;
		watched++;
	}
	if (!watched)
		pr_warn("cannot watch PCI resets: resets are re-checked only when user space asks\n");
	return 0;
}

/**
 * pci_cma_recheck_unregister() - stop watching; waits for probes in flight
 */
void pci_cma_recheck_unregister(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(pci_cma_reset_probe_set); i++) {
		if (pci_cma_reset_probed[i])
			unregister_kretprobe(&pci_cma_reset_probe_set[i]);
		pci_cma_reset_probed[i] = false;
	}
}
