// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's self-tests, exported only to KUnit test modules: the symbols
 * exist only in kernels with CONFIG_KUNIT and live in the
 * EXPORTED_FOR_KUNIT_TESTING namespace.
 */
#include <kunit/visibility.h>
#include <linux/export.h>

#include "glue.h"

EXPORT_SYMBOL_IF_KUNIT(pci_cma_selftest_count);
EXPORT_SYMBOL_IF_KUNIT(pci_cma_selftest_area);
EXPORT_SYMBOL_IF_KUNIT(pci_cma_selftest_suite);
EXPORT_SYMBOL_IF_KUNIT(pci_cma_selftest_name);
EXPORT_SYMBOL_IF_KUNIT(pci_cma_selftest_run);
EXPORT_SYMBOL_IF_KUNIT(pci_cma_kernel_env);
