// SPDX-License-Identifier: GPL-2.0
/*
 * Per-device state: the list of tracked devices, their authentication,
 * evidence and approval, and the operations user space drives over
 * netlink. All protocol logic is the engine's; this file keeps verdicts.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <uapi/linux/pci_cma.h>

#include "glue.h"

LIST_HEAD(pci_cma_devices);
/* Guards pci_cma_devices; never held across an SPDM conversation. */
DEFINE_MUTEX(pci_cma_devices_lock);

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

static void pci_cma_device_release(struct kref *ref)
{
	struct pci_cma_device *dev = container_of(ref, struct pci_cma_device, ref);

	pci_cma_evidence_free(&dev->evidence);
	kfree(dev->approval);
	mutex_destroy(&dev->lock);
	pci_dev_put(dev->pdev);
	kfree(dev);
}

/**
 * pci_cma_device_put() - drop a reference from pci_cma_device_get()
 * @dev: the device
 */
void pci_cma_device_put(struct pci_cma_device *dev)
{
	kref_put(&dev->ref, pci_cma_device_release);
}

/**
 * pci_cma_visit_devices() - call @fn for tracked devices, in list order
 * @fn: returns 0 to go on, or an error that stops the walk
 * @arg: passed to @fn
 * @skip: devices already visited; advanced past each one @fn accepts
 *
 * Return: 0 after the last device, or the error of @fn.
 */
int pci_cma_visit_devices(pci_cma_device_fn fn, void *arg, unsigned long *skip)
{
	struct pci_cma_device *dev;
	unsigned long index = 0;
	int rc;

	guard(mutex)(&pci_cma_devices_lock);
	list_for_each_entry(dev, &pci_cma_devices, node) {
		if (index++ < *skip)
			continue;
		rc = fn(dev, arg);
		if (rc)
			return rc;
		(*skip)++;
	}
	return 0;
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
	if (dev->status == -EINPROGRESS)
		return PCI_CMA_STATE_PENDING;
	if (dev->status)
		return PCI_CMA_STATE_FAILED;
	return dev->approval ? PCI_CMA_STATE_APPROVED : PCI_CMA_STATE_AUTHENTICATED;
}

static void pci_cma_report(struct pci_cma_device *dev, u64 took_ms)
{
	const struct pci_cma_auth_result *r = &dev->result;

	/*
	 * The device may be bound to any driver, whose name dev_info() would
	 * show; these lines are ours, so they carry the module's prefix.
	 */
	if (!dev->status) {
		pr_info("%s: authenticated: SPDM %x.%x, %s, %s, slot %u, %u exchanges, %llu certificate bytes, %llu ms\n",
			pci_name(dev->pdev), r->version >> 4, r->version & 0xf,
			pci_cma_asym_name(r->base_asym), pci_cma_hash_name(r->base_hash), r->slot,
			r->exchanges, r->certificate_bytes, took_ms);
		return;
	}
	pr_warn("%s: not authenticated (%d): %s in %s at byte %u (SPDM error 0x%02x, transport %d), %llu ms\n",
		pci_name(dev->pdev), dev->status, pci_cma_error_name(r->error),
		r->field ?: "(no field)", r->offset, r->spdm_error, r->transport_errno, took_ms);
}

/*
 * An approved device authenticated again must still be the approved one:
 * its new identity record must be the approved record, byte for byte.
 */
static void pci_cma_keep_approval(struct pci_cma_device *dev)
{
	const struct pci_cma_evidence *ev = &dev->evidence;

	if (!dev->approval || dev->status)
		return;
	if (ev->len[PCI_CMA_EVIDENCE_IDENTITY] == dev->approval_len &&
	    !memcmp(ev->data[PCI_CMA_EVIDENCE_IDENTITY], dev->approval, dev->approval_len))
		return;
	dev->mismatch = true;
	pr_warn("%s: no longer the approved device: identity changed at generation %llu\n",
		pci_name(dev->pdev), dev->generation);
}

/**
 * pci_cma_run_locked() - authenticate, keep the evidence, announce it
 * @dev: the device, its lock held
 * @nonce: a verifier's nonce (at least 32 bytes), or NULL
 * @nonce_len: bytes at @nonce
 *
 * Return: 0 if authenticated, or the errno of the failure.
 */
static int pci_cma_run_locked(struct pci_cma_device *dev, const u8 *nonce, size_t nonce_len)
{
	struct pci_cma_evidence gathered = {};
	struct pci_cma_auth_params params = {
		.slot = dev->slot,
		.nonce = nonce,
		.nonce_len = nonce_len,
		.sink_ctx = &gathered,
		.sink = pci_cma_evidence_sink,
	};
	struct pci_cma_ops ops;
	u64 start;
	u16 error;

	lockdep_assert_held(&dev->lock);
	if (READ_ONCE(dev->gone))
		return -ENODEV;
	pci_cma_device_ops(dev, &ops);
	start = ktime_get_ns();
	error = pci_cma_authenticate(&pci_cma_kernel_env, &ops, &params, &dev->result);
	dev->status = pci_cma_errno(error);
	/* New transcripts and nonces every time: the evidence changed. */
	pci_cma_evidence_free(&dev->evidence);
	dev->evidence = gathered;
	dev->generation++;
	pci_cma_report(dev, div_u64(ktime_get_ns() - start, NSEC_PER_MSEC));
	pci_cma_keep_approval(dev);
	if (dev->mismatch)
		pci_cma_notify(dev, PCI_CMA_EVENT_MISMATCH);
	else if (dev->status)
		pci_cma_notify(dev, PCI_CMA_EVENT_FAILED);
	else
		pci_cma_notify(dev, PCI_CMA_EVENT_AUTHENTICATED);
	return dev->status;
}

/**
 * pci_cma_run() - authenticate a device with random nonces
 * @dev: the device
 *
 * Return: 0 if authenticated, or the errno of the failure.
 */
int pci_cma_run(struct pci_cma_device *dev)
{
	guard(mutex)(&dev->lock);
	return pci_cma_run_locked(dev, NULL, 0);
}

/**
 * pci_cma_prove() - make the device prove possession of its key again
 * @dev: the device
 *
 * Reuses the collateral of the last authentication: the device's digests
 * are compared with it (no certificate is read) and a CHALLENGE with a
 * fresh nonce is verified with the leaf key already held. A device never
 * authenticated is authenticated in full.
 *
 * Return: 0 if it proved itself, -EKEYREJECTED if it is not the device
 * authenticated before, or the errno of the failure.
 */
int pci_cma_prove(struct pci_cma_device *dev)
{
	const struct pci_cma_evidence *ev = &dev->evidence;
	struct pci_cma_auth_result *r = &dev->result;
	struct pci_cma_bytes record;
	struct pci_cma_ops ops;
	u16 error;

	guard(mutex)(&dev->lock);
	if (READ_ONCE(dev->gone))
		return -ENODEV;
	if (dev->status || !ev->data[PCI_CMA_EVIDENCE_IDENTITY])
		return pci_cma_run_locked(dev, NULL, 0);
	record = (struct pci_cma_bytes) {
		.data = ev->data[PCI_CMA_EVIDENCE_IDENTITY],
		.len = ev->len[PCI_CMA_EVIDENCE_IDENTITY],
	};
	pci_cma_device_ops(dev, &ops);
	error = pci_cma_check_same_device(&pci_cma_kernel_env, &ops, &record, 0, r);
	if (!error && !r->differences) {
		pr_info("%s: proved its key again: %u exchanges, %llu certificate bytes\n",
			pci_name(dev->pdev), r->exchanges, r->certificate_bytes);
		return 0;
	}
	/* Not what was authenticated: its evidence no longer holds. */
	dev->status = error ? pci_cma_errno(error) : -EKEYREJECTED;
	dev->generation++;
	pr_warn("%s: did not prove itself again: %s (differences 0x%x)\n", pci_name(dev->pdev),
		error ? pci_cma_error_name(error) : "another device", r->differences);
	pci_cma_notify(dev, PCI_CMA_EVENT_FAILED);
	return dev->status;
}

/**
 * pci_cma_reauthenticate() - authenticate again, for user space
 * @dev: the device
 * @slot: the certificate slot to use from now on, or -1 to keep it
 * @nonce: a verifier's nonce (at least 32 bytes), or NULL
 * @nonce_len: bytes at @nonce
 *
 * Return: 0 if authenticated, -ENODEV if the device is going away, or the
 * errno of the failure.
 */
int pci_cma_reauthenticate(struct pci_cma_device *dev, int slot, const u8 *nonce, size_t nonce_len)
{
	guard(mutex)(&dev->lock);
	if (slot >= 0 && slot != dev->slot) {
		/* Another slot is another identity: the approval does not carry. */
		dev->slot = slot;
		kfree(dev->approval);
		dev->approval = NULL;
		dev->mismatch = false;
	}
	return pci_cma_run_locked(dev, nonce, nonce_len);
}

/**
 * pci_cma_approve() - user space accepts the device as its evidence shows it
 * @dev: the device
 * @generation: the evidence generation user space verified
 * @digest: the chain digest user space verified
 * @digest_len: bytes at @digest
 * @ignore_measurements: indices 1-32 later checks do not compare
 * @why: set to a reason for user space when refused
 *
 * Return: 0, -ESTALE if the evidence changed since @generation, -EINVAL if
 * @digest is not the device's chain digest, -ENOENT if the device is not
 * authenticated, or -ENOMEM.
 */
int pci_cma_approve(struct pci_cma_device *dev, u64 generation, const u8 *digest,
		    size_t digest_len, u32 ignore_measurements, const char **why)
{
	const struct pci_cma_evidence *ev = &dev->evidence;
	u8 *record;

	guard(mutex)(&dev->lock);
	if (dev->status || !ev->data[PCI_CMA_EVIDENCE_IDENTITY]) {
		*why = "device is not authenticated";
		return -ENOENT;
	}
	if (generation != dev->generation) {
		*why = "evidence changed since that generation";
		return -ESTALE;
	}
	if (digest_len != dev->result.chain_digest_len ||
	    memcmp(digest, dev->result.chain_digest, digest_len)) {
		*why = "chain digest is not the device's";
		return -EINVAL;
	}
	record = kmemdup(ev->data[PCI_CMA_EVIDENCE_IDENTITY], ev->len[PCI_CMA_EVIDENCE_IDENTITY],
			 GFP_KERNEL);
	if (!record)
		return -ENOMEM;
	kfree(dev->approval);
	dev->approval = record;
	dev->approval_len = ev->len[PCI_CMA_EVIDENCE_IDENTITY];
	dev->approved_generation = generation;
	dev->ignore_measurements = ignore_measurements;
	dev->mismatch = false;
	pci_cma_release_containment(dev);
	pr_info("%s: approved at generation %llu\n", pci_name(dev->pdev), generation);
	pci_cma_notify(dev, PCI_CMA_EVENT_APPROVED);
	return 0;
}

/**
 * pci_cma_revoke() - withdraw the approval of a device
 * @dev: the device
 *
 * Return: 0, or -ENOENT if it was not approved.
 */
int pci_cma_revoke(struct pci_cma_device *dev)
{
	guard(mutex)(&dev->lock);
	if (!dev->approval)
		return -ENOENT;
	kfree(dev->approval);
	dev->approval = NULL;
	dev->mismatch = false;
	pr_info("%s: approval revoked\n", pci_name(dev->pdev));
	pci_cma_notify(dev, PCI_CMA_EVENT_REVOKED);
	return 0;
}

/**
 * pci_cma_revalidate() - is the approved device still the same one?
 * @dev: the device
 *
 * The engine's same-device check against the approval: no trust store, no
 * certificate read while the digest matches. Anything but a clean match
 * marks the device as mismatched until user space approves it again.
 *
 * Return: 0 if it is the same device, -EKEYREJECTED if it differs, -ENOENT
 * if it is not approved, or the errno of a check that could not be made.
 */
int pci_cma_revalidate(struct pci_cma_device *dev)
{
	struct pci_cma_bytes record;
	struct pci_cma_ops ops;
	struct pci_cma_auth_result *r = &dev->result;
	u16 error;

	guard(mutex)(&dev->lock);
	if (!dev->approval)
		return -ENOENT;
	if (READ_ONCE(dev->gone))
		return -ENODEV;
	record = (struct pci_cma_bytes) { .data = dev->approval, .len = dev->approval_len };
	pci_cma_device_ops(dev, &ops);
	error = pci_cma_check_same_device(&pci_cma_kernel_env, &ops, &record,
					  dev->ignore_measurements, r);
	if (!error && !r->differences) {
		dev->mismatch = false;
		pr_info("%s: still the approved device (%u exchanges, %llu certificate bytes)\n",
			pci_name(dev->pdev), r->exchanges, r->certificate_bytes);
		pci_cma_notify(dev, PCI_CMA_EVENT_REVALIDATED);
		return 0;
	}
	dev->mismatch = true;
	/*
	 * Neither the approval nor the evidence describes the device now: the
	 * evidence goes, so that approving it again takes a fresh read.
	 */
	pci_cma_evidence_free(&dev->evidence);
	dev->generation++;
	if (error)
		pr_warn("%s: same-device check failed: %s in %s at byte %u (SPDM error 0x%02x, transport %d)\n",
			pci_name(dev->pdev), pci_cma_error_name(error),
			r->field ?: "(no field)", r->offset, r->spdm_error, r->transport_errno);
	else
		pr_warn("%s: not the approved device: differences 0x%x (first measurement %u)\n",
			pci_name(dev->pdev), r->differences, r->first_measurement);
	pci_cma_notify(dev, PCI_CMA_EVENT_MISMATCH);
	return error ? pci_cma_errno(error) : -EKEYREJECTED;
}
