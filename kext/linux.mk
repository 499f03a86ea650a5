# Linux build of the portable C: engine, every kext under kext/ (a folder
# with a kext.mk: gen.mk finds them and generates their C from their
# .proto), kextsim, C tests, fuzz targets and the compile-check of the XNU
# glue. macOS builds one kext with ./Makefile; this file is never used there.
#
#   make -f linux.mk            kextsim (every kext linked) and the test binaries
#   make -f linux.mk test       C unit tests under ASan+UBSan, xnu-check, the glue's
#                               unload harness (TSan, ASan, every kext), fuzz smoke
#   make -f linux.mk fuzz FUZZ_SECONDS=60   longer fuzz runs
#   make -f linux.mk gen        regenerate every kext's C; gen-check: CI's freshness check

CC       ?= cc
CLANG    ?= $(shell command -v clang-14 || command -v clang)
B        := build
WARN     := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS := -Iinclude -Ilib -Isim -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
OPT      := -O2 -g
SAN      := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_SECONDS ?= 10

.DEFAULT_GOAL := all
include gen.mk

LIB_SRC  := $(wildcard lib/*.c)
# Every kext, and the table that names them to kextsim and the fuzz targets.
REGISTRY := $(B)/kexts.c
KX_SRC   := $(KEXTS_SRC) $(REGISTRY)
SIM_SRC  := $(wildcard sim/*.c)
SUP_SRC  := $(wildcard test/support/*.c)
TEST_SRC := $(wildcard test/test_*.c)
FUZZ_SRC := $(wildcard test/fuzz_*.c)
XNU_SRC  := $(wildcard xnu/*.c)

TESTS    := $(TEST_SRC:test/%.c=$(B)/test/%)
FUZZERS  := $(FUZZ_SRC:test/%.c=$(B)/fuzz/%)
HDRS     := $(wildcard include/kextbridge/*.h lib/*.h sim/*.h test/support/*.h) $(KEXTS_HDRS)

.PHONY: all test unit fuzz fuzz-smoke xnu-check xnu-bad xnu-unload clean FORCE
all: $(B)/kextsim $(B)/kextsim-asan $(TESTS)

# Rewritten on every run, replaced only when the set of kexts changed.
$(REGISTRY): FORCE
	@mkdir -p $(@D)
	@{ echo '/* Written by linux.mk from the kext folders it found: do not edit. */'; \
	  echo '#include <kextbridge/pb.h>'; echo '#include "linked.h"'; \
	  for k in $(KEXTS); do echo "extern const struct kb_kext kb_$${k}_kext;"; \
	    echo "extern const struct kb_pb_codec $${k}_codecs[];"; done; \
	  echo 'const struct kb_kext *const kb_linked_kexts[] = {'; \
	  for k in $(KEXTS); do echo "	&kb_$${k}_kext,"; done; echo '	0,'; echo '};'; \
	  echo 'const struct kb_pb_codec *const kb_linked_codecs[] = {'; \
	  for k in $(KEXTS); do echo "	$${k}_codecs,"; done; echo '	0,'; echo '};'; } > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

# kextsim links every kext the build found; --kext NAME picks one.
$(B)/kextsim: $(LIB_SRC) $(KX_SRC) $(SIM_SRC) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CPPFLAGS) $(OPT) -pthread -o $@ $(LIB_SRC) $(KX_SRC) $(SIM_SRC)

# The simulator the integration tests run: same code, sanitizers on.
$(B)/kextsim-asan: $(LIB_SRC) $(KX_SRC) $(SIM_SRC) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CPPFLAGS) $(SAN) -pthread -o $@ $(LIB_SRC) $(KX_SRC) $(SIM_SRC)

# Each test links the library, every kext and the test support code (a
# fake platform), but not sim/main.
SIM_LIB := $(filter-out sim/main.c,$(SIM_SRC))
$(B)/test/%: test/%.c $(LIB_SRC) $(KX_SRC) $(SIM_LIB) $(SUP_SRC) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CPPFLAGS) -Itest/support $(SAN) -pthread -o $@ $< $(LIB_SRC) $(KX_SRC) $(SIM_LIB) $(SUP_SRC)

unit: $(TESTS)
	@set -e; for t in $(TESTS); do echo "== $$t"; ASAN_OPTIONS=detect_leaks=1 $$t; done

# libFuzzer needs clang; under CI a missing clang is a failure, never a skip.
# Each links every kext: fuzz_gen decodes with every generated decoder.
$(B)/fuzz/%: test/%.c $(LIB_SRC) $(KX_SRC) $(SIM_LIB) $(HDRS)
	@mkdir -p $(@D)
	@test -n "$(CLANG)" || { echo "clang not found: run scripts/setup.sh (Debian: apt-get install clang-14 libclang-rt-14-dev)"; exit 1; }
	$(CLANG) -std=c11 -Wall -Wextra -Werror $(CPPFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -pthread -o $@ $< $(LIB_SRC) $(KX_SRC) $(SIM_LIB)

# Bounded fuzz runs: each target for FUZZ_SECONDS over its seed corpus.
fuzz: $(FUZZERS)
	@set -e; for f in $(FUZZERS); do n=$$(basename $$f); \
	  mkdir -p $(B)/corpus/$$n; \
	  echo "== $$n for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=$(B)/fuzz/$$n- $(B)/corpus/$$n test/corpus/$$n 2>$(B)/fuzz/$$n.log || { tail -50 $(B)/fuzz/$$n.log; exit 1; }; \
	  grep -E 'stat::number_of_executed_units' $(B)/fuzz/$$n.log; done

-include xnu/check.mk

# The XNU glue's start/stop run in user space against a fake kernel
# (test/xnu_unload.c), once under ThreadSanitizer and once under ASan+UBSan.
UNLOAD_CYCLES ?= 2000
UNLOAD_SRC := test/xnu_unload.c $(XNU_SRC) $(LIB_SRC) $(wildcard test/xnu-fake/*.c) sim/platform_posix.c
UNLOAD_DEPS := $(UNLOAD_SRC) $(HDRS) $(wildcard xnu/*.h xnu/apple-decls/*.h xnu/apple-decls/*/*.h test/xnu-fake/*.h)
UNLOAD_CFLAGS = -std=c11 -Wall -Wextra -Werror -Wshadow -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(XNU_INC) -Itest/xnu-fake -Isim -pthread -g

# The example (workers, upcalls, the exec listener) under TSan; the glue
# built for every kext the build found (one kext per build, as on macOS)
# under ASan+UBSan.
$(B)/xnu_unload-tsan: $(UNLOAD_DEPS) $(example_SRC)
	@mkdir -p $(@D)
	$(CC) $(UNLOAD_CFLAGS) -O1 -fsanitize=thread -o $@ $(UNLOAD_SRC) $(example_SRC)

define kb_unload
$(B)/xnu_unload-$(1): $$(UNLOAD_DEPS) $$($(1)_SRC)
	@mkdir -p $$(@D)
	$$(CC) $$(UNLOAD_CFLAGS) -DKB_XNU_KEXT=kb_$(1)_kext $$(SAN) -o $$@ $$(UNLOAD_SRC) $$($(1)_SRC)
endef
$(foreach k,$(KEXTS),$(eval $(call kb_unload,$(k))))

xnu-unload: $(B)/xnu_unload-tsan $(foreach k,$(KEXTS),$(B)/xnu_unload-$(k))
	@echo "== xnu_unload for the example (ThreadSanitizer)"; TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 $(B)/xnu_unload-tsan $(UNLOAD_CYCLES)
	@set -e; for k in $(KEXTS); do echo "== xnu_unload for the $$k kext (ASan+UBSan)"; \
	  ASAN_OPTIONS=detect_leaks=1 $(B)/xnu_unload-$$k $$([ $$k = example ] && echo $(UNLOAD_CYCLES) || echo 500); done

test: unit xnu-check xnu-unload
	@$(MAKE) -s -f linux.mk fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

clean:
	rm -rf $(B)
