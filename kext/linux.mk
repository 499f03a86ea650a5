# Linux build of the portable C: engine, example kext, kextsim, C tests,
# fuzz targets and the compile-check of the XNU glue. macOS builds the kext
# with ./Makefile; this file is never used there.
#
#   make -f linux.mk            kextsim and the test binaries
#   make -f linux.mk test       C unit tests under ASan+UBSan, xnu-check, the glue's
#                               unload harness (TSan, ASan), fuzz smoke
#   make -f linux.mk fuzz FUZZ_SECONDS=60   longer fuzz runs

CC       ?= cc
CLANG    ?= $(shell command -v clang-14 || command -v clang)
B        := build
WARN     := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS := -Iinclude -Ilib -Iexample -Icounter -Isim -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
OPT      := -O2 -g
SAN      := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_SECONDS ?= 10

LIB_SRC  := $(wildcard lib/*.c)
EX_SRC   := $(wildcard example/*.c)
CTR_SRC  := $(wildcard counter/*.c)
SIM_SRC  := $(wildcard sim/*.c)
SUP_SRC  := $(wildcard test/support/*.c)
TEST_SRC := $(wildcard test/test_*.c)
FUZZ_SRC := $(wildcard test/fuzz_*.c)
XNU_SRC  := $(wildcard xnu/*.c)

TESTS    := $(TEST_SRC:test/%.c=$(B)/test/%)
FUZZERS  := $(FUZZ_SRC:test/%.c=$(B)/fuzz/%)
HDRS     := $(wildcard include/kextbridge/*.h lib/*.h example/*.h counter/*.h sim/*.h test/support/*.h)

.PHONY: all test unit fuzz fuzz-smoke xnu-check xnu-bad xnu-unload clean
all: $(B)/kextsim $(B)/kextsim-asan $(TESTS)

# kextsim links every kext in the repo; --kext NAME picks one.
$(B)/kextsim: $(LIB_SRC) $(EX_SRC) $(CTR_SRC) $(SIM_SRC) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CPPFLAGS) $(OPT) -pthread -o $@ $(LIB_SRC) $(EX_SRC) $(CTR_SRC) $(SIM_SRC)

# The simulator the integration tests run: same code, sanitizers on.
$(B)/kextsim-asan: $(LIB_SRC) $(EX_SRC) $(CTR_SRC) $(SIM_SRC) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CPPFLAGS) $(SAN) -pthread -o $@ $(LIB_SRC) $(EX_SRC) $(CTR_SRC) $(SIM_SRC)

# Each test links the library, the example handlers and the test support
# code (a fake platform), but not sim/main.
SIM_LIB := $(filter-out sim/main.c,$(SIM_SRC))
$(B)/test/%: test/%.c $(LIB_SRC) $(EX_SRC) $(SIM_LIB) $(SUP_SRC) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CPPFLAGS) -Itest/support $(SAN) -pthread -o $@ $< $(LIB_SRC) $(EX_SRC) $(SIM_LIB) $(SUP_SRC)

unit: $(TESTS)
	@set -e; for t in $(TESTS); do echo "== $$t"; ASAN_OPTIONS=detect_leaks=1 $$t; done

# libFuzzer needs clang; under CI a missing clang is a failure, never a skip.
$(B)/fuzz/%: test/%.c $(LIB_SRC) $(EX_SRC) $(HDRS)
	@mkdir -p $(@D)
	@test -n "$(CLANG)" || { echo "clang not found: run scripts/setup.sh (Debian: apt-get install clang-14 libclang-rt-14-dev)"; exit 1; }
	$(CLANG) -std=c11 -Wall -Wextra -Werror $(CPPFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ $< $(LIB_SRC) $(EX_SRC)

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
UNLOAD_SRC := test/xnu_unload.c $(XNU_SRC) $(LIB_SRC) $(EX_SRC) $(wildcard test/xnu-fake/*.c) sim/platform_posix.c
UNLOAD_DEPS := $(UNLOAD_SRC) $(HDRS) $(wildcard xnu/*.h xnu/apple-decls/*.h xnu/apple-decls/*/*.h test/xnu-fake/*.h)
UNLOAD_CFLAGS = -std=c11 -Wall -Wextra -Werror -Wshadow -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(XNU_INC) -Itest/xnu-fake -Isim -pthread -g

$(B)/xnu_unload-tsan: $(UNLOAD_DEPS)
	@mkdir -p $(@D)
	$(CC) $(UNLOAD_CFLAGS) -O1 -fsanitize=thread -o $@ $(UNLOAD_SRC)

$(B)/xnu_unload-asan: $(UNLOAD_DEPS)
	@mkdir -p $(@D)
	$(CC) $(UNLOAD_CFLAGS) $(SAN) -o $@ $(UNLOAD_SRC)

# The same glue built for the counter kext (no workers, no exec source).
$(B)/xnu_unload-counter: $(UNLOAD_DEPS) $(CTR_SRC)
	@mkdir -p $(@D)
	$(CC) $(UNLOAD_CFLAGS) -DKB_XNU_KEXT=kb_counter_kext $(SAN) -o $@ $(UNLOAD_SRC) $(CTR_SRC)

xnu-unload: $(B)/xnu_unload-tsan $(B)/xnu_unload-asan $(B)/xnu_unload-counter
	@echo "== xnu_unload (ThreadSanitizer)"; TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 $(B)/xnu_unload-tsan $(UNLOAD_CYCLES)
	@echo "== xnu_unload (ASan+UBSan)"; ASAN_OPTIONS=detect_leaks=1 $(B)/xnu_unload-asan $(UNLOAD_CYCLES)
	@echo "== xnu_unload for the counter kext (ASan+UBSan)"; ASAN_OPTIONS=detect_leaks=1 $(B)/xnu_unload-counter 500

test: unit xnu-check xnu-unload
	@$(MAKE) -s -f linux.mk fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

clean:
	rm -rf $(B)
