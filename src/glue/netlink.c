// SPDX-License-Identifier: GPL-2.0
/*
 * The pci-cma generic netlink family (Documentation/netlink/specs/
 * pci-cma.yaml): device state, evidence streamed in offset chunks with a
 * generation that makes a read spanning a change fail with -EAGAIN, and
 * the approval user space gives. Policies and op tables are generated into
 * nl_gen.c; the handlers live here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "glue.h"
#include "nl_gen.h"

/* Why a device is not talked to while a vfio-pci user or another TSM has it. */
#define PCI_CMA_NL_LENT "another party owns the device (vfio-pci or another TSM); not talked to"

/* Most object bytes per message: several fit in one dump skb. */
#define PCI_CMA_NL_CHUNK	4000
/* Fewer bytes than this left in an skb: the next chunk goes in the next. */
#define PCI_CMA_NL_CHUNK_MIN	256
#define PCI_CMA_NL_NONCE_MIN	32

static_assert(PCI_CMA_EVIDENCE_TYPE_CERT0 == PCI_CMA_EVIDENCE_CERT0);
static_assert(PCI_CMA_EVIDENCE_TYPE_VCA == PCI_CMA_EVIDENCE_VCA);
static_assert(PCI_CMA_EVIDENCE_TYPE_MEASUREMENTS == PCI_CMA_EVIDENCE_MEASUREMENTS);
static_assert(PCI_CMA_EVIDENCE_TYPE_CHALLENGE == PCI_CMA_EVIDENCE_CHALLENGE);
static_assert(PCI_CMA_DIFFERENCE_MEASUREMENTS == PCI_CMA_DIFF_MEASUREMENTS);

/*
 * Device state, evidence and state changes are administrative, as the PCI
 * TSM core's own evidence is: CAP_SYS_ADMIN (the generated admin-perm flag
 * only asks for CAP_NET_ADMIN), and only from the initial network
 * namespace, since the devices are the host's and a container's root must
 * not learn or steer them. The family stays netnsok only because the
 * generator sets it; every operation checks here.
 */
static int pci_cma_nl_admin(const struct sk_buff *skb, struct netlink_ext_ack *extack)
{
	if (!net_eq(sock_net(skb->sk), &init_net)) {
		NL_SET_ERR_MSG(extack, "only from the initial network namespace");
		return -EPERM;
	}
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG(extack, "CAP_SYS_ADMIN required");
	return -EPERM;
}

/* The device named by @attr, referenced; an extack message otherwise. */
static struct pci_cma_device *pci_cma_nl_device(struct nlattr *attr, struct netlink_ext_ack *extack)
{
	struct pci_cma_device *dev;

	if (!attr) {
		NL_SET_ERR_MSG(extack, "device name required");
		return ERR_PTR(-EINVAL);
	}
	dev = pci_cma_device_get(nla_data(attr));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such device with a CMA mailbox");
		return ERR_PTR(-ENODEV);
	}
	return dev;
}

/* An admin operation's device, referenced, or why not. */
static struct pci_cma_device *pci_cma_nl_admin_device(struct sk_buff *skb, struct genl_info *info)
{
	int rc = pci_cma_nl_admin(skb, info->extack);

	if (rc)
		return ERR_PTR(rc);
	return pci_cma_nl_device(info->attrs[PCI_CMA_A_DEV_NAME], info->extack);
}

/* The device's state as attributes; its lock is held. */
static int pci_cma_nl_fill_dev(struct sk_buff *skb, struct pci_cma_device *dev)
{
	const struct pci_cma_auth_result *r = &dev->result;
	/* The PCI TSM core's own test for a tsm/ group. */
	u32 kind = is_pci_tsm_pf0(dev->pdev) ? PCI_CMA_KIND_TEE : PCI_CMA_KIND_CMA_ONLY;
	const char *last_error = r->field ?: pci_cma_error_name(r->error);

	if (nla_put_string(skb, PCI_CMA_A_DEV_NAME, pci_name(dev->pdev)) ||
	    nla_put_u32(skb, PCI_CMA_A_DEV_KIND, kind) ||
	    nla_put_u32(skb, PCI_CMA_A_DEV_STATE, pci_cma_device_state(dev)) ||
	    nla_put_u32(skb, PCI_CMA_A_DEV_SPDM_VERSION, r->version) ||
	    nla_put_u32(skb, PCI_CMA_A_DEV_BASE_ASYM, r->base_asym) ||
	    nla_put_u32(skb, PCI_CMA_A_DEV_PQC_ASYM, r->pqc_asym) ||
	    nla_put_u32(skb, PCI_CMA_A_DEV_BASE_HASH, r->base_hash) ||
	    nla_put_u32(skb, PCI_CMA_A_DEV_SLOT, dev->slot) ||
	    nla_put_u32(skb, PCI_CMA_A_DEV_SLOT_MASK, r->slot_mask) ||
	    nla_put_uint(skb, PCI_CMA_A_DEV_GENERATION, dev->generation) ||
	    nla_put_u32(skb, PCI_CMA_A_DEV_EXCHANGES, r->exchanges) ||
	    nla_put_u32(skb, PCI_CMA_A_DEV_CERTIFICATE_BYTES, r->certificate_bytes) ||
	    nla_put_u32(skb, PCI_CMA_A_DEV_DIFFERENCES, r->differences))
		return -EMSGSIZE;
	if (dev->contained && nla_put_flag(skb, PCI_CMA_A_DEV_CONTAINED))
		return -EMSGSIZE;
	if (dev->last_event != PCI_CMA_NO_EVENT &&
	    nla_put_u32(skb, PCI_CMA_A_DEV_EVENT, dev->last_event))
		return -EMSGSIZE;
	if (r->chain_digest_len &&
	    nla_put(skb, PCI_CMA_A_DEV_CHAIN_DIGEST, r->chain_digest_len, r->chain_digest))
		return -EMSGSIZE;
	if (r->error && nla_put_string(skb, PCI_CMA_A_DEV_LAST_ERROR, last_error))
		return -EMSGSIZE;
	if (dev->approval &&
	    (nla_put_uint(skb, PCI_CMA_A_DEV_APPROVED_GENERATION, dev->approved_generation) ||
	     nla_put_u32(skb, PCI_CMA_A_DEV_IGNORE_MEASUREMENTS, dev->ignore_measurements)))
		return -EMSGSIZE;
	return 0;
}

static int pci_cma_nl_put_dev(struct sk_buff *skb, struct pci_cma_device *dev, u32 portid,
			      u32 seq, int flags, u8 cmd)
{
	void *hdr = genlmsg_put(skb, portid, seq, &pci_cma_nl_family, flags, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (pci_cma_nl_fill_dev(skb, dev)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * pci_cma_nl_dev_get_doit() - one device's state
 * @skb: the request
 * @info: its attributes
 *
 * Return: 0, -EPERM, -EINVAL without a name, -ENODEV for an untracked
 * device, -ENOMEM, or -EMSGSIZE.
 */
int pci_cma_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pci_cma_device *dev;
	struct sk_buff *reply;
	int rc;

	dev = pci_cma_nl_admin_device(skb, info);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	reply = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!reply) {
		pci_cma_device_put(dev);
		return -ENOMEM;
	}
	scoped_guard(mutex, &dev->lock)
		rc = pci_cma_nl_put_dev(reply, dev, info->snd_portid, info->snd_seq, 0,
					PCI_CMA_CMD_DEV_GET);
	pci_cma_device_put(dev);
	if (rc) {
		nlmsg_free(reply);
		return rc;
	}
	return genlmsg_reply(reply, info);
}

struct pci_cma_nl_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

/* Where a device dump stands: the id of the last device sent. */
struct pci_cma_nl_dev_cursor {
	u64 after;
};

static int pci_cma_nl_dump_one(struct pci_cma_device *dev, void *arg)
{
	struct pci_cma_nl_dump *d = arg;

	/* Never waits on a conversation: a check in flight shows as it was. */
	guard(mutex)(&dev->lock);
	return pci_cma_nl_put_dev(d->skb, dev, NETLINK_CB(d->cb->skb).portid,
				  d->cb->nlh->nlmsg_seq, NLM_F_MULTI, PCI_CMA_CMD_DEV_GET);
}

/**
 * pci_cma_nl_dev_get_dumpit() - every tracked device's state
 * @skb: the reply being filled
 * @cb: the dump; its ctx holds the id of the last device sent, so devices
 *	added or removed between calls neither repeat nor skip another
 *
 * Return: the bytes put in @skb, 0 when done, -EPERM, or -EMSGSIZE.
 */
int pci_cma_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pci_cma_nl_dev_cursor *cursor = (struct pci_cma_nl_dev_cursor *)cb->ctx;
	struct pci_cma_nl_dump d = { .skb = skb, .cb = cb };
	int rc;

	NL_ASSERT_CTX_FITS(struct pci_cma_nl_dev_cursor);
	rc = pci_cma_nl_admin(cb->skb, cb->extack);
	if (rc)
		return rc;
	rc = pci_cma_visit_devices(pci_cma_nl_dump_one, &d, &cursor->after);
	if (rc == -EMSGSIZE && skb->len)
		return skb->len;
	return rc;
}

/* Where an evidence read stands between dump calls. */
struct pci_cma_nl_cursor {
	struct pci_cma_device *dev;
	u64 generation;
	u32 mask;
	u32 flags;
	u32 type;
	u32 offset;
};

static struct pci_cma_nl_cursor *pci_cma_nl_cursor(struct netlink_callback *cb)
{
	NL_ASSERT_CTX_FITS(struct pci_cma_nl_cursor);
	return (struct pci_cma_nl_cursor *)cb->ctx;
}

/**
 * pci_cma_nl_evidence_read_start() - set up an evidence read
 * @cb: the dump; its ctx becomes the cursor
 *
 * With a nonce the device is authenticated again first, whatever the
 * outcome, so that the signed transcripts read are fresh for it.
 *
 * Return: 0, -EPERM without CAP_SYS_ADMIN, -EINVAL for a missing name or a
 * nonce under 32 bytes, or -ENODEV.
 */
int pci_cma_nl_evidence_read_start(struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);
	struct pci_cma_nl_cursor *cursor = pci_cma_nl_cursor(cb);
	struct nlattr *nonce = info->attrs[PCI_CMA_A_EVIDENCE_NONCE];
	struct pci_cma_device *dev;
	int rc;

	rc = pci_cma_nl_admin(cb->skb, cb->extack);
	if (rc)
		return rc;
	if (nonce && nla_len(nonce) < PCI_CMA_NL_NONCE_MIN) {
		NL_SET_ERR_MSG_ATTR(cb->extack, nonce, "nonce shorter than 32 bytes");
		return -EINVAL;
	}
	dev = pci_cma_nl_device(info->attrs[PCI_CMA_A_EVIDENCE_NAME], cb->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	memset(cursor, 0, sizeof(*cursor));
	cursor->dev = dev;
	cursor->mask = info->attrs[PCI_CMA_A_EVIDENCE_TYPE_MASK] ?
		nla_get_u32(info->attrs[PCI_CMA_A_EVIDENCE_TYPE_MASK]) : U32_MAX;
	if (info->attrs[PCI_CMA_A_EVIDENCE_FLAGS])
		cursor->flags = nla_get_u32(info->attrs[PCI_CMA_A_EVIDENCE_FLAGS]);
	if (nonce) {
		/*
		 * Fresh signed transcripts for this verifier, whatever the
		 * outcome; the read is of the generation they made, so one
		 * overtaken by another authentication fails with -EAGAIN
		 * rather than hand over transcripts of another nonce.
		 */
		rc = pci_cma_reauthenticate(dev, -1, nla_data(nonce), nla_len(nonce),
					    &cursor->generation);
		if (rc == -ENODEV) {
			pci_cma_device_put(dev);
			cursor->dev = NULL;
			return rc;
		}
		if (rc == -EBUSY) {
			NL_SET_ERR_MSG(cb->extack, PCI_CMA_NL_LENT);
			pci_cma_device_put(dev);
			cursor->dev = NULL;
			return rc;
		}
		if (rc == -ENOMEM || rc == -ERESTARTSYS) {
			NL_SET_ERR_MSG(cb->extack, "device could not be authenticated again");
			pci_cma_device_put(dev);
			cursor->dev = NULL;
			return rc;
		}
		return 0;
	}
	scoped_guard(mutex, &dev->lock)
		cursor->generation = dev->generation;
	return 0;
}

/**
 * pci_cma_nl_evidence_read_done() - drop the read's device reference
 * @cb: the dump
 *
 * Return: 0.
 */
int pci_cma_nl_evidence_read_done(struct netlink_callback *cb)
{
	struct pci_cma_nl_cursor *cursor = pci_cma_nl_cursor(cb);

	if (cursor->dev)
		pci_cma_device_put(cursor->dev);
	cursor->dev = NULL;
	return 0;
}

/*
 * Object bytes that still fit in @skb after the offset attribute: the
 * first skb of a dump can be smaller than one fixed-size chunk (a socket
 * that never received before starts with about 3.7 KiB), so the chunk is
 * cut to the room there is rather than left to fail with -EMSGSIZE.
 */
static size_t pci_cma_nl_chunk_room(const struct sk_buff *skb)
{
	int room = skb_tailroom(skb) - nla_total_size(sizeof(u32)) - NLA_HDRLEN;

	if (room <= 0)
		return 0;
	return min_t(size_t, rounddown(room, NLA_ALIGNTO), PCI_CMA_NL_CHUNK);
}

/* One message: a chunk of the object at the cursor, or its digest. */
static int pci_cma_nl_put_evidence(struct sk_buff *skb, struct netlink_callback *cb,
				   struct pci_cma_nl_cursor *cursor, u32 *chunk)
{
	struct pci_cma_device *dev = cursor->dev;
	const u8 *object = dev->evidence.data[cursor->type];
	size_t len = dev->evidence.len[cursor->type];
	u8 digest[64];
	void *hdr;
	int rc;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &pci_cma_nl_family, NLM_F_MULTI, PCI_CMA_CMD_EVIDENCE_READ);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, PCI_CMA_A_EVIDENCE_NAME, pci_name(dev->pdev)) ||
	    nla_put_uint(skb, PCI_CMA_A_EVIDENCE_GENERATION, cursor->generation) ||
	    nla_put_u32(skb, PCI_CMA_A_EVIDENCE_TYPE, cursor->type) ||
	    nla_put_u32(skb, PCI_CMA_A_EVIDENCE_TOTAL_SIZE, len))
		goto cancel;
	*chunk = min_t(size_t, len - cursor->offset, pci_cma_nl_chunk_room(skb));
	if (!(cursor->flags & PCI_CMA_READ_FLAGS_DIGEST) && *chunk < len - cursor->offset &&
	    *chunk < PCI_CMA_NL_CHUNK_MIN)
		goto cancel;
	if (cursor->flags & PCI_CMA_READ_FLAGS_DIGEST) {
		rc = pci_cma_object_digest(dev->result.base_hash, object, len, digest,
					   dev->result.chain_digest_len);
		if (rc) {
			genlmsg_cancel(skb, hdr);
			return rc;
		}
		*chunk = len - cursor->offset;
		if (nla_put(skb, PCI_CMA_A_EVIDENCE_DIGEST, dev->result.chain_digest_len, digest))
			goto cancel;
	} else if (nla_put_u32(skb, PCI_CMA_A_EVIDENCE_OFFSET, cursor->offset) ||
		   nla_put(skb, PCI_CMA_A_EVIDENCE_DATA, *chunk, object + cursor->offset)) {
		goto cancel;
	}
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/**
 * pci_cma_nl_evidence_read_dumpit() - the next chunks of evidence
 * @skb: the reply being filled
 * @cb: the dump and its cursor
 *
 * The cursor moves only past what was put in @skb, so a chunk that does
 * not fit is sent whole in the next skb: nothing is lost at boundaries.
 *
 * Return: the bytes put in @skb, 0 when done, -EAGAIN if the evidence
 * changed since the read started, -ENODEV if the device is being removed,
 * or the errno of a digest.
 */
int pci_cma_nl_evidence_read_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pci_cma_nl_cursor *cursor = pci_cma_nl_cursor(cb);
	struct pci_cma_device *dev = cursor->dev;
	u32 chunk;
	int rc;

	guard(mutex)(&dev->lock);
	if (READ_ONCE(dev->gone)) {
		NL_SET_ERR_MSG(cb->extack, "device removed");
		return -ENODEV;
	}
	if (dev->generation != cursor->generation) {
		NL_SET_ERR_MSG(cb->extack, "evidence changed during the read; read again");
		return -EAGAIN;
	}
	for (; cursor->type < PCI_CMA_EVIDENCE_IDENTITY; cursor->type++, cursor->offset = 0) {
		if (!(cursor->mask & BIT(cursor->type)) || !dev->evidence.data[cursor->type])
			continue;
		while (cursor->offset < dev->evidence.len[cursor->type]) {
			rc = pci_cma_nl_put_evidence(skb, cb, cursor, &chunk);
			if (rc == -EMSGSIZE && skb->len)
				return skb->len;
			if (rc)
				return rc;
			cursor->offset += chunk;
		}
	}
	return 0;
}

/**
 * pci_cma_nl_authenticate_doit() - authenticate a device again
 * @skb: the request
 * @info: its attributes (name, optionally slot)
 *
 * Return: 0 if authenticated, -EPERM, -EINVAL, -ENODEV, or the errno of
 * the failed authentication.
 */
int pci_cma_nl_authenticate_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *slot_attr = info->attrs[PCI_CMA_A_DEV_SLOT];
	struct pci_cma_device *dev;
	int rc;

	dev = pci_cma_nl_admin_device(skb, info);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	rc = pci_cma_reauthenticate(dev, slot_attr ? nla_get_u32(slot_attr) : -1, NULL, 0, NULL);
	if (rc == -EBUSY)
		NL_SET_ERR_MSG(info->extack, PCI_CMA_NL_LENT);
	else if (rc)
		NL_SET_ERR_MSG(info->extack, "device not authenticated; see last-error");
	pci_cma_device_put(dev);
	return rc;
}

/**
 * pci_cma_nl_approve_doit() - user space accepts a device
 * @skb: the request
 * @info: name, generation, chain digest, optionally ignored measurements
 *
 * Return: 0, -EPERM, -EINVAL, -ENODEV, or an errno of pci_cma_approve().
 */
int pci_cma_nl_approve_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *digest = info->attrs[PCI_CMA_A_DEV_CHAIN_DIGEST];
	struct nlattr *ignore = info->attrs[PCI_CMA_A_DEV_IGNORE_MEASUREMENTS];
	struct pci_cma_device *dev;
	const char *why = NULL;
	int rc;

	if (GENL_REQ_ATTR_CHECK(info, PCI_CMA_A_DEV_GENERATION) ||
	    GENL_REQ_ATTR_CHECK(info, PCI_CMA_A_DEV_CHAIN_DIGEST)) {
		NL_SET_ERR_MSG(info->extack, "generation and chain digest required");
		return -EINVAL;
	}
	dev = pci_cma_nl_admin_device(skb, info);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	rc = pci_cma_approve(dev, nla_get_uint(info->attrs[PCI_CMA_A_DEV_GENERATION]),
			     nla_data(digest), nla_len(digest),
			     ignore ? nla_get_u32(ignore) : 0, &why);
	if (why)
		NL_SET_ERR_MSG_FMT(info->extack, "%s", why);
	pci_cma_device_put(dev);
	return rc;
}

/**
 * pci_cma_nl_revoke_doit() - withdraw a device's approval
 * @skb: the request
 * @info: its attributes (name)
 *
 * Return: 0, -EPERM, -EINVAL, -ENODEV, or -ENOENT if it was not approved.
 */
int pci_cma_nl_revoke_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pci_cma_device *dev;
	int rc;

	dev = pci_cma_nl_admin_device(skb, info);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	rc = pci_cma_revoke(dev);
	if (rc == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "device is not approved");
	pci_cma_device_put(dev);
	return rc;
}

/**
 * pci_cma_nl_revalidate_doit() - run the same-device check now
 * @skb: the request
 * @info: its attributes (name)
 *
 * Return: 0 if still the approved device, -EKEYREJECTED if not, -EPERM,
 * -EINVAL, -ENODEV, -ENOENT if not approved, -EAGAIN if the approval
 * changed meanwhile, or the errno of a check that could not be made (the
 * device is then unverifiable, not different).
 */
int pci_cma_nl_revalidate_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pci_cma_device *dev;
	int rc;

	dev = pci_cma_nl_admin_device(skb, info);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	rc = pci_cma_revalidate(dev);
	if (rc == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "device is not approved");
	else if (rc == -EKEYREJECTED)
		NL_SET_ERR_MSG(info->extack, "not the approved device; see differences");
	else if (rc == -EAGAIN)
		NL_SET_ERR_MSG(info->extack, "approval changed during the check; check again");
	else if (rc == -EBUSY)
		NL_SET_ERR_MSG(info->extack, PCI_CMA_NL_LENT);
	else if (rc && rc != -ENODEV)
		NL_SET_ERR_MSG(info->extack, "could not check the device; see last-error");
	pci_cma_device_put(dev);
	return rc;
}

/* Events of devices, to the monitor group; @dev's lock is held. */
static void pci_cma_nl_notify(struct pci_cma_device *dev, u32 event)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&pci_cma_nl_family, &init_net, PCI_CMA_NLGRP_MONITOR))
		return;
	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (pci_cma_nl_put_dev(skb, dev, 0, 0, 0, PCI_CMA_CMD_DEV_NOTIFY)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast(&pci_cma_nl_family, skb, 0, PCI_CMA_NLGRP_MONITOR, GFP_KERNEL);
}

/**
 * pci_cma_netlink_register() - register the pci-cma family
 *
 * Return: 0 or the errno of genl_register_family().
 */
int pci_cma_netlink_register(void)
{
	/*
	 * The generator cannot give a group a capability: the monitor group
	 * is replaced, before registration, by one that needs CAP_SYS_ADMIN.
	 * Notifications go to the initial network namespace only.
	 */
	static const struct genl_multicast_group groups[] = {
		[PCI_CMA_NLGRP_MONITOR] = {
			.name = "monitor",
			.flags = GENL_MCAST_CAP_SYS_ADMIN,
		},
	};
	int rc;

	BUILD_BUG_ON(ARRAY_SIZE(groups) != PCI_CMA_NLGRP_MONITOR + 1);
	pci_cma_nl_family.mcgrps = groups;
	pci_cma_nl_family.n_mcgrps = ARRAY_SIZE(groups);
	rc = genl_register_family(&pci_cma_nl_family);
	if (!rc)
		pci_cma_events_to(pci_cma_nl_notify);
	return rc;
}

/**
 * pci_cma_netlink_unregister() - unregister it; waits for operations in flight
 */
void pci_cma_netlink_unregister(void)
{
	pci_cma_events_to(NULL);
	genl_unregister_family(&pci_cma_nl_family);
}
