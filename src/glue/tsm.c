// SPDX-License-Identifier: GPL-2.0
/*
 * The "kernel-pci-cma" TSM: native CMA registered with the PCI TSM core as
 * a link TSM, next to the platform TSMs. For a TSM-capable function 0 the
 * core then offers tsm/connect, and connecting makes the device prove its
 * identity through the SPDM engine. No trust decision is made here: user
 * space judges the evidence.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device/faux.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/slab.h>
#include <linux/tsm.h>

#include "glue.h"

/*
 * Function 0 is the device's Device Security Manager and owns the CMA
 * mailbox; other functions (VFs, functions 1-7) are linked to theirs.
 */
struct pci_cma_tsm {
	union {
		struct pci_tsm_pf0 pf0;
		struct pci_tsm link;
	};
	bool is_pf0;
};

static struct faux_device *pci_cma_tsm_parent;
static struct tsm_dev *pci_cma_tsm_dev;

/* Which TSM context of a tracked device is ours (NULL: none). */
static void pci_cma_tsm_mark(struct pci_dev *pdev, const struct pci_cma_tsm *tsm)
{
	struct pci_cma_device *dev = pci_cma_device_get_pdev(pdev);

	if (!dev)
		return;
	WRITE_ONCE(dev->tsm_ctx, tsm ? (tsm->is_pf0 ? (void *)&tsm->pf0.base_tsm :
					     (void *)&tsm->link) : NULL);
	pci_cma_device_put(dev);
}

/**
 * pci_cma_tsm_probe() - build the TSM context of a function
 * @tsm_dev: our TSM
 * @pdev: the function the core asks about
 *
 * Return: the context, or NULL when function 0 has no CMA mailbox, no
 * Device Security Manager is found, or memory is short (the core reports
 * -ENXIO).
 */
static struct pci_tsm *pci_cma_tsm_probe(struct tsm_dev *tsm_dev, struct pci_dev *pdev)
{
	struct pci_cma_tsm *tsm = kzalloc_obj(*tsm);
	int rc;

	if (!tsm)
		return NULL;
	tsm->is_pf0 = is_pci_tsm_pf0(pdev);
	if (tsm->is_pf0)
		rc = pci_tsm_pf0_constructor(pdev, &tsm->pf0, tsm_dev);
	else
		rc = pci_tsm_link_constructor(pdev, &tsm->link, tsm_dev);
	if (rc) {
		kfree(tsm);
		return NULL;
	}
	pci_cma_tsm_mark(pdev, tsm);
	return tsm->is_pf0 ? &tsm->pf0.base_tsm : &tsm->link;
}

static void pci_cma_tsm_remove(struct pci_tsm *pci_tsm)
{
	struct pci_cma_tsm *tsm;

	/* Both union members begin with the struct pci_tsm. */
	static_assert(offsetof(struct pci_tsm_pf0, base_tsm) == 0);
	tsm = container_of(pci_tsm, struct pci_cma_tsm, link);
	pci_cma_tsm_mark(pci_tsm->pdev, NULL);
	if (tsm->is_pf0)
		pci_tsm_pf0_destructor(&tsm->pf0);
	kfree(tsm);
}

/**
 * pci_cma_tsm_connect() - make the device prove its identity now
 * @pdev: a function 0 with a CMA mailbox
 *
 * Reuses the collateral gathered at enumeration (no certificate is read
 * while the digests match) but makes the device prove possession of its
 * leaf key with a fresh CHALLENGE: a connect is a statement about the
 * device as it is now.
 *
 * Return: 0 if it proved itself, -ENODEV if the module does not track the
 * device, -EKEYREJECTED if it is not the device authenticated before or
 * is held off as not the approved one, or the errno of the failure (see
 * pci_cma_errno()).
 */
static int pci_cma_tsm_connect(struct pci_dev *pdev)
{
	return pci_cma_authenticate_now(pdev);
}

static void pci_cma_tsm_disconnect(struct pci_dev *pdev)
{
	/* Nothing is held for a connection: the state is the device's. */
}

static struct pci_tsm_ops pci_cma_tsm_ops = {
	.link_ops = {
		.probe = pci_cma_tsm_probe,
		.remove = pci_cma_tsm_remove,
		.connect = pci_cma_tsm_connect,
		.disconnect = pci_cma_tsm_disconnect,
	},
};

/**
 * pci_cma_tsm_register() - register as the "kernel-pci-cma" TSM
 *
 * The parent device carries the name, so that user space can tell which
 * /sys/class/tsm/tsmN is native CMA.
 *
 * Return: 0, or the errno of faux_device_create() or tsm_register().
 */
int pci_cma_tsm_register(void)
{
	pci_cma_tsm_parent = faux_device_create("kernel-pci-cma", NULL, NULL);
	if (!pci_cma_tsm_parent)
		return -ENOMEM;
	pci_cma_tsm_dev = tsm_register(&pci_cma_tsm_parent->dev, &pci_cma_tsm_ops);
	if (IS_ERR(pci_cma_tsm_dev)) {
		int rc = PTR_ERR(pci_cma_tsm_dev);

		faux_device_destroy(pci_cma_tsm_parent);
		return rc;
	}
	return 0;
}

/* Stops new connects; the parent stays for the devices' objects. */
void pci_cma_tsm_unregister(void)
{
	tsm_unregister(pci_cma_tsm_dev);
}

void pci_cma_tsm_destroy_parent(void)
{
	faux_device_destroy(pci_cma_tsm_parent);
}

/* The kernel-pci-cma device, parent of the per-device objects. */
struct device *pci_cma_tsm_parent_device(void)
{
	return &pci_cma_tsm_parent->dev;
}
