/*
 * Stand-in for the SDK's MIG-generated <mach/thread_act.h>: the only header
 * that declares thread_terminate for a kext (kern/thread.h does not), so
 * glue that calls it without including this header fails xnu-check as it
 * would fail against the SDK. Written by the project; see kb_xnu_decls.h.
 */
#ifndef KB_XNU_DECLS_MACH_THREAD_ACT_H
#define KB_XNU_DECLS_MACH_THREAD_ACT_H

#include "kb_xnu_decls.h"

kern_return_t thread_terminate(thread_t target_act);

#endif
