// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>

void fixture_touch(void);

static int __init fixture_init(void)
{
	fixture_touch();
	return 0;
}
module_init(fixture_init);
MODULE_DESCRIPTION("build-check fixture");
MODULE_LICENSE("GPL");
