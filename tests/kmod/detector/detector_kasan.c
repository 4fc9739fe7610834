// SPDX-License-Identifier: GPL-2.0
/*
 * Detector fixture: reads one byte past the end of a kmalloc'ed buffer,
 * which KASAN reports as a slab out-of-bounds read.
 */
#include <linux/module.h>
#include <linux/slab.h>

static int __init detector_kasan_init(void)
{
	size_t size = 40;
	char *p;
	char c;

	p = kmalloc(size, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	/* Neither the buffer nor its size is known to the compiler here. */
	OPTIMIZER_HIDE_VAR(p);
	OPTIMIZER_HIDE_VAR(size);
	c = READ_ONCE(p[size]);
	kfree(p);
	pr_info("detector_kasan: read %d past the end\n", c);
	return 0;
}
module_init(detector_kasan_init);

static void __exit detector_kasan_exit(void)
{
}
module_exit(detector_kasan_exit);

MODULE_DESCRIPTION("Detector fixture: an out-of-bounds read for KASAN");
MODULE_LICENSE("GPL");
