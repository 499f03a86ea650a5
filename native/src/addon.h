// The addon's native pieces, one job per file: channel.cc (a datagram
// socket on libuv), open_<os>.cc (connecting to the kext), peercred_<os>.cc
// (who is on the other end of a unix socket).
#pragma once

#include <napi.h>

#include <string>

namespace kb {

// Throws a JS Error with .code = errno name and a sentence to act on.
Napi::Error ErrnoError(Napi::Env env, int err, const std::string &what);
const char *ErrnoName(int err);

// The fd argument of a call, or -1 with a TypeError thrown.
int FdArgument(const Napi::CallbackInfo &info, const char *usage);

// Connects to the kext (Linux: kextsim's SEQPACKET socket at a path;
// macOS: a PF_SYSTEM control by name). Returns a non-blocking fd or throws.
Napi::Value OpenKext(const Napi::CallbackInfo &info);
// { uid, gid, pid, groups } of the peer of a connected unix socket fd.
Napi::Value PeerCredentials(const Napi::CallbackInfo &info);
#ifndef __APPLE__
// Linux: the group database's groups of a uid, off the event loop.
Napi::Value GroupList(const Napi::CallbackInfo &info);
// Linux: the peer's pid, executable path and an fd of that file, pinned
// by a pidfd (peerprogram_linux.cc).
Napi::Value PeerProgram(const Napi::CallbackInfo &info);
#endif
// Raises RLIMIT_NOFILE toward a count; returns { soft, hard } (limits.cc).
Napi::Value RaiseFileLimit(const Napi::CallbackInfo &info);
Napi::Value ReturnFreeMemory(const Napi::CallbackInfo &info);

#ifdef __APPLE__
// launchd socket activation: listening fds for a Sockets entry by name.
Napi::Value ActivateSocket(const Napi::CallbackInfo &info);
// A kernel-event socket filtered to KEV_CTL_SUBCLASS; read with a Channel.
Napi::Value OpenKernelEvents(const Napi::CallbackInfo &info);
// The peer's audit token, and code-signing checks on it (codesign_darwin.cc).
Napi::Value PeerToken(const Napi::CallbackInfo &info);
Napi::Value CheckRequirement(const Napi::CallbackInfo &info);
Napi::Value DescribeCode(const Napi::CallbackInfo &info);
#endif

Napi::Object InitChannel(Napi::Env env, Napi::Object exports);

}  // namespace kb
