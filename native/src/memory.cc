// returnFreeMemory(): gives memory the daemon no longer uses back to the
// system. After a flood, what is dead is garbage V8 collects only at its
// next full collection (none comes while the daemon is quiet), V8 keeps
// the heap pages it grew to, and glibc keeps what was freed in its arenas
// between live blocks: the process stays at its peak. V8's low-memory
// notification collects fully and releases unused heap pages; glibc's
// malloc_trim then releases every free page, not only the heap's top.
// (This is V8's own API beside Node-API: there is no Node-API call for it.)
#include <v8.h>

// <cstdlib> first: it is what defines __GLIBC__.
#include <cstdlib>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "addon.h"

namespace kb {

Napi::Value ReturnFreeMemory(const Napi::CallbackInfo &info) {
  v8::Isolate *isolate = v8::Isolate::GetCurrent();
  if (isolate != nullptr) isolate->LowMemoryNotification();
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
  return info.Env().Undefined();
}

}  // namespace kb
