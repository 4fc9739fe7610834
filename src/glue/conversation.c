// SPDX-License-Identifier: GPL-2.0
/*
 * One SPDM conversation with a device: serialized with every other, begun
 * only while the device is not going away and its mailbox is ours (not
 * while a vfio-pci user or another TSM owns the device), with the device resumed from
 * runtime suspend (a function in D3cold does not answer its mailbox, and
 * not answering must not read as being another device), with the random
 * pool seeded (nonces drawn at initramfs load must be unpredictable), and
 * bounded by a deadline that every exchange and every wait respects.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci-tsm.h>
#include <linux/pm_runtime.h>
#include <linux/random.h>

#include "glue.h"

static unsigned int timeout_ms = 30000;
module_param(timeout_ms, uint, 0644);
MODULE_PARM_DESC(timeout_ms,
		 "Longest one SPDM conversation with a device may take, in ms; exchanges and ResponseNotReady waits past it fail with a timeout (default 30000)");

/*
 * pci_cma_tsm_owns_elsewhere() - whether another TSM has the device
 * @dev: a tracked device
 *
 * A device connected through a platform TSM is that TSM's to talk SPDM
 * to. Pointers are compared, the other TSM's context never followed.
 *
 * Return: true if the device has a TSM context that is not ours.
 */
static bool pci_cma_tsm_owns_elsewhere(struct pci_cma_device *dev)
{
	const struct pci_tsm *tsm = READ_ONCE(dev->pdev->tsm);

	return tsm && (const void *)tsm != READ_ONCE(dev->tsm_ctx);
}

/**
 * pci_cma_conversation_begin() - take the device for one conversation
 * @dev: the device
 *
 * Return: 0 with @dev->conversation held and a runtime-PM reference taken;
 * -ENODEV when the device is going away; -EBUSY when another party owns
 * its mailbox; -ERESTARTSYS when a signal
 * interrupted the wait for the random pool; or the errno of a failed
 * runtime resume. On failure nothing is held.
 */
int pci_cma_conversation_begin(struct pci_cma_device *dev)
{
	int rc;

	mutex_lock(&dev->conversation);
	if (READ_ONCE(dev->gone)) {
		rc = -ENODEV;
		goto unlock;
	}
	if (READ_ONCE(dev->lent) || pci_cma_tsm_owns_elsewhere(dev)) {
		rc = -EBUSY;
		goto unlock;
	}
	rc = wait_for_random_bytes();
	if (rc)
		goto unlock;
	rc = pm_runtime_resume_and_get(&dev->pdev->dev);
	if (rc == -EACCES) {
		/*
		 * Runtime PM not enabled yet (a device just added, announced
		 * before the PCI core enables it) or off: the device is in
		 * the state the core left it, powered; hold it there.
		 */
		pm_runtime_get_noresume(&dev->pdev->dev);
		rc = 0;
	}
	if (rc < 0) {
		pr_warn("%s: cannot resume the device to talk to it (%d)\n",
			pci_name(dev->pdev), rc);
		goto unlock;
	}
	dev->deadline = ktime_add_ms(ktime_get(), READ_ONCE(timeout_ms));
	return 0;
unlock:
	mutex_unlock(&dev->conversation);
	return rc;
}

/**
 * pci_cma_conversation_end() - give the device back
 * @dev: the device, taken by pci_cma_conversation_begin()
 */
void pci_cma_conversation_end(struct pci_cma_device *dev)
{
	pm_runtime_put(&dev->pdev->dev);
	mutex_unlock(&dev->conversation);
}

/**
 * pci_cma_conversation_left_us() - time left before the deadline
 * @dev: the device, in a conversation
 *
 * Return: microseconds left, 0 once the deadline passed.
 */
u64 pci_cma_conversation_left_us(struct pci_cma_device *dev)
{
	s64 left = ktime_us_delta(dev->deadline, ktime_get());

	return left > 0 ? left : 0;
}
