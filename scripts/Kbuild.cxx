# SPDX-License-Identifier: GPL-2.0
#
# The Kbuild rule for C++ objects, included by every Kbuild of the project.
#
# C++ objects are built with the kernel's own flags for the object (ABI, code
# model, mitigations, sanitizers, ftrace), minus what only C understands and
# every kernel include, plus the freestanding C++ options of the house style.

# The C++ compiler of the C compiler the kernel was built with (gcc-14 ->
# g++-14), so that both sides agree on ABI and flags.
CXX := $(subst gcc,g++,$(CC))

cxx-c-only-flags := -std=gnu11 -std=gnu99 -std=gnu89 \
	-Werror=implicit-function-declaration -Werror=implicit-int \
	-Werror=strict-prototypes -Werror=incompatible-pointer-types \
	-Werror=designated-init -Werror=return-type -Wmissing-prototypes \
	-Wstrict-prototypes -Wno-pointer-sign -Wno-override-init \
	-Wdeclaration-after-statement -Wold-style-definition -Wmissing-include-dirs \
	-Wno-old-style-declaration -Wvla -Wno-enum-int-mismatch \
	-Wno-dangling-pointer -Wno-main -Wimplicit-fallthrough=5 \
	-Wno-array-bounds -Wno-alloc-size-larger-than -Wno-format-overflow \
	-Wno-format-truncation -Wno-stringop-overflow -Wno-stringop-truncation \
	-Wno-unterminated-string-initialization

# The engine includes no kernel header: drop "-include <kernel header>"
# pairs, kernel include directories and debug info (pahole, which Debian's
# kbuild runs for BTF, cannot read C++ DWARF).
cxx-drop-patterns := -include %.h -I% -g -g% -gdwarf%

# The engine's frame budget: 512 bytes per function, as GCC's
# -Wframe-larger-than counts them (locals and spill slots; saved registers
# and the return address come on top), an error above it. The engine runs
# on the kernel stack of a work item or a PM notifier, below the glue and
# above the kernel crypto API and the DOE mailbox: anything the size of a
# message, the requester or an identity record comes from the allocator,
# never the stack. The kernel's own limit (CONFIG_FRAME_WARN, 2048 on
# 64-bit) only warns and is four times this. KASAN's stack instrumentation
# (the debug kernel) surrounds every local with red zones and roughly
# doubles to triples frames, hence three times the budget there.
cxx-frame-budget := $(if $(CONFIG_KASAN_STACK),1536,512)

# No ftrace mcount records either: __mcount_loc entries do not follow the
# COMDAT groups that hold template instantiations, so when the linker keeps
# one copy of a template the records of the discarded copies point into
# nothing and the link fails. The engine is not traced, like other kernel
# code that filters $(CC_FLAGS_FTRACE).
cxx_flags = $(filter-out $(cxx-c-only-flags) $(cxx-drop-patterns) $(CC_FLAGS_FTRACE), $(c_flags)) $(cxxflags-y) \
	-std=gnu++20 -ffreestanding -fno-exceptions -fno-rtti \
	-fno-threadsafe-statics -fno-use-cxa-atexit -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fno-common -fno-builtin -g0 \
	-Wall -Wextra -Wno-unused-parameter -Werror=return-type -Werror=vla \
	-Wframe-larger-than=$(cxx-frame-budget) -Werror=frame-larger-than=$(cxx-frame-budget)

quiet_cmd_cxx_o_cpp = CXX $(quiet_modtag) $@
      cmd_cxx_o_cpp = $(CXX) $(cxx_flags) -c -o $@ $<

$(obj)/%.o: $(obj)/%.cpp FORCE
	$(call if_changed_dep,cxx_o_cpp)

# A Kbuild that sets cxx-engine-objs gets them linked into one object,
# $(obj)/src/engine/engine.o, before objtool sees them. Inline functions and
# template instantiations live in COMDAT groups that several objects share;
# the link keeps one copy of each, while per-object objtool output (ORC
# unwind entries) would still point at the discarded copies and break the
# module link. objtool then runs once on the linked engine, or with the
# whole module where the kernel delays it (IBT).
#
# The engine's link also dissolves those groups (--force-group-allocation,
# after keeping one copy of each): gcc-16 puts an inline function's
# __patchable_function_entries (ftrace's record of it) in its group, and a
# relocatable link keeps grouped sections apart, so the module would carry
# dozens of sections of that one name. The kernel names each loaded
# section in /sys/module/NAME/sections/, and refuses such a module (EEXIST).
ifneq ($(cxx-engine-objs),)
targets += $(cxx-engine-objs) src/engine/engine.o

quiet_cmd_ld_engine = LD $(quiet_modtag)  $@
      cmd_ld_engine = $(LD) $(KBUILD_LDFLAGS) -r --force-group-allocation -o $@ $(real-prereqs) \
		$(if $(objtool-enabled), ; $(objtool) $(filter-out --link,$(objtool-args)) --link $@)

$(obj)/src/engine/engine.o: $(addprefix $(obj)/,$(cxx-engine-objs)) FORCE
	$(call if_changed,ld_engine)
endif
