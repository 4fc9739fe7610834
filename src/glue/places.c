// SPDX-License-Identifier: GPL-2.0
/*
 * Approvals outlive the struct pci_dev. A device that leaves (surprise
 * link down, DPC, remove and rescan) leaves its approval at its place
 * (domain, bus, device, function); whatever device appears there next
 * inherits it, is authenticated, and stays held at the gate until its
 * identity matches the approval. Places are forgotten when the module
 * unloads.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "glue.h"

struct pci_cma_place {
	struct list_head node;
	int domain;
	unsigned int bus;
	unsigned int devfn;
	u8 *approval;
	size_t approval_len;
	u32 ignore_measurements;
	u8 slot;
};

static LIST_HEAD(pci_cma_places);
static DEFINE_MUTEX(pci_cma_places_lock);

static bool pci_cma_place_is(const struct pci_cma_place *place, const struct pci_dev *pdev)
{
	return place->domain == pci_domain_nr(pdev->bus) && place->bus == pdev->bus->number &&
	       place->devfn == pdev->devfn;
}

static void pci_cma_place_free(struct pci_cma_place *place)
{
	list_del(&place->node);
	kvfree(place->approval);
	kfree(place);
}

/**
 * pci_cma_place_keep() - a device leaves: keep its approval at its place
 * @dev: the device, its lock held; its approval moves to the place
 */
void pci_cma_place_keep(struct pci_cma_device *dev)
{
	struct pci_cma_place *place, *old, *tmp;

	lockdep_assert_held(&dev->lock);
	if (!dev->approval)
		return;
	place = kzalloc_obj(*place);
	if (!place) {
		pr_warn("%s: out of memory: its approval is not kept\n", pci_name(dev->pdev));
		return;
	}
	place->domain = pci_domain_nr(dev->pdev->bus);
	place->bus = dev->pdev->bus->number;
	place->devfn = dev->pdev->devfn;
	place->approval = dev->approval;
	place->approval_len = dev->approval_len;
	place->ignore_measurements = dev->ignore_measurements;
	place->slot = dev->slot;
	dev->approval = NULL;
	guard(mutex)(&pci_cma_places_lock);
	list_for_each_entry_safe(old, tmp, &pci_cma_places, node)
		if (pci_cma_place_is(old, dev->pdev))
			pci_cma_place_free(old);
	list_add_tail(&place->node, &pci_cma_places);
	pr_info("%s: left; its approval stays with its place\n", pci_name(dev->pdev));
}

/**
 * pci_cma_place_adopt() - a device arrives where an approved one was
 * @dev: the device, not yet published
 *
 * It inherits the approval, not yet proven: the gate holds it until its
 * authentication shows the approved identity.
 */
void pci_cma_place_adopt(struct pci_cma_device *dev)
{
	struct pci_cma_place *place;

	guard(mutex)(&pci_cma_places_lock);
	list_for_each_entry(place, &pci_cma_places, node) {
		if (!pci_cma_place_is(place, dev->pdev))
			continue;
		dev->approval = place->approval;
		dev->approval_len = place->approval_len;
		dev->ignore_measurements = place->ignore_measurements;
		dev->slot = place->slot;
		dev->proven = false;
		dev->decisions++;
		place->approval = NULL;
		pci_cma_place_free(place);
		pr_info("%s: an approved device was here: held until it proves to be that device\n",
			pci_name(dev->pdev));
		return;
	}
}

/**
 * pci_cma_places_forget() - the module leaves: every kept approval goes
 */
void pci_cma_places_forget(void)
{
	struct pci_cma_place *place, *tmp;

	guard(mutex)(&pci_cma_places_lock);
	list_for_each_entry_safe(place, tmp, &pci_cma_places, node)
		pci_cma_place_free(place);
}
