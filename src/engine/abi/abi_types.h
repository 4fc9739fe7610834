// SPDX-License-Identifier: GPL-2.0
// The kernel's integer type names, for the engine side of the C ABI header
// (include/pci_cma/engine.h), which the C glue reads with <linux/types.h>.
#pragma once

#include "base/types.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
