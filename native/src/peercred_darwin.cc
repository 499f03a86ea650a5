// macOS: LOCAL_PEERCRED gives the peer's effective uid and groups as the
// kernel recorded them at connect; LOCAL_PEERPID its pid.
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/ucred.h>
#include <sys/un.h>

#include <cerrno>

#include "addon.h"

namespace kb {

Napi::Value PeerCredentials(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int fd = FdArgument(info, "peerCredentials(fd): fd must be a non-negative number");
  if (fd < 0) return env.Undefined();
  xucred cred{};
  socklen_t len = sizeof(cred);
  if (getsockopt(fd, SOL_LOCAL, LOCAL_PEERCRED, &cred, &len) < 0 || cred.cr_version != XUCRED_VERSION) {
    ErrnoError(env, errno ? errno : EINVAL, "cannot read the peer's credentials").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  pid_t pid = 0;
  len = sizeof(pid);
  if (getsockopt(fd, SOL_LOCAL, LOCAL_PEERPID, &pid, &len) < 0) {
    ErrnoError(env, errno, "cannot read the peer's pid").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Array groups = Napi::Array::New(env);
  for (int i = 0; i < cred.cr_ngroups && i < NGROUPS; i++) groups.Set(i, Napi::Number::New(env, cred.cr_groups[i]));
  Napi::Object o = Napi::Object::New(env);
  o.Set("uid", Napi::Number::New(env, cred.cr_uid));
  // cr_groups[0] is the effective gid.
  o.Set("gid", Napi::Number::New(env, cred.cr_ngroups > 0 ? cred.cr_groups[0] : 0));
  o.Set("pid", Napi::Number::New(env, pid));
  o.Set("groups", groups);
  return o;
}

}  // namespace kb
