# The addon's thread-shared C++ (the datagram ring, the socket reader) on
# its own, without Node:
#
#   make -f test.mk           ring_test under TSan and under ASan+UBSan, then
#                             fuzz_ring (libFuzzer) for FUZZ_SECONDS
#   make -f test.mk fuzz FUZZ_SECONDS=60   a longer fuzz run

CXX      ?= c++
CLANGXX  ?= $(shell command -v clang++-14 || command -v clang++)
B        := build/test
WARN     := -std=c++17 -Wall -Wextra -Werror -Wshadow
SRC      := src/socket_reader.cc
HDRS     := src/datagram_ring.h src/socket_reader.h
FUZZ_SECONDS ?= 10

.PHONY: all test fuzz clean
all test: $(B)/ring_test-tsan $(B)/ring_test-asan
	@echo "== ring_test (ThreadSanitizer)"; TSAN_OPTIONS=halt_on_error=1 $(B)/ring_test-tsan
	@echo "== ring_test (ASan+UBSan)"; ASAN_OPTIONS=detect_leaks=1 $(B)/ring_test-asan
	@$(MAKE) -s -f test.mk fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

$(B)/ring_test-tsan: test/ring_test.cc $(SRC) $(HDRS)
	@mkdir -p $(@D)
	$(CXX) $(WARN) -Isrc -O1 -g -fsanitize=thread -pthread -o $@ test/ring_test.cc $(SRC)

$(B)/ring_test-asan: test/ring_test.cc $(SRC) $(HDRS)
	@mkdir -p $(@D)
	$(CXX) $(WARN) -Isrc -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -pthread -o $@ test/ring_test.cc $(SRC)

# libFuzzer needs clang; under CI a missing clang is a failure, never a skip.
$(B)/fuzz_ring: test/fuzz_ring.cc $(HDRS)
	@mkdir -p $(@D)
	@test -n "$(CLANGXX)" || { echo "clang++ not found: run scripts/setup.sh (Debian: apt-get install clang-14 libclang-rt-14-dev)"; exit 1; }
	$(CLANGXX) $(WARN) -Isrc -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ test/fuzz_ring.cc

fuzz: $(B)/fuzz_ring
	@mkdir -p $(B)/corpus
	@echo "== fuzz_ring for $(FUZZ_SECONDS)s"
	@$(B)/fuzz_ring -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=$(B)/fuzz_ring- $(B)/corpus 2>$(B)/fuzz_ring.log || { tail -50 $(B)/fuzz_ring.log; exit 1; }
	@grep -E 'stat::number_of_executed_units' $(B)/fuzz_ring.log

clean:
	rm -rf $(B)
