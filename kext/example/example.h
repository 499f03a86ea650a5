/*
 * The example kext: what its glue (kext/xnu on macOS, kext/sim for
 * kextsim) calls. Shows the four patterns: commands, options, events and
 * an upcall.
 */
#ifndef KB_EXAMPLE_H
#define KB_EXAMPLE_H

#include <stdint.h>

#include <kextbridge/engine.h>
#include <kextbridge/kext.h>

#define KB_EXAMPLE_IDENTITY "org.kextbridge.example"
#define KB_EXAMPLE_VERSION  "0.1.0"
#define KB_EXAMPLE_UPCALL_TIMEOUT_MS 2000u

/* The example's descriptor (example_kext.c): what the glue and kextsim use. */
extern const struct kb_kext kb_example_kext;

/* Before kb_engine_init: the upcall timeout announced in the catalog. */
void kb_example_configure(uint32_t upcall_timeout_ms);
const struct kb_catalog *kb_example_catalog(void);
/* After kb_engine_init. */
int kb_example_init(struct kb_engine *e, const struct kb_kext_env *env);
/* Stops workers and waits for them; call before freeing the engine. */
void kb_example_shutdown(void);

/* A process was executed (kauth listener on macOS): publish it. */
void kb_example_exec_observed(uint32_t pid, uint32_t ppid, uint32_t uid, const char *path);
/* Once a second from the glue's timer. */
void kb_example_heartbeat(void);

#endif
