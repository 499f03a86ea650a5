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
namespace {

// The user's groups from the group database; the primary gid alone when
// the uid has no passwd entry. May block (NSS: LDAP, sssd): call it off the
// event loop (GroupListWorker) unless the caller accepts that.
std::vector<gid_t> GroupsOf(uid_t uid, gid_t gid) {
  passwd pw{}, *found = nullptr;
  std::vector<char> buf(16384);
  if (getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) != 0 || !found) return {gid};
  int n = 64;
  std::vector<gid_t> list(n);
  if (getgrouplist(pw.pw_name, gid, list.data(), &n) < 0) {
    list.resize(n);
    if (getgrouplist(pw.pw_name, gid, list.data(), &n) < 0) return {gid};
  }
  list.resize(n);
  return list;
}

Napi::Array ToArray(Napi::Env env, const std::vector<gid_t> &list) {
  Napi::Array a = Napi::Array::New(env, list.size());
  for (size_t i = 0; i < list.size(); i++) a.Set(static_cast<uint32_t>(i), Napi::Number::New(env, list[i]));
  return a;
}

class GroupListWorker : public Napi::AsyncWorker {
 public:
  GroupListWorker(Napi::Env env, uid_t uid, gid_t gid)
      : Napi::AsyncWorker(env), uid_(uid), gid_(gid), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }
  void Execute() override { groups_ = GroupsOf(uid_, gid_); }
  void OnOK() override { deferred_.Resolve(ToArray(Env(), groups_)); }
  void OnError(const Napi::Error &e) override { deferred_.Reject(e.Value()); }

 private:
  uid_t uid_;
  gid_t gid_;
  std::vector<gid_t> groups_;
  Napi::Promise::Deferred deferred_;
};

}  // namespace

// groupList(uid, gid) -> Promise<number[]>: the database lookup on libuv's
// thread pool, so a slow directory never stalls the daemon.
Napi::Value GroupList(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsNumber()) {
    Napi::TypeError::New(env, "groupList(uid, gid)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto *w = new GroupListWorker(env, info[0].As<Napi::Number>().Uint32Value(), info[1].As<Napi::Number>().Uint32Value());
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

// peerCredentials(fd, withGroups = true): withGroups false leaves groups
// empty, for callers that look them up off the event loop (groupList).
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
  bool withGroups = info.Length() < 2 || info[1].ToBoolean().Value();
  Napi::Array groups = withGroups ? ToArray(env, GroupsOf(cred.uid, cred.gid)) : Napi::Array::New(env);
  Napi::Object o = Napi::Object::New(env);
  o.Set("uid", Napi::Number::New(env, cred.uid));
  o.Set("gid", Napi::Number::New(env, cred.gid));
  o.Set("pid", Napi::Number::New(env, cred.pid));
  o.Set("groups", groups);
  return o;
}

}  // namespace kb
