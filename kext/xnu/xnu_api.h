/*
 * The kernel KPI the glue uses: the SDK's headers when building the kext,
 * the project's own declarations when compile-checking on Linux.
 */
#ifndef KB_XNU_API_H
#define KB_XNU_API_H

#ifdef KB_XNU_DECLS
#include "kb_xnu_decls.h"
#else
#include <mach/mach_types.h>
#include <mach/kmod.h>
#include <kern/clock.h>
#include <kern/locks.h>
#include <kern/thread.h>
#include <kern/thread_call.h>
#include <libkern/OSMalloc.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/kern_control.h>
#include <sys/kpi_mbuf.h>
#include <sys/proc.h>
#include <sys/systm.h>
#endif

#endif
