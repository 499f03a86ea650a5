// macOS: the kext's kernel control, found by name (CTLIOCGINFO) and
// connected as a PF_SYSTEM datagram socket; boundaries are kept, as the
// kext enqueues every datagram with CTL_DATA_EOR.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/kern_control.h>
#include <sys/socket.h>
#include <sys/sys_domain.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "addon.h"

namespace kb {

Napi::Value OpenKext(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    Napi::TypeError::New(env, "openKext(controlName): controlName must be a string").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string name = info[0].As<Napi::String>();
  ctl_info ci{};
  if (name.empty() || name.size() >= sizeof(ci.ctl_name)) {
    ErrnoError(env, EINVAL, "kernel control name must be 1.." + std::to_string(sizeof(ci.ctl_name) - 1) + " bytes")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int fd = socket(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL);
  if (fd < 0) {
    ErrnoError(env, errno, "cannot create a PF_SYSTEM socket").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::memcpy(ci.ctl_name, name.data(), name.size());
  if (ioctl(fd, CTLIOCGINFO, &ci) < 0) {
    int err = errno;
    close(fd);
    ErrnoError(env, err, "no kernel control named " + name + ": is the kext loaded?").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  sockaddr_ctl sc{};
  sc.sc_len = sizeof(sc);
  sc.sc_family = AF_SYSTEM;
  sc.ss_sysaddr = AF_SYS_CONTROL;
  sc.sc_id = ci.ctl_id;
  sc.sc_unit = 0;  // the kernel picks a unit
  if (connect(fd, reinterpret_cast<sockaddr *>(&sc), sizeof(sc)) < 0) {
    int err = errno;
    close(fd);
    std::string why = err == EBUSY                  ? "the kext's control is already owned by another process"
                      : err == EPERM || err == EACCES ? "the kext's control is privileged: run as root"
                                                      : "cannot connect to the kernel control " + name;
    ErrnoError(env, err, why).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  return Napi::Number::New(env, fd);
}

}  // namespace kb
