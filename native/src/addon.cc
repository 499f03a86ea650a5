#include "addon.h"

#include <cerrno>
#include <cstring>

namespace kb {

const char *ErrnoName(int err) {
  switch (err) {
    case ENOENT: return "ENOENT";
    case ECONNREFUSED: return "ECONNREFUSED";
    case EBUSY: return "EBUSY";
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case EMSGSIZE: return "EMSGSIZE";
    case ENOBUFS: return "ENOBUFS";
    case EAGAIN: return "EAGAIN";
    case EPIPE: return "EPIPE";
    case ECONNRESET: return "ECONNRESET";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case EBADF: return "EBADF";
    case ENOTSOCK: return "ENOTSOCK";
    case EINVAL: return "EINVAL";
    case ESRCH: return "ESRCH";
    default: return "EUNKNOWN";
  }
}

Napi::Error ErrnoError(Napi::Env env, int err, const std::string &what) {
  Napi::Error e = Napi::Error::New(env, what + " (" + ErrnoName(err) + ": " + std::strerror(err) + ")");
  e.Set("code", Napi::String::New(env, ErrnoName(err)));
  e.Set("errno", Napi::Number::New(env, err));
  return e;
}

int FdArgument(const Napi::CallbackInfo &info, const char *usage) {
  if (info.Length() < 1 || !info[0].IsNumber() || info[0].As<Napi::Number>().Int32Value() < 0) {
    Napi::TypeError::New(info.Env(), usage).ThrowAsJavaScriptException();
    return -1;
  }
  return info[0].As<Napi::Number>().Int32Value();
}

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  exports.Set("openKext", Napi::Function::New(env, OpenKext));
  exports.Set("peerCredentials", Napi::Function::New(env, PeerCredentials));
  exports.Set("raiseFileLimit", Napi::Function::New(env, RaiseFileLimit));
  exports.Set("returnFreeMemory", Napi::Function::New(env, ReturnFreeMemory));
#ifndef __APPLE__
  exports.Set("groupList", Napi::Function::New(env, GroupList));
  exports.Set("peerProgram", Napi::Function::New(env, PeerProgram));
#endif
#ifdef __APPLE__
  exports.Set("activateSocket", Napi::Function::New(env, ActivateSocket));
  exports.Set("openKernelEvents", Napi::Function::New(env, OpenKernelEvents));
  exports.Set("peerToken", Napi::Function::New(env, PeerToken));
  exports.Set("checkRequirement", Napi::Function::New(env, CheckRequirement));
  exports.Set("describeCode", Napi::Function::New(env, DescribeCode));
#endif
  return InitChannel(env, exports);
}

}  // namespace kb

// The macro pastes its argument into a name, so it takes a plain identifier.
static Napi::Object Init(Napi::Env env, Napi::Object exports) { return kb::InitAddon(env, exports); }

NODE_API_MODULE(kextbridge, Init)
