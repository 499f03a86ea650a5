// macOS: a kernel-event socket filtered to kernel-control events, so the
// daemon hears KEV_CTL_REGISTERED when a kext registers its control instead
// of polling. Messages are parsed in TypeScript (native/lib/watch.ts).
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/kern_control.h>
#include <sys/kern_event.h>
#include <sys/socket.h>
#include <sys/sys_domain.h>
#include <unistd.h>

#include <cerrno>

#include "addon.h"

namespace kb {

Napi::Value OpenKernelEvents(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int fd = socket(PF_SYSTEM, SOCK_RAW, SYSPROTO_EVENT);
  if (fd < 0) {
    ErrnoError(env, errno, "cannot open a kernel event socket").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  kev_request filter{KEV_VENDOR_APPLE, KEV_SYSTEM_CLASS, KEV_CTL_SUBCLASS};
  if (ioctl(fd, SIOCSKEVFILT, &filter) < 0) {
    int err = errno;
    close(fd);
    ErrnoError(env, err, "cannot filter kernel events to kernel controls").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  return Napi::Number::New(env, fd);
}

}  // namespace kb
