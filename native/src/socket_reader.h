// Reads a connected datagram socket on a thread of its own into a
// DatagramRing. The kernel's buffer for the kext (2 MiB by default, about
// 11 ms of a 32 KB-event flood) is then emptied while the event loop is
// busy (a full garbage collection, a budget cut over many queues), and the
// loop can take its datagrams in small bites; only a full ring leaves them
// in the kernel. Nothing here knows Node: it is tested on its own.
#pragma once

#include <atomic>
#include <cstddef>
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

  // A burst is announced once this much of it is published, sooner if the
  // socket runs dry or the ring fills.
  static constexpr size_t kAnnounceBytes = 64u << 10;
  static constexpr size_t kAnnounceDatagrams = 256;

  // fd: connected, non-blocking; still the caller's to close, after Stop().
  // The ring's room() is the largest datagram plus one byte: a datagram
  // that fills it is too large. notify(arg) runs on the reader thread
  // when reading ends and when published datagrams wait: before the reader
  // sleeps (nothing more to read, or no room) and every kAnnounceBytes or
  // kAnnounceDatagrams of them.
  SocketReader(int fd, DatagramRing *ring, Notify notify, void *arg) : fd_(fd), ring_(ring), notify_(notify), arg_(arg) {}
  ~SocketReader() { Stop(); }
  SocketReader(const SocketReader &) = delete;
  SocketReader &operator=(const SocketReader &) = delete;

  // 0, or the errno of what failed (nothing is running then).
  int Start();
  // Idempotent; returns once the thread is gone.
  void Stop();
  // Consumer: the ring's Release() said the reader waits for room.
  void RoomFreed() { Wake(); }

  // True once the reader has published its last datagram and stopped.
  bool Ended(End *why) const {
    if (!ended_.load(std::memory_order_acquire)) return false;
    *why = end_;
    return true;
  }

 private:
  void Run();
  void Finish(int error, size_t oversize);
  // Sleeps until the socket is readable (when want_socket), the consumer
  // frees room or Stop() is called. False when poll itself failed.
  bool Sleep(bool want_socket);
  void Wake();

  const int fd_;
  DatagramRing *const ring_;
  const Notify notify_;
  void *const arg_;
  // wake_[0] is polled by the reader, wake_[1] written to wake it.
  int wake_[2] = {-1, -1};
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> ended_{false};
  End end_;
};

}  // namespace kb
