// RLIMIT_NOFILE: every client connection is a descriptor, so the daemon
// raises its soft limit to what its connection limits need at start (and
// its hard limit too when it may: root). POSIX, the same on both systems.
#include <sys/resource.h>

#include <cerrno>

#include "addon.h"

namespace kb {

// raiseFileLimit(wanted) -> { soft, hard }: the limits in force afterwards.
// Never lowers them; a hard limit it may not raise caps the soft one.
Napi::Value RaiseFileLimit(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber() || info[0].As<Napi::Number>().DoubleValue() < 0) {
    Napi::TypeError::New(env, "raiseFileLimit(wanted): wanted must be a count of descriptors").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  rlim_t wanted = static_cast<rlim_t>(info[0].As<Napi::Number>().DoubleValue());
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
    ErrnoError(env, errno, "cannot read RLIMIT_NOFILE").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (rl.rlim_cur < wanted) {
    struct rlimit next = rl;
    next.rlim_cur = wanted;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < wanted) {
      next.rlim_max = wanted;
      // Only root may raise the hard limit: otherwise take what it allows.
      if (setrlimit(RLIMIT_NOFILE, &next) != 0) {
        next.rlim_max = rl.rlim_max;
        next.rlim_cur = rl.rlim_max;
      }
    }
    if (setrlimit(RLIMIT_NOFILE, &next) != 0 && errno != 0) {
      ErrnoError(env, errno, "cannot raise RLIMIT_NOFILE").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    getrlimit(RLIMIT_NOFILE, &rl);
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("soft", rl.rlim_cur == RLIM_INFINITY ? -1.0 : static_cast<double>(rl.rlim_cur));
  out.Set("hard", rl.rlim_max == RLIM_INFINITY ? -1.0 : static_cast<double>(rl.rlim_max));
  return out;
}

}  // namespace kb
