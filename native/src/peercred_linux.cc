// Linux: SO_PEERCRED gives the peer's uid, gid and pid as the kernel saw
// them at connect; supplementary groups are the user's, from the group
// database (getgrouplist), which is what a policy naming groups means.
#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "addon.h"

namespace kb {

Napi::Value PeerCredentials(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int fd = FdArgument(info, "peerCredentials(fd): fd must be a non-negative number");
  if (fd < 0) return env.Undefined();
  ucred cred{};
  socklen_t len = sizeof(cred);
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
    ErrnoError(env, errno, "cannot read the peer's credentials").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Array groups = Napi::Array::New(env);
  passwd pw{}, *found = nullptr;
  std::vector<char> buf(16384);
  if (getpwuid_r(cred.uid, &pw, buf.data(), buf.size(), &found) == 0 && found) {
    int n = 64;
    std::vector<gid_t> list(n);
    if (getgrouplist(pw.pw_name, cred.gid, list.data(), &n) < 0) {
      list.resize(n);
      getgrouplist(pw.pw_name, cred.gid, list.data(), &n);
    }
    for (int i = 0; i < n && i < static_cast<int>(list.size()); i++) groups.Set(i, Napi::Number::New(env, list[i]));
  } else {
    groups.Set(0u, Napi::Number::New(env, cred.gid));
  }
  Napi::Object o = Napi::Object::New(env);
  o.Set("uid", Napi::Number::New(env, cred.uid));
  o.Set("gid", Napi::Number::New(env, cred.gid));
  o.Set("pid", Napi::Number::New(env, cred.pid));
  o.Set("groups", groups);
  return o;
}

}  // namespace kb
