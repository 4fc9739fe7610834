# SPDX-License-Identifier: GPL-2.0
#
# pci_cma_tsm: top-level targets.
#
#   make               build the module for Debian's stock kernel (or KDIR=...)
#   make test          set up whatever is missing and run every test
#   make demo          the main job in QEMU
#   make host          host programs and unit tests under build/host/
#   make cmactl        build/host/cmactl, dynamically linked, as packaged
#   make clean         remove build/
#   make clean-cache   remove the build root and kernel cache ($(PCI_CMA_CACHE))
#
# Everything that compiles runs inside the project's Debian trixie build
# root (scripts/buildroot.sh); from the host, targets re-enter through
# scripts/in-root.sh. The kernel's Kbuild reads ./Kbuild, not this file.

PCI_CMA_CACHE ?= /var/cache/pci-cma-tsm
export PCI_CMA_CACHE

.DEFAULT_GOAL := all
.PHONY: all module module-debug host cmactl test demo check clean clean-cache fuzz-seeds fuzz

clean:
	rm -rf build

clean-cache:
	rm -rf $(PCI_CMA_CACHE)

ifeq ($(PCI_CMA_IN_ROOT),)

# Command-line variables the inner make should see.
forward := $(foreach v,KDIR V TESTS FUZZ_RUNS FUZZ_SEED,$(if $(filter command line,$(origin $(v))),'$(v)=$($(v))'))

all module module-debug host cmactl test demo check fuzz-seeds fuzz:
	@scripts/in-root.sh $(MAKE) --no-print-directory $@ $(forward)

else

top := $(CURDIR)
stock_kver := $(notdir $(firstword $(wildcard /lib/modules/*)))
KDIR ?= /lib/modules/$(stock_kver)/build
# Build outputs per kernel release, so the stock and debug modules coexist.
module_out = $(top)/build/module/$(shell cat $(1)/include/config/kernel.release)

all: module

module:
	@mkdir -p $(call module_out,$(KDIR))
	$(MAKE) -C $(KDIR) M=$(top) MO=$(call module_out,$(KDIR)) \
		$(shell scripts/kernel-cc.sh $(KDIR)) modules
	@scripts/check-module.sh $(KDIR) $(call module_out,$(KDIR))

module-debug:
	@$(MAKE) --no-print-directory module KDIR=$$(scripts/kernel.sh)/build

include tests/host/host.mk

test:
	@scripts/run-tests.sh $(TESTS)

demo: module host
	@qemu/demo.sh

check:
	@scripts/checkpatch.sh

endif
