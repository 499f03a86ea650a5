// libFuzzer: any sequence of writes, reads, held views and releases on a
// ring of any size keeps every datagram intact and in order, never writes
// outside the ring's memory (ASan: the memory is exactly its capacity),
// and an empty ring always takes a datagram.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>

#include "datagram_ring.h"

using kb::DatagramRing;

namespace {

struct Written {
  uint32_t index;
  size_t length;
};

uint8_t Byte(uint32_t index, size_t k) { return static_cast<uint8_t>(index * 131 + k * 17 + 1); }

[[noreturn]] void Fail(const char *what) {
  __builtin_printf("fuzz_ring: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  const size_t room = 1 + data[0] % 200;
  const size_t capacity = DatagramRing::MinCapacity(room) + 8 * (data[1] % 64);
  data += 2;
  size -= 2;
  // Exactly the capacity: one byte past it is an ASan report.
  std::unique_ptr<uint64_t[]> store(new uint64_t[capacity / 8]);
  auto *memory = reinterpret_cast<uint8_t *>(store.get());
  DatagramRing ring(memory, capacity, room);

  std::deque<Written> unread;  // published, not yet read
  std::deque<Written> held;    // read, not yet released
  uint64_t cursor = ring.Begin();
  uint32_t next = 0;
  for (size_t i = 0; i < size; i++) {
    const uint8_t op = data[i];
    switch (op & 3) {
      case 0:
      case 1: {  // write one datagram of a length from the op
        uint8_t *p = ring.Reserve();
        if (!p) {
          if (ring.Backlog() == 0) Fail("an empty ring refused a datagram");
          break;
        }
        const size_t length = 1 + (static_cast<size_t>(op >> 2) * 7 + next) % room;
        for (size_t k = 0; k < length; k++) p[k] = Byte(next, k);
        ring.Commit(length);
        unread.push_back({next++, length});
        break;
      }
      case 2: {  // read up to n datagrams, holding their views
        for (int n = 1 + (op >> 2) % 8; n > 0; n--) {
          size_t offset, length;
          if (!ring.Next(&cursor, &offset, &length)) {
            if (!unread.empty()) Fail("a published datagram was not found");
            break;
          }
          if (unread.empty()) Fail("a datagram nobody wrote");
          const Written w = unread.front();
          unread.pop_front();
          if (length != w.length) Fail("length changed");
          if (offset + length > capacity) Fail("a view past the end");
          held.push_back(w);
          held.back().length = offset;  // where it lies, checked on release
          for (size_t k = 0; k < length; k++)
            if (memory[offset + k] != Byte(w.index, k)) Fail("a datagram's bytes changed before it was read");
        }
        break;
      }
      case 3: {  // release what was read, after checking the views held
        // Re-read the held views from a fresh cursor: each still intact.
        uint64_t again = ring.Begin();
        for (const Written &h : held) {
          size_t offset, length;
          if (!ring.Next(&again, &offset, &length) || offset != h.length) Fail("a held view moved");
          for (size_t k = 0; k < length; k++)
            if (memory[offset + k] != Byte(h.index, k)) Fail("a held view was overwritten");
        }
        if (again != cursor) Fail("the cursor and the views disagree");
        ring.Release(cursor);
        held.clear();
        break;
      }
    }
  }
  return 0;
}
