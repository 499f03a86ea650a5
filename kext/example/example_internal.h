#ifndef KB_EXAMPLE_INTERNAL_H
#define KB_EXAMPLE_INTERNAL_H

#include <kextbridge/pb.h>

#include "example.h"
#include "example_ids.h"

struct kb_example {
	struct kb_engine *engine;
	struct kb_kext_env env;
	int64_t log_level, max_event_rate;
	uint64_t heartbeats;
	uint64_t started_ns;
	int stopping;           /* atomic: read by worker threads */
};

extern struct kb_example kb_ex;

/* example_exec.c: the ExecEvent encoding shared by emit and exec events. */
size_t kb_ex_encode_exec(uint8_t *out, size_t cap, uint32_t pid, uint32_t ppid, uint32_t uid,
			 const char *path, size_t path_len, uint32_t pad_to);

/* example_jobs.c: commands that run on worker threads. */
void kb_ex_emit(struct kb_engine *e, void *arg, const struct kb_call *call);
void kb_ex_simulate_exec(struct kb_engine *e, void *arg, const struct kb_call *call);
void kb_ex_cancel(struct kb_engine *e, void *arg, uint64_t token);
void kb_ex_jobs_shutdown(void);

#endif
