/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by the C glue files of pci_cma_tsm. */
#ifndef PCI_CMA_GLUE_H
#define PCI_CMA_GLUE_H

#include <linux/device.h>
#include <linux/ktime.h>
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
 * enum pci_cma_verdict - what a check of an approved device concluded
 * @PCI_CMA_SAME: it proved it is the approved device
 * @PCI_CMA_DIFFERS: it answered, and not as the approved device would
 * @PCI_CMA_UNVERIFIABLE: it could not be checked (transport, power, our own
 *	memory or crypto); retried, never reported as a difference
 * @PCI_CMA_GONE: the device is being removed or the module unloaded: no
 *	verdict at all
 * @PCI_CMA_LENT: another party owns the device's mailbox (a vfio-pci user,
 *	another TSM): not checked, no verdict
 */
enum pci_cma_verdict {
	PCI_CMA_SAME,
	PCI_CMA_DIFFERS,
	PCI_CMA_UNVERIFIABLE,
	PCI_CMA_GONE,
	PCI_CMA_LENT,
};

struct pci_cma_device;
struct pci_cma_gate;

/**
 * struct pci_cma_device - a PCI device with a CMA DOE mailbox
 * @node: in the module's device list; empty once unlinked
 * @id: order of tracking; a dump resumes after the last id it sent
 * @ref: the list, each queued work item and each operation in flight hold one
 * @pdev: the device, referenced
 * @mailbox: its CMA-capable DOE mailbox
 * @work: authentication, run on the module's workqueue
 * @recheck: a same-device check after resume, reset or an unverifiable check
 * @gate_work: binds or unbinds the gate's supplier as @gate_open says
 * @conversation: one SPDM conversation at a time; held for a whole
 *	conversation, never while @lock is wanted by the holder's callers
 * @deadline: when the conversation in progress must end
 * @lock: guards the fields below; never held across a conversation, so
 *	readers (sysfs, netlink dumps) never wait on a device
 * @result: what the last authentication or check found
 * @status: 0 once authenticated, -EINPROGRESS before, or the failure errno
 * @gone: set when the device is being removed or the module unloaded
 * @stopped: the REMOVED notification was sent
 * @gate: its supplier, or NULL once stopped
 * @gate_open: whether drivers may bind, as last decided
 * @prebound: a driver was bound when the module started tracking it; it
 *	keeps it until a check fails
 * @lent: a vfio-pci driver owns the device: no SPDM from us until it
 *	returns
 * @tsm_ctx: the TSM context our TSM made for it, compared, never followed
 * @slot: certificate slot authenticated
 * @evidence: what the last authentication gathered
 * @generation: changes whenever @evidence does
 * @approval: IDENTITY record user space approved, or NULL; kvmalloc()ed
 * @approval_len: bytes at @approval
 * @approved_generation: evidence generation that was approved
 * @ignore_measurements: indices 1-32 a same-device check does not compare
 * @decisions: approvals, revocations and slot changes so far: a check
 *	judges only against the approval it checked
 * @mismatch: a check found it differs from the approval
 * @proven: the device proved to be the approved one since the approval
 *	was made or carried over
 * @unverifiable: the last check of the approved device could not be made
 * @attempts: unverifiable checks in a row
 * @contained: held at the gate, bus mastering and decode off, until it
 *	proves to be the approved device or is approved again
 * @last_event: PCI_CMA_EVENT_* last announced, or PCI_CMA_NO_EVENT
 * @check_us: how long the last same-device check took, in microseconds
 */
struct pci_cma_device {
	struct list_head node;
	u64 id;
	struct kref ref;
	struct pci_dev *pdev;
	struct pci_doe_mb *mailbox;
	struct work_struct work;
	struct delayed_work recheck;
	struct work_struct gate_work;
	struct mutex conversation; /* one SPDM conversation at a time */
	ktime_t deadline;
	struct mutex lock; /* the state below; never across a conversation */
	struct pci_cma_auth_result result;
	int status;
	bool gone;
	bool stopped;
	struct pci_cma_gate *gate;
	bool gate_open;
	bool prebound;
	bool lent;
	const void *tsm_ctx;
	u8 slot;
	struct pci_cma_evidence evidence;
	u64 generation;
	u8 *approval;
	size_t approval_len;
	u64 approved_generation;
	u32 ignore_measurements;
	u64 decisions;
	bool mismatch;
	bool proven;
	bool unverifiable;
	unsigned int attempts;
	bool contained;
	u32 last_event;
	u64 check_us;
};

void pci_cma_crypto_init(void);
void pci_cma_device_ops(struct pci_cma_device *dev, struct pci_cma_ops *ops);

/* The signature algorithm negotiated: an SPDM 1.4 PqcAsymAlgo or a BaseAsymAlgo. */
static inline const char *pci_cma_signature_name(const struct pci_cma_auth_result *r)
{
	return r->pqc_asym ? pci_cma_pqc_asym_name(r->pqc_asym) : pci_cma_asym_name(r->base_asym);
}

long pci_cma_doe_received(int rc, size_t response_size);
int pci_cma_object_digest(u32 base_hash, const u8 *data, size_t len, u8 *out, size_t out_len);
int pci_cma_evidence_sink(void *ctx, u32 type, const u8 *data, size_t len);
void pci_cma_evidence_free(struct pci_cma_evidence *evidence);

/* conversation.c */
int pci_cma_conversation_begin(struct pci_cma_device *dev);
void pci_cma_conversation_end(struct pci_cma_device *dev);
u64 pci_cma_conversation_left_us(struct pci_cma_device *dev);

/* registry.c: the tracked devices, their lifetime and their events */
struct pci_cma_device *pci_cma_device_alloc(struct pci_dev *pdev, struct pci_doe_mb *mailbox,
					    u8 slot);
struct pci_cma_device *pci_cma_find_locked(struct pci_dev *pdev);
struct pci_cma_device *pci_cma_device_get(const char *name);
struct pci_cma_device *pci_cma_device_get_pdev(struct pci_dev *pdev);
void pci_cma_device_put(struct pci_cma_device *dev);
typedef void (*pci_cma_event_fn)(struct pci_cma_device *dev, u32 event);
void pci_cma_events_to(pci_cma_event_fn fn);
void pci_cma_announce(struct pci_cma_device *dev, u32 event);
/* A containment: measured into IMA, announced by the event that caused it. */
#define PCI_CMA_IMA_CONTAINED	256
void pci_cma_ima_measure(const struct pci_cma_device *dev, u32 event);
int pci_cma_ima_init(void);
void pci_cma_ima_exit(void);
int pci_cma_device_state(const struct pci_cma_device *dev);
typedef int (*pci_cma_device_fn)(struct pci_cma_device *dev, void *arg);
int pci_cma_visit_devices(pci_cma_device_fn fn, void *arg, u64 *after);

/* checks.c: what is asked of a device */
void pci_cma_authenticate_work(struct work_struct *work);
int pci_cma_run(struct pci_cma_device *dev);
int pci_cma_prove(struct pci_cma_device *dev);
int pci_cma_reauthenticate(struct pci_cma_device *dev, int slot, const u8 *nonce,
			   size_t nonce_len, u64 *generation);
int pci_cma_approve(struct pci_cma_device *dev, u64 generation, const u8 *digest,
		    size_t digest_len, u32 ignore_measurements, const char **why);
int pci_cma_revoke(struct pci_cma_device *dev);
int pci_cma_revalidate(struct pci_cma_device *dev);
int pci_cma_authenticate_now(struct pci_dev *pdev);

/* verdict.c: the one place a check's outcome becomes state and action */
enum pci_cma_verdict pci_cma_verdict_of(struct pci_cma_device *dev, u16 error, u32 differences);
enum pci_cma_verdict pci_cma_identity_verdict(struct pci_cma_device *dev);
void pci_cma_judge(struct pci_cma_device *dev, enum pci_cma_verdict verdict, u32 same_event);
void pci_cma_schedule_recheck(struct pci_cma_device *dev, unsigned long delay);
void pci_cma_cancel_works(struct pci_cma_device *dev);
void pci_cma_verdict_init(struct pci_cma_device *dev);
void pci_cma_release_containment(struct pci_cma_device *dev);
void pci_cma_quiesce(struct pci_dev *pdev);

/* gate.c: the supplier each tracked device's driver depends on */
typedef void (*pci_cma_resume_fn)(struct pci_cma_device *dev);
int pci_cma_gate_register(pci_cma_resume_fn on_resume, const struct attribute_group **groups);
struct pci_cma_device *pci_cma_gate_device(struct device *d);
void pci_cma_gate_unregister(void);
int pci_cma_gate_add(struct pci_cma_device *dev, struct device *parent);
void pci_cma_gate_remove(struct pci_cma_device *dev, struct pci_cma_gate *gate, bool unloading);
void pci_cma_gate_update(struct pci_cma_device *dev);
bool pci_cma_containing(void);
bool pci_cma_gate_held(const struct pci_cma_device *dev);
void pci_cma_gate_init(struct pci_cma_device *dev);
void pci_cma_gate_cancel(struct pci_cma_device *dev);

/* places.c: approvals kept by place while no device is there */
void pci_cma_place_keep(struct pci_cma_device *dev);
void pci_cma_place_adopt(struct pci_cma_device *dev);
void pci_cma_places_forget(void);

/* recheck.c: resume and reset */
int pci_cma_recheck_register(void);
void pci_cma_recheck_unregister(void);
void pci_cma_resume_check(struct pci_cma_device *dev);
void pci_cma_lend(struct pci_dev *pdev);
void pci_cma_take_back(struct pci_dev *pdev);

/* errno.c */
int pci_cma_errno(u16 engine_error);

/* On top: netlink.c, sysfs.c and tsm.c, wired together by main.c */
int pci_cma_netlink_register(void);
void pci_cma_netlink_unregister(void);

/* Shared by netlink.c and nl_evidence.c. */
struct netlink_ext_ack;
struct sk_buff;
struct nlattr;
/* Why a device is not talked to while a vfio-pci user or another TSM has it. */
#define PCI_CMA_NL_LENT "another party owns the device (vfio-pci or another TSM); not talked to"
int pci_cma_nl_admin(const struct sk_buff *skb, struct netlink_ext_ack *extack);
struct pci_cma_device *pci_cma_nl_device(struct nlattr *attr, struct netlink_ext_ack *extack);
extern const struct attribute_group *pci_cma_device_groups[];
int pci_cma_tsm_register(void);
void pci_cma_tsm_unregister(void);
void pci_cma_tsm_destroy_parent(void);
struct device *pci_cma_tsm_parent_device(void);

#endif /* PCI_CMA_GLUE_H */
