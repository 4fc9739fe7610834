// SPDX-License-Identifier: GPL-2.0
/*
 * Detector fixture: takes two mutexes in one order, then in the other.
 * Done one after the other in a single thread it cannot deadlock, but
 * lockdep sees the inversion and reports a possible circular locking
 * dependency.
 */
#include <linux/module.h>
#include <linux/mutex.h>

static DEFINE_MUTEX(detector_a);
static DEFINE_MUTEX(detector_b);

static int __init detector_lockdep_init(void)
{
	mutex_lock(&detector_a);
	mutex_lock(&detector_b);
	mutex_unlock(&detector_b);
	mutex_unlock(&detector_a);

	mutex_lock(&detector_b);
	mutex_lock(&detector_a);
	mutex_unlock(&detector_a);
	mutex_unlock(&detector_b);
	pr_info("detector_lockdep: took a then b, then b then a\n");
	return 0;
}
module_init(detector_lockdep_init);

static void __exit detector_lockdep_exit(void)
{
}
module_exit(detector_lockdep_exit);

MODULE_DESCRIPTION("Detector fixture: a lock order inversion for lockdep");
MODULE_LICENSE("GPL");
