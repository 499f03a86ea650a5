// macOS: which program is on the other end of an accepted unix socket, by
// its code signature. LOCAL_PEERTOKEN gives the audit token of the process
// that connected: it names one process instance (the pid and its version),
// so unlike a pid it cannot come to mean another process. Security.framework
// finds that process's code from the token and checks it against a
// requirement. Every decision (which requirement, caching, what a verdict
// means) is the daemon's; this file only translates.
#include <CoreFoundation/CoreFoundation.h>
#include <Security/Security.h>
#include <mach/message.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "addon.h"

namespace kb {
namespace {

// Releases a CoreFoundation object when it goes out of scope.
template <typename T>
class CfOwned {
 public:
  CfOwned() = default;
  explicit CfOwned(T ref) : ref_(ref) {}
  ~CfOwned() {
    if (ref_) CFRelease(ref_);
  }
  CfOwned(const CfOwned &) = delete;
  CfOwned &operator=(const CfOwned &) = delete;
  T get() const { return ref_; }
  T *out() { return &ref_; }

 private:
  T ref_ = nullptr;
};

// The token argument: a 32-byte Buffer from peerToken.
bool TokenArgument(const Napi::CallbackInfo &info, audit_token_t *token, const char *usage) {
  if (info.Length() < 1 || !info[0].IsBuffer() || info[0].As<Napi::Buffer<uint8_t>>().Length() != sizeof(audit_token_t)) {
    Napi::TypeError::New(info.Env(), usage).ThrowAsJavaScriptException();
    return false;
  }
  std::memcpy(token, info[0].As<Napi::Buffer<uint8_t>>().Data(), sizeof(audit_token_t));
  return true;
}

// The running code of the process the token names (retained), or the
// OSStatus of why not (the process is gone, for one).
OSStatus CodeOf(const audit_token_t &token, SecCodeRef *code) {
  CfOwned<CFDataRef> data(CFDataCreate(kCFAllocatorDefault, reinterpret_cast<const UInt8 *>(&token), sizeof(token)));
  if (!data.get()) return -108;  // memFullErr
  const void *keys[] = {kSecGuestAttributeAudit};
  const void *values[] = {data.get()};
  CfOwned<CFDictionaryRef> attributes(CFDictionaryCreate(kCFAllocatorDefault, keys, values, 1, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks));
  if (!attributes.get()) return -108;
  return SecCodeCopyGuestWithAttributes(nullptr, attributes.get(), kSecCSDefaultFlags, code);
}

}  // namespace

// peerToken(fd) -> Buffer: the connecting process's audit_token_t.
Napi::Value PeerToken(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int fd = FdArgument(info, "peerToken(fd): fd must be a non-negative number");
  if (fd < 0) return env.Undefined();
  audit_token_t token{};
  socklen_t len = sizeof(token);
  if (getsockopt(fd, SOL_LOCAL, LOCAL_PEERTOKEN, &token, &len) < 0 || len != sizeof(token)) {
    ErrnoError(env, errno ? errno : EINVAL, "cannot read the peer's audit token").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Buffer<uint8_t>::Copy(env, reinterpret_cast<const uint8_t *>(&token), sizeof(token));
}

// checkRequirement(token, requirement) -> OSStatus: 0 when the process's
// code is valid and satisfies the requirement; errSecCSReqFailed when it
// does not; errSecCSUnsigned when unsigned; any other status is an error.
Napi::Value CheckRequirement(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  audit_token_t token{};
  if (!TokenArgument(info, &token, "checkRequirement(token, requirement): token must be peerToken's Buffer")) return env.Undefined();
  if (info.Length() < 2 || !info[1].IsString()) {
    Napi::TypeError::New(env, "checkRequirement(token, requirement): requirement must be a string").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string text = info[1].As<Napi::String>().Utf8Value();
  CfOwned<CFStringRef> textRef(CFStringCreateWithBytes(kCFAllocatorDefault, reinterpret_cast<const UInt8 *>(text.data()), static_cast<CFIndex>(text.size()), kCFStringEncodingUTF8, false));
  if (!textRef.get()) return Napi::Number::New(env, -108);
  CfOwned<SecRequirementRef> requirement;
  OSStatus status = SecRequirementCreateWithString(textRef.get(), kSecCSDefaultFlags, requirement.out());
  if (status != errSecSuccess) return Napi::Number::New(env, status);
  CfOwned<SecCodeRef> code;
  status = CodeOf(token, code.out());
  if (status != errSecSuccess) return Napi::Number::New(env, status);
  return Napi::Number::New(env, SecCodeCheckValidity(code.get(), kSecCSDefaultFlags, requirement.get()));
}

// describeCode(token) -> { status, path }: the validity of the process's
// signature with no requirement (0, errSecCSUnsigned, ...) and the path of
// its code, for messages ('' when unknown).
Napi::Value DescribeCode(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  audit_token_t token{};
  if (!TokenArgument(info, &token, "describeCode(token): token must be peerToken's Buffer")) return env.Undefined();
  Napi::Object o = Napi::Object::New(env);
  CfOwned<SecCodeRef> code;
  OSStatus status = CodeOf(token, code.out());
  std::string path;
  if (status == errSecSuccess) {
    CfOwned<CFURLRef> url;
    if (SecCodeCopyPath(code.get(), kSecCSDefaultFlags, url.out()) == errSecSuccess) {
      UInt8 buf[4096];
      if (CFURLGetFileSystemRepresentation(url.get(), true, buf, sizeof(buf))) path.assign(reinterpret_cast<const char *>(buf));
    }
    status = SecCodeCheckValidity(code.get(), kSecCSDefaultFlags, nullptr);
  }
  o.Set("status", Napi::Number::New(env, status));
  o.Set("path", Napi::String::New(env, path));
  return o;
}

}  // namespace kb
