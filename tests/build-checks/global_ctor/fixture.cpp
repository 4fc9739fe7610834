// SPDX-License-Identifier: GPL-2.0
// A global object with a constructor: the compiler emits .init_array, which
// a kernel module never runs. The section check must reject this object.
struct Counter {
  Counter() : value(42) {}
  volatile int value;
};

Counter global_counter;

extern "C" void fixture_touch(void) { global_counter.value = global_counter.value + 1; }
