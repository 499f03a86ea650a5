#include "socket_reader.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

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

bool SocketReader::Sleep(bool want_socket) {
  struct pollfd fds[2] = {{wake_[0], POLLIN, 0}, {fd_, POLLIN, 0}};
  if (poll(fds, want_socket ? 2 : 1, -1) < 0) return errno == EINTR;
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
  notify_(arg_);
}

void SocketReader::Run() {
  // Named for top -H, ps -T and crash reports (15 characters at most on Linux).
#ifdef __APPLE__
  pthread_setname_np("kextbridge-read");
#else
  pthread_setname_np(pthread_self(), "kextbridge-read");
#endif
  const size_t room = ring_->room();
  // Committed and not yet announced. The loop is woken once per burst, not
  // once per datagram: a wake per datagram cost the daemon 20% more CPU
  // per event at a million 64-byte events a second (a bite of one or two
  // datagrams each), so wakes wait for the socket to run dry, for the
  // ring to fill, or for a bite's worth.
  size_t unannounced_bytes = 0;
  size_t unannounced = 0;
  auto announce = [&] {
    if (!unannounced) return;
    notify_(arg_);
    unannounced = unannounced_bytes = 0;
  };
  while (!stop_.load(std::memory_order_acquire)) {
    uint8_t *into = ring_->Reserve();
    if (!into) {
      announce();
      // Full: the kernel's buffer holds what comes until the loop gives room.
      if (ring_->WaitForRoom()) continue;
      if (!Sleep(false)) return Finish(errno, 0);
      continue;
    }
    // MSG_TRUNC (Linux) reports a longer datagram's whole length; a
    // datagram that fills the room is too large either way.
    ssize_t n = recv(fd_, into, room, MSG_DONTWAIT | MSG_TRUNC);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return Finish(errno, 0);
      announce();
      if (!Sleep(true)) return Finish(errno, 0);
      continue;
    }
    if (n == 0) return Finish(0, 0);
    if (static_cast<size_t>(n) >= room) return Finish(EMSGSIZE, static_cast<size_t>(n));
    ring_->Commit(static_cast<size_t>(n));
    unannounced_bytes += static_cast<size_t>(n);
    if (++unannounced >= kAnnounceDatagrams || unannounced_bytes >= kAnnounceBytes) announce();
  }
}

}  // namespace kb
