// SPDX-License-Identifier: GPL-2.0
/*
 * Detector fixture: allocates at load and drops the pointers, so kmemleak
 * finds unreferenced objects once they are older than its minimum age.
 * The objects come from the page allocator (larger than any kmalloc
 * cache): a small slab object is often still named by the stale free
 * pointer inside the live object allocated before it, which kmemleak
 * counts as a reference, and the leak would go unseen.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#define DETECTOR_LEAKS 4
#define DETECTOR_LEAK_SIZE (4 * PAGE_SIZE)

static noinline int detector_leak_one(size_t size)
{
	void *p = kmalloc(size, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	/* The only reference goes away with this frame. */
	OPTIMIZER_HIDE_VAR(p);
	return 0;
}

/*
 * Stale copies of the pointers left on this task's stack by the allocator's
 * frames would count as references: overwrite them.
 */
static noinline void detector_scrub_stack(void)
{
	u8 buf[1024];

	memzero_explicit(buf, sizeof(buf));
}

static int __init detector_leak_init(void)
{
	int i, ret;

	for (i = 0; i < DETECTOR_LEAKS; i++) {
		ret = detector_leak_one(DETECTOR_LEAK_SIZE);
		if (ret)
			return ret;
	}
	detector_scrub_stack();
	pr_info("detector_leak: leaked %d objects\n", DETECTOR_LEAKS);
	return 0;
}
module_init(detector_leak_init);

MODULE_DESCRIPTION("Detector fixture: a memory leak for kmemleak");
MODULE_LICENSE("GPL");
