// SPDX-License-Identifier: GPL-2.0
/*
 * The attributes of each tracked device, on its gate's supplier under the
 * kernel-pci-cma parent: /sys/devices/faux/kernel-pci-cma/cma-DDDD:BB:DD.F/
 * (also /sys/bus/pci-cma/devices/), with a pci_dev link to the PCI device
 * (gate.c adds it). Nothing is added to the PCI device's own directory,
 * where the PCI TSM core owns the names. Documented in
 * Documentation/ABI/testing/sysfs-devices-kernel-pci-cma.
 */
#include <linux/device.h>
#include <linux/sysfs.h>

#include "glue.h"

/* Set before the supplier is added, so no reader sees it without. */
static struct pci_cma_device *pci_cma_of(struct device *d)
{
	return pci_cma_gate_device(d);
}

static ssize_t state_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct pci_cma_device *dev = pci_cma_of(d);

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

	guard(mutex)(&dev->lock);
	if (!dev->result.version)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%x.%x\n", dev->result.version >> 4, dev->result.version & 0xf);
}
static DEVICE_ATTR_RO(version);

static ssize_t algorithms_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct pci_cma_device *dev = pci_cma_of(d);

	guard(mutex)(&dev->lock);
	if (!dev->result.base_asym && !dev->result.pqc_asym)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%s %s\n", pci_cma_signature_name(&dev->result),
			  pci_cma_hash_name(dev->result.base_hash));
}
static DEVICE_ATTR_RO(algorithms);

static ssize_t slot_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct pci_cma_device *dev = pci_cma_of(d);

	guard(mutex)(&dev->lock);
	return sysfs_emit(buf, "%u\n", dev->result.slot);
}
static DEVICE_ATTR_RO(slot);

static ssize_t chain_digest_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct pci_cma_device *dev = pci_cma_of(d);

	guard(mutex)(&dev->lock);
	return sysfs_emit(buf, "%*phN\n", (int)dev->result.chain_digest_len,
			  dev->result.chain_digest);
}
static DEVICE_ATTR_RO(chain_digest);

static ssize_t last_error_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct pci_cma_device *dev = pci_cma_of(d);
	const struct pci_cma_auth_result *r;

	guard(mutex)(&dev->lock);
	r = &dev->result;
	if (dev->status == 0 || dev->status == -EINPROGRESS)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%s in %s at byte %u (SPDM error 0x%02x, transport %d)\n",
			  pci_cma_error_name(r->error), r->field ?: "(no field)", r->offset,
			  r->spdm_error, r->transport_errno);
}
static DEVICE_ATTR_RO(last_error);

static ssize_t gate_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct pci_cma_device *dev = pci_cma_of(d);

	guard(mutex)(&dev->lock);
	return sysfs_emit(buf, "%s\n", pci_cma_gate_held(dev) ? "held" : "open");
}
static DEVICE_ATTR_RO(gate);

static struct attribute *pci_cma_device_attrs[] = {
	&dev_attr_state.attr,
	&dev_attr_version.attr,
	&dev_attr_algorithms.attr,
	&dev_attr_slot.attr,
	&dev_attr_chain_digest.attr,
	&dev_attr_last_error.attr,
	&dev_attr_gate.attr,
	NULL
};

static const struct attribute_group pci_cma_device_group = {
	.attrs = pci_cma_device_attrs,
};

const struct attribute_group *pci_cma_device_groups[] = {
	&pci_cma_device_group,
	NULL
};
