// SPDX-License-Identifier: GPL-2.0
/*
 * The outcome of every check of an approved device, whoever asked for it
 * (a resume, a reset, user space, a re-authentication, a TSM connect), is
 * decided here, and only here:
 *
 * - the same device: any mismatch or containment ends;
 * - a different device (it answered, and not as the approved device
 *   would: another chain, key, algorithm or measurement, or a signature
 *   the approved key did not make): mismatch, and contained;
 * - unverifiable (it did not answer, could not be powered up, or our own
 *   memory or crypto failed): reported as such, never as a difference, and
 *   checked again with a growing delay; once the retries are spent the
 *   device is contained if contain_unverifiable says so, since a device
 *   that wants to avoid the check need only stay silent;
 * - a device going away, or the module unloading: no verdict at all.
 *
 * Containment happens at once where the verdict is reached, even inside a
 * PM callback: bus mastering and memory and I/O decode go off, so neither
 * the device nor a driver about to resume it can do anything, and the
 * gate closes. The gate's supplier is unbound from a work item (gate.c),
 * never by the caller: the caller may be a PM callback or a netlink
 * handler, and an unbind may wait on user space (vfio-pci).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci.h>

#include <uapi/linux/pci_cma.h>

#include "glue.h"

static bool contain_unverifiable = true;
module_param(contain_unverifiable, bool, 0644);
MODULE_PARM_DESC(contain_unverifiable,
		 "Contain an approved device that still cannot be checked once the retries are spent (default Y: a device could evade the check by staying silent)");

static unsigned int recheck_retries = 3;
module_param(recheck_retries, uint, 0644);
MODULE_PARM_DESC(recheck_retries,
		 "Checks repeated after an unverifiable one, 1, 2, 4... s apart, before it stands (default 3)");

/* A signature or a statement the approved device would not have made. */
static bool pci_cma_error_differs(u16 engine_error)
{
	return pci_cma_errno(engine_error) == -EKEYREJECTED;
}

/**
 * pci_cma_verdict_of() - what an engine outcome says about the device
 * @dev: the device
 * @error: the engine error code, 0 if the check was made
 * @differences: PCI_CMA_DIFF_* the check found
 *
 * Return: the verdict; %PCI_CMA_GONE if the device is going away, whatever
 * the engine said (its exchanges were cut short on purpose).
 */
enum pci_cma_verdict pci_cma_verdict_of(struct pci_cma_device *dev, u16 error, u32 differences)
{
	if (READ_ONCE(dev->gone))
		return PCI_CMA_GONE;
	if (error)
		return pci_cma_error_differs(error) ? PCI_CMA_DIFFERS : PCI_CMA_UNVERIFIABLE;
	return differences ? PCI_CMA_DIFFERS : PCI_CMA_SAME;
}

/**
 * pci_cma_identity_verdict() - the new identity against the approval
 * @dev: the device, its lock held, approved, just authenticated without
 *	an error
 *
 * By the rules of a same-device check (ignored indices included). Records
 * that cannot be compared (memory short; ours, so never malformed) leave
 * the device unverifiable, not different.
 *
 * Return: the verdict; @dev->result says what differed.
 */
enum pci_cma_verdict pci_cma_identity_verdict(struct pci_cma_device *dev)
{
	const struct pci_cma_evidence *ev = &dev->evidence;
	struct pci_cma_bytes approved = { .data = dev->approval, .len = dev->approval_len };
	struct pci_cma_bytes now = {
		.data = ev->data[PCI_CMA_EVIDENCE_IDENTITY],
		.len = ev->len[PCI_CMA_EVIDENCE_IDENTITY],
	};
	u32 differences;
	u8 first;
	u16 error;

	lockdep_assert_held(&dev->lock);
	if (now.len == approved.len && !memcmp(now.data, approved.data, now.len))
		return pci_cma_verdict_of(dev, 0, 0);
	error = pci_cma_compare_identities(&pci_cma_kernel_env, &approved, &now,
					   dev->ignore_measurements, &differences, &first);
	if (error) {
		pr_warn("%s: identity records not compared: %s\n", pci_name(dev->pdev),
			pci_cma_error_name(error));
		return READ_ONCE(dev->gone) ? PCI_CMA_GONE : PCI_CMA_UNVERIFIABLE;
	}
	dev->result.differences = differences;
	dev->result.first_measurement = first;
	return pci_cma_verdict_of(dev, 0, differences);
}

/**
 * pci_cma_quiesce() - turn a device's decode and bus mastering off
 * @pdev: the device
 *
 * Nothing the device or a resuming driver does reaches memory from here.
 */
void pci_cma_quiesce(struct pci_dev *pdev)
{
	u16 command;

	pci_clear_master(pdev);
	pci_read_config_word(pdev, PCI_COMMAND, &command);
	pci_write_config_word(pdev, PCI_COMMAND,
			      command & ~(PCI_COMMAND_MEMORY | PCI_COMMAND_IO));
	/*
	 * Config space the PCI core saved earlier (at enumeration, for a
	 * device no driver took) is written back by the device's own resume
	 * when no noirq phase restored it first (pm_test, a suspend that
	 * failed part way), after the check in its supplier's resume: decode
	 * and bus mastering would come back on. The saved command word is
	 * quiesced too. Only that word: the device may be in a low-power
	 * state, where saving config space afresh would save all-ones.
	 */
	if (pdev->state_saved)
		pdev->saved_config_space[PCI_COMMAND / 4] &=
			~(u32)(PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
}

static void pci_cma_contain(struct pci_cma_device *dev)
{
	const char *name = pci_name(dev->pdev);

	lockdep_assert_held(&dev->lock);
	if (dev->gone || dev->contained)
		return;
	if (!pci_cma_containing()) {
		pr_warn("%s: not the approved device; left as is (contain=N)\n", name);
		return;
	}
	dev->contained = true;
	dev->proven = false;
	pci_cma_quiesce(dev->pdev);
	pr_warn("%s: contained: bus mastering and decode off, held at the gate until approved again\n",
		name);
	pci_cma_ima_measure(dev, PCI_CMA_IMA_CONTAINED);
	pci_cma_gate_update(dev);
}

static void pci_cma_queue_recheck(struct pci_cma_device *dev, unsigned long delay)
{
	lockdep_assert_held(&dev->lock);
	if (dev->gone)
		return;
	kref_get(&dev->ref);
	if (!queue_delayed_work(pci_cma_wq, &dev->recheck, delay))
		pci_cma_device_put(dev);
}

/**
 * pci_cma_schedule_recheck() - check the device again, after @delay
 * @dev: the device; its lock is not held
 * @delay: jiffies
 *
 * Nothing is queued once the device is stopped.
 */
void pci_cma_schedule_recheck(struct pci_cma_device *dev, unsigned long delay)
{
	guard(mutex)(&dev->lock);
	pci_cma_queue_recheck(dev, delay);
}

/**
 * pci_cma_judge() - act on the verdict of a check of an approved device
 * @dev: the device, its lock held
 * @verdict: what the check concluded
 * @same_event: PCI_CMA_EVENT_* announced for %PCI_CMA_SAME
 */
void pci_cma_judge(struct pci_cma_device *dev, enum pci_cma_verdict verdict, u32 same_event)
{
	const struct pci_cma_auth_result *r = &dev->result;
	const char *name = pci_name(dev->pdev);

	lockdep_assert_held(&dev->lock);
	switch (verdict) {
	case PCI_CMA_GONE:
	case PCI_CMA_LENT:
		return;
	case PCI_CMA_SAME:
		dev->mismatch = false;
		dev->unverifiable = false;
		dev->attempts = 0;
		dev->proven = true;
		pci_cma_release_containment(dev);
		pci_cma_gate_update(dev);
		if (same_event == PCI_CMA_EVENT_REVALIDATED)
			pr_info("%s: still the approved device (%u exchanges, %llu certificate bytes, %llu us)\n",
				name, r->exchanges, r->certificate_bytes, dev->check_us);
		pci_cma_announce(dev, same_event);
		return;
	case PCI_CMA_DIFFERS:
		dev->mismatch = true;
		dev->proven = false;
		dev->unverifiable = false;
		dev->attempts = 0;
		if (r->error)
			pr_warn("%s: not the approved device: %s in %s at byte %u\n", name,
				pci_cma_error_name(r->error), r->field ?: "(no field)", r->offset);
		else
			pr_warn("%s: not the approved device: differences 0x%x (first measurement %u)\n",
				name, r->differences, r->first_measurement);
		pci_cma_announce(dev, PCI_CMA_EVENT_MISMATCH);
		pci_cma_contain(dev);
		pci_cma_gate_update(dev);
		return;
	case PCI_CMA_UNVERIFIABLE:
		dev->unverifiable = true;
		dev->attempts++;
		pr_warn("%s: unverifiable (attempt %u): %s in %s (SPDM error 0x%02x, transport %d)\n",
			name, dev->attempts,
			r->error ? pci_cma_error_name(r->error) : "no conversation",
			r->field ?: "(no field)", r->spdm_error, r->transport_errno);
		pci_cma_announce(dev, PCI_CMA_EVENT_UNVERIFIABLE);
		if (dev->attempts <= READ_ONCE(recheck_retries)) {
			pci_cma_queue_recheck(dev, HZ << min(dev->attempts - 1, 6U));
			return;
		}
		if (READ_ONCE(contain_unverifiable))
			pci_cma_contain(dev);
		return;
	}
}

/*
 * An approved device gets the same-device check; any other is simply
 * authenticated again, so that its state says what it is now.
 */
static void pci_cma_recheck_work(struct work_struct *work)
{
	struct pci_cma_device *dev = container_of(to_delayed_work(work), struct pci_cma_device,
						  recheck);

	if (pci_cma_revalidate(dev) == -ENOENT)
		pci_cma_run(dev);
	pci_cma_device_put(dev);
}

/**
 * pci_cma_verdict_init() - set up a device's check work
 * @dev: the device
 */
void pci_cma_verdict_init(struct pci_cma_device *dev)
{
	INIT_DELAYED_WORK(&dev->recheck, pci_cma_recheck_work);
}

/**
 * pci_cma_cancel_works() - cancel a queued check, and wait
 * @dev: the device, already marked gone (nothing is queued again)
 */
void pci_cma_cancel_works(struct pci_cma_device *dev)
{
	if (cancel_delayed_work_sync(&dev->recheck))
		pci_cma_device_put(dev);
}

/**
 * pci_cma_release_containment() - the device proved itself or was approved
 * @dev: the device, its lock held; the caller updates the gate
 */
void pci_cma_release_containment(struct pci_cma_device *dev)
{
	lockdep_assert_held(&dev->lock);
	if (!dev->contained)
		return;
	dev->contained = false;
	pr_info("%s: containment lifted\n", pci_name(dev->pdev));
}
