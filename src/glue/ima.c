// SPDX-License-Identifier: GPL-2.0
/*
 * Every announced event of a device, and every containment, is also
 * measured into IMA as critical data under the label "pci-cma", so that
 * the host's measurement list (and the TPM PCR it extends) carries which
 * devices were authenticated, with which identity, what user space
 * approved, and every same-device check and containment. IMA measures only
 * what its policy asks for (a rule "measure func=CRITICAL_DATA
 * label=pci-cma"); with no such rule, or no IMA, this costs two SHA-384
 * computations per event and records nothing.
 *
 * The record is fixed-layout and versioned; its format is documented in
 * Documentation/ima-records.rst and decoded by "cmactl ima-log".
 *
 * Every record is unique (it holds the generation and the time), so no
 * allow-list can name one in advance. An approval is therefore also
 * measured as a second, canonical record that holds only the place, the
 * config-space identity and the approved identity's digest: the same
 * device approved again measures the same bytes (IMA keeps one entry per
 * content), and its digest is what a fleet verifier's allow-list names.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/sha2.h>
#include <linux/ima.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include <uapi/linux/pci_cma.h>

#include "glue.h"

#define PCI_CMA_IMA_LABEL	"pci-cma"
#define PCI_CMA_IMA_VERSION	1

/* Flags of a record: the device's state beside its event. */
#define PCI_CMA_IMA_FLAG_APPROVED	BIT(0)
#define PCI_CMA_IMA_FLAG_CONTAINED	BIT(1)
#define PCI_CMA_IMA_FLAG_MISMATCH	BIT(2)
#define PCI_CMA_IMA_FLAG_UNVERIFIABLE	BIT(3)

/*
 * Version 1 of the record; little-endian, no padding (240 bytes). IMA adds
 * a measurement only once per content: the time of the event makes every
 * record its own, so that a check that finds the same device again is
 * recorded each time.
 */
struct pci_cma_ima_record {
	u8 magic[4];
	__le16 version;
	__le16 event;
	__le16 domain;
	u8 bus;
	u8 devfn;
	__le16 vendor;
	__le16 device;
	__le32 class;
	u8 revision;
	u8 spdm_version;
	u8 slot;
	u8 chain_digest_len;
	__le16 subsystem_vendor;
	__le16 subsystem;
	__le32 base_asym;
	__le32 pqc_asym;
	__le32 base_hash;
	__le64 generation;
	__le64 approved_generation;
	__le32 state;
	__le32 flags;
	__le32 differences;
	__le32 status;
	u8 chain_digest[64];
	u8 identity_digest[SHA384_DIGEST_SIZE];
	u8 approved_identity_digest[SHA384_DIGEST_SIZE];
	__le64 boottime_ns;
} __packed;

static_assert(sizeof(struct pci_cma_ima_record) == 240);

#define PCI_CMA_IMA_IDENTITY_VERSION	1

/*
 * The approved identity, version 1; little-endian, no padding (72 bytes).
 * Nothing in it changes while the device stays the one approved.
 */
struct pci_cma_ima_identity {
	u8 magic[4];
	__le16 version;
	__le16 domain;
	u8 bus;
	u8 devfn;
	__le16 vendor;
	__le16 device;
	__le16 subsystem_vendor;
	__le16 subsystem;
	u8 revision;
	u8 reserved;
	__le32 class;
	u8 approved_identity_digest[SHA384_DIGEST_SIZE];
} __packed;

static_assert(sizeof(struct pci_cma_ima_identity) == 72);

static const char *const pci_cma_ima_event_names[] = {
	[PCI_CMA_EVENT_AUTHENTICATED] = "authenticated",
	[PCI_CMA_EVENT_FAILED] = "failed",
	[PCI_CMA_EVENT_APPROVED] = "approved",
	[PCI_CMA_EVENT_REVOKED] = "revoked",
	[PCI_CMA_EVENT_REVALIDATED] = "revalidated",
	[PCI_CMA_EVENT_MISMATCH] = "mismatch",
	[PCI_CMA_EVENT_REMOVED] = "removed",
	[PCI_CMA_EVENT_UNVERIFIABLE] = "unverifiable",
};

static const char *pci_cma_ima_event_name(u32 event)
{
	if (event == PCI_CMA_IMA_CONTAINED)
		return "contained";
	return event < ARRAY_SIZE(pci_cma_ima_event_names) ? pci_cma_ima_event_names[event] : NULL;
}

/* SHA-384 of a record the engine made, or zeros when there is none. */
static void pci_cma_ima_digest(const u8 *data, size_t len, u8 out[SHA384_DIGEST_SIZE])
{
	if (data && len)
		sha384(data, len, out);
}

static void pci_cma_ima_fill(const struct pci_cma_device *dev, u32 event,
			     struct pci_cma_ima_record *r)
{
	const struct pci_cma_auth_result *result = &dev->result;
	const struct pci_dev *pdev = dev->pdev;
	u32 flags = 0;

	memcpy(r->magic, "PCMA", sizeof(r->magic));
	r->version = cpu_to_le16(PCI_CMA_IMA_VERSION);
	r->event = cpu_to_le16(event);
	r->domain = cpu_to_le16(pci_domain_nr(pdev->bus));
	r->bus = pdev->bus->number;
	r->devfn = pdev->devfn;
	r->vendor = cpu_to_le16(pdev->vendor);
	r->device = cpu_to_le16(pdev->device);
	r->class = cpu_to_le32(pdev->class);
	r->revision = pdev->revision;
	r->subsystem_vendor = cpu_to_le16(pdev->subsystem_vendor);
	r->subsystem = cpu_to_le16(pdev->subsystem_device);
	r->spdm_version = result->version;
	r->slot = dev->slot;
	r->base_asym = cpu_to_le32(result->base_asym);
	r->pqc_asym = cpu_to_le32(result->pqc_asym);
	r->base_hash = cpu_to_le32(result->base_hash);
	r->chain_digest_len = min(result->chain_digest_len, sizeof(r->chain_digest));
	memcpy(r->chain_digest, result->chain_digest, r->chain_digest_len);
	r->generation = cpu_to_le64(dev->generation);
	r->state = cpu_to_le32(pci_cma_device_state(dev));
	r->differences = cpu_to_le32(result->differences);
	r->status = cpu_to_le32((u32)dev->status);
	if (dev->approval) {
		flags |= PCI_CMA_IMA_FLAG_APPROVED;
		r->approved_generation = cpu_to_le64(dev->approved_generation);
	}
	if (dev->contained)
		flags |= PCI_CMA_IMA_FLAG_CONTAINED;
	if (dev->mismatch)
		flags |= PCI_CMA_IMA_FLAG_MISMATCH;
	if (dev->unverifiable)
		flags |= PCI_CMA_IMA_FLAG_UNVERIFIABLE;
	r->flags = cpu_to_le32(flags);
	r->boottime_ns = cpu_to_le64(ktime_get_boottime_ns());
	pci_cma_ima_digest(dev->evidence.data[PCI_CMA_EVIDENCE_IDENTITY],
			   dev->evidence.len[PCI_CMA_EVIDENCE_IDENTITY], r->identity_digest);
	pci_cma_ima_digest(dev->approval, dev->approval_len, r->approved_identity_digest);
}

static void pci_cma_ima_fill_identity(const struct pci_cma_device *dev,
				      struct pci_cma_ima_identity *r)
{
	const struct pci_dev *pdev = dev->pdev;

	memcpy(r->magic, "PCMI", sizeof(r->magic));
	r->version = cpu_to_le16(PCI_CMA_IMA_IDENTITY_VERSION);
	r->domain = cpu_to_le16(pci_domain_nr(pdev->bus));
	r->bus = pdev->bus->number;
	r->devfn = pdev->devfn;
	r->vendor = cpu_to_le16(pdev->vendor);
	r->device = cpu_to_le16(pdev->device);
	r->subsystem_vendor = cpu_to_le16(pdev->subsystem_vendor);
	r->subsystem = cpu_to_le16(pdev->subsystem_device);
	r->revision = pdev->revision;
	r->class = cpu_to_le32(pdev->class);
	pci_cma_ima_digest(dev->approval, dev->approval_len, r->approved_identity_digest);
}

/*
 * Records are measured from an ordered, freezable workqueue: in the order
 * of their events, and never while the system suspends or resumes, when
 * the TPM that IMA extends may be suspended itself (a check runs in the
 * gate supplier's resume callback) and the list would hold an entry the
 * PCR never saw.
 */
static struct workqueue_struct *pci_cma_ima_wq;

struct pci_cma_ima_work {
	struct work_struct work;
	char name[32];
	size_t len;
	u8 buf[];
};

static void pci_cma_ima_submit(const char *name, const void *buf, size_t len)
{
	int rc = ima_measure_critical_data(PCI_CMA_IMA_LABEL, name, buf, len, false, NULL, 0);

	/* -ENOENT: no IMA, or no rule; anything else is worth a line, once. */
	if (rc < 0 && rc != -ENOENT)
		pr_warn_once("IMA did not measure the record %s (%d)\n", name, rc);
}

static void pci_cma_ima_work_fn(struct work_struct *work)
{
	struct pci_cma_ima_work *w = container_of(work, struct pci_cma_ima_work, work);

	pci_cma_ima_submit(w->name, w->buf, w->len);
	kfree(w);
}

/* Queues one record of a device, named "DDDD:BB:DD.F/KIND". */
static void pci_cma_ima_queue(const struct pci_cma_device *dev, const char *kind,
			      const void *buf, size_t len)
{
	struct pci_cma_ima_work *w = kzalloc(struct_size(w, buf, len), GFP_KERNEL);
	char name[sizeof(w->name)];

	snprintf(name, sizeof(name), "%s/%s", pci_name(dev->pdev), kind);
	if (!w) {
		/* Better measured now than missing from the list. */
		pci_cma_ima_submit(name, buf, len);
		return;
	}
	memcpy(w->name, name, sizeof(name));
	memcpy(w->buf, buf, len);
	w->len = len;
	INIT_WORK(&w->work, pci_cma_ima_work_fn);
	queue_work(pci_cma_ima_wq, &w->work);
}

/**
 * pci_cma_ima_init() - the queue records are measured from
 *
 * Return: 0 or -ENOMEM.
 */
int pci_cma_ima_init(void)
{
	pci_cma_ima_wq = alloc_ordered_workqueue("pci_cma_ima", WQ_FREEZABLE);
	return pci_cma_ima_wq ? 0 : -ENOMEM;
}

/**
 * pci_cma_ima_exit() - measure what is queued, then drop the queue
 *
 * After every other work of the module has ended: each may queue a record.
 */
void pci_cma_ima_exit(void)
{
	destroy_workqueue(pci_cma_ima_wq);
}

/**
 * pci_cma_ima_measure() - measure a device's event into IMA
 * @dev: the device, its lock held
 * @event: PCI_CMA_EVENT_*, or PCI_CMA_IMA_CONTAINED
 *
 * The record is taken now and measured from the module's IMA queue, in
 * the order of the events, once the system runs. Those of devices checked
 * in parallel interleave as the events happened. The measurement list
 * records that order and the PCR is extended in it, so a verifier replays
 * the list as it is and matches records by place. An approval queues the
 * approved identity's canonical record right after its own.
 */
void pci_cma_ima_measure(const struct pci_cma_device *dev, u32 event)
{
	const char *event_name = pci_cma_ima_event_name(event);
	struct pci_cma_ima_identity identity = {};
	struct pci_cma_ima_record record = {};

	lockdep_assert_held(&dev->lock);
	if (!event_name || !IS_ENABLED(CONFIG_IMA))
		return;
	pci_cma_ima_fill(dev, event, &record);
	pci_cma_ima_queue(dev, event_name, &record, sizeof(record));
	if (event != PCI_CMA_EVENT_APPROVED || !dev->approval)
		return;
	pci_cma_ima_fill_identity(dev, &identity);
	pci_cma_ima_queue(dev, "approved-identity", &identity, sizeof(identity));
}
