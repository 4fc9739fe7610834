// SPDX-License-Identifier: GPL-2.0
/*
 * Evidence over the pci-cma family: two dumps that share one cursor and
 * one implementation. evidence-read streams each object in offset chunks;
 * read is shaped as the bus-generic device-evidence proposal's operation
 * (an object announced with its length, its bytes in repeated val
 * attributes), so that a verifier written for that proposal reads this
 * family with its name as the only change. Both carry a generation: a read
 * spanning a new authentication fails with -EAGAIN. validate is the
 * proposal's name for approving what was read.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pci.h>
#include <linux/string.h>
#include <net/genetlink.h>

#include "glue.h"
#include "nl_gen.h"

/* Most object bytes per attribute: several fit in one dump skb. */
#define PCI_CMA_NL_CHUNK	4000
/* Fewer bytes than this left in an skb: the next chunk goes in the next. */
#define PCI_CMA_NL_CHUNK_MIN	256
/* An SPDM nonce and a 1.3 RequesterContext, as the engine takes them. */
#define PCI_CMA_NL_CONTEXT_NONCE	(PCI_CMA_MAX_NONCE_SIZE + PCI_CMA_REQUESTER_CONTEXT_SIZE)

static_assert(PCI_CMA_EVIDENCE_TYPE_CERT0 == PCI_CMA_EVIDENCE_CERT0);
static_assert(PCI_CMA_EVIDENCE_TYPE_VCA == PCI_CMA_EVIDENCE_VCA);
static_assert(PCI_CMA_EVIDENCE_TYPE_MEASUREMENTS == PCI_CMA_EVIDENCE_MEASUREMENTS);
static_assert(PCI_CMA_EVIDENCE_TYPE_CHALLENGE == PCI_CMA_EVIDENCE_CHALLENGE);
static_assert(PCI_CMA_OBJECT_TYPE_CERT0 == PCI_CMA_EVIDENCE_CERT0);
static_assert(PCI_CMA_OBJECT_TYPE_VCA == PCI_CMA_EVIDENCE_VCA);
static_assert(PCI_CMA_OBJECT_TYPE_MEASUREMENTS == PCI_CMA_EVIDENCE_MEASUREMENTS);

/**
 * struct pci_cma_nl_cursor - where an evidence dump stands
 * @dev: the device, referenced
 * @generation: the evidence generation being read
 * @mask: the types asked for, by the operation's numbering
 * @flags: PCI_CMA_READ_FLAGS_*
 * @objects: the read operation (object-type numbering, repeated val)
 * @type: the type being sent, by the operation's numbering
 * @offset: the first byte of it not sent yet
 */
struct pci_cma_nl_cursor {
	struct pci_cma_device *dev;
	u64 generation;
	u32 mask;
	u32 flags;
	bool objects;
	u32 type;
	u32 offset;
};

static struct pci_cma_nl_cursor *pci_cma_nl_cursor(struct netlink_callback *cb)
{
	NL_ASSERT_CTX_FITS(struct pci_cma_nl_cursor);
	return (struct pci_cma_nl_cursor *)cb->ctx;
}

/* The last type of the operation's numbering. */
static u32 pci_cma_nl_last_type(const struct pci_cma_nl_cursor *cursor)
{
	return cursor->objects ? PCI_CMA_OBJECT_TYPE_CHALLENGE : PCI_CMA_EVIDENCE_TYPE_CHALLENGE;
}

/* The device's evidence slot of @type, or -1: no report, no TDISP here. */
static int pci_cma_nl_evidence_slot(const struct pci_cma_nl_cursor *cursor, u32 type)
{
	if (!cursor->objects || type <= PCI_CMA_OBJECT_TYPE_MEASUREMENTS)
		return type;
	return type == PCI_CMA_OBJECT_TYPE_CHALLENGE ? PCI_CMA_EVIDENCE_CHALLENGE : -1;
}

/*
 * The cursor on the device named by @name; with a nonce the device is
 * authenticated again first, whatever the outcome, and the read is of the
 * generation that made, so one overtaken by another authentication fails
 * with -EAGAIN rather than hand over transcripts of another nonce.
 */
static int pci_cma_nl_begin(struct netlink_callback *cb, struct nlattr *name, const u8 *nonce,
			    size_t nonce_len)
{
	struct pci_cma_nl_cursor *cursor = pci_cma_nl_cursor(cb);
	struct pci_cma_device *dev;
	int rc;

	dev = pci_cma_nl_device(name, cb->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	cursor->dev = dev;
	if (!nonce) {
		scoped_guard(mutex, &dev->lock)
			cursor->generation = dev->generation;
		return 0;
	}
	/*
	 * A failed authentication still makes a generation whose evidence
	 * shows what the device sent; one that could not be made (the device
	 * going away or lent, the host's memory, a signal, an approved device
	 * that did not answer) makes none, and there is nothing fresh to read.
	 */
	cursor->generation = U64_MAX;
	rc = pci_cma_reauthenticate(dev, -1, nonce, nonce_len, &cursor->generation);
	if (!rc || cursor->generation != U64_MAX)
		return 0;
	if (rc == -EBUSY)
		NL_SET_ERR_MSG(cb->extack, PCI_CMA_NL_LENT);
	else if (rc != -ENODEV)
		NL_SET_ERR_MSG(cb->extack, "device could not be authenticated again");
	pci_cma_device_put(dev);
	cursor->dev = NULL;
	return rc;
}

/**
 * pci_cma_nl_evidence_read_start() - set up an evidence read
 * @cb: the dump; its ctx becomes the cursor
 *
 * Return: 0, -EPERM without CAP_SYS_ADMIN, -EINVAL for a missing name or a
 * nonce under 32 bytes, -EBUSY for a device lent to another party, or
 * -ENODEV.
 */
int pci_cma_nl_evidence_read_start(struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);
	struct pci_cma_nl_cursor *cursor = pci_cma_nl_cursor(cb);
	struct nlattr *nonce = info->attrs[PCI_CMA_A_EVIDENCE_NONCE];
	int rc;

	rc = pci_cma_nl_admin(cb->skb, cb->extack);
	if (rc)
		return rc;
	if (nonce && nla_len(nonce) < PCI_CMA_MAX_NONCE_SIZE) {
		NL_SET_ERR_MSG_ATTR(cb->extack, nonce, "nonce shorter than 32 bytes");
		return -EINVAL;
	}
	memset(cursor, 0, sizeof(*cursor));
	cursor->mask = info->attrs[PCI_CMA_A_EVIDENCE_TYPE_MASK] ?
		nla_get_u32(info->attrs[PCI_CMA_A_EVIDENCE_TYPE_MASK]) : U32_MAX;
	if (info->attrs[PCI_CMA_A_EVIDENCE_FLAGS])
		cursor->flags = nla_get_u32(info->attrs[PCI_CMA_A_EVIDENCE_FLAGS]);
	return pci_cma_nl_begin(cb, info->attrs[PCI_CMA_A_EVIDENCE_NAME],
				nonce ? nla_data(nonce) : NULL, nonce ? nla_len(nonce) : 0);
}

/* The bus of a device-evidence request: this family serves PCI only. */
static int pci_cma_nl_subsys(struct nlattr *subsys, struct netlink_ext_ack *extack)
{
	if (!subsys || !strcmp(nla_data(subsys), "pci"))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, subsys, "only subsys pci is served by this family");
	return -EOPNOTSUPP;
}

/**
 * pci_cma_nl_read_start() - set up a read (the device-evidence shape)
 * @cb: the dump; its ctx becomes the cursor
 *
 * The nonce is exactly the 32 bytes of an SPDM nonce, and the SPDM 1.3
 * RequesterContext its own attribute of exactly 8 bytes, sent only with
 * a nonce.
 *
 * Return: 0, -EPERM without CAP_SYS_ADMIN, -EOPNOTSUPP for another bus,
 * -EINVAL for a missing name or type-mask or a nonce or context of another
 * size, -EBUSY for a device lent to another party, or -ENODEV.
 */
int pci_cma_nl_read_start(struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);
	struct pci_cma_nl_cursor *cursor = pci_cma_nl_cursor(cb);
	struct nlattr *nonce = info->attrs[PCI_CMA_A_OBJECT_NONCE];
	struct nlattr *context = info->attrs[PCI_CMA_A_OBJECT_REQUESTER_CONTEXT];
	u8 both[PCI_CMA_NL_CONTEXT_NONCE];
	int rc;

	rc = pci_cma_nl_admin(cb->skb, cb->extack);
	if (!rc)
		rc = pci_cma_nl_subsys(info->attrs[PCI_CMA_A_OBJECT_SUBSYS], cb->extack);
	if (rc)
		return rc;
	if (!info->attrs[PCI_CMA_A_OBJECT_TYPE_MASK]) {
		NL_SET_ERR_ATTR_MISS(cb->extack, NULL, PCI_CMA_A_OBJECT_TYPE_MASK);
		NL_SET_ERR_MSG(cb->extack, "type-mask required");
		return -EINVAL;
	}
	if (nonce && nla_len(nonce) != PCI_CMA_MAX_NONCE_SIZE) {
		NL_SET_ERR_MSG_ATTR(cb->extack, nonce, "nonce must be 32 bytes (the SPDM nonce)");
		return -EINVAL;
	}
	if (context && (!nonce || nla_len(context) != PCI_CMA_REQUESTER_CONTEXT_SIZE)) {
		NL_SET_ERR_MSG_ATTR(cb->extack, context,
				    "requester-context must be 8 bytes and come with a nonce");
		return -EINVAL;
	}
	memset(cursor, 0, sizeof(*cursor));
	cursor->objects = true;
	cursor->mask = nla_get_u32(info->attrs[PCI_CMA_A_OBJECT_TYPE_MASK]);
	if (info->attrs[PCI_CMA_A_OBJECT_FLAGS])
		cursor->flags = nla_get_u32(info->attrs[PCI_CMA_A_OBJECT_FLAGS]);
	if (!nonce)
		return pci_cma_nl_begin(cb, info->attrs[PCI_CMA_A_OBJECT_DEV_NAME], NULL, 0);
	memcpy(both, nla_data(nonce), PCI_CMA_MAX_NONCE_SIZE);
	if (context)
		memcpy(both + PCI_CMA_MAX_NONCE_SIZE, nla_data(context),
		       PCI_CMA_REQUESTER_CONTEXT_SIZE);
	return pci_cma_nl_begin(cb, info->attrs[PCI_CMA_A_OBJECT_DEV_NAME], both,
				context ? sizeof(both) : PCI_CMA_MAX_NONCE_SIZE);
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

/**
 * pci_cma_nl_read_done() - drop the read's device reference
 * @cb: the dump
 *
 * Return: 0.
 */
int pci_cma_nl_read_done(struct netlink_callback *cb)
{
	return pci_cma_nl_evidence_read_done(cb);
}

/*
 * Object bytes that still fit in @skb after @reserve bytes of attributes:
 * the first skb of a dump can be smaller than one fixed-size chunk (a
 * socket that never received before starts with about 3.7 KiB), so the
 * chunk is cut to the room there is rather than left to fail with
 * -EMSGSIZE.
 */
static size_t pci_cma_nl_chunk_room(const struct sk_buff *skb, int reserve)
{
	int room = skb_tailroom(skb) - reserve - NLA_HDRLEN;

	if (room <= 0)
		return 0;
	return min_t(size_t, rounddown(room, NLA_ALIGNTO), PCI_CMA_NL_CHUNK);
}

/* The object's digest with the negotiated hash, into @digest (64 bytes). */
static int pci_cma_nl_digest(struct pci_cma_device *dev, const u8 *object, size_t len, u8 *digest)
{
	return pci_cma_object_digest(dev->result.base_hash, object, len, digest,
				     dev->result.chain_digest_len);
}

/* evidence-read: one message, a chunk of the object at the cursor or its digest. */
static int pci_cma_nl_put_chunk(struct sk_buff *skb, struct netlink_callback *cb,
				struct pci_cma_nl_cursor *cursor, const u8 *object, size_t len,
				u32 *chunk)
{
	struct pci_cma_device *dev = cursor->dev;
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
	*chunk = min_t(size_t, len - cursor->offset,
		       pci_cma_nl_chunk_room(skb, nla_total_size(sizeof(u32))));
	if (!(cursor->flags & PCI_CMA_READ_FLAGS_DIGEST) && *chunk < len - cursor->offset &&
	    *chunk < PCI_CMA_NL_CHUNK_MIN)
		goto cancel;
	if (cursor->flags & PCI_CMA_READ_FLAGS_DIGEST) {
		rc = pci_cma_nl_digest(dev, object, len, digest);
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

/*
 * read: one message, the object's header attributes and as many val
 * attributes from the cursor on as fit; with the digest flag, the digest
 * as the one val and its size as the length.
 */
static int pci_cma_nl_put_object(struct sk_buff *skb, struct netlink_callback *cb,
				 struct pci_cma_nl_cursor *cursor, const u8 *object, size_t len,
				 u32 *sent)
{
	struct pci_cma_device *dev = cursor->dev;
	bool digest_only = cursor->flags & PCI_CMA_READ_FLAGS_DIGEST;
	u32 offset = cursor->offset;
	size_t chunk;
	u8 digest[64];
	void *hdr;
	int rc;

	if (digest_only) {
		rc = pci_cma_nl_digest(dev, object, len, digest);
		if (rc)
			return rc;
		object = digest;
		len = dev->result.chain_digest_len;
	}
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &pci_cma_nl_family, NLM_F_MULTI, PCI_CMA_CMD_READ);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, PCI_CMA_A_OBJECT_DEV_NAME, pci_name(dev->pdev)) ||
	    nla_put_u32(skb, PCI_CMA_A_OBJECT_TYPE, cursor->type) ||
	    nla_put_u32(skb, PCI_CMA_A_OBJECT_GENERATION,
			lower_32_bits(cursor->generation)) ||
	    nla_put_u64_64bit(skb, PCI_CMA_A_OBJECT_COUNT, cursor->generation,
			      PCI_CMA_A_OBJECT_PAD) ||
	    nla_put_u32(skb, PCI_CMA_A_OBJECT_LENGTH, len) ||
	    nla_put_u32(skb, PCI_CMA_A_OBJECT_OFFSET, offset))
		goto cancel;
	while (offset < len) {
		chunk = min_t(size_t, len - offset, pci_cma_nl_chunk_room(skb, 0));
		if (!chunk || (chunk < len - offset && chunk < PCI_CMA_NL_CHUNK_MIN))
			break;
		if (nla_put(skb, PCI_CMA_A_OBJECT_VAL, chunk, object + offset))
			goto cancel;
		offset += chunk;
	}
	/* Nothing of a non-empty object fitted: it goes in the next skb. */
	if (offset == cursor->offset && offset < len)
		goto cancel;
	genlmsg_end(skb, hdr);
	*sent = digest_only ? dev->evidence.len[pci_cma_nl_evidence_slot(cursor, cursor->type)] -
			      cursor->offset : offset - cursor->offset;
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * The dump of either operation: the cursor moves only past what was put
 * in @skb, so a chunk that does not fit is sent whole in the next skb and
 * nothing is lost at boundaries.
 */
static int pci_cma_nl_dump_evidence(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pci_cma_nl_cursor *cursor = pci_cma_nl_cursor(cb);
	struct pci_cma_device *dev = cursor->dev;
	const u8 *object;
	size_t len;
	u32 sent;
	int slot, rc;

	guard(mutex)(&dev->lock);
	if (READ_ONCE(dev->gone)) {
		NL_SET_ERR_MSG(cb->extack, "device removed");
		return -ENODEV;
	}
	if (dev->generation != cursor->generation) {
		NL_SET_ERR_MSG(cb->extack, "evidence changed during the read; read again");
		return -EAGAIN;
	}
	for (; cursor->type <= pci_cma_nl_last_type(cursor); cursor->type++, cursor->offset = 0) {
		slot = pci_cma_nl_evidence_slot(cursor, cursor->type);
		if (!(cursor->mask & BIT(cursor->type)) || slot < 0 || !dev->evidence.data[slot])
			continue;
		object = dev->evidence.data[slot];
		len = dev->evidence.len[slot];
		do {
			if (cursor->objects)
				rc = pci_cma_nl_put_object(skb, cb, cursor, object, len, &sent);
			else
				rc = pci_cma_nl_put_chunk(skb, cb, cursor, object, len, &sent);
			if (rc == -EMSGSIZE && skb->len)
				return skb->len;
			if (rc)
				return rc;
			cursor->offset += sent;
		} while (cursor->offset < len);
	}
	return 0;
}

/**
 * pci_cma_nl_evidence_read_dumpit() - the next chunks of evidence
 * @skb: the reply being filled
 * @cb: the dump and its cursor
 *
 * Return: the bytes put in @skb, 0 when done, -EAGAIN if the evidence
 * changed since the read started, -ENODEV if the device is being removed,
 * or the errno of a digest.
 */
int pci_cma_nl_evidence_read_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return pci_cma_nl_dump_evidence(skb, cb);
}

/**
 * pci_cma_nl_read_dumpit() - the next objects of a read
 * @skb: the reply being filled
 * @cb: the dump and its cursor
 *
 * Return: as pci_cma_nl_evidence_read_dumpit().
 */
int pci_cma_nl_read_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return pci_cma_nl_dump_evidence(skb, cb);
}

/**
 * pci_cma_nl_validate_doit() - the verifier checked this generation
 * @skb: the request
 * @info: subsys, dev-name, generation (its low 32 bits, as read returns it)
 *
 * Approves the device as the named generation left it: its chain digest
 * and identity, no measurement ignored.
 *
 * Return: 0, -EPERM, -EOPNOTSUPP, -EINVAL, -ENODEV, -EAGAIN if the
 * evidence changed since that generation, or an errno of pci_cma_approve().
 */
int pci_cma_nl_validate_doit(struct sk_buff *skb, struct genl_info *info)
{
	u8 digest[sizeof(((struct pci_cma_auth_result *)NULL)->chain_digest)];
	struct pci_cma_device *dev;
	const char *why = NULL;
	u64 generation;
	size_t digest_len;
	int rc;

	rc = pci_cma_nl_admin(skb, info->extack);
	if (!rc)
		rc = pci_cma_nl_subsys(info->attrs[PCI_CMA_A_OBJECT_SUBSYS], info->extack);
	if (rc)
		return rc;
	if (GENL_REQ_ATTR_CHECK(info, PCI_CMA_A_OBJECT_GENERATION)) {
		NL_SET_ERR_MSG(info->extack, "generation required");
		return -EINVAL;
	}
	dev = pci_cma_nl_device(info->attrs[PCI_CMA_A_OBJECT_DEV_NAME], info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	scoped_guard(mutex, &dev->lock) {
		generation = dev->generation;
		digest_len = dev->result.chain_digest_len;
		memcpy(digest, dev->result.chain_digest, digest_len);
	}
	rc = -EAGAIN;
	if (lower_32_bits(generation) ==
	    nla_get_u32(info->attrs[PCI_CMA_A_OBJECT_GENERATION]))
		rc = pci_cma_approve(dev, generation, digest, digest_len, 0, &why);
	/* Overtaken between the copy and the approval: the same answer. */
	if (rc == -EAGAIN || rc == -ESTALE) {
		rc = -EAGAIN;
		why = "evidence changed since that generation; read it again";
	}
	if (why)
		NL_SET_ERR_MSG_FMT(info->extack, "%s", why);
	pci_cma_device_put(dev);
	return rc;
}
