// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/pci-cma.yaml */
/* YNL-GEN kernel source */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "nl_gen.h"

#include <uapi/linux/pci_cma.h>

/* PCI_CMA_CMD_DEV_GET - do */
static const struct nla_policy pci_cma_dev_get_nl_policy[PCI_CMA_A_DEV_NAME + 1] = {
	[PCI_CMA_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* PCI_CMA_CMD_EVIDENCE_READ - dump */
static const struct nla_policy pci_cma_evidence_read_nl_policy[PCI_CMA_A_EVIDENCE_NONCE + 1] = {
	[PCI_CMA_A_EVIDENCE_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
	[PCI_CMA_A_EVIDENCE_TYPE_MASK] = { .type = NLA_U32, },
	[PCI_CMA_A_EVIDENCE_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x1),
	[PCI_CMA_A_EVIDENCE_NONCE] = NLA_POLICY_MAX_LEN(256),
};

/* PCI_CMA_CMD_AUTHENTICATE - do */
static const struct nla_policy pci_cma_authenticate_nl_policy[PCI_CMA_A_DEV_SLOT + 1] = {
	[PCI_CMA_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
	[PCI_CMA_A_DEV_SLOT] = NLA_POLICY_MAX(NLA_U32, 7),
};

/* PCI_CMA_CMD_APPROVE - do */
static const struct nla_policy pci_cma_approve_nl_policy[PCI_CMA_A_DEV_IGNORE_MEASUREMENTS + 1] = {
	[PCI_CMA_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
	[PCI_CMA_A_DEV_GENERATION] = { .type = NLA_UINT, },
	[PCI_CMA_A_DEV_CHAIN_DIGEST] = NLA_POLICY_MAX_LEN(64),
	[PCI_CMA_A_DEV_IGNORE_MEASUREMENTS] = { .type = NLA_U32, },
};

/* PCI_CMA_CMD_REVOKE - do */
static const struct nla_policy pci_cma_revoke_nl_policy[PCI_CMA_A_DEV_NAME + 1] = {
	[PCI_CMA_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* PCI_CMA_CMD_REVALIDATE - do */
static const struct nla_policy pci_cma_revalidate_nl_policy[PCI_CMA_A_DEV_NAME + 1] = {
	[PCI_CMA_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* PCI_CMA_CMD_READ - dump */
static const struct nla_policy pci_cma_read_nl_policy[PCI_CMA_A_OBJECT_REQUESTER_CONTEXT + 1] = {
	[PCI_CMA_A_OBJECT_SUBSYS] = { .type = NLA_NUL_STRING, .len = 15, },
	[PCI_CMA_A_OBJECT_DEV_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
	[PCI_CMA_A_OBJECT_TYPE_MASK] = { .type = NLA_U32, },
	[PCI_CMA_A_OBJECT_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x1),
	[PCI_CMA_A_OBJECT_NONCE] = NLA_POLICY_MAX_LEN(32),
	[PCI_CMA_A_OBJECT_REQUESTER_CONTEXT] = NLA_POLICY_MAX_LEN(8),
};

/* PCI_CMA_CMD_VALIDATE - do */
static const struct nla_policy pci_cma_validate_nl_policy[PCI_CMA_A_OBJECT_GENERATION + 1] = {
	[PCI_CMA_A_OBJECT_SUBSYS] = { .type = NLA_NUL_STRING, .len = 15, },
	[PCI_CMA_A_OBJECT_DEV_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
	[PCI_CMA_A_OBJECT_GENERATION] = { .type = NLA_U32, },
};

/* Ops table for pci_cma */
static const struct genl_split_ops pci_cma_nl_ops[] = {
	{
		.cmd		= PCI_CMA_CMD_DEV_GET,
		.doit		= pci_cma_nl_dev_get_doit,
		.policy		= pci_cma_dev_get_nl_policy,
		.maxattr	= PCI_CMA_A_DEV_NAME,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= PCI_CMA_CMD_DEV_GET,
		.dumpit	= pci_cma_nl_dev_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= PCI_CMA_CMD_EVIDENCE_READ,
		.start		= pci_cma_nl_evidence_read_start,
		.dumpit		= pci_cma_nl_evidence_read_dumpit,
		.done		= pci_cma_nl_evidence_read_done,
		.policy		= pci_cma_evidence_read_nl_policy,
		.maxattr	= PCI_CMA_A_EVIDENCE_NONCE,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= PCI_CMA_CMD_AUTHENTICATE,
		.doit		= pci_cma_nl_authenticate_doit,
		.policy		= pci_cma_authenticate_nl_policy,
		.maxattr	= PCI_CMA_A_DEV_SLOT,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PCI_CMA_CMD_APPROVE,
		.doit		= pci_cma_nl_approve_doit,
		.policy		= pci_cma_approve_nl_policy,
		.maxattr	= PCI_CMA_A_DEV_IGNORE_MEASUREMENTS,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PCI_CMA_CMD_REVOKE,
		.doit		= pci_cma_nl_revoke_doit,
		.policy		= pci_cma_revoke_nl_policy,
		.maxattr	= PCI_CMA_A_DEV_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PCI_CMA_CMD_REVALIDATE,
		.doit		= pci_cma_nl_revalidate_doit,
		.policy		= pci_cma_revalidate_nl_policy,
		.maxattr	= PCI_CMA_A_DEV_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PCI_CMA_CMD_READ,
		.start		= pci_cma_nl_read_start,
		.dumpit		= pci_cma_nl_read_dumpit,
		.done		= pci_cma_nl_read_done,
		.policy		= pci_cma_read_nl_policy,
		.maxattr	= PCI_CMA_A_OBJECT_REQUESTER_CONTEXT,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= PCI_CMA_CMD_VALIDATE,
		.doit		= pci_cma_nl_validate_doit,
		.policy		= pci_cma_validate_nl_policy,
		.maxattr	= PCI_CMA_A_OBJECT_GENERATION,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group pci_cma_nl_mcgrps[] = {
	[PCI_CMA_NLGRP_MONITOR] = { "monitor", },
};

struct genl_family pci_cma_nl_family __ro_after_init = {
	.name		= PCI_CMA_FAMILY_NAME,
	.version	= PCI_CMA_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= pci_cma_nl_ops,
	.n_split_ops	= ARRAY_SIZE(pci_cma_nl_ops),
	.mcgrps		= pci_cma_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(pci_cma_nl_mcgrps),
};
