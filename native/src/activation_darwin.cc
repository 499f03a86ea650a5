// macOS: the listening sockets launchd created from the plist's Sockets
// entry, by name.
#include <launch.h>

#include <cerrno>
#include <cstdlib>

#include "addon.h"

namespace kb {

Napi::Value ActivateSocket(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    Napi::TypeError::New(env, "activateSocket(name): name must be a string").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string name = info[0].As<Napi::String>();
  int *fds = nullptr;
  size_t count = 0;
  int err = launch_activate_socket(name.c_str(), &fds, &count);
  if (err != 0) {
    std::string why = err == ENOENT ? "launchd has no socket named " + name + " for this job (check the plist's Sockets)"
                      : err == ESRCH ? "this process was not started by launchd"
                                     : "launch_activate_socket(" + name + ") failed";
    ErrnoError(env, err, why).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Array out = Napi::Array::New(env, count);
  for (size_t i = 0; i < count; i++) out.Set(static_cast<uint32_t>(i), Napi::Number::New(env, fds[i]));
  std::free(fds);
  return out;
}

}  // namespace kb
