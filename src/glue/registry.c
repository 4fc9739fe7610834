// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of tracked devices: their list, lifetime and lookup, and
 * where their events go. Everything else in the glue builds on it; it
 * calls nothing above it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <uapi/linux/pci_cma.h>

#include "glue.h"

LIST_HEAD(pci_cma_devices);
/* Guards pci_cma_devices; never held across an SPDM conversation. */
DEFINE_MUTEX(pci_cma_devices_lock);

/* Where events go (the netlink monitor group), so nothing here calls up. */
static pci_cma_event_fn pci_cma_event_sink;

/**
 * pci_cma_events_to() - send every device event to @fn from now on
 * @fn: called with the device's lock held; NULL for nowhere
 *
 * Set while no device is tracked, or before the first event that matters.
 */
void pci_cma_events_to(pci_cma_event_fn fn)
{
	WRITE_ONCE(pci_cma_event_sink, fn);
}

/**
 * pci_cma_announce() - record and announce an event of a device
 * @dev: the device, its lock held
 * @event: PCI_CMA_EVENT_*
 *
 * Its IMA record is taken first (ima.c) and measured from the module's own
 * queue, in event order, once the system runs: the measurement list may
 * lag what a listener was told, never reorder it.
 */
void pci_cma_announce(struct pci_cma_device *dev, u32 event)
{
	pci_cma_event_fn fn = READ_ONCE(pci_cma_event_sink);

	lockdep_assert_held(&dev->lock);
	dev->last_event = event;
	pci_cma_ima_measure(dev, event);
	if (fn)
		fn(dev, event);
}

/**
 * pci_cma_device_alloc() - a new entry for a device, not yet tracked
 * @pdev: the device
 * @mailbox: its CMA DOE mailbox
 * @slot: certificate slot to authenticate
 *
 * Its work items are the caller's to set up.
 *
 * Return: the entry with one reference (the list's), or NULL.
 */
struct pci_cma_device *pci_cma_device_alloc(struct pci_dev *pdev, struct pci_doe_mb *mailbox,
					    u8 slot)
{
	struct pci_cma_device *dev = kzalloc_obj(*dev);

	if (!dev)
		return NULL;
	INIT_LIST_HEAD(&dev->node);
	kref_init(&dev->ref);
	dev->pdev = pci_dev_get(pdev);
	dev->mailbox = mailbox;
	dev->slot = slot;
	dev->last_event = PCI_CMA_NO_EVENT;
	dev->status = -EINPROGRESS;
	mutex_init(&dev->conversation);
	mutex_init(&dev->lock);
	return dev;
}

/**
 * pci_cma_find_locked() - the tracked entry of a PCI device
 * @pdev: the device
 *
 * Return: the entry, or NULL. The caller holds pci_cma_devices_lock.
 */
struct pci_cma_device *pci_cma_find_locked(struct pci_dev *pdev)
{
	struct pci_cma_device *dev;

	lockdep_assert_held(&pci_cma_devices_lock);
	list_for_each_entry(dev, &pci_cma_devices, node)
		if (dev->pdev == pdev)
			return dev;
	return NULL;
}

/**
 * pci_cma_device_get() - find a tracked device by its PCI address
 * @name: e.g. "0000:01:00.0"
 *
 * Return: the device with a reference held, or NULL.
 */
struct pci_cma_device *pci_cma_device_get(const char *name)
{
	struct pci_cma_device *dev;

	guard(mutex)(&pci_cma_devices_lock);
	list_for_each_entry(dev, &pci_cma_devices, node) {
		if (!strcmp(pci_name(dev->pdev), name)) {
			kref_get(&dev->ref);
			return dev;
		}
	}
	return NULL;
}

/**
 * pci_cma_device_get_pdev() - the tracked entry of a PCI device, referenced
 * @pdev: the device
 *
 * Return: the entry with a reference held, or NULL.
 */
struct pci_cma_device *pci_cma_device_get_pdev(struct pci_dev *pdev)
{
	struct pci_cma_device *dev;

	guard(mutex)(&pci_cma_devices_lock);
	dev = pci_cma_find_locked(pdev);
	if (dev)
		kref_get(&dev->ref);
	return dev;
}

static void pci_cma_device_release(struct kref *ref)
{
	struct pci_cma_device *dev = container_of(ref, struct pci_cma_device, ref);

	pci_cma_evidence_free(&dev->evidence);
	kvfree(dev->approval);
	mutex_destroy(&dev->lock);
	mutex_destroy(&dev->conversation);
	pci_dev_put(dev->pdev);
	kfree(dev);
}

/**
 * pci_cma_device_put() - drop a reference
 * @dev: the device
 */
void pci_cma_device_put(struct pci_cma_device *dev)
{
	kref_put(&dev->ref, pci_cma_device_release);
}

/**
 * pci_cma_visit_devices() - call @fn for each tracked device, in order
 * @fn: returns 0 to go on, or an error that stops the walk
 * @arg: passed to @fn
 * @after: devices up to this id were visited; advanced past each one @fn
 *	accepts
 *
 * @fn runs with a reference on the device and no list lock held, so it may
 * take the device's lock; devices added or removed meanwhile are seen or
 * not, but none twice and none skipped that stayed tracked throughout.
 *
 * Return: 0 after the last device, or the error of @fn.
 */
int pci_cma_visit_devices(pci_cma_device_fn fn, void *arg, u64 *after)
{
	struct pci_cma_device *dev, *next;
	int rc;

	for (;;) {
		next = NULL;
		scoped_guard(mutex, &pci_cma_devices_lock) {
			list_for_each_entry(dev, &pci_cma_devices, node) {
				if (dev->id > *after && !READ_ONCE(dev->gone)) {
					next = dev;
					kref_get(&next->ref);
					break;
				}
			}
		}
		if (!next)
			return 0;
		rc = fn(next, arg);
		if (!rc)
			*after = next->id;
		pci_cma_device_put(next);
		if (rc)
			return rc;
	}
}

/**
 * pci_cma_device_state() - where the device stands, as netlink reports it
 * @dev: the device, its lock held
 *
 * Return: a PCI_CMA_STATE_* value.
 */
int pci_cma_device_state(const struct pci_cma_device *dev)
{
	lockdep_assert_held(&dev->lock);
	if (dev->mismatch)
		return PCI_CMA_STATE_MISMATCH;
	if (dev->unverifiable)
		return PCI_CMA_STATE_UNVERIFIABLE;
	if (dev->status == -EINPROGRESS)
		return PCI_CMA_STATE_PENDING;
	if (dev->status)
		return PCI_CMA_STATE_FAILED;
	return dev->approval ? PCI_CMA_STATE_APPROVED : PCI_CMA_STATE_AUTHENTICATED;
}
