// SPDX-License-Identifier: GPL-2.0
// Fixed-width integer types from the compiler's own macros, so that engine
// code needs neither kernel nor hosted C library headers.
#pragma once

typedef __UINT8_TYPE__ uint8_t;
typedef __UINT16_TYPE__ uint16_t;
typedef __UINT32_TYPE__ uint32_t;
typedef __UINT64_TYPE__ uint64_t;
typedef __INT8_TYPE__ int8_t;
typedef __INT16_TYPE__ int16_t;
typedef __INT32_TYPE__ int32_t;
typedef __INT64_TYPE__ int64_t;
typedef __SIZE_TYPE__ size_t;
typedef __UINTPTR_TYPE__ uintptr_t;

#ifdef __cplusplus
static_assert(sizeof(uint8_t) == 1 && sizeof(uint16_t) == 2 && sizeof(uint32_t) == 4 &&
              sizeof(uint64_t) == 8);
static_assert(sizeof(size_t) == sizeof(void*));
#endif
