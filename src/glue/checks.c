// SPDX-License-Identifier: GPL-2.0
/*
 * What user space, a resume, a reset or a TSM connect asks of a device:
 * authenticate it, make it prove itself again, approve or revoke it, check
 * it is still the approved one. All protocol logic is the engine's; what
 * each outcome means is decided in verdict.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <uapi/linux/pci_cma.h>

#include "glue.h"

/**
 * pci_cma_authenticate_work() - the authentication queued for a device
 * @work: its @work
 */
void pci_cma_authenticate_work(struct work_struct *work)
{
	pci_cma_run(container_of(work, struct pci_cma_device, work));
}

/* One line per authentication: what it found, or @status and where it failed. */
static void pci_cma_report(struct pci_cma_device *dev, int status, u64 took_ms)
{
	const struct pci_cma_auth_result *r = &dev->result;

	/*
	 * The device may be bound to any driver, whose name dev_info() would
	 * show; these lines are ours, so they carry the module's prefix.
	 */
	if (!status) {
		pr_info("%s: authenticated: SPDM %x.%x, %s, %s, slot %u, %u exchanges, %llu certificate bytes, %llu ms\n",
			pci_name(dev->pdev), r->version >> 4, r->version & 0xf,
			pci_cma_signature_name(r), pci_cma_hash_name(r->base_hash), r->slot,
			r->exchanges, r->certificate_bytes, took_ms);
		return;
	}
	pr_warn("%s: not authenticated (%d): %s in %s at byte %u (SPDM error 0x%02x, transport %d), %llu ms\n",
		pci_name(dev->pdev), status, pci_cma_error_name(r->error),
		r->field ?: "(no field)", r->offset, r->spdm_error, r->transport_errno, took_ms);
}

/*
 * An approved device authenticated again must still be the approved one:
 * the verdict of its authentication, as for a same-device check.
 */
static enum pci_cma_verdict pci_cma_authentication_verdict(struct pci_cma_device *dev)
{
	lockdep_assert_held(&dev->lock);
	if (dev->result.error)
		return pci_cma_verdict_of(dev, dev->result.error, 0);
	/* Nothing to compare is nothing proven, not a difference. */
	if (!dev->evidence.data[PCI_CMA_EVIDENCE_IDENTITY])
		return READ_ONCE(dev->gone) ? PCI_CMA_GONE : PCI_CMA_UNVERIFIABLE;
	return pci_cma_identity_verdict(dev);
}

/*
 * Authenticates with random nonces or a verifier's, keeps the evidence and
 * announces it. An approved device gets a verdict; a device going away
 * gets nothing.
 */
static int pci_cma_authenticate_device(struct pci_cma_device *dev, const u8 *nonce,
				       size_t nonce_len, u64 *generation)
{
	struct pci_cma_evidence gathered = {};
	struct pci_cma_auth_params params = {
		.nonce = nonce,
		.nonce_len = nonce_len,
		.sink_ctx = &gathered,
		.sink = pci_cma_evidence_sink,
	};
	struct pci_cma_auth_result *result;
	struct pci_cma_ops ops;
	u64 start = 0;
	u16 error = 0;
	u32 event;
	int rc;

	result = kzalloc_obj(*result);
	if (!result)
		return -ENOMEM;
	rc = pci_cma_conversation_begin(dev);
	if (rc == -ENODEV || rc == -EBUSY) {
		/* Going away, or lent to another owner: nothing to conclude. */
		kfree(result);
		return rc;
	}
	if (!rc) {
		scoped_guard(mutex, &dev->lock)
			params.slot = dev->slot;
		pci_cma_device_ops(dev, &ops);
		start = ktime_get_ns();
		error = pci_cma_authenticate(&pci_cma_kernel_env, &ops, &params, result);
		pci_cma_conversation_end(dev);
	}
	guard(mutex)(&dev->lock);
	if (dev->gone) {
		pci_cma_evidence_free(&gathered);
		kfree(result);
		return -ENODEV;
	}
	if (rc) {
		/*
		 * Not even begun (power, signal): what an approved device was
		 * known to be stands until a check can be made.
		 */
		kfree(result);
		if (dev->approval) {
			pci_cma_judge(dev, PCI_CMA_UNVERIFIABLE, 0);
		} else {
			dev->status = rc;
			pci_cma_announce(dev, PCI_CMA_EVENT_FAILED);
			pci_cma_gate_update(dev);
		}
		return rc;
	}
	dev->result = *result;
	kfree(result);
	if (dev->approval && pci_cma_verdict_of(dev, error, 0) == PCI_CMA_UNVERIFIABLE) {
		/*
		 * An approved device whose authentication could not be made
		 * (the host's memory, a silent mailbox, the deadline): nothing
		 * was learnt about it. Its evidence and state stand, and only
		 * the verdict says it is unverifiable, as after a same-device
		 * check that could not be made; a check that proves it lifts
		 * that. No new generation: a verifier's nonce read fails.
		 */
		pci_cma_evidence_free(&gathered);
		pci_cma_report(dev, pci_cma_errno(error),
			       div_u64(ktime_get_ns() - start, NSEC_PER_MSEC));
		pci_cma_judge(dev, PCI_CMA_UNVERIFIABLE, PCI_CMA_EVENT_FAILED);
		return pci_cma_errno(error);
	}
	dev->status = pci_cma_errno(error);
	/* New transcripts and nonces every time: the evidence changed. */
	pci_cma_evidence_free(&dev->evidence);
	dev->evidence = gathered;
	dev->generation++;
	if (generation)
		*generation = dev->generation;
	pci_cma_report(dev, dev->status, div_u64(ktime_get_ns() - start, NSEC_PER_MSEC));
	event = dev->status ? PCI_CMA_EVENT_FAILED : PCI_CMA_EVENT_AUTHENTICATED;
	if (dev->approval) {
		pci_cma_judge(dev, pci_cma_authentication_verdict(dev), event);
	} else {
		pci_cma_announce(dev, event);
		pci_cma_gate_update(dev);
	}
	return dev->status;
}

/**
 * pci_cma_run() - authenticate a device with random nonces
 * @dev: the device
 *
 * Return: 0 if authenticated, -ENODEV if it is going away, or the errno of
 * the failure.
 */
int pci_cma_run(struct pci_cma_device *dev)
{
	return pci_cma_authenticate_device(dev, NULL, 0, NULL);
}

/**
 * pci_cma_authenticate_now() - make a tracked device prove itself now
 * @pdev: the device
 *
 * Return: 0 if it proved possession of its key again, -ENODEV if the module
 * does not track @pdev, or the errno of the failure.
 */
int pci_cma_authenticate_now(struct pci_dev *pdev)
{
	struct pci_cma_device *dev = pci_cma_device_get_pdev(pdev);
	int rc;

	if (!dev)
		return -ENODEV;
	rc = pci_cma_prove(dev);
	pci_cma_device_put(dev);
	return rc;
}

/* A copy of an IDENTITY record, for a conversation that runs unlocked. */
static int pci_cma_copy_record(const u8 *data, size_t len, struct pci_cma_bytes *copy)
{
	u8 *buf = kvmemdup(data, len, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	*copy = (struct pci_cma_bytes) { .data = buf, .len = len };
	return 0;
}

/*
 * The engine's same-device check against @record, in one conversation.
 * Return: the verdict; @result says what was found.
 */
static enum pci_cma_verdict pci_cma_check(struct pci_cma_device *dev,
					  const struct pci_cma_bytes *record, u32 ignore,
					  struct pci_cma_auth_result *result)
{
	struct pci_cma_ops ops;
	u16 error;
	int rc;

	rc = pci_cma_conversation_begin(dev);
	if (rc == -ENODEV)
		return PCI_CMA_GONE;
	if (rc == -EBUSY)
		return PCI_CMA_LENT;
	if (rc)
		return PCI_CMA_UNVERIFIABLE;
	pci_cma_device_ops(dev, &ops);
	error = pci_cma_check_same_device(&pci_cma_kernel_env, &ops, record, ignore, result);
	pci_cma_conversation_end(dev);
	if (READ_ONCE(dev->gone))
		return PCI_CMA_GONE;
	return pci_cma_verdict_of(dev, error, result->differences);
}

/**
 * pci_cma_prove() - make the device prove possession of its key again
 * @dev: the device
 *
 * Reuses the collateral of the last authentication, as a same-device
 * check against it: a CHALLENGE with a fresh nonce whose chain hash must be
 * the one authenticated, verified with the leaf key already held (no
 * certificate is read). A device never
 * authenticated is authenticated in full. A device found to differ from
 * its approval, contained or held at the gate proves nothing.
 *
 * Return: 0 if it proved itself, -EKEYREJECTED if it is not the device
 * authenticated before or is held off, -ENODEV if it is going away,
 * -EBUSY if another party owns its mailbox, or the errno of the failure.
 */
int pci_cma_prove(struct pci_cma_device *dev)
{
	struct pci_cma_auth_result *result;
	struct pci_cma_bytes record;
	enum pci_cma_verdict verdict;
	int rc;

	scoped_guard(mutex, &dev->lock) {
		if (dev->gone)
			return -ENODEV;
		if (dev->mismatch || dev->contained || pci_cma_gate_held(dev))
			return -EKEYREJECTED;
		if (dev->status || !dev->evidence.data[PCI_CMA_EVIDENCE_IDENTITY])
			goto full;
		rc = pci_cma_copy_record(dev->evidence.data[PCI_CMA_EVIDENCE_IDENTITY],
					 dev->evidence.len[PCI_CMA_EVIDENCE_IDENTITY], &record);
		if (rc)
			return rc;
	}
	result = kzalloc_obj(*result);
	if (!result) {
		kvfree(record.data);
		return -ENOMEM;
	}
	verdict = pci_cma_check(dev, &record, 0, result);
	kvfree(record.data);
	scoped_guard(mutex, &dev->lock) {
		if (verdict != PCI_CMA_GONE && verdict != PCI_CMA_LENT)
			dev->result = *result;
		kfree(result);
		switch (verdict) {
		case PCI_CMA_GONE:
			return -ENODEV;
		case PCI_CMA_LENT:
			return -EBUSY;
		case PCI_CMA_SAME:
			pr_info("%s: proved its key again: %u exchanges, %llu certificate bytes\n",
				pci_name(dev->pdev), dev->result.exchanges,
				dev->result.certificate_bytes);
			return 0;
		case PCI_CMA_DIFFERS:
			/* Not what was authenticated: its evidence no longer holds. */
			dev->status = -EKEYREJECTED;
			break;
		case PCI_CMA_UNVERIFIABLE:
			/* Could not tell: nothing proven, nothing concluded. */
			pr_warn("%s: could not prove itself again: %s\n", pci_name(dev->pdev),
				pci_cma_error_name(dev->result.error));
			return dev->result.error ? pci_cma_errno(dev->result.error) : -EAGAIN;
		}
		dev->generation++;
		pr_warn("%s: did not prove itself again: %s (differences 0x%x)\n",
			pci_name(dev->pdev), dev->result.error ?
			pci_cma_error_name(dev->result.error) : "another device",
			dev->result.differences);
		if (dev->approval) {
			pci_cma_judge(dev, verdict, 0);
		} else {
			pci_cma_announce(dev, PCI_CMA_EVENT_FAILED);
			pci_cma_gate_update(dev);
		}
		return dev->status;
	}
	return 0;
full:
	return pci_cma_run(dev);
}

/**
 * pci_cma_reauthenticate() - authenticate again, for user space
 * @dev: the device
 * @slot: the certificate slot to use from now on, or -1 to keep it
 * @nonce: a verifier's nonce, or NULL
 * @nonce_len: bytes at @nonce
 * @generation: set to the evidence generation this authentication made,
 *	whose transcripts hold @nonce; NULL if not wanted
 *
 * Return: 0 if authenticated, -ENODEV if the device is going away, or the
 * errno of the failure.
 */
int pci_cma_reauthenticate(struct pci_cma_device *dev, int slot, const u8 *nonce,
			   size_t nonce_len, u64 *generation)
{
	scoped_guard(mutex, &dev->lock) {
		if (slot >= 0 && slot != dev->slot) {
			/* Another slot is another identity: the approval does not carry. */
			dev->slot = slot;
			dev->decisions++;
			kvfree(dev->approval);
			dev->approval = NULL;
			dev->mismatch = false;
			dev->unverifiable = false;
		}
	}
	return pci_cma_authenticate_device(dev, nonce, nonce_len, generation);
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
 * authenticated, -ENODEV if it is going away, or -ENOMEM.
 */
int pci_cma_approve(struct pci_cma_device *dev, u64 generation, const u8 *digest,
		    size_t digest_len, u32 ignore_measurements, const char **why)
{
	const struct pci_cma_evidence *ev = &dev->evidence;
	struct pci_cma_bytes record;

	guard(mutex)(&dev->lock);
	if (dev->gone) {
		*why = "device removed";
		return -ENODEV;
	}
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
	if (pci_cma_copy_record(ev->data[PCI_CMA_EVIDENCE_IDENTITY],
				ev->len[PCI_CMA_EVIDENCE_IDENTITY], &record))
		return -ENOMEM;
	kvfree(dev->approval);
	dev->approval = (u8 *)record.data;
	dev->approval_len = record.len;
	dev->approved_generation = generation;
	dev->ignore_measurements = ignore_measurements;
	dev->decisions++;
	dev->mismatch = false;
	dev->proven = true;
	dev->unverifiable = false;
	dev->attempts = 0;
	pci_cma_release_containment(dev);
	pr_info("%s: approved at generation %llu\n", pci_name(dev->pdev), generation);
	pci_cma_announce(dev, PCI_CMA_EVENT_APPROVED);
	pci_cma_gate_update(dev);
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
	kvfree(dev->approval);
	dev->approval = NULL;
	dev->decisions++;
	dev->mismatch = false;
	dev->unverifiable = false;
	pr_info("%s: approval revoked\n", pci_name(dev->pdev));
	pci_cma_announce(dev, PCI_CMA_EVENT_REVOKED);
	pci_cma_gate_update(dev);
	return 0;
}

/**
 * pci_cma_revalidate() - is the approved device still the same one?
 * @dev: the device
 *
 * The engine's same-device check against the approval: no trust store, no
 * certificate read while the digest matches. Whoever asks (netlink, a
 * resume, a reset), pci_cma_judge() decides what follows.
 *
 * Return: 0 if it is the same device, -EKEYREJECTED if it differs, -ENOENT
 * if it is not approved, -ENODEV if it is going away, -EBUSY if another
 * party owns its mailbox, or the errno of a check that could not be made.
 */
int pci_cma_revalidate(struct pci_cma_device *dev)
{
	struct pci_cma_auth_result *result;
	enum pci_cma_verdict verdict;
	struct pci_cma_bytes record;
	ktime_t start;
	u64 decisions;
	u32 ignore;
	int rc;

	scoped_guard(mutex, &dev->lock) {
		if (dev->gone)
			return -ENODEV;
		if (!dev->approval)
			return -ENOENT;
		rc = pci_cma_copy_record(dev->approval, dev->approval_len, &record);
		if (rc)
			return rc;
		ignore = dev->ignore_measurements;
		decisions = dev->decisions;
	}
	result = kzalloc_obj(*result);
	if (!result) {
		kvfree(record.data);
		return -ENOMEM;
	}
	start = ktime_get();
	verdict = pci_cma_check(dev, &record, ignore, result);
	kvfree(record.data);
	guard(mutex)(&dev->lock);
	if (verdict == PCI_CMA_GONE || dev->gone) {
		kfree(result);
		return -ENODEV;
	}
	if (verdict == PCI_CMA_LENT) {
		kfree(result);
		return -EBUSY;
	}
	dev->result = *result;
	dev->check_us = ktime_us_delta(ktime_get(), start);
	kfree(result);
	/* Revoked or approved anew while the check ran: that decision stands. */
	if (!dev->approval)
		return -ENOENT;
	if (dev->decisions != decisions)
		return -EAGAIN;
	if (verdict == PCI_CMA_DIFFERS) {
		/*
		 * Neither the approval nor the evidence describes the device
		 * now: the evidence goes, so approving it again takes a fresh
		 * read.
		 */
		pci_cma_evidence_free(&dev->evidence);
		dev->generation++;
	}
	pci_cma_judge(dev, verdict, PCI_CMA_EVENT_REVALIDATED);
	switch (verdict) {
	case PCI_CMA_SAME:
		return 0;
	case PCI_CMA_DIFFERS:
		return -EKEYREJECTED;
	default:
		return dev->result.error ? pci_cma_errno(dev->result.error) : -EAGAIN;
	}
}
