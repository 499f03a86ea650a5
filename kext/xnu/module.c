/*
 * Start and stop. Stop fails while the daemon is connected: the engine has
 * then sent GOODBYE(UNLOAD), the daemon closes, and the next unload attempt
 * succeeds (ctl_deregister would fail with EBUSY anyway).
 *
 * Unload rules (docs/kext-authors.md, "Unloading"): nothing is freed while
 * the kernel can still call into it. Start registers the control last, so
 * a failed start has nothing registered and frees everything; stop first
 * makes sure no new caller can come (control deregistered, listener gone,
 * timers closed, workers refused), then waits for every counted caller to
 * leave, and only then frees.
 */
#include "kb_xnu.h"

struct kb_xnu kb_xnu;

/* Frees what start allocated; nothing asynchronous may be running. */
static void release_all(void)
{
	struct kb_xnu_res *r = &kb_xnu.r;

	/* Both calls are idle here (never armed, or drained and freed by
	 * kb_xnu_timers_shutdown, which leaves the pointers 0). */
	kb_xnu_timers_shutdown();
	if (r->engine_mem)
		OSFree(r->engine_mem, r->engine_mem_size, r->tag);
	if (r->rx)
		OSFree(r->rx, KB_XNU_SENDSIZE + 1, r->tag);
	if (r->listen_mtx)
		lck_mtx_free(r->listen_mtx, r->grp);
	if (r->rx_mtx)
		lck_mtx_free(r->rx_mtx, r->grp);
	if (r->mtx)
		lck_mtx_free(r->mtx, r->grp);
	if (r->grp)
		lck_grp_free(r->grp);
	if (r->tag)
		OSMalloc_Tagfree(r->tag);
	/* Only the resources: the gates stay closed for any caller still on its way out. */
	__builtin_memset(r, 0, sizeof(*r));
}

static void close_gates(void)
{
	kb_gate_close(&kb_xnu.ctl_gate);
	kb_gate_close(&kb_xnu.kauth_gate);
	kb_gate_close(&kb_xnu.worker_gate);
	kb_gate_close(&kb_xnu.retry_timer.gate);
	kb_gate_close(&kb_xnu.heartbeat_timer.gate);
}

static kern_return_t kextbridge_start(kmod_info_t *ki, void *d)
{
	struct kb_xnu_res *r = &kb_xnu.r;
	struct kb_engine_config cfg;
	struct kb_kext_env env;
	struct kb_platform platform;
	const struct kb_catalog *cat = KB_KEXT->catalog();
	size_t size;

	(void)ki;
	(void)d;
	/* Closed until everything exists: a late caller finds nothing half built. */
	close_gates();
	kb_engine_default_config(&cfg);
	cfg.max_datagram_in = KB_XNU_SENDSIZE;
	cfg.max_datagram_out = KB_XNU_MAX_DATAGRAM;
	size = kb_engine_memory_size(&cfg, cat);

	r->tag = OSMalloc_Tagalloc(cat->identity, OSMT_DEFAULT);
	r->grp = lck_grp_alloc_init(cat->identity, 0);
	if (!r->tag || !r->grp || size > 0xffffffffu)
		goto fail;
	r->mtx = lck_mtx_alloc_init(r->grp, 0);
	r->rx_mtx = lck_mtx_alloc_init(r->grp, 0);
	r->listen_mtx = lck_mtx_alloc_init(r->grp, 0);
	r->engine_mem_size = (uint32_t)size;
	r->engine_mem = OSMalloc(r->engine_mem_size, r->tag);
	r->rx = OSMalloc(KB_XNU_SENDSIZE + 1, r->tag);
	r->retry_call = thread_call_allocate(kb_xnu_retry_fired, 0);
	r->heartbeat_call = thread_call_allocate(kb_xnu_heartbeat_fired, 0);
	if (!r->mtx || !r->rx_mtx || !r->listen_mtx || !r->engine_mem || !r->rx ||
	    !r->retry_call || !r->heartbeat_call)
		goto fail;

	kb_xnu_platform(&platform);
	kb_xnu_kext_env(&env);
	if (kb_engine_init(r->engine_mem, size, &cfg, cat, &platform, &r->engine) != KB_R_OK)
		goto fail;
	/* Workers may be spawned from here on (the kext's start may spawn). */
	kb_gate_open(&kb_xnu.worker_gate);
	if (KB_KEXT->start(r->engine, &env) != KB_R_OK) {
		kb_xnu_workers_shutdown();
		goto fail;
	}
	/*
	 * Last: once registered, a client may connect and the control cannot
	 * be taken back while it stays (EBUSY), so nothing after this may fail.
	 * The exec listener is not started here: it exists only while a
	 * subscriber wants exec events (kauth_exec.c).
	 */
	kb_gate_open(&kb_xnu.ctl_gate);
	kb_gate_open(&kb_xnu.kauth_gate);
	kb_timer_init(&kb_xnu.retry_timer);
	kb_timer_init(&kb_xnu.heartbeat_timer);
	if (kb_xnu_register_control() != 0) {
		KB_KEXT->stop();
		kb_xnu_workers_shutdown();
		goto fail;
	}
	kb_xnu_arm_heartbeat();
	printf("kextbridge: %s %s started\n", cat->identity, cat->version);
	return KERN_SUCCESS;
fail:
	printf("kextbridge: start failed\n");
	close_gates();
	release_all();
	return KERN_FAILURE;
}

static kern_return_t kextbridge_stop(kmod_info_t *ki, void *d)
{
	(void)ki;
	(void)d;
	if (kb_engine_stop(kb_xnu.r.engine) != KB_R_OK) {
		printf("kextbridge: daemon connected; sent GOODBYE, unload again once it closes\n");
		return KERN_FAILURE;
	}
	/* A client may have connected since: then nothing changes and stop fails. */
	if (kb_xnu_deregister_control() != 0) {
		printf("kextbridge: control still has clients; not unloading\n");
		return KERN_FAILURE;
	}
	/* No new control callbacks can come; wait for any still running. */
	kb_gate_close(&kb_xnu.ctl_gate);
	kb_gate_drain(&kb_xnu.ctl_gate, kb_xnu_pause, 0);
	/* No listener, no fileop callback running. */
	kb_xnu_unlisten_exec();
	/* The kext's jobs see stopping and answer; then their threads leave kext code. */
	KB_KEXT->stop();
	kb_xnu_workers_shutdown();
	/* Heartbeat and retry: neither armed nor running, then freed. */
	kb_xnu_timers_shutdown();
	release_all();
	printf("kextbridge: stopped\n");
	return KERN_SUCCESS;
}

/*
 * What kextload looks for: the kmod_info record, whose start and stop the
 * kernel calls directly (it overwrites name and version from Info.plist),
 * and the _realmain/_antimain pointers libkmod's own entry points call when
 * Xcode generates kmod_info instead.
 */
kmod_info_t kmod_info = {
	0, KMOD_INFO_VERSION, (uint32_t)-1, KB_XNU_BUNDLE_ID, KB_XNU_BUNDLE_VERSION, -1, 0, 0, 0,
	0, kextbridge_start, kextbridge_stop,
};
__attribute__((visibility("hidden"))) kmod_start_func_t *_realmain = kextbridge_start;
__attribute__((visibility("hidden"))) kmod_stop_func_t *_antimain = kextbridge_stop;
