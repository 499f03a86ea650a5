// The datagram ring and the socket reader on their own, without Node:
// built under ThreadSanitizer and under ASan+UBSan by test.mk.
#include <dirent.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <random>
#include <string>
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
    ring.Release(cursor);
    // Drain the rest every few rounds: then the ring must take a datagram.
    if (round % 4 == 3) {
      cursor = ring.Begin();
      while (ring.Next(&cursor, &off, &len)) {
        CHECK(Holds(mem + off, len, read), "datagram %u intact", read);
        read++;
      }
      ring.Release(cursor);
      CHECK(ring.Backlog() == 0, "drained");
    }
  }
  CHECK(wraps_seen > 100, "the ring wrapped (%d times)", wraps_seen);
  CHECK(read > 1000, "read %u", read);
}

// Once the consumer has given everything back, the ring starts over at
// the beginning as soon as a whole record fits there: at a steady pace
// every datagram lands in the first two records' bytes (likely still in
// the CPU's cache), not on along the ring.
static void EmptyRingStartsOver() {
  const size_t room = 100;
  const size_t record = DatagramRing::kHeadBytes + DatagramRing::Align(room);
  const size_t cap = 8 * DatagramRing::MinCapacity(room);
  std::vector<uint64_t> store(cap / 8);
  auto *mem = reinterpret_cast<uint8_t *>(store.data());
  DatagramRing ring(mem, cap, room);
  for (uint32_t i = 0; i < 100; i++) {
    uint8_t *p = ring.Reserve();
    CHECK(p + room <= mem + 2 * record, "datagram %u into an empty ring lies at offset %td, within the first two records",
          i, p - mem);
    Fill(p, 10 + i % 50, i);
    ring.Commit(10 + i % 50);
    uint64_t cursor = ring.Begin();
    size_t off, len;
    CHECK(ring.Next(&cursor, &off, &len) && Holds(mem + off, len, i), "datagram %u read back", i);
    CHECK(!ring.Next(&cursor, &off, &len), "nothing more");
    ring.Release(cursor);
  }
  // Not empty: the next goes right behind the one waiting.
  uint8_t *first = ring.Reserve();
  ring.Commit(16);
  CHECK(ring.Reserve() == first + 16 + DatagramRing::kHeadBytes, "behind a waiting datagram, not at the beginning");
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

// As the event loop does: sleeps until the reader thread announces (2 s at most).
static bool WaitForAnnouncement(const Counter &counter, uint64_t seen) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (counter.notified.load() == seen) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  return true;
}

// A SEQPACKET pair, a ring for datagrams of up to max bytes (rings of
// them) and a reader on end[0]; end[1] plays the kext.
struct Rig {
  int end[2] = {-1, -1};
  std::vector<uint64_t> store;
  std::unique_ptr<DatagramRing> ring;
  Counter counter;
  std::unique_ptr<SocketReader> reader;

  Rig(size_t max, size_t rings) {
    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, end) != 0) std::abort();
    const size_t cap = rings * DatagramRing::MinCapacity(max + 1);
    store.resize(cap / 8);
    ring = std::make_unique<DatagramRing>(memory(), cap, max + 1);
    reader = std::make_unique<SocketReader>(end[0], ring.get(), Counter::Notify, &counter);
  }
  ~Rig() {
    reader->Stop();
    for (int fd : end)
      if (fd >= 0) close(fd);
  }
  uint8_t *memory() { return reinterpret_cast<uint8_t *>(store.data()); }
  bool Send(const std::vector<uint8_t> &d, int flags = MSG_DONTWAIT) {
    return send(end[1], d.data(), d.size(), flags) == static_cast<ssize_t>(d.size());
  }
};

// Every datagram arrives whole and in order through a ring far smaller
// than what is sent, read by the loop while it keeps up and by the thread
// while it does not (a consumer that stops for 5 ms now and then), then
// the peer's close ends it.
static void BothReadersKeepTheOrder() {
  const size_t max = 2048;
  Rig rig(max, 8);
  CHECK(rig.reader->Start() == 0, "start");
  const uint32_t total = 20000;
  std::thread writer([&] {
    std::mt19937 rng(7);
    std::vector<uint8_t> buf(max);
    for (uint32_t i = 0; i < total; i++) {
      size_t len = 4 + rng() % (max - 3);
      Fill(buf.data(), len, i);
      while (send(rig.end[1], buf.data(), len, 0) < 0 && errno == EINTR) {
      }
    }
    close(rig.end[1]);
    rig.end[1] = -1;
  });
  uint8_t *mem = rig.memory();
  uint32_t read = 0;
  size_t by_loop = 0;
  bool bad = false;
  SocketReader::End end;
  for (;;) {
    by_loop += rig.reader->ReadOnLoop(64 << 10, 256);
    const bool ended = rig.reader->Ended(&end);
    uint64_t cursor = rig.ring->Begin();
    size_t off, len;
    int took = 0;
    while (took < 64 && rig.ring->Next(&cursor, &off, &len)) {
      if (!Holds(mem + off, len, read)) bad = true;
      read++;
      took++;
    }
    rig.ring->Release(cursor);
    if (took == 0) {
      if (ended) break;
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    } else if (read % 4096 < 64) {
      // Now and then the loop is away: the thread must take over.
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  writer.join();
  CHECK(!bad, "every datagram intact and in order");
  CHECK(read == total, "read %u of %u", read, total);
  CHECK(end.error == 0, "ended by the peer's close, not error %d", end.error);
  CHECK(by_loop > 0 && by_loop < total, "both read: the loop %zu of %u datagrams", by_loop, total);
  CHECK(rig.counter.notified.load() > 0, "the thread read and told the loop");
}

// Waits until the ring holds this many bytes (2 s at most).
static bool WaitForBacklog(const DatagramRing &ring, size_t bytes) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (ring.Backlog() != bytes) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  return true;
}

// A loop that never reads: on its next tick the thread streams what
// waits in the socket, all of it, telling the loop every 64 KiB and when
// the socket is dry, not once per datagram.
static void ThreadReadsWhatTheLoopLeaves() {
  const size_t max = 2048;
  const size_t record = 8 + max;
  Rig rig(max, 64);
  std::vector<uint8_t> d(max, 3);
  // 40 of 2 KiB: 32 make 64 KiB, then 8 more and the socket is dry.
  for (int i = 0; i < 40; i++) CHECK(rig.Send(d), "send: %s", std::strerror(errno));
  CHECK(rig.reader->Start() == 0, "start");
  CHECK(WaitForBacklog(*rig.ring, 40 * record), "all 40 published (%zu bytes)", rig.ring->Backlog());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(rig.counter.notified.load() == 2, "40 datagrams of 2 KiB announced %llu times, not 2",
        static_cast<unsigned long long>(rig.counter.notified.load()));
  for (int i = 0; i < 10; i++) CHECK(rig.Send(d), "send: %s", std::strerror(errno));
  CHECK(WaitForBacklog(*rig.ring, 50 * record), "all 50 published (%zu bytes)", rig.ring->Backlog());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(rig.counter.notified.load() == 3, "10 more announced once: %llu in all, not 3",
        static_cast<unsigned long long>(rig.counter.notified.load()));
}

// A burst of exactly 64 KiB: the thread's second read finds the socket dry
// and nothing in it, and still tells the loop that streaming stopped (the
// loop watches the socket again only then).
static void StreamingStopIsAnnounced() {
  const size_t max = 2048;
  Rig rig(max, 64);
  std::vector<uint8_t> d(max, 4);
  for (int i = 0; i < 32; i++) CHECK(rig.Send(d), "send: %s", std::strerror(errno));
  CHECK(rig.reader->Start() == 0, "start");
  CHECK(WaitForBacklog(*rig.ring, 32 * (8 + max)), "all 32 published (%zu bytes)", rig.ring->Backlog());
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (rig.reader->Streaming() && std::chrono::steady_clock::now() < until) std::this_thread::yield();
  CHECK(!rig.reader->Streaming(), "streaming stopped once the socket was dry");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(rig.counter.notified.load() == 2, "told %llu times, not 2 (the 64 KiB, then the stop)",
        static_cast<unsigned long long>(rig.counter.notified.load()));
}

// Voluntary context switches of the thread named kextbridge-read (Linux),
// or -1 when there is none.
static long ReaderSwitches() {
  DIR *tasks = opendir("/proc/self/task");
  if (!tasks) return -1;
  long switches = -1;
  while (dirent *task = readdir(tasks)) {
    const std::string dir = std::string("/proc/self/task/") + task->d_name;
    std::ifstream comm(dir + "/comm");
    std::string name;
    if (!std::getline(comm, name) || name != "kextbridge-read") continue;
    std::ifstream status(dir + "/status");
    for (std::string line; std::getline(status, line);)
      if (std::sscanf(line.c_str(), "voluntary_ctxt_switches: %ld", &switches) == 1) break;
    break;
  }
  closedir(tasks);
  return switches;
}

// While the loop keeps up the thread only looks, once a tick; a second
// after the traffic stops it sleeps until the socket is readable: an idle
// daemon is not woken a thousand times a second.
static void ThreadSleepsWhenIdle() {
  Rig rig(256, 4);
  CHECK(rig.reader->Start() == 0, "start");
  std::vector<uint8_t> d(100, 5);
  CHECK(rig.Send(d), "send");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const long ticking0 = ReaderSwitches();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const long ticking = ReaderSwitches() - ticking0;
  CHECK(ticking0 >= 0, "the reader thread is found by its name");
  CHECK(ticking >= 50, "ticks while traffic is recent: %ld wakes in 200 ms", ticking);
  std::this_thread::sleep_for(std::chrono::milliseconds(SocketReader::kIdleTicks * SocketReader::kTickMs + 500));
  const long idle0 = ReaderSwitches();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const long idle = ReaderSwitches() - idle0;
  CHECK(idle <= 2, "asleep once idle: %ld wakes in 200 ms", idle);
  // And traffic wakes it again: it reads what the loop leaves.
  const uint64_t seen = rig.counter.notified.load();
  CHECK(rig.Send(d), "send");
  CHECK(WaitForAnnouncement(rig.counter, seen), "traffic after idle was read");
}

static void ReaderRefusesOversize() {
  const size_t max = 512;
  Rig rig(max, 1);
  CHECK(rig.reader->Start() == 0, "start");
  CHECK(rig.Send(std::vector<uint8_t>(max, 1)), "send");
  CHECK(rig.Send(std::vector<uint8_t>(max + 300, 2)), "send");
  SocketReader::End end;
  for (int i = 0; i < 2000 && !rig.reader->Ended(&end); i++) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK(rig.reader->Ended(&end), "the reader stopped");
  CHECK(end.error == EMSGSIZE, "EMSGSIZE, not %d", end.error);
  CHECK(end.oversize >= max + 1, "the size is told (%zu)", end.oversize);
  uint64_t cursor = rig.ring->Begin();
  size_t off, len;
  CHECK(rig.ring->Next(&cursor, &off, &len) && len == max, "the datagram before it was kept");
  CHECK(!rig.ring->Next(&cursor, &off, &len), "nothing of the oversize one");
}

// Stop() returns whether the thread sleeps on the socket, ticks, or
// ticks with the ring full.
static void StopWakesTheReader() {
  for (int state = 0; state < 3; state++) {
    Rig rig(256, 1);
    CHECK(rig.reader->Start() == 0, "start");
    for (int i = 0; i < (state == 2 ? 8 : state); i++) rig.Send(std::vector<uint8_t>(200, 3));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (state == 2) CHECK(rig.ring->Backlog() > 0, "the ring holds datagrams");
    auto t0 = std::chrono::steady_clock::now();
    rig.reader->Stop();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    CHECK(ms < 100, "Stop took %lld ms", static_cast<long long>(ms));
    rig.reader->Stop();  // idempotent
  }
}

int main() {
  // A ring that loses track of its positions hangs rather than fails; a
  // hang must fail the run too (SIGALRM's default action ends the process).
  alarm(120);
  RingWrapsAndFills();
  EmptyRingStartsOver();
  ViewsSurviveTheProducer();
  BothReadersKeepTheOrder();
  ThreadReadsWhatTheLoopLeaves();
  StreamingStopIsAnnounced();
  ThreadSleepsWhenIdle();
  ReaderRefusesOversize();
  StopWakesTheReader();
  if (failures) {
    std::fprintf(stderr, "ring_test: %d failed\n", failures);
    return 1;
  }
  std::printf("ring_test: ring and reader ok\n");
  return 0;
}
