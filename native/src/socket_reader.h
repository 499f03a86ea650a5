// Reads a connected datagram socket into a DatagramRing from two places:
// the event loop, while it keeps up, and a thread of its own, while it
// does not. The kernel's buffer for the kext (2 MiB by default, about
// 11 ms of a 32 KB-event flood) is lost for every subscriber when it
// overflows; a loop held by a full garbage collection or a budget cut
// over many queues must not let it. A thread that read every datagram
// would cost a thread wake per datagram (20% more daemon CPU per event at
// a million 64-byte events a second); so the loop reads for itself when
// the socket is readable, and the thread, on a 2 ms tick, looks whether
// the loop has emptied the socket since the tick before. When it has not,
// the thread streams: it reads until the socket runs dry, the loop
// staying out, so that under a flood the reading is done beside the loop
// rather than on it. Both read under one lock, so the ring keeps the
// socket's order. Nothing here knows Node: it is tested on its own.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>

#include "datagram_ring.h"

namespace kb {

class SocketReader {
 public:
  // Why reading stopped; valid once Ended() is true.
  struct End {
    int error = 0;        // 0: the peer closed; else an errno
    size_t oversize = 0;  // EMSGSIZE: the datagram's length (at least)
  };
  using Notify = void (*)(void *arg);

  // How often the thread looks while traffic flows: the kernel's 2 MiB
  // take about 10 ms of a 32 KB-event flood to fill; at 1 ms the thread
  // took a quarter of the datagrams from a loop that was keeping up.
  static constexpr int kTickMs = 2;
  // While streaming the thread tells the loop at least this often.
  static constexpr size_t kAnnounceBytes = 64u << 10;
  static constexpr size_t kAnnounceDatagrams = 256;
  // Looks that find nothing to do before the thread sleeps until the
  // socket is readable again: an idle daemon is not woken every tick.
  static constexpr int kIdleTicks = 500;

  // fd: connected, non-blocking; still the caller's to close, after Stop().
  // The ring's room() is the largest datagram plus one byte: a datagram
  // that fills it is too large. notify(arg) runs on the thread after it
  // published datagrams, when it stops streaming and when reading ends there.
  SocketReader(int fd, DatagramRing *ring, Notify notify, void *arg) : fd_(fd), ring_(ring), notify_(notify), arg_(arg) {}
  ~SocketReader() { Stop(); }
  SocketReader(const SocketReader &) = delete;
  SocketReader &operator=(const SocketReader &) = delete;

  // 0, or the errno of what failed (nothing is running then).
  int Start();
  // Idempotent; returns once the thread is gone.
  void Stop();

  // The loop (the ring's consumer) reads for itself: until the socket is
  // dry, max_bytes or max_datagrams were read, the ring is full or reading
  // ends. Returns the datagrams published. Nothing while the thread streams.
  size_t ReadOnLoop(size_t max_bytes, size_t max_datagrams);

  // While the thread streams the loop need not watch the socket: it is
  // told when the streaming ends (notify), and reads nothing until then.
  bool Streaming() const { return streaming_.load(std::memory_order_acquire); }

  // True once reading has ended (everything before the end is published).
  bool Ended(End *why) const {
    if (!ended_.load(std::memory_order_acquire)) return false;
    *why = end_;
    return true;
  }

 private:
  struct Read {
    size_t datagrams = 0;
    bool dry = false;   // the socket had nothing more
    bool full = false;  // the ring had no room
  };
  // With produce_ held.
  Read ReadLocked(size_t max_bytes, size_t max_datagrams);
  void Run();
  void Finish(int error, size_t oversize);
  // Sleeps until Stop(), and until the socket is readable (socket) or
  // timeout_ms passed (-1: no timeout). False when poll itself failed.
  bool Sleep(bool socket, int timeout_ms);
  void Wake();

  const int fd_;
  DatagramRing *const ring_;
  const Notify notify_;
  void *const arg_;
  // Held by whoever reads the socket and publishes into the ring.
  std::mutex produce_;
  // Counts the loop's reads that left the socket dry: the thread stays
  // out while it moves.
  std::atomic<uint64_t> loop_dry_{0};
  // Set while the thread reads until the socket is dry.
  std::atomic<bool> streaming_{false};
  // wake_[0] is polled by the thread, wake_[1] written to wake it.
  int wake_[2] = {-1, -1};
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> ended_{false};
  End end_;
};

}  // namespace kb
