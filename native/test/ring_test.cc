// The datagram ring and the socket reader on their own, without Node:
// built under ThreadSanitizer and under ASan+UBSan by test.mk.
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include "datagram_ring.h"
#include "socket_reader.h"

using kb::DatagramRing;
using kb::SocketReader;

static int failures = 0;
#define CHECK(cond, ...)                                   \
  do {                                                     \
    if (!(cond)) {                                         \
      std::fprintf(stderr, "%s:%d: ", __FILE__, __LINE__); \
      std::fprintf(stderr, __VA_ARGS__);                   \
      std::fprintf(stderr, "\n");                          \
      failures++;                                          \
      return;                                              \
    }                                                      \
  } while (0)

// Datagram i: its index then bytes derived from it, so a torn, reordered
// or overwritten datagram is caught.
static void Fill(uint8_t *p, size_t len, uint32_t i) {
  for (size_t k = 0; k < len; k++) p[k] = static_cast<uint8_t>(i * 31 + k * 7);
  if (len >= 4) std::memcpy(p, &i, 4);
}
static bool Holds(const uint8_t *p, size_t len, uint32_t i) {
  if (len >= 4) {
    uint32_t got;
    std::memcpy(&got, p, 4);
    if (got != i) return false;
  }
  for (size_t k = len >= 4 ? 4 : 0; k < len; k++)
    if (p[k] != static_cast<uint8_t>(i * 31 + k * 7)) return false;
  return true;
}

static void RingWrapsAndFills() {
  const size_t room = 100;
  const size_t cap = DatagramRing::MinCapacity(room) + 40;
  std::vector<uint64_t> store(cap / 8);
  auto *mem = reinterpret_cast<uint8_t *>(store.data());
  DatagramRing ring(mem, cap, room);
  uint32_t written = 0, read = 0;
  int wraps_seen = 0;
  uint64_t last_offset = 0;
  for (int round = 0; round < 1000; round++) {
    // Write until full, sizes 1..room.
    const bool empty = ring.Backlog() == 0;
    int wrote = 0;
    while (uint8_t *p = ring.Reserve()) {
      CHECK(p >= mem && p + room <= mem + cap, "reserved room lies inside the memory");
      size_t len = 1 + (written * 37) % room;
      Fill(p, len, written++);
      ring.Commit(len);
      CHECK(ring.Backlog() <= cap, "published %zu bytes into a ring of %zu", ring.Backlog(), cap);
      wrote++;
    }
    CHECK(!empty || wrote >= 1, "round %d: an empty ring took %d datagrams", round, wrote);
    CHECK(!ring.WaitForRoom(), "a full ring says it is full");
    // Read some, holding the views while the producer writes more.
    uint64_t cursor = ring.Begin();
    size_t off, len;
    int took = 0;
    while (took < 1 + round % 3 && ring.Next(&cursor, &off, &len)) {
      CHECK(Holds(mem + off, len, read), "datagram %u intact", read);
      if (off < last_offset) wraps_seen++;
      last_offset = off;
      read++;
      took++;
    }
    CHECK(ring.Release(cursor), "the producer was waiting for room and is told");
    // Drain the rest every few rounds: then the ring must take a datagram.
    if (round % 4 == 3) {
      cursor = ring.Begin();
      while (ring.Next(&cursor, &off, &len)) {
        CHECK(Holds(mem + off, len, read), "datagram %u intact", read);
        read++;
      }
      ring.Release(cursor);
      CHECK(ring.Backlog() == 0, "drained");
      CHECK(ring.WaitForRoom(), "an empty ring has room");
    }
  }
  CHECK(wraps_seen > 100, "the ring wrapped (%d times)", wraps_seen);
  CHECK(read > 1000, "read %u", read);
}

// A view taken by the consumer stays intact while the producer fills every
// byte it may.
static void ViewsSurviveTheProducer() {
  const size_t room = 64;
  const size_t cap = 4 * DatagramRing::MinCapacity(room);
  std::vector<uint64_t> store(cap / 8);
  auto *mem = reinterpret_cast<uint8_t *>(store.data());
  DatagramRing ring(mem, cap, room);
  uint32_t written = 0;
  for (int i = 0; i < 3; i++) {
    Fill(ring.Reserve(), 50, written);
    ring.Commit(50);
    written++;
  }
  uint64_t cursor = ring.Begin();
  size_t off[2], len[2];
  CHECK(ring.Next(&cursor, &off[0], &len[0]) && ring.Next(&cursor, &off[1], &len[1]), "two views");
  while (uint8_t *p = ring.Reserve()) {
    std::memset(p, 0xee, room);
    ring.Commit(room);
  }
  CHECK(Holds(mem + off[0], len[0], 0) && Holds(mem + off[1], len[1], 1), "views held are untouched by a full producer");
}

struct Counter {
  std::atomic<uint64_t> notified{0};
  static void Notify(void *arg) { static_cast<Counter *>(arg)->notified.fetch_add(1); }
};

// As the event loop does: sleeps until the reader announces (2 s at most).
static bool WaitForAnnouncement(const Counter &counter, uint64_t seen) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (counter.notified.load() == seen) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  return true;
}

// A burst already waiting in the socket is announced once it is read
// whole, and every kAnnounceBytes on the way: not once per datagram.
static void ReaderAnnouncesBursts() {
  int sv[2];
  CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0, "socketpair: %s", std::strerror(errno));
  const size_t max = 2048;
  const size_t cap = 64 * DatagramRing::MinCapacity(max + 1);
  std::vector<uint64_t> store(cap / 8);
  DatagramRing ring(reinterpret_cast<uint8_t *>(store.data()), cap, max + 1);
  std::vector<uint8_t> buf(max, 3);
  auto send_burst = [&](size_t n) {
    for (size_t i = 0; i < n; i++) {
      if (send(sv[1], buf.data(), buf.size(), MSG_DONTWAIT) != static_cast<ssize_t>(buf.size())) return false;
    }
    return true;
  };
  // 40 datagrams of 2 KiB: 64 KiB after the 32nd, then the socket is dry.
  CHECK(send_burst(40), "send: %s", std::strerror(errno));
  Counter counter;
  SocketReader reader(sv[0], &ring, Counter::Notify, &counter);
  CHECK(reader.Start() == 0, "start");
  CHECK(WaitForAnnouncement(counter, 0), "the burst was announced");
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (ring.Backlog() < 40 * (8 + max) && std::chrono::steady_clock::now() < until) std::this_thread::yield();
  CHECK(ring.Backlog() == 40 * (8 + max), "all 40 published (%zu bytes)", ring.Backlog());
  // The reader is asleep on the dry socket once its last announcement is made.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(counter.notified.load() == 2, "40 datagrams of 2 KiB announced %llu times, not 2",
        static_cast<unsigned long long>(counter.notified.load()));
  // Ten more: one announcement, when the socket is dry again.
  CHECK(send_burst(10), "send: %s", std::strerror(errno));
  CHECK(WaitForAnnouncement(counter, 2), "the second burst was announced");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(counter.notified.load() == 3, "10 more announced %llu times in all, not 3",
        static_cast<unsigned long long>(counter.notified.load()));
  reader.Stop();
  close(sv[0]);
  close(sv[1]);
}

// The reader thread against a real SEQPACKET pair: every datagram arrives
// whole and in order through a ring far smaller than what is sent, the
// consumer slow at times, then the peer's close ends it.
static void ReaderCarriesEverythingInOrder() {
  int sv[2];
  CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0, "socketpair: %s", std::strerror(errno));
  const size_t max = 2048;
  const size_t cap = 8 * DatagramRing::MinCapacity(max + 1);
  std::vector<uint64_t> store(cap / 8);
  auto *mem = reinterpret_cast<uint8_t *>(store.data());
  DatagramRing ring(mem, cap, max + 1);
  Counter counter;
  SocketReader reader(sv[0], &ring, Counter::Notify, &counter);
  CHECK(reader.Start() == 0, "start");
  const uint32_t total = 20000;
  std::thread writer([&] {
    std::mt19937 rng(7);
    std::vector<uint8_t> buf(max);
    for (uint32_t i = 0; i < total; i++) {
      size_t len = 4 + rng() % (max - 3);
      Fill(buf.data(), len, i);
      while (send(sv[1], buf.data(), len, 0) < 0 && errno == EINTR) {
      }
    }
    close(sv[1]);
  });
  uint32_t read = 0;
  bool bad = false;
  SocketReader::End end;
  for (;;) {
    const uint64_t seen = counter.notified.load();
    const bool ended = reader.Ended(&end);
    uint64_t cursor = ring.Begin();
    size_t off, len;
    int took = 0;
    while (took < 64 && ring.Next(&cursor, &off, &len)) {
      if (!Holds(mem + off, len, read)) bad = true;
      read++;
      took++;
    }
    if (ring.Release(cursor)) reader.RoomFreed();
    if (took == 0) {
      if (ended) break;
      // Only an announcement brings more: the reader never sleeps on
      // datagrams it has not announced.
      if (!WaitForAnnouncement(counter, seen)) {
        CHECK(false, "no announcement for 2 s with %u of %u read", read, total);
      }
    } else if (read % 4096 < 64) {
      // Now and then a slow consumer: the ring fills, the reader waits.
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  writer.join();
  reader.Stop();
  close(sv[0]);
  CHECK(!bad, "every datagram intact and in order");
  CHECK(read == total, "read %u of %u", read, total);
  CHECK(end.error == 0, "ended by the peer's close, not error %d", end.error);
  CHECK(counter.notified.load() > 0, "the consumer was told");
}

static void ReaderRefusesOversize() {
  int sv[2];
  CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0, "socketpair");
  const size_t max = 512;
  const size_t cap = DatagramRing::MinCapacity(max + 1);
  std::vector<uint64_t> store(cap / 8);
  DatagramRing ring(reinterpret_cast<uint8_t *>(store.data()), cap, max + 1);
  Counter counter;
  SocketReader reader(sv[0], &ring, Counter::Notify, &counter);
  CHECK(reader.Start() == 0, "start");
  std::vector<uint8_t> ok(max, 1), big(max + 300, 2);
  CHECK(send(sv[1], ok.data(), ok.size(), 0) == static_cast<ssize_t>(ok.size()), "send");
  CHECK(send(sv[1], big.data(), big.size(), 0) == static_cast<ssize_t>(big.size()), "send");
  SocketReader::End end;
  for (int i = 0; i < 2000 && !reader.Ended(&end); i++) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK(reader.Ended(&end), "the reader stopped");
  CHECK(end.error == EMSGSIZE, "EMSGSIZE, not %d", end.error);
  CHECK(end.oversize >= max + 1, "the size is told (%zu)", end.oversize);
  uint64_t cursor = ring.Begin();
  size_t off, len;
  CHECK(ring.Next(&cursor, &off, &len) && len == max, "the datagram before it was kept");
  CHECK(!ring.Next(&cursor, &off, &len), "nothing of the oversize one");
  reader.Stop();
  close(sv[0]);
  close(sv[1]);
}

// Stop() returns whether the reader sleeps on the socket or on a full ring.
static void StopWakesTheReader() {
  for (int full = 0; full < 2; full++) {
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0, "socketpair");
    const size_t max = 256;
    const size_t cap = DatagramRing::MinCapacity(max + 1);
    std::vector<uint64_t> store(cap / 8);
    DatagramRing ring(reinterpret_cast<uint8_t *>(store.data()), cap, max + 1);
    Counter counter;
    SocketReader reader(sv[0], &ring, Counter::Notify, &counter);
    CHECK(reader.Start() == 0, "start");
    if (full) {
      std::vector<uint8_t> d(200, 3);
      for (int i = 0; i < 8; i++) send(sv[1], d.data(), d.size(), MSG_DONTWAIT);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (full) CHECK(ring.Backlog() > 0 && !ring.WaitForRoom(), "the ring is full");
    auto t0 = std::chrono::steady_clock::now();
    reader.Stop();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    CHECK(ms < 1000, "Stop took %lld ms", static_cast<long long>(ms));
    reader.Stop();  // idempotent
    close(sv[0]);
    close(sv[1]);
  }
}

int main() {
  // A ring that loses track of its positions hangs rather than fails; a
  // hang must fail the run too (SIGALRM's default action ends the process).
  alarm(120);
  RingWrapsAndFills();
  ViewsSurviveTheProducer();
  ReaderCarriesEverythingInOrder();
  ReaderAnnouncesBursts();
  ReaderRefusesOversize();
  StopWakesTheReader();
  if (failures) {
    std::fprintf(stderr, "ring_test: %d failed\n", failures);
    return 1;
  }
  std::printf("ring_test: ring and reader ok\n");
  return 0;
}
