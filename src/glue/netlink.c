// SPDX-License-Identifier: GPL-2.0
/*
 * The pci-cma generic netlink family (Documentation/netlink/specs/
 * pci-cma.yaml): device state, the approval user space gives, and
 * notifications. Evidence reads are in nl_evidence.c. Policies and op
 * tables are generated into nl_gen.c; the handlers live here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "glue.h"
#include "nl_gen.h"

static_assert(PCI_CMA_DIFFERENCE_MEASUREMENTS == PCI_CMA_DIFF_MEASUREMENTS);

/*
 * Device state, evidence and state changes are administrative, as the PCI
 * TSM core's own evidence is: CAP_SYS_ADMIN (the generated admin-perm flag
 * only asks for CAP_NET_ADMIN), and only from the initial network
 * namespace, since the devices are the host's and a container's root must
 * not learn or steer them. The family stays netnsok only because the
 * generator sets it; every operation checks here.
 */
int pci_cma_nl_admin(const struct sk_buff *skb, struct netlink_ext_ack *extack)
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
struct pci_cma_device *pci_cma_nl_device(struct nlattr *attr, struct netlink_ext_ack *extack)
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
