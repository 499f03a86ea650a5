// Linux: the kext is kextsim, an AF_UNIX SOCK_SEQPACKET listener, which
// keeps message boundaries like a kernel control datagram socket.
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "addon.h"

namespace kb {

Napi::Value OpenKext(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    Napi::TypeError::New(env, "openKext(path): path must be a string").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string path = info[0].As<Napi::String>();
  sockaddr_un sa{};
  if (path.size() >= sizeof(sa.sun_path)) {
    ErrnoError(env, ENAMETOOLONG, "kext socket path is " + std::to_string(path.size()) + " bytes; the limit is " +
               std::to_string(sizeof(sa.sun_path) - 1)).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  sa.sun_family = AF_UNIX;
  std::memcpy(sa.sun_path, path.data(), path.size());
  int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    ErrnoError(env, errno, "cannot create a socket").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  // Blocking connect: a local socket answers at once, and a refused or
  // missing kext must be reported here, not as a later event.
  if (connect(fd, reinterpret_cast<sockaddr *>(&sa), sizeof(sa)) < 0) {
    int err = errno;
    close(fd);
    std::string why = err == ENOENT || err == ECONNREFUSED
                          ? "no kext at " + path + ": is kextsim running (or the kext loaded)?"
                      : err == EACCES || err == EPERM ? "not allowed to connect to " + path + ": the kext accepts root only"
                                                      : "cannot connect to " + path;
    ErrnoError(env, err, why).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  return Napi::Number::New(env, fd);
}

}  // namespace kb
