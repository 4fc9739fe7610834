// SPDX-License-Identifier: GPL-2.0
// Placement new only. The engine never calls a plain (allocating) operator
// new; the module's symbol check fails the build if one appears.
#pragma once

#include "types.h"

#if __has_include(<new>)
// Host builds: <new> is a freestanding header; using it avoids a clash with
// the library's own declaration.
#include <new>
#else
inline void* operator new(size_t, void* where) noexcept { return where; }
inline void* operator new[](size_t, void* where) noexcept { return where; }
#endif
