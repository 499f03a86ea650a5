// macOS: LOCAL_PEERCRED gives the peer's effective uid and groups as the
// kernel recorded them at connect; the pid comes from the audit token
// (LOCAL_PEERTOKEN) of the process that connected, never LOCAL_PEERPID,
// which reports whoever holds the socket now.
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/ucred.h>
#include <sys/un.h>
#include <mach/message.h>

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
  audit_token_t token{};
  len = sizeof(token);
  if (getsockopt(fd, SOL_LOCAL, LOCAL_PEERTOKEN, &token, &len) < 0) {
    ErrnoError(env, errno, "cannot read the peer's audit token").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  // Word 5 of an audit token is the pid (libbsm's audit_token_to_pid).
  pid_t pid = static_cast<pid_t>(token.val[5]);
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
