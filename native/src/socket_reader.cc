#include "socket_reader.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace kb {

namespace {

int SetFlags(int fd) {
  if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) return errno;
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return errno;
  return 0;
}

}  // namespace

int SocketReader::Start() {
  if (thread_.joinable()) return 0;
  // pipe() and fcntl(): pipe2() is not on macOS.
  if (pipe(wake_) < 0) return errno;
  int err = SetFlags(wake_[0]);
  if (!err) err = SetFlags(wake_[1]);
  if (err) {
    close(wake_[0]);
    close(wake_[1]);
    wake_[0] = wake_[1] = -1;
    return err;
  }
  // The thread takes no signal: they are the event loop's, and poll()
  // would only return EINTR for them.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  thread_ = std::thread(&SocketReader::Run, this);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return 0;
}

void SocketReader::Stop() {
  if (thread_.joinable()) {
    stop_.store(true, std::memory_order_seq_cst);
    Wake();
    thread_.join();
  }
  for (int &fd : wake_) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
}

void SocketReader::Wake() {
  const char byte = 1;
  // A full pipe already holds a wake-up.
  while (write(wake_[1], &byte, 1) < 0 && errno == EINTR) {
  }
}

bool SocketReader::Sleep(bool socket, int timeout_ms) {
  struct pollfd fds[2] = {{wake_[0], POLLIN, 0}, {fd_, POLLIN, 0}};
  if (poll(fds, socket ? 2 : 1, timeout_ms) < 0) return errno == EINTR;
  if (fds[0].revents) {
    char drain[64];
    while (read(wake_[0], drain, sizeof drain) > 0) {
    }
  }
  return true;
}

void SocketReader::Finish(int error, size_t oversize) {
  end_.error = error;
  end_.oversize = oversize;
  ended_.store(true, std::memory_order_release);
}

SocketReader::Read SocketReader::ReadLocked(size_t max_bytes, size_t max_datagrams) {
  Read r;
  if (ended_.load(std::memory_order_relaxed)) return r;
  const size_t room = ring_->room();
  size_t bytes = 0;
  while (r.datagrams < max_datagrams && bytes < max_bytes) {
    uint8_t *into = ring_->Reserve();
    // Full: the kernel's buffer holds the rest until the loop gives room.
    if (!into) {
      r.full = true;
      break;
    }
    // MSG_TRUNC (Linux) reports a longer datagram's whole length; a
    // datagram that fills the room is too large either way.
    ssize_t n = recv(fd_, into, room, MSG_DONTWAIT | MSG_TRUNC);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) r.dry = true;
      else Finish(errno, 0);
      break;
    }
    if (n == 0) {
      Finish(0, 0);
      break;
    }
    if (static_cast<size_t>(n) >= room) {
      Finish(EMSGSIZE, static_cast<size_t>(n));
      break;
    }
    ring_->Commit(static_cast<size_t>(n));
    bytes += static_cast<size_t>(n);
    r.datagrams++;
  }
  return r;
}

size_t SocketReader::ReadOnLoop(size_t max_bytes, size_t max_datagrams) {
  if (streaming_.load(std::memory_order_relaxed)) return 0;
  std::lock_guard<std::mutex> lock(produce_);
  const Read r = ReadLocked(max_bytes, max_datagrams);
  if (r.dry) loop_dry_.fetch_add(1, std::memory_order_relaxed);
  return r.datagrams;
}

void SocketReader::Run() {
  // Named for top -H and ps -T (15 characters at most). Linux only: the
  // macOS form, pthread_setname_np(name), is not compile-checked here.
#ifdef __linux__
  pthread_setname_np(pthread_self(), "kextbridge-read");
#endif
  // Asleep on the socket (idle), looking every tick, or streaming.
  bool ticking = false;
  bool streaming = false;
  int idle = 0;
  uint64_t seen = 0;
  // True when streaming stopped: the loop must be told, to watch the
  // socket again.
  auto stream = [&](bool on) {
    const bool stopped = streaming && !on;
    streaming = on;
    streaming_.store(on, std::memory_order_release);
    // The loop's reads count from here.
    if (!on) seen = loop_dry_.load(std::memory_order_relaxed);
    return stopped;
  };
  while (!stop_.load(std::memory_order_acquire) && !ended_.load(std::memory_order_acquire)) {
    if (!ticking) {
      // Traffic again: the loop was woken too and reads first.
      if (!Sleep(true, -1)) break;
      ticking = true;
      idle = 0;
      seen = loop_dry_.load(std::memory_order_relaxed);
      continue;
    }
    if (!streaming) {
      if (!Sleep(false, kTickMs)) break;
      const uint64_t dry = loop_dry_.load(std::memory_order_relaxed);
      if (dry != seen) {
        // The loop emptied the socket since the last look: it keeps up.
        seen = dry;
        idle = 0;
        continue;
      }
    }
    Read r;
    {
      std::unique_lock<std::mutex> lock(produce_, std::try_to_lock);
      // Held: the loop is reading right now (it may not have seen
      // streaming_ yet; then it is done soon).
      if (!lock.owns_lock()) {
        if (!streaming) continue;
        lock.lock();
      }
      r = ReadLocked(kAnnounceBytes, kAnnounceDatagrams);
    }
    if (r.datagrams) idle = 0;
    else if (!streaming && ++idle >= kIdleTicks) ticking = false;
    // Dry: the loop reads again. Full: wait a tick for the loop to give
    // room, still streaming. Else more waits: read on.
    bool stopped = false;
    if (r.dry) stopped = stream(false);
    else if (r.full || r.datagrams) stream(true);
    if (r.datagrams || stopped || ended_.load(std::memory_order_acquire)) notify_(arg_);
    if (r.full && !Sleep(false, kTickMs)) break;
  }
  if (stream(false)) notify_(arg_);
}

}  // namespace kb
