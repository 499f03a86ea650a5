// The kext connection on the event loop. The loop reads the socket into a
// ring when it is readable, and a reader thread reads into the same ring
// when the loop falls behind (socket_reader.cc); the loop takes the ring's
// datagrams in small bites and hands each bite to JS in one call, which
// matters at a million events a second. Sends are made on the loop.
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <memory>
#include <string>

#include "addon.h"
#include "datagram_ring.h"
#include "socket_reader.h"

namespace kb {
namespace {

constexpr int kMaxDatagramsPerBite = 256;
// A bite ends once it holds this much: the loop then writes to the
// streams (and takes HTTP/2's window updates) before it takes more. Bites
// of up to 4 MiB held the loop for ~10 ms each under a flood, and a reading
// client got 0.2x what a bare stream gets; at 64 KiB, 0.5x
// (docs/performance.md). While the loop is away the reader thread empties
// the kernel's buffer into the ring, so nothing needs to read more at once.
constexpr size_t kBiteBytes = 64u << 10;
constexpr int64_t kMaxReadAhead = int64_t{1} << 30;

class Channel : public Napi::ObjectWrap<Channel> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Channel",
                       {InstanceMethod("send", &Channel::Send), InstanceMethod("close", &Channel::Close),
                        InstanceMethod("fd", &Channel::Fd)});
  }

  // new Channel(fd, maxDatagram, onEvent(kind, value), reuse?, readAhead?)
  explicit Channel(const Napi::CallbackInfo &info) : Napi::ObjectWrap<Channel>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 3 || !info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsFunction() ||
        (info.Length() > 4 && !info[4].IsUndefined() && !info[4].IsNumber())) {
      Napi::TypeError::New(env, "new Channel(fd, maxDatagram, onEvent, reuse?, readAhead?)").ThrowAsJavaScriptException();
      return;
    }
    fd_ = info[0].As<Napi::Number>().Int32Value();
    const size_t max = info[1].As<Napi::Number>().Uint32Value();
    // With reuse, datagrams come as views of the ring, valid only while the
    // callback runs; this saves an ArrayBuffer per datagram (at a million
    // events a second, a major GC every ~100 ms with pauses up to 20 ms
    // came from them). Without, each is copied out.
    reuse_ = info.Length() > 3 && info[3].ToBoolean().Value();
    // readAhead: how much the reader thread may hold that the loop has not
    // taken; never less than two of the largest datagrams.
    const int64_t asked = info.Length() > 4 && info[4].IsNumber() ? info[4].As<Napi::Number>().Int64Value() : 0;
    if (asked < 0 || asked > kMaxReadAhead) {
      Napi::RangeError::New(env, "readAhead must be 0.." + std::to_string(kMaxReadAhead) + " bytes").ThrowAsJavaScriptException();
      return;
    }
    const size_t least = DatagramRing::MinCapacity(max + 1);
    const size_t capacity = DatagramRing::Align(static_cast<size_t>(asked) > least ? static_cast<size_t>(asked) : least);
    Napi::ArrayBuffer memory = Napi::ArrayBuffer::New(env, capacity);
    if (env.IsExceptionPending()) return;
    ring_memory_ = Napi::Persistent(memory);
    ring_ = std::make_unique<DatagramRing>(static_cast<uint8_t *>(ring_memory_.Value().Data()), capacity, max + 1);
    on_event_ = Napi::Persistent(info[2].As<Napi::Function>());
    async_context_ = std::make_unique<Napi::AsyncContext>(env, "kextbridge.Channel");
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
    ready_ = new uv_async_t;
    ready_->data = this;
    uv_async_init(loop, ready_, OnReady);
    reader_ = std::make_unique<SocketReader>(fd_, ring_.get(), [](void *self) { uv_async_send(static_cast<Channel *>(self)->ready_); }, this);
    if (int err = reader_->Start()) {
      Shutdown();
      ErrnoError(env, err, "cannot start the kext reader thread").ThrowAsJavaScriptException();
      return;
    }
    Watch();
    Ref();  // alive while open, whatever JS holds
  }

  ~Channel() override { Shutdown(); }

 private:
  bool open() const { return ready_ != nullptr; }

  // Readable unless the reader thread streams (the socket then stays
  // readable and would wake the loop on every turn for nothing: two bites
  // in three were empty); writable only after send() found no room.
  void Watch() {
    if (!poll_) return;
    const int events = (want_readable_ ? UV_READABLE : 0) | (want_writable_ ? UV_WRITABLE : 0);
    if (events) uv_poll_start(poll_, events, OnPoll);
    else uv_poll_stop(poll_);
  }

  void WatchWritable() {
    if (want_writable_) return;
    want_writable_ = true;
    Watch();
  }

  static void OnPoll(uv_poll_t *handle, int status, int events) {
    auto *self = static_cast<Channel *>(handle->data);
    Napi::Env env = self->Env();
    Napi::HandleScope scope(env);
    if (status < 0) {
      self->Finish(env, "EIO", "the kext socket failed");
      return;
    }
    if (events & UV_READABLE) self->TakeBite(env);
    // The callback may have closed the channel.
    if ((events & UV_WRITABLE) && self->open() && self->want_writable_) {
      self->want_writable_ = false;
      self->Watch();
      self->Emit(env, "drain", env.Undefined());
    }
  }

  static void OnReady(uv_async_t *handle) {
    auto *self = static_cast<Channel *>(handle->data);
    Napi::Env env = self->Env();
    Napi::HandleScope scope(env);
    self->TakeBite(env);
  }

  // One bite: what the ring holds, read from the socket first when it
  // holds less than a bite. Another turn follows while more waits, so the
  // loop's other work runs in between.
  void TakeBite(Napi::Env env) {
    const bool streaming = reader_->Streaming();
    if (streaming == want_readable_) {
      want_readable_ = !streaming;
      Watch();
    }
    if (ring_->Backlog() < kBiteBytes) reader_->ReadOnLoop(kBiteBytes, kMaxDatagramsPerBite);
    // Read before the ring: everything published before the end is seen.
    SocketReader::End end;
    const bool ended = reader_->Ended(&end);
    uint64_t cursor = ring_->Begin();
    size_t offset = 0, length = 0;
    if (!ring_->Next(&cursor, &offset, &length)) {
      // Nothing to take: no array made. A wrap record may have been skipped.
      ring_->Release(cursor);
      if (ended) FinishEnded(env, end);
      return;
    }
    Napi::Array batch = Napi::Array::New(env);
    Napi::ArrayBuffer memory = ring_memory_.Value();
    const uint8_t *base = static_cast<const uint8_t *>(memory.Data());
    uint32_t count = 0;
    size_t bytes = 0;
    do {
      if (reuse_) batch.Set(count++, Napi::Uint8Array::New(env, length, memory, offset));
      else batch.Set(count++, Napi::Buffer<uint8_t>::Copy(env, base + offset, length));
      bytes += length;
    } while (count < kMaxDatagramsPerBite && bytes < kBiteBytes && ring_->Next(&cursor, &offset, &length));
    Emit(env, "messages", batch);
    // The callback may have closed the channel.
    if (!open()) return;
    ring_->Release(cursor);
    uint64_t more = cursor;
    if (ring_->Next(&more, &offset, &length)) uv_async_send(ready_);
    else if (ended) FinishEnded(env, end);
  }

  void FinishEnded(Napi::Env env, const SocketReader::End &end) {
    if (end.error == 0) Finish(env, "EOF", "the kext closed the connection");
    else if (end.error == EMSGSIZE)
      // Never truncate silently: the protocol would be corrupt.
      Finish(env, "EMSGSIZE",
             "the kext sent a datagram of " + std::to_string(end.oversize) + " bytes, larger than the negotiated " +
                 std::to_string(ring_->room() - 1));
    else Finish(env, ErrnoName(end.error), "the kext connection failed");
  }

  void Emit(Napi::Env env, const char *kind, Napi::Value value) {
    if (on_event_.IsEmpty()) return;
    on_event_.MakeCallback(Value(), {Napi::String::New(env, kind), value}, *async_context_);
  }

  void Finish(Napi::Env env, const std::string &code, const std::string &message) {
    if (!open()) return;
    Shutdown();
    Napi::Object reason = Napi::Object::New(env);
    reason.Set("code", code);
    reason.Set("message", message);
    Emit(env, "close", reason);
    Unref();
  }

  // Stops the reader, then the loop's handles (freed by libuv), then the fd.
  void Shutdown() {
    if (reader_) reader_->Stop();
    if (ready_) {
      uv_close(reinterpret_cast<uv_handle_t *>(ready_), [](uv_handle_t *h) { delete reinterpret_cast<uv_async_t *>(h); });
      ready_ = nullptr;
    }
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
      WatchWritable();
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
    if (open()) {
      Shutdown();
      on_event_.Reset();
      Unref();
    }
    return info.Env().Undefined();
  }

  Napi::Value Fd(const Napi::CallbackInfo &info) { return Napi::Number::New(info.Env(), fd_); }

  int fd_ = -1;
  bool reuse_ = false;
  bool want_readable_ = true;
  bool want_writable_ = false;
  // The ring's memory is a JS ArrayBuffer, so views of it handed to JS
  // can never outlive it.
  Napi::Reference<Napi::ArrayBuffer> ring_memory_;
  std::unique_ptr<DatagramRing> ring_;
  std::unique_ptr<SocketReader> reader_;
  // Set while open: the reader thread's wake-ups, and the loop's own when
  // the ring holds more than a bite.
  uv_async_t *ready_ = nullptr;
  // The socket: readable, and writable after send() found no room.
  uv_poll_t *poll_ = nullptr;
  Napi::FunctionReference on_event_;
  std::unique_ptr<Napi::AsyncContext> async_context_;
};

}  // namespace

Napi::Object InitChannel(Napi::Env env, Napi::Object exports) {
  exports.Set("Channel", Channel::Define(env));
  return exports;
}

}  // namespace kb
