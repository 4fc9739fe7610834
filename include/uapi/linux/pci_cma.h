/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/pci-cma.yaml */
/* YNL-GEN uapi header */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#ifndef _UAPI_LINUX_PCI_CMA_H
#define _UAPI_LINUX_PCI_CMA_H

#define PCI_CMA_FAMILY_NAME	"pci-cma"
#define PCI_CMA_FAMILY_VERSION	1

#define PCI_CMA_MAX_OBJECT_SIZE		16777216
#define PCI_CMA_MAX_NONCE_SIZE		32
#define PCI_CMA_REQUESTER_CONTEXT_SIZE	8

/**
 * enum pci_cma_kind - What the PCI TSM core offers for the device.
 * @PCI_CMA_KIND_CMA_ONLY: CMA without TEE or IDE; state is shown by this
 *   family and sysfs.
 * @PCI_CMA_KIND_TEE: Function 0 with TEE or IDE; also reachable through
 *   tsm/connect.
 */
enum pci_cma_kind {
	PCI_CMA_KIND_CMA_ONLY,
	PCI_CMA_KIND_TEE,
};

/**
 * enum pci_cma_state - Where the device stands.
 * @PCI_CMA_STATE_PENDING: Authentication has not finished yet.
 * @PCI_CMA_STATE_AUTHENTICATED: Collateral gathered, chain matched its digest,
 *   possession of the leaf key proven with a fresh nonce. No trust decision
 *   made.
 * @PCI_CMA_STATE_FAILED: The last authentication or check failed; last-error
 *   says why.
 * @PCI_CMA_STATE_APPROVED: User space accepted the device at an evidence
 *   generation.
 * @PCI_CMA_STATE_MISMATCH: A check found the approved device changed (another
 *   chain, key, algorithm or measurement, or a signature the approved key did
 *   not make); it is contained (see contained) until approved again.
 * @PCI_CMA_STATE_UNVERIFIABLE: The last check of the approved device could not
 *   be made (no answer, no power, the host's memory or crypto): nothing is
 *   known to differ. Checked again after 1, 2, 4... s; once the retries are
 *   spent the device is contained if the module's contain_unverifiable
 *   parameter says so.
 */
enum pci_cma_state {
	PCI_CMA_STATE_PENDING,
	PCI_CMA_STATE_AUTHENTICATED,
	PCI_CMA_STATE_FAILED,
	PCI_CMA_STATE_APPROVED,
	PCI_CMA_STATE_MISMATCH,
	PCI_CMA_STATE_UNVERIFIABLE,
};

/**
 * enum pci_cma_evidence_type - Evidence objects; bit N of type-mask selects
 *   type N.
 * @PCI_CMA_EVIDENCE_TYPE_CERT0: SPDM certificate chain of slot 0 (length
 *   header, root hash, DER).
 * @PCI_CMA_EVIDENCE_TYPE_VCA: GET_VERSION, VERSION, GET_CAPABILITIES,
 *   CAPABILITIES, NEGOTIATE_ALGORITHMS, ALGORITHMS.
 * @PCI_CMA_EVIDENCE_TYPE_MEASUREMENTS: DMTF's measurement transcript, (1.2+
 *   VCA) GET_MEASUREMENTS MEASUREMENTS, the signature last.
 * @PCI_CMA_EVIDENCE_TYPE_CHALLENGE: The signed CHALLENGE transcript, VCA,
 *   digests and certificate exchanges, CHALLENGE and CHALLENGE_AUTH, the
 *   signature last.
 */
enum pci_cma_evidence_type {
	PCI_CMA_EVIDENCE_TYPE_CERT0,
	PCI_CMA_EVIDENCE_TYPE_CERT1,
	PCI_CMA_EVIDENCE_TYPE_CERT2,
	PCI_CMA_EVIDENCE_TYPE_CERT3,
	PCI_CMA_EVIDENCE_TYPE_CERT4,
	PCI_CMA_EVIDENCE_TYPE_CERT5,
	PCI_CMA_EVIDENCE_TYPE_CERT6,
	PCI_CMA_EVIDENCE_TYPE_CERT7,
	PCI_CMA_EVIDENCE_TYPE_VCA,
	PCI_CMA_EVIDENCE_TYPE_MEASUREMENTS,
	PCI_CMA_EVIDENCE_TYPE_CHALLENGE,
};

/**
 * enum pci_cma_object_type - Evidence objects of the read operation, numbered
 *   as the bus-generic device-evidence proposal numbers them; bit N of
 *   type-mask selects type N. challenge follows the proposal's types.
 * @PCI_CMA_OBJECT_TYPE_CERT0: SPDM certificate chain of slot 0 (length header,
 *   root hash, DER).
 * @PCI_CMA_OBJECT_TYPE_VCA: GET_VERSION, VERSION, GET_CAPABILITIES,
 *   CAPABILITIES, NEGOTIATE_ALGORITHMS, ALGORITHMS.
 * @PCI_CMA_OBJECT_TYPE_MEASUREMENTS: DMTF's measurement transcript, (1.2+ VCA)
 *   GET_MEASUREMENTS MEASUREMENTS, the signature last.
 * @PCI_CMA_OBJECT_TYPE_REPORT: A TDISP interface report; never present, this
 *   TSM has no TDISP.
 * @PCI_CMA_OBJECT_TYPE_CHALLENGE: The signed CHALLENGE transcript, VCA,
 *   digests and certificate exchanges, CHALLENGE and CHALLENGE_AUTH, the
 *   signature last.
 */
enum pci_cma_object_type {
	PCI_CMA_OBJECT_TYPE_CERT0,
	PCI_CMA_OBJECT_TYPE_CERT1,
	PCI_CMA_OBJECT_TYPE_CERT2,
	PCI_CMA_OBJECT_TYPE_CERT3,
	PCI_CMA_OBJECT_TYPE_CERT4,
	PCI_CMA_OBJECT_TYPE_CERT5,
	PCI_CMA_OBJECT_TYPE_CERT6,
	PCI_CMA_OBJECT_TYPE_CERT7,
	PCI_CMA_OBJECT_TYPE_VCA,
	PCI_CMA_OBJECT_TYPE_MEASUREMENTS,
	PCI_CMA_OBJECT_TYPE_REPORT,
	PCI_CMA_OBJECT_TYPE_CHALLENGE,
};

/**
 * enum pci_cma_read_flags - How a read returns objects.
 * @PCI_CMA_READ_FLAGS_DIGEST: Return each object's digest instead of its
 *   bytes: computed inside the TCB (for this native TSM, the kernel) over the
 *   object it holds, with the negotiated hash; never a value the device sent.
 */
enum pci_cma_read_flags {
	PCI_CMA_READ_FLAGS_DIGEST = 1,
};

/**
 * enum pci_cma_event - What a notification announces.
 * @PCI_CMA_EVENT_UNVERIFIABLE: A check of the approved device could not be
 *   made.
 */
enum pci_cma_event {
	PCI_CMA_EVENT_AUTHENTICATED,
	PCI_CMA_EVENT_FAILED,
	PCI_CMA_EVENT_APPROVED,
	PCI_CMA_EVENT_REVOKED,
	PCI_CMA_EVENT_REVALIDATED,
	PCI_CMA_EVENT_MISMATCH,
	PCI_CMA_EVENT_REMOVED,
	PCI_CMA_EVENT_UNVERIFIABLE,
};

/*
 * What a same-device check found different.
 */
enum pci_cma_difference {
	PCI_CMA_DIFFERENCE_VERSION = 1,
	PCI_CMA_DIFFERENCE_ALGORITHMS = 2,
	PCI_CMA_DIFFERENCE_CHAIN = 4,
	PCI_CMA_DIFFERENCE_KEY = 8,
	PCI_CMA_DIFFERENCE_MEASUREMENTS = 16,
};

enum {
	PCI_CMA_A_DEV_NAME = 1,
	PCI_CMA_A_DEV_KIND,
	PCI_CMA_A_DEV_STATE,
	PCI_CMA_A_DEV_SPDM_VERSION,
	PCI_CMA_A_DEV_BASE_ASYM,
	PCI_CMA_A_DEV_BASE_HASH,
	PCI_CMA_A_DEV_SLOT,
	PCI_CMA_A_DEV_SLOT_MASK,
	PCI_CMA_A_DEV_GENERATION,
	PCI_CMA_A_DEV_CHAIN_DIGEST,
	PCI_CMA_A_DEV_LAST_ERROR,
	PCI_CMA_A_DEV_EXCHANGES,
	PCI_CMA_A_DEV_CERTIFICATE_BYTES,
	PCI_CMA_A_DEV_APPROVED_GENERATION,
	PCI_CMA_A_DEV_IGNORE_MEASUREMENTS,
	PCI_CMA_A_DEV_EVENT,
	PCI_CMA_A_DEV_DIFFERENCES,
	PCI_CMA_A_DEV_CONTAINED,
	PCI_CMA_A_DEV_PQC_ASYM,

	__PCI_CMA_A_DEV_MAX,
	PCI_CMA_A_DEV_MAX = (__PCI_CMA_A_DEV_MAX - 1)
};

enum {
	PCI_CMA_A_EVIDENCE_NAME = 1,
	PCI_CMA_A_EVIDENCE_TYPE_MASK,
	PCI_CMA_A_EVIDENCE_FLAGS,
	PCI_CMA_A_EVIDENCE_NONCE,
	PCI_CMA_A_EVIDENCE_GENERATION,
	PCI_CMA_A_EVIDENCE_TYPE,
	PCI_CMA_A_EVIDENCE_OFFSET,
	PCI_CMA_A_EVIDENCE_TOTAL_SIZE,
	PCI_CMA_A_EVIDENCE_DATA,
	PCI_CMA_A_EVIDENCE_DIGEST,

	__PCI_CMA_A_EVIDENCE_MAX,
	PCI_CMA_A_EVIDENCE_MAX = (__PCI_CMA_A_EVIDENCE_MAX - 1)
};

enum {
	PCI_CMA_A_OBJECT_SUBSYS = 1,
	PCI_CMA_A_OBJECT_DEV_NAME,
	PCI_CMA_A_OBJECT_TYPE_MASK,
	PCI_CMA_A_OBJECT_FLAGS,
	PCI_CMA_A_OBJECT_NONCE,
	PCI_CMA_A_OBJECT_TYPE,
	PCI_CMA_A_OBJECT_GENERATION,
	PCI_CMA_A_OBJECT_COUNT,
	PCI_CMA_A_OBJECT_LENGTH,
	PCI_CMA_A_OBJECT_VAL,
	PCI_CMA_A_OBJECT_REQUESTER_CONTEXT,
	PCI_CMA_A_OBJECT_OFFSET,
	PCI_CMA_A_OBJECT_PAD,

	__PCI_CMA_A_OBJECT_MAX,
	PCI_CMA_A_OBJECT_MAX = (__PCI_CMA_A_OBJECT_MAX - 1)
};

enum {
	PCI_CMA_CMD_DEV_GET = 1,
	PCI_CMA_CMD_EVIDENCE_READ,
	PCI_CMA_CMD_AUTHENTICATE,
	PCI_CMA_CMD_APPROVE,
	PCI_CMA_CMD_REVOKE,
	PCI_CMA_CMD_REVALIDATE,
	PCI_CMA_CMD_READ,
	PCI_CMA_CMD_VALIDATE,
	PCI_CMA_CMD_DEV_NOTIFY,

	__PCI_CMA_CMD_MAX,
	PCI_CMA_CMD_MAX = (__PCI_CMA_CMD_MAX - 1)
};

#define PCI_CMA_MCGRP_MONITOR	"monitor"

#endif /* _UAPI_LINUX_PCI_CMA_H */
