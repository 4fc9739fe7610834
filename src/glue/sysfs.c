// SPDX-License-Identifier: GPL-2.0
/*
 * One sysfs object per tracked device, under the kernel-pci-cma parent:
 * /sys/devices/faux/kernel-pci-cma/cma-DDDD:BB:DD.F/, with a pci_dev link to
 * the PCI device. Nothing is added to the PCI device's own directory, where
 * the PCI TSM core owns the names. Documented in
 * Documentation/ABI/testing/sysfs-devices-kernel-pci-cma.
 */
#include <linux/device.h>
#include <linux/device/faux.h>
#include <linux/sysfs.h>

#include "glue.h"

static struct pci_cma_device *pci_cma_of(struct device *d)
{
	return dev_get_drvdata(d);
}

static ssize_t state_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct pci_cma_device *dev = pci_cma_of(d);

	if (!dev)
		return -ENODEV;
	guard(mutex)(&dev->lock);
	if (dev->mismatch)
		return sysfs_emit(buf, "mismatch\n");
	if (dev->unverifiable)
		return sysfs_emit(buf, "unverifiable\n");
	if (dev->status == -EINPROGRESS)
		return sysfs_emit(buf, "authenticating\n");
	return sysfs_emit(buf, "%s\n", dev->status ? "failed" : "authenticated");
}
static DEVICE_ATTR_RO(state);

static ssize_t version_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct pci_cma_device *dev = pci_cma_of(d);

	if (!dev)
		return -ENODEV;
	guard(mutex)(&dev->lock);
	if (!dev->result.version)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%x.%x\n", dev->result.version >> 4, dev->result.version & 0xf);
}
static DEVICE_ATTR_RO(version);

static ssize_t algorithms_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct pci_cma_device *dev = pci_cma_of(d);

	if (!dev)
		return -ENODEV;
	guard(mutex)(&dev->lock);
	if (!dev->result.base_asym)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%s %s\n", pci_cma_asym_name(dev->result.base_asym),
			  pci_cma_hash_name(dev->result.base_hash));
}
static DEVICE_ATTR_RO(algorithms);

static ssize_t slot_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct pci_cma_device *dev = pci_cma_of(d);

	if (!dev)
		return -ENODEV;
	guard(mutex)(&dev->lock);
	return sysfs_emit(buf, "%u\n", dev->result.slot);
}
static DEVICE_ATTR_RO(slot);

static ssize_t chain_digest_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct pci_cma_device *dev = pci_cma_of(d);

	if (!dev)
		return -ENODEV;
	guard(mutex)(&dev->lock);
	return sysfs_emit(buf, "%*phN\n", (int)dev->result.chain_digest_len,
			  dev->result.chain_digest);
}
static DEVICE_ATTR_RO(chain_digest);

static ssize_t last_error_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct pci_cma_device *dev = pci_cma_of(d);
	const struct pci_cma_auth_result *r;

	if (!dev)
		return -ENODEV;
	guard(mutex)(&dev->lock);
	r = &dev->result;
	if (dev->status == 0 || dev->status == -EINPROGRESS)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%s in %s at byte %u (SPDM error 0x%02x, transport %d)\n",
			  pci_cma_error_name(r->error), r->field ?: "(no field)", r->offset,
			  r->spdm_error, r->transport_errno);
}
static DEVICE_ATTR_RO(last_error);

static struct attribute *pci_cma_device_attrs[] = {
	&dev_attr_state.attr,
	&dev_attr_version.attr,
	&dev_attr_algorithms.attr,
	&dev_attr_slot.attr,
	&dev_attr_chain_digest.attr,
	&dev_attr_last_error.attr,
	NULL
};
ATTRIBUTE_GROUPS(pci_cma_device);

/*
 * The device being published. faux_device_create_with_groups() probes
 * synchronously and adds the attribute groups only after the probe, so
 * setting the data pointer in the probe means no reader ever sees the
 * object without it. Callers are serialized (pci_cma_sysfs_add()).
 */
static struct pci_cma_device *pci_cma_sysfs_adding;

static int pci_cma_sysfs_probe(struct faux_device *faux)
{
	faux_device_set_drvdata(faux, pci_cma_sysfs_adding);
	return 0;
}

static const struct faux_device_ops pci_cma_sysfs_ops = {
	.probe = pci_cma_sysfs_probe,
};

/**
 * pci_cma_sysfs_add() - publish a tracked device's state
 * @dev: the device; its state attributes read @dev under @dev->lock
 * @parent: the kernel-pci-cma device
 *
 * Called with new devices one at a time (under the module's membership
 * lock).
 *
 * Return: 0, or -ENOMEM when the object could not be made (the device is
 * still authenticated, only not shown).
 */
int pci_cma_sysfs_add(struct pci_cma_device *dev, struct device *parent)
{
	char name[32];

	snprintf(name, sizeof(name), "cma-%s", pci_name(dev->pdev));
	pci_cma_sysfs_adding = dev;
	dev->sysfs = faux_device_create_with_groups(name, parent, &pci_cma_sysfs_ops,
						    pci_cma_device_groups);
	pci_cma_sysfs_adding = NULL;
	if (!dev->sysfs)
		return -ENOMEM;
	if (sysfs_create_link(&dev->sysfs->dev.kobj, &dev->pdev->dev.kobj, "pci_dev"))
		pci_warn(dev->pdev, "%s: no pci_dev link\n", KBUILD_MODNAME);
	return 0;
}

/**
 * pci_cma_sysfs_remove() - withdraw a device's object
 * @dev: the device
 * @sysfs: its object, taken from @dev under its lock, or NULL
 *
 * Waits for readers of the attributes, which take @dev->lock: the caller
 * must not hold it.
 */
void pci_cma_sysfs_remove(struct pci_cma_device *dev, struct faux_device *sysfs)
{
	if (!sysfs)
		return;
	sysfs_remove_link(&sysfs->dev.kobj, "pci_dev");
	faux_device_destroy(sysfs);
}
