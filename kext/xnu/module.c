/*
 * Start and stop. Stop fails while the daemon is connected: the engine has
 * then sent GOODBYE(UNLOAD), the daemon closes, and the next unload attempt
 * succeeds (ctl_deregister would fail with EBUSY anyway).
 */
#include "kb_xnu.h"

struct kb_xnu kb_xnu;

static void release_all(void)
{
	if (kb_xnu.retry_call) {
		thread_call_cancel(kb_xnu.retry_call);
		thread_call_free(kb_xnu.retry_call);
	}
	if (kb_xnu.heartbeat_call) {
		thread_call_cancel(kb_xnu.heartbeat_call);
		thread_call_free(kb_xnu.heartbeat_call);
	}
	if (kb_xnu.engine_mem)
		OSFree(kb_xnu.engine_mem, kb_xnu.engine_mem_size, kb_xnu.tag);
	if (kb_xnu.rx)
		OSFree(kb_xnu.rx, KB_XNU_SENDSIZE + 1, kb_xnu.tag);
	if (kb_xnu.rx_mtx)
		lck_mtx_free(kb_xnu.rx_mtx, kb_xnu.grp);
	if (kb_xnu.mtx)
		lck_mtx_free(kb_xnu.mtx, kb_xnu.grp);
	if (kb_xnu.grp)
		lck_grp_free(kb_xnu.grp);
	if (kb_xnu.tag)
		OSMalloc_Tagfree(kb_xnu.tag);
	__builtin_memset(&kb_xnu, 0, sizeof(kb_xnu));
}

static kern_return_t kextbridge_start(kmod_info_t *ki, void *d)
{
	struct kb_engine_config cfg;
	struct kb_example_env env;
	struct kb_platform platform;
	const struct kb_catalog *cat = kb_example_catalog();
	size_t size;

	(void)ki;
	(void)d;
	kb_engine_default_config(&cfg);
	cfg.max_datagram_in = KB_XNU_SENDSIZE;
	cfg.max_datagram_out = KB_XNU_MAX_DATAGRAM;
	size = kb_engine_memory_size(&cfg, cat);

	kb_xnu.tag = OSMalloc_Tagalloc(KB_EXAMPLE_IDENTITY, OSMT_DEFAULT);
	kb_xnu.grp = lck_grp_alloc_init(KB_EXAMPLE_IDENTITY, 0);
	if (!kb_xnu.tag || !kb_xnu.grp || size > 0xffffffffu)
		goto fail;
	kb_xnu.mtx = lck_mtx_alloc_init(kb_xnu.grp, 0);
	kb_xnu.rx_mtx = lck_mtx_alloc_init(kb_xnu.grp, 0);
	kb_xnu.engine_mem_size = (uint32_t)size;
	kb_xnu.engine_mem = OSMalloc(kb_xnu.engine_mem_size, kb_xnu.tag);
	kb_xnu.rx = OSMalloc(KB_XNU_SENDSIZE + 1, kb_xnu.tag);
	kb_xnu.retry_call = thread_call_allocate(kb_xnu_retry_fired, 0);
	kb_xnu.heartbeat_call = thread_call_allocate(kb_xnu_heartbeat_fired, 0);
	if (!kb_xnu.mtx || !kb_xnu.rx_mtx || !kb_xnu.engine_mem || !kb_xnu.rx ||
	    !kb_xnu.retry_call || !kb_xnu.heartbeat_call)
		goto fail;

	kb_xnu_platform(&platform);
	kb_xnu_example_env(&env);
	if (kb_engine_init(kb_xnu.engine_mem, size, &cfg, cat, &platform, &kb_xnu.engine) != KB_R_OK ||
	    kb_example_init(kb_xnu.engine, &env) != KB_R_OK)
		goto fail;
	if (kb_xnu_register_control() != 0)
		goto fail;
	if (kb_xnu_listen_exec() != 0) {
		kb_xnu_deregister_control();
		goto fail;
	}
	kb_xnu_arm_heartbeat();
	printf("kextbridge: %s %s started\n", KB_EXAMPLE_IDENTITY, KB_EXAMPLE_VERSION);
	return KERN_SUCCESS;
fail:
	printf("kextbridge: start failed\n");
	release_all();
	return KERN_FAILURE;
}

static kern_return_t kextbridge_stop(kmod_info_t *ki, void *d)
{
	(void)ki;
	(void)d;
	if (kb_engine_stop(kb_xnu.engine) != KB_R_OK) {
		printf("kextbridge: daemon connected; sent GOODBYE, unload again once it closes\n");
		return KERN_FAILURE;
	}
	if (kb_xnu_deregister_control() != 0) {
		printf("kextbridge: control still has clients; not unloading\n");
		return KERN_FAILURE;
	}
	kb_xnu.stopping = 1;
	kb_xnu_unlisten_exec();
	/* Workers may be in an upcall or emitting; they end on their own. */
	kb_example_shutdown();
	release_all();
	return KERN_SUCCESS;
}

/*
 * What kextload looks for: the kmod_info record and the start/stop
 * pointers libkmod's entry points call (Xcode generates these).
 */
kmod_info_t kmod_info = {
	0, 1, (uint32_t)-1, KB_EXAMPLE_IDENTITY, KB_EXAMPLE_VERSION, -1, 0, 0, 0, 0,
	kextbridge_start, kextbridge_stop,
};
__attribute__((visibility("hidden"))) kmod_start_func_t *_realmain = kextbridge_start;
__attribute__((visibility("hidden"))) kmod_stop_func_t *_antimain = kextbridge_stop;
