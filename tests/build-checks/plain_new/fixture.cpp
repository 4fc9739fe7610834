// SPDX-License-Identifier: GPL-2.0
// A plain operator new: the kernel exports no _Znwm, so the symbol check
// must reject the module (the engine allocates only through Allocator).
typedef __SIZE_TYPE__ size_t;
void* operator new(size_t size);

struct Node {
  int value;
};

extern "C" void fixture_touch(void) {
  Node* volatile node = new Node{1};
  (void)node;
}
