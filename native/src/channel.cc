// A connected datagram socket driven by libuv: no thread, no busy loop.
// Each wake reads what is waiting (bounded) and hands the datagrams to JS
// in one call, which matters at a million events a second.
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <memory>
#include <string>
#include <vector>

#include "addon.h"

namespace kb {
namespace {

constexpr int kMaxDatagramsPerWake = 256;
// A wake stops reading once it has read this much: the event loop then
// writes to the streams (and takes HTTP/2's window updates) before it
// reads more. Wakes of up to 4 MiB held the loop for ~10 ms each under a
// flood, and a reading client got 0.2x what a bare stream gets; at 64 KiB
// always, 0.5x (docs/performance.md).
constexpr size_t kWakeBytes = 64u << 10;
// But the longer nothing read since the last wake (the wake's own
// handling, a full garbage collection, a budget cut over many queues), the
// more the kernel's buffer holds: a wake reads kWakeBytes more for every
// kAwayStepNs of that, up to kMaxWakeBytes, so that a pause is caught up
// on before the kernel's buffer overflows (at 64 KiB always, 32 KB events
// at 6,000/s with 200 stalled streams lost 2-3% in the kernel; 0.9-1.4%
// now, 0.3% at 4 MiB; a reading client gets about 0.4x under a flood).
constexpr uint64_t kAwayStepNs = 500000;
constexpr size_t kMaxWakeBytes = 4u << 20;

class Channel : public Napi::ObjectWrap<Channel> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Channel",
                       {InstanceMethod("send", &Channel::Send), InstanceMethod("close", &Channel::Close),
                        InstanceMethod("fd", &Channel::Fd)});
  }

  // new Channel(fd, maxDatagram, onEvent(kind, value), reuse?)
  explicit Channel(const Napi::CallbackInfo &info) : Napi::ObjectWrap<Channel>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 3 || !info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsFunction()) {
      Napi::TypeError::New(env, "new Channel(fd, maxDatagram, onEvent, reuse?)").ThrowAsJavaScriptException();
      return;
    }
    fd_ = info[0].As<Napi::Number>().Int32Value();
    max_ = info[1].As<Napi::Number>().Uint32Value();
    buf_.resize(max_ + 1);
    if (info.Length() > 3 && info[3].ToBoolean().Value()) {
      // With reuse: one arena a wake's datagrams are read into, handed to
      // JS as views valid only while the callback runs. Saves an
      // ArrayBuffer per datagram (at a million events a second, a major GC
      // every ~100 ms with pauses up to 20 ms came from them). It holds a
      // wake: up to kMaxWakeBytes, then one more datagram of the largest size.
      arena_ = Napi::Persistent(Napi::ArrayBuffer::New(env, kMaxWakeBytes + max_ + 8));
    }
    on_event_ = Napi::Persistent(info[2].As<Napi::Function>());
    async_ = std::make_unique<Napi::AsyncContext>(env, "kextbridge.Channel");
    uv_loop_t *loop = nullptr;
    napi_get_uv_event_loop(env, &loop);
    poll_ = new uv_poll_t;
    poll_->data = this;
    if (uv_poll_init(loop, poll_, fd_) != 0) {
      delete poll_;
      poll_ = nullptr;
      ErrnoError(env, EBADF, "cannot watch the kext socket").ThrowAsJavaScriptException();
      return;
    }
    Ref();  // alive while open, whatever JS holds
    Watch(false);
  }

  ~Channel() override { Shutdown(); }

 private:
  void Watch(bool writable) {
    if (!poll_) return;
    want_writable_ = writable;
    uv_poll_start(poll_, UV_READABLE | (writable ? UV_WRITABLE : 0), OnPoll);
  }

  static void OnPoll(uv_poll_t *handle, int status, int events) {
    auto *self = static_cast<Channel *>(handle->data);
    Napi::Env env = self->Env();
    Napi::HandleScope scope(env);
    if (status < 0) {
      self->Finish(env, "EIO", "the kext socket failed");
      return;
    }
    if (events & UV_READABLE) self->ReadAll(env);
    if (self->poll_ && (events & UV_WRITABLE)) {
      self->Watch(false);
      self->Emit(env, "drain", env.Undefined());
    }
  }

  void ReadAll(Napi::Env env) {
    Napi::Array batch = Napi::Array::New(env);
    uint32_t count = 0;
    Napi::ArrayBuffer arena = arena_.IsEmpty() ? Napi::ArrayBuffer() : arena_.Value();
    size_t used = 0;
    const uint64_t away = uv_hrtime() - last_read_ns_;
    const uint64_t steps = 1 + away / kAwayStepNs;
    const size_t budget = steps >= kMaxWakeBytes / kWakeBytes ? kMaxWakeBytes : kWakeBytes * static_cast<size_t>(steps);
    for (int i = 0; i < kMaxDatagramsPerWake && poll_; i++) {
      // The rest waits for the next wake (the poll is level-triggered).
      if (used >= budget) break;
      uint8_t *into = arena.IsEmpty() ? buf_.data() : static_cast<uint8_t *>(arena.Data()) + used;
      ssize_t n = recv(fd_, into, max_ + 1, MSG_DONTWAIT | MSG_TRUNC);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
        int err = errno;
        if (count) Emit(env, "messages", batch);
        Finish(env, ErrnoName(err), "the kext connection failed");
        return;
      }
      if (n == 0) {
        if (count) Emit(env, "messages", batch);
        Finish(env, "EOF", "the kext closed the connection");
        return;
      }
      if (static_cast<size_t>(n) > max_) {
        // Never truncate silently: the protocol would be corrupt.
        if (count) Emit(env, "messages", batch);
        Finish(env, "EMSGSIZE",
               "the kext sent a datagram of " + std::to_string(n) + " bytes, larger than the negotiated " +
                   std::to_string(max_));
        return;
      }
      if (arena.IsEmpty()) {
        batch.Set(count++, Napi::Buffer<uint8_t>::Copy(env, buf_.data(), static_cast<size_t>(n)));
      } else {
        batch.Set(count++, Napi::Uint8Array::New(env, static_cast<size_t>(n), arena, used));
      }
      // 8-byte steps keep every datagram in the arena aligned.
      used += (static_cast<size_t>(n) + 7) & ~static_cast<size_t>(7);
    }
    // From here until the next wake nothing reads the kernel's buffer:
    // JavaScript handling this wake counts as away too.
    last_read_ns_ = uv_hrtime();
    if (count) Emit(env, "messages", batch);
  }

  void Emit(Napi::Env env, const char *kind, Napi::Value value) {
    if (on_event_.IsEmpty()) return;
    on_event_.MakeCallback(Value(), {Napi::String::New(env, kind), value}, *async_);
  }

  void Finish(Napi::Env env, const std::string &code, const std::string &message) {
    if (!poll_) return;
    Shutdown();
    Napi::Object reason = Napi::Object::New(env);
    reason.Set("code", code);
    reason.Set("message", message);
    Emit(env, "close", reason);
    Unref();
  }

  // Stops watching and closes the fd; the uv handle is freed by libuv.
  void Shutdown() {
    if (poll_) {
      uv_poll_stop(poll_);
      uv_close(reinterpret_cast<uv_handle_t *>(poll_), [](uv_handle_t *h) { delete reinterpret_cast<uv_poll_t *>(h); });
      poll_ = nullptr;
    }
    if (fd_ >= 0) {
      close(fd_);
      fd_ = -1;
    }
  }

  // send(buffer): true when queued, false when the kext side is full
  // ('drain' follows); throws for what retrying cannot fix.
  Napi::Value Send(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsTypedArray()) {
      Napi::TypeError::New(env, "send(buffer): buffer must be a Buffer or Uint8Array").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    if (fd_ < 0) {
      ErrnoError(env, EPIPE, "the kext channel is closed").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Uint8Array data = info[0].As<Napi::Uint8Array>();
    ssize_t n = send(fd_, data.Data(), data.ByteLength(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n == static_cast<ssize_t>(data.ByteLength())) return Napi::Boolean::New(env, true);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) {
      if (!want_writable_) Watch(true);
      return Napi::Boolean::New(env, false);
    }
    int err = n < 0 ? errno : EMSGSIZE;
    ErrnoError(env, err,
               err == EMSGSIZE ? "datagram of " + std::to_string(data.ByteLength()) + " bytes is too large for the kext"
                               : "cannot send to the kext")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }

  // close(): idempotent; no event follows an explicit close.
  Napi::Value Close(const Napi::CallbackInfo &info) {
    if (poll_) {
      Shutdown();
      on_event_.Reset();
      Unref();
    }
    return info.Env().Undefined();
  }

  Napi::Value Fd(const Napi::CallbackInfo &info) { return Napi::Number::New(info.Env(), fd_); }

  int fd_ = -1;
  size_t max_ = 0;
  bool want_writable_ = false;
  std::vector<uint8_t> buf_;
  Napi::Reference<Napi::ArrayBuffer> arena_;
  // When the last wake stopped reading (uv_hrtime).
  uint64_t last_read_ns_ = 0;
  uv_poll_t *poll_ = nullptr;
  Napi::FunctionReference on_event_;
  std::unique_ptr<Napi::AsyncContext> async_;
};

}  // namespace

Napi::Object InitChannel(Napi::Env env, Napi::Object exports) {
  exports.Set("Channel", Channel::Define(env));
  return exports;
}

}  // namespace kb
