// Linux: which program is on the other end of an accepted unix socket.
//
// SO_PEERCRED's pid names the process that connected, but a pid is only a
// number: the process may be gone and the number reused before we look in
// /proc. So the process is pinned with a pidfd first: SO_PEERPIDFD (Linux
// 6.5) hands over one for exactly the connecting process; on older kernels
// pidfd_open(pid) pins whatever holds the pid now, and the process's start
// time, read before and after, must be the same and not later than the
// moment SO_PEERCRED was read (a process born after that cannot be the
// peer). /proc/PID/exe is then read and opened, and the pidfd must still
// say "running": a live process keeps its pid, so what was read was its.
// Any step that fails refuses: the daemon never guesses an identity.
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "addon.h"

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

namespace kb {
namespace {

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

// Field 22 of /proc/PID/stat: clock ticks after boot. The command name
// (field 2) may hold spaces and parentheses, so parsing starts after the
// last ')'.
bool StartTime(pid_t pid, unsigned long long *ticks) {
  char path[64];
  snprintf(path, sizeof(path), "/proc/%d/stat", static_cast<int>(pid));
  Fd fd(open(path, O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return false;
  char buf[1024];
  ssize_t n = read(fd.get(), buf, sizeof(buf) - 1);
  if (n <= 0) return false;
  buf[n] = '\0';
  const char *p = strrchr(buf, ')');
  if (!p) return false;
  p++;
  // After ')': field 3 (state) is the first; starttime is field 22.
  for (int field = 3; field < 22; field++) {
    p = strchr(p + 1, ' ');
    if (!p) return false;
  }
  char *end = nullptr;
  errno = 0;
  *ticks = strtoull(p + 1, &end, 10);
  return errno == 0 && end != p + 1;
}

unsigned long long BootTicksNow() {
  timespec ts{};
  clock_gettime(CLOCK_BOOTTIME, &ts);
  long hz = sysconf(_SC_CLK_TCK);
  if (hz <= 0) hz = 100;
  return static_cast<unsigned long long>(ts.tv_sec) * hz + static_cast<unsigned long long>(ts.tv_nsec) / (1000000000ULL / hz);
}

// POLLIN on a pidfd: the process has exited.
bool Exited(int pidfd) {
  pollfd p{pidfd, POLLIN, 0};
  return poll(&p, 1, 0) != 0;
}

}  // namespace

// peerProgram(fd, viaPidfdOpen = false) -> { pid, pinnedBy, path, exeFd, dev, ino, size, mtimeNs }
// exeFd is an O_RDONLY descriptor of the very file the process runs (open
// of /proc/PID/exe), for hashing; the caller closes it. Throws when any of
// it cannot be read.
Napi::Value PeerProgram(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int sock = FdArgument(info, "peerProgram(fd): fd must be a non-negative number");
  if (sock < 0) return env.Undefined();
  ucred cred{};
  socklen_t len = sizeof(cred);
  if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
    ErrnoError(env, errno, "cannot read the peer's credentials").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  unsigned long long credAt = BootTicksNow();
  if (cred.pid <= 0) {
    ErrnoError(env, ESRCH, "the peer has no pid in this pid namespace").ThrowAsJavaScriptException();
    return env.Undefined();
  }

  // SO_PEERPIDFD where the kernel has it; pidfd_open only where it does
  // not (any other failure, such as a peer that exited, refuses).
  int pidfdRaw = -1;
  len = sizeof(pidfdRaw);
  // A second argument true takes the pidfd_open way, to test it here.
  bool forceOpen = info.Length() > 1 && info[1].ToBoolean().Value();
  bool peerPidfd = !forceOpen && getsockopt(sock, SOL_SOCKET, SO_PEERPIDFD, &pidfdRaw, &len) == 0;
  if (!forceOpen && !peerPidfd && errno != ENOPROTOOPT && errno != EINVAL) {
    ErrnoError(env, errno, "cannot pin the peer process (SO_PEERPIDFD)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  unsigned long long before = 0;
  if (!peerPidfd) {
    if (!StartTime(cred.pid, &before)) {
      // No /proc entry: the process is gone; anything else (hidepid) is
      // a /proc the daemon cannot read.
      int err = errno && errno != ENOENT ? errno : ESRCH;
      ErrnoError(env, err, err == ESRCH ? "the peer process is gone" : "cannot read the peer's /proc/PID/stat").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    pidfdRaw = static_cast<int>(syscall(SYS_pidfd_open, cred.pid, 0));
    if (pidfdRaw < 0) {
      ErrnoError(env, errno, "cannot pin the peer process (pidfd_open)").ThrowAsJavaScriptException();
      return env.Undefined();
    }
  }
  Fd pidfd(pidfdRaw);
  // Started after SO_PEERCRED was read: the pid was reused.
  if (!peerPidfd && before > credAt) {
    ErrnoError(env, ESRCH, "the peer process is gone (its pid was reused)").ThrowAsJavaScriptException();
    return env.Undefined();
  }

  char exePath[64];
  snprintf(exePath, sizeof(exePath), "/proc/%d/exe", static_cast<int>(cred.pid));
  std::string path(4096, '\0');
  ssize_t n = readlink(exePath, &path[0], path.size());
  if (n <= 0 || static_cast<size_t>(n) >= path.size()) {
    int err = n < 0 ? errno : ENAMETOOLONG;
    if (Exited(pidfd.get())) err = ESRCH;
    ErrnoError(env, err, err == ESRCH ? "the peer process exited before its executable was read" : "cannot read the peer's executable").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  path.resize(static_cast<size_t>(n));
  Fd exe(open(exePath, O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (exe.get() < 0 || fstat(exe.get(), &st) < 0) {
    int err = errno;
    if (Exited(pidfd.get())) err = ESRCH;
    ErrnoError(env, err, err == ESRCH ? "the peer process exited before its executable was read" : "cannot open the peer's executable").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  unsigned long long after = 0;
  bool sameProcess = !Exited(pidfd.get());
  if (sameProcess && !peerPidfd) sameProcess = StartTime(cred.pid, &after) && after == before;
  if (!sameProcess) {
    ErrnoError(env, ESRCH, "the peer process exited while its executable was read").ThrowAsJavaScriptException();
    return env.Undefined();
  }

  Napi::Object o = Napi::Object::New(env);
  o.Set("uid", Napi::Number::New(env, cred.uid));
  o.Set("gid", Napi::Number::New(env, cred.gid));
  o.Set("pid", Napi::Number::New(env, cred.pid));
  o.Set("pinnedBy", Napi::String::New(env, peerPidfd ? "SO_PEERPIDFD" : "pidfd_open"));
  o.Set("path", Napi::String::New(env, path));
  // pidfd_open's check: the start time it compared (clock ticks after boot).
  if (!peerPidfd) o.Set("startTicks", Napi::Number::New(env, static_cast<double>(before)));
  o.Set("dev", Napi::Number::New(env, static_cast<double>(st.st_dev)));
  o.Set("ino", Napi::Number::New(env, static_cast<double>(st.st_ino)));
  o.Set("size", Napi::Number::New(env, static_cast<double>(st.st_size)));
  o.Set("mtimeNs", Napi::String::New(env, std::to_string(static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec)));
  o.Set("ctimeNs", Napi::String::New(env, std::to_string(static_cast<long long>(st.st_ctim.tv_sec) * 1000000000LL + st.st_ctim.tv_nsec)));
  o.Set("exeFd", Napi::Number::New(env, exe.release()));
  return o;
}

}  // namespace kb
