/*
 * What the example kext's files share. The catalog, the message structs
 * and the handler prototypes come from proto/example/v1/example.proto
 * (gen/example.pb.h). Calls go one way: example_kext.c (lifecycle) uses
 * example_jobs.c and example_exec.c; example_jobs.c uses example_exec.c;
 * handlers get the kext's state as their arg.
 */
#ifndef KB_EXAMPLE_INTERNAL_H
#define KB_EXAMPLE_INTERNAL_H

#include <kextbridge/kext.h>

#include "gen/example.pb.h"

struct example {
	struct kb_engine *engine;
	struct kb_kext_env env;
	uint64_t heartbeats;
	uint64_t started_ns;
};

/* example_exec.c: ExecEvent, shared by exec events and emit. Returns the
 * encoded length, 0 if it does not fit cap. */
size_t example_encode_exec(uint8_t *out, size_t cap, const example_ExecEvent *ev, uint32_t pad_to);
void example_publish_exec(struct example *ex, uint32_t pid, uint32_t ppid, uint32_t uid,
			  const char *path);

/* example_jobs.c: start makes the job pool; stop cancels what runs and waits for it. */
void example_jobs_start(struct example *ex);
void example_jobs_stop(struct example *ex);

#endif
