# SPDX-License-Identifier: GPL-2.0
# Host builds of the engine: the same sources as the module, compiled with
# the same freestanding dialect, plus GoogleTest drivers, under ASan+UBSan.

HOST_CXX := g++-14
host_out := build/host
host_obj := $(host_out)/obj

host_sanitize := -fsanitize=address,undefined -fno-sanitize-recover=all
host_common := -std=gnu++20 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-Iinclude -Isrc/engine $(host_sanitize) -MMD -MP
# Engine sources: exactly the module's C++ dialect. Hosted code may also
# use the host library (src/host) as "host/...".
host_engine_flags := $(host_common) -fno-exceptions -fno-rtti -fno-threadsafe-statics
host_test_flags := $(host_common) -Isrc

engine_srcs := $(wildcard src/engine/base/*.cpp src/engine/spdm/*.cpp src/engine/x509/*.cpp src/engine/pqc/*.cpp src/engine/abi/*.cpp src/engine/selftest/*.cpp)
engine_objs := $(engine_srcs:%.cpp=$(host_obj)/%.o)
host_test_srcs := $(wildcard tests/host/*_test.cpp)
host_test_objs := $(host_test_srcs:%.cpp=$(host_obj)/%.o)

$(host_obj)/src/%.o: src/%.cpp
	@mkdir -p $(dir $@)
	$(HOST_CXX) $(host_engine_flags) -c -o $@ $<

$(host_obj)/tests/%.o: tests/%.cpp
	@mkdir -p $(dir $@)
	$(HOST_CXX) $(host_test_flags) -c -o $@ $<

# cmactl's configuration, decision and log pieces are host code with no
# kernel in reach: their tests (tests/host/cmactl_*_test.cpp) run here too,
# under the same sanitizers.
cmactl_unit_srcs := $(addprefix tools/cmactl/,trust_anchors.cpp agent_policy.cpp agent_config.cpp verifier.cpp \
	spdm_evidence.cpp decision.cpp decision_log.cpp schedule.cpp dispatch.cpp names.cpp ima_log.cpp ima_appraisal.cpp)
cmactl_unit_objs := $(cmactl_unit_srcs:%.cpp=$(host_obj)/%.o)

# They, and their tests, read the family's constants from its UAPI header.
$(cmactl_unit_objs) $(host_obj)/tests/host/cmactl_dispatch_test.o $(host_obj)/tests/host/cmactl_ima_log_test.o: \
	host_test_flags += -Iinclude/uapi

$(host_out)/engine_tests: $(engine_objs) $(host_test_objs) $(cmactl_unit_objs)
	$(HOST_CXX) $(host_sanitize) -o $@ $^ -lgtest_main -lgtest -lpthread -lcrypto

host: $(host_out)/engine_tests

-include $(engine_objs:.o=.d) $(host_test_objs:.o=.d) $(cmactl_unit_objs:.o=.d)

# The host library: hosted C++ shared by the emulated devices, the tools
# and the tests (OpenSSL in SPDM's encodings, the SPDM socket and DOE
# framing, the engine's OpenSSL and socket backends). An archive, so each
# program links only the members it uses. The more specific pattern wins
# over the engine's src/ rule.
host_lib_srcs := $(wildcard src/host/*.cpp)
host_lib_objs := $(host_lib_srcs:%.cpp=$(host_obj)/%.o)
host_lib := $(host_out)/libcma-host.a

$(host_obj)/src/host/%.o: src/host/%.cpp
	@mkdir -p $(dir $@)
	$(HOST_CXX) $(host_test_flags) -c -o $@ $<

$(host_lib): $(host_lib_objs)
	rm -f $@
	ar rcs $@ $^

-include $(host_lib_objs:.o=.d)

# The emulated SPDM responder: hosted C++ on OpenSSL, sharing the engine's
# base layer and SPDM constants.
responder_srcs := $(wildcard qemu/responder/*.cpp)
responder_objs := $(responder_srcs:%.cpp=$(host_obj)/%.o)
engine_base_objs := $(filter $(host_obj)/src/engine/base/%,$(engine_objs))

$(host_obj)/qemu/%.o: qemu/%.cpp
	@mkdir -p $(dir $@)
	$(HOST_CXX) $(host_test_flags) -c -o $@ $<

$(host_out)/spdm-responder: $(responder_objs) $(host_lib) $(engine_base_objs)
	$(HOST_CXX) $(host_sanitize) -o $@ $^ -lcrypto

# The test PKI, made once per build tree.
$(host_out)/pki/.complete: qemu/pki/make-pki.sh qemu/pki/pki.cnf
	qemu/pki/make-pki.sh $(host_out)/pki
	@touch $@

host: $(host_out)/spdm-responder $(host_out)/pki/.complete

-include $(responder_objs:.o=.d)

# Host tests of the responder: the real process over loopback, driven by a
# requester written for the tests and checked with OpenSSL.
responder_test_srcs := $(wildcard tests/responder/*.cpp)
responder_test_objs := $(responder_test_srcs:%.cpp=$(host_obj)/%.o)

$(host_out)/responder_tests: $(responder_test_objs)
	$(HOST_CXX) $(host_sanitize) -o $@ $^ -lgtest_main -lgtest -lpthread -lcrypto

host: $(host_out)/responder_tests

-include $(responder_test_objs:.o=.d)

# Guest tools: static, so the busybox initramfs needs no libraries.
$(host_out)/guest/doe-exchange: tests/guest/doe_exchange.c
	@mkdir -p $(dir $@)
	gcc-14 -static -O2 -Wall -Wextra -Werror -o $@ $<

host: $(host_out)/guest/doe-exchange

# The vfio-user TEE endpoint: the same emulated device behind a DOE
# mailbox in a config space served over vfio-user.
responder_lib_objs := $(filter-out $(host_obj)/qemu/responder/main.o,$(responder_objs))
vfio_srcs := $(wildcard qemu/vfio_device/*.cpp)
vfio_objs := $(vfio_srcs:%.cpp=$(host_obj)/%.o)

$(host_out)/spdm-vfio-device: $(vfio_objs) $(responder_lib_objs) $(host_lib) $(engine_base_objs)
	$(HOST_CXX) $(host_sanitize) -o $@ $^ -lcrypto

host: $(host_out)/spdm-vfio-device

-include $(vfio_objs:.o=.d)

# spdm-requester: the engine with OpenSSL over QEMU's SPDM socket.
requester_srcs := $(wildcard tools/spdm_requester/*.cpp)
requester_objs := $(requester_srcs:%.cpp=$(host_obj)/%.o)
engine_core_objs := $(filter-out $(host_obj)/src/engine/selftest/%,$(engine_objs))

$(host_obj)/tools/%.o: tools/%.cpp
	@mkdir -p $(dir $@)
	$(HOST_CXX) $(host_test_flags) -c -o $@ $<

$(host_out)/spdm-requester: $(requester_objs) $(host_lib) $(engine_core_objs)
	$(HOST_CXX) $(host_sanitize) -o $@ $^ -lcrypto

host: $(host_out)/spdm-requester

-include $(requester_objs:.o=.d)

# The requester engine against the responder process.
requester_test_objs := $(host_obj)/tests/requester/requester_test.o $(host_obj)/tests/requester/abi_test.o \
	$(host_obj)/tests/requester/mldsa_test.o

$(host_out)/requester_tests: $(requester_test_objs) $(host_obj)/tests/responder/responder_harness.o \
		$(host_lib) $(engine_core_objs)
	$(HOST_CXX) $(host_sanitize) -o $@ $^ -lgtest_main -lgtest -lpthread -lcrypto

host: $(host_out)/requester_tests

-include $(requester_test_objs:.o=.d)

# Fuzz targets (fuzz/): replayed over the seed corpus under ASan and UBSan
# by `make test`; `make fuzz-seeds` rewrites fuzz/corpus from the vectors.
fuzz_targets := messages der requester mldsa
fuzz_objs := $(foreach t,$(fuzz_targets),$(host_obj)/fuzz/fuzz_$(t).o) $(host_obj)/fuzz/replay.o

$(host_obj)/fuzz/%.o: fuzz/%.cpp
	@mkdir -p $(dir $@)
	$(HOST_CXX) $(host_engine_flags) -c -o $@ $<

$(host_out)/fuzz/%: $(host_obj)/fuzz/fuzz_%.o $(host_obj)/fuzz/replay.o $(engine_core_objs)
	@mkdir -p $(dir $@)
	$(HOST_CXX) $(host_sanitize) -o $@ $^

$(host_obj)/fuzz/replay.o: fuzz/replay.cpp
	@mkdir -p $(dir $@)
	$(HOST_CXX) $(host_test_flags) -c -o $@ $<

# fuzz-seeds records sessions against the emulated responder in-process.
$(host_obj)/fuzz/seeds/%.o: fuzz/seeds/%.cpp
	@mkdir -p $(dir $@)
	$(HOST_CXX) $(host_test_flags) -c -o $@ $<

$(host_out)/fuzz-seeds: $(host_obj)/fuzz/seeds/main.o $(engine_objs) $(responder_lib_objs) $(host_lib)
	$(HOST_CXX) $(host_sanitize) -o $@ $^ -lcrypto

host: $(addprefix $(host_out)/fuzz/,$(fuzz_targets)) $(host_out)/fuzz-seeds

# Fixtures that break what a suite's own checks guard, so the suites can
# prove those checks fail: a GoogleTest program that leaks at exit (host)
# and a fuzz target that crashes on one seed (fuzz-seeds).
$(host_out)/fixtures/leak: $(host_obj)/tests/host/fixtures/leak.o
	@mkdir -p $(dir $@)
	$(HOST_CXX) $(host_sanitize) -o $@ $^ -lgtest_main -lgtest -lpthread

$(host_out)/fixtures/fuzz-crash: $(host_obj)/tests/host/fixtures/fuzz_crash.o $(host_obj)/fuzz/replay.o
	@mkdir -p $(dir $@)
	$(HOST_CXX) $(host_sanitize) -o $@ $^

host: $(host_out)/fixtures/leak $(host_out)/fixtures/fuzz-crash

-include $(host_obj)/tests/host/fixtures/leak.d $(host_obj)/tests/host/fixtures/fuzz_crash.d

.PHONY: fuzz-seeds
fuzz-seeds: $(host_out)/fuzz-seeds $(host_out)/pki/.complete
	rm -rf fuzz/corpus
	$(host_out)/fuzz-seeds $(host_out)/pki fuzz/corpus

# The same targets linked with libFuzzer (clang): `make test` runs each for
# a fixed number of inputs from a fixed seed, so a result is reproducible;
# `make fuzz FUZZ_RUNS=... FUZZ_SEED=...` explores further. The engine is
# compiled again with clang for them, with coverage instrumentation.
FUZZ_CXX := clang++-19
fuzz_obj := $(host_obj)/libfuzzer
fuzz_engine_srcs := $(filter-out src/engine/selftest/%,$(engine_srcs))
libfuzzer_flags := $(filter-out -MMD -MP,$(host_engine_flags)) -fsanitize=fuzzer-no-link -MMD -MP

$(fuzz_obj)/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(libfuzzer_flags) -c -o $@ $<

$(host_out)/libfuzzer/%: $(fuzz_obj)/fuzz/fuzz_%.o $(fuzz_engine_srcs:%.cpp=$(fuzz_obj)/%.o)
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(host_sanitize) -fsanitize=fuzzer -o $@ $^

host: $(addprefix $(host_out)/libfuzzer/,$(fuzz_targets))

FUZZ_RUNS ?= 2000000
FUZZ_SEED ?= 1
.PHONY: fuzz
fuzz: $(addprefix $(host_out)/libfuzzer/,$(fuzz_targets))
	scripts/fuzz.sh $(FUZZ_RUNS) $(FUZZ_SEED) $(fuzz_targets)

# Keep the objects: they are intermediate files of the pattern rules.
.SECONDARY: $(fuzz_objs) $(foreach t,$(fuzz_targets),$(fuzz_obj)/fuzz/fuzz_$(t).o) \
	$(fuzz_engine_srcs:%.cpp=$(fuzz_obj)/%.o)

-include $(fuzz_objs:.o=.d) $(host_obj)/fuzz/seeds/main.d $(wildcard $(fuzz_obj)/*/*.d $(fuzz_obj)/*/*/*.d $(fuzz_obj)/*/*/*/*.d)

# cmactl, the user-space verifier: static, so it runs in the busybox
# guest; the UAPI header comes from the repository, as generated.
cmactl_srcs := $(wildcard tools/cmactl/*.cpp)
$(host_out)/guest/cmactl: $(cmactl_srcs) $(wildcard tools/cmactl/*.h) include/uapi/linux/pci_cma.h
	@mkdir -p $(dir $@)
	$(HOST_CXX) -std=gnu++20 -O2 -Wall -Wextra -Werror -Iinclude/uapi -static -o $@ $(cmactl_srcs) \
		-lmnl -lcrypto -lz -lzstd -lpthread

host: $(host_out)/guest/cmactl

# cmactl as the Debian package installs it (debian/rules: `make cmactl`):
# linked against the system's shared libmnl and libcrypto, which the
# package then depends on, and built with the flags the packaging passes
# (dpkg-buildflags' hardening in CPPFLAGS, CXXFLAGS and LDFLAGS).
$(host_out)/cmactl: $(cmactl_srcs) $(wildcard tools/cmactl/*.h) include/uapi/linux/pci_cma.h
	@mkdir -p $(dir $@)
	$(HOST_CXX) -std=gnu++20 -O2 -Wall -Wextra -Werror -Iinclude/uapi $(CPPFLAGS) $(CXXFLAGS) $(LDFLAGS) \
		-o $@ $(cmactl_srcs) -lmnl -lcrypto

.PHONY: cmactl
cmactl: $(host_out)/cmactl

# Guest probes of the netlink family's edges (tests only).
$(host_out)/guest/netlink-probe: tests/guest/netlink_probe.cpp tests/guest/genl_family.h tools/cmactl/genl_client.cpp tools/cmactl/genl_client.h
	@mkdir -p $(dir $@)
	$(HOST_CXX) -std=gnu++20 -O2 -Wall -Wextra -Werror -Iinclude/uapi -static -o $@ \
		tests/guest/netlink_probe.cpp tools/cmactl/genl_client.cpp -lmnl

host: $(host_out)/guest/netlink-probe

$(host_out)/guest/fail-nth: tests/guest/fail_nth.cpp tools/cmactl/genl_client.cpp tools/cmactl/genl_client.h
	@mkdir -p $(dir $@)
	$(HOST_CXX) -std=gnu++20 -O2 -Wall -Wextra -Werror -Iinclude/uapi -static -o $@ \
		tests/guest/fail_nth.cpp tools/cmactl/genl_client.cpp -lmnl

host: $(host_out)/guest/fail-nth

$(host_out)/guest/netlink-fuzz: tests/guest/netlink_fuzz.cpp tests/guest/genl_family.h include/uapi/linux/pci_cma.h
	@mkdir -p $(dir $@)
	$(HOST_CXX) -std=gnu++20 -O2 -Wall -Wextra -Werror -Iinclude/uapi -static -o $@ tests/guest/netlink_fuzz.cpp -lmnl

host: $(host_out)/guest/netlink-fuzz

# verify-bench: one signature verification's cost, for scripts/benchmark.sh.
# Optimised and without sanitizers, so its own objects.
bench_obj := $(host_out)/bench-obj
bench_flags := -std=gnu++20 -O2 -Wall -Wextra -Werror -Wno-unused-parameter -Iinclude -Isrc/engine -Isrc -MMD -MP
bench_srcs := tools/verify_bench/main.cpp src/host/openssl_crypto.cpp src/host/spdm_crypto.cpp \
	$(wildcard src/engine/base/*.cpp src/engine/x509/*.cpp src/engine/pqc/*.cpp)
bench_objs := $(bench_srcs:%.cpp=$(bench_obj)/%.o)

$(bench_obj)/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(HOST_CXX) $(bench_flags) -c -o $@ $<

$(host_out)/verify-bench: $(bench_objs)
	$(HOST_CXX) -o $@ $^ -lcrypto

host: $(host_out)/verify-bench

-include $(bench_objs:.o=.d)
