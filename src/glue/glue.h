/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by the C glue files of pci_cma_tsm. */
#ifndef PCI_CMA_GLUE_H
#define PCI_CMA_GLUE_H

#include <linux/device/faux.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/workqueue.h>

#include <pci_cma/engine.h>

/* No event announced yet: netlink then leaves the event attribute out. */
#define PCI_CMA_NO_EVENT	U32_MAX

extern const struct pci_cma_env pci_cma_kernel_env;
extern struct workqueue_struct *pci_cma_wq;
extern struct list_head pci_cma_devices;
extern struct mutex pci_cma_devices_lock;

/**
 * struct pci_cma_evidence - the evidence objects of one authentication
 * @data: each object, or NULL; kvmalloc()ed
 * @len: its size in bytes
 */
struct pci_cma_evidence {
	u8 *data[PCI_CMA_EVIDENCE_COUNT];
	size_t len[PCI_CMA_EVIDENCE_COUNT];
};

/**
 * struct pci_cma_device - a PCI device with a CMA DOE mailbox
 * @node: in the module's device list
 * @ref: the list and each netlink operation in flight hold one
 * @pdev: the device, referenced
 * @mailbox: its CMA-capable DOE mailbox
 * @work: authentication, run on the module's workqueue
 * @lock: one SPDM conversation with the device at a time; guards the
 *	fields below
 * @result: what the last authentication or check found
 * @status: 0 once authenticated, -EINPROGRESS before, or the failure errno
 * @gone: set when the device is being removed: exchanges stop at once
 * @sysfs: its object under kernel-pci-cma, or NULL
 * @slot: certificate slot authenticated
 * @evidence: what the last authentication gathered
 * @generation: changes whenever @evidence does
 * @approval: IDENTITY record user space approved, or NULL
 * @approval_len: bytes at @approval
 * @approved_generation: evidence generation that was approved
 * @ignore_measurements: indices 1-32 a same-device check does not compare
 * @mismatch: a same-device check failed; contained until approved again
 * @contained: its driver is kept off by us
 * @last_event: PCI_CMA_EVENT_* last announced, or PCI_CMA_NO_EVENT
 * @recheck: a same-device check after resume or reset
 */
struct pci_cma_device {
	struct list_head node;
	struct kref ref;
	struct pci_dev *pdev;
	struct pci_doe_mb *mailbox;
	struct work_struct work;
	struct mutex lock; /* one SPDM conversation at a time; the state below */
	struct pci_cma_auth_result result;
	int status;
	bool gone;
	struct faux_device *sysfs;
	u8 slot;
	struct pci_cma_evidence evidence;
	u64 generation;
	u8 *approval;
	size_t approval_len;
	u64 approved_generation;
	u32 ignore_measurements;
	bool mismatch;
	bool contained;
	u32 last_event;
	struct work_struct recheck;
};

void pci_cma_device_ops(struct pci_cma_device *dev, struct pci_cma_ops *ops);
long pci_cma_doe_received(int rc, size_t response_size);
int pci_cma_object_digest(u32 base_hash, const u8 *data, size_t len, u8 *out, size_t out_len);
int pci_cma_evidence_sink(void *ctx, u32 type, const u8 *data, size_t len);
void pci_cma_evidence_free(struct pci_cma_evidence *evidence);
struct pci_cma_device *pci_cma_find_locked(struct pci_dev *pdev);
struct pci_cma_device *pci_cma_device_get(const char *name);
int pci_cma_run(struct pci_cma_device *dev);
int pci_cma_prove(struct pci_cma_device *dev);
void pci_cma_device_put(struct pci_cma_device *dev);
int pci_cma_device_state(const struct pci_cma_device *dev);
int pci_cma_reauthenticate(struct pci_cma_device *dev, int slot, const u8 *nonce, size_t nonce_len);
int pci_cma_approve(struct pci_cma_device *dev, u64 generation, const u8 *digest,
		    size_t digest_len, u32 ignore_measurements, const char **why);
int pci_cma_revoke(struct pci_cma_device *dev);
int pci_cma_revalidate(struct pci_cma_device *dev);
typedef int (*pci_cma_device_fn)(struct pci_cma_device *dev, void *arg);
int pci_cma_visit_devices(pci_cma_device_fn fn, void *arg, unsigned long *skip);
void pci_cma_recheck_init(struct pci_cma_device *dev);
void pci_cma_release_containment(struct pci_cma_device *dev);
int pci_cma_recheck_register(void);
void pci_cma_recheck_unregister(void);
int pci_cma_netlink_register(void);
void pci_cma_netlink_unregister(void);
void pci_cma_notify(struct pci_cma_device *dev, u32 event);
int pci_cma_errno(u16 engine_error);
int pci_cma_authenticate_now(struct pci_dev *pdev);
int pci_cma_tsm_register(void);
void pci_cma_tsm_unregister(void);
void pci_cma_tsm_destroy_parent(void);
struct device *pci_cma_tsm_parent_device(void);
int pci_cma_sysfs_add(struct pci_cma_device *dev, struct device *parent);
void pci_cma_sysfs_remove(struct pci_cma_device *dev);

#endif /* PCI_CMA_GLUE_H */
