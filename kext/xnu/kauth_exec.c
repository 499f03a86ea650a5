/*
 * Exec events from the kauth file-operation scope. A fileop listener only
 * observes (it cannot deny), so real execs are published, never gated; the
 * authorize_exec upcall is exercised by the simulate_exec command.
 *
 * While any KAUTH_SCOPE_FILEOP listener exists the kernel builds a path for
 * every open, close, exec and rename on the system, so the listener exists
 * only while some subscriber wants the exec topic: the engine tells the
 * glue when the wanted set changes (platform->topics_changed).
 *
 * kauth_unlisten_scope does not wait for callbacks already running (xnu
 * leaves that to the caller), so callbacks are counted in kauth_gate and
 * unlistening waits for the count to reach zero.
 *
 * kauth_listen_scope and kauth_unlisten_scope are deprecated for
 * third-party kexts ("Use EndpointSecurity instead"), but a fileop listener
 * is the only way a kext sees exec; EndpointSecurity is a user-space API.
 * The warning is silenced around these two calls only.
 */
#include "kb_xnu.h"

static int on_fileop(kauth_cred_t cred, void *idata, kauth_action_t action, uintptr_t arg0,
		     uintptr_t arg1, uintptr_t arg2, uintptr_t arg3)
{
	(void)idata;
	(void)arg0;
	(void)arg2;
	(void)arg3;
	if (action != KAUTH_FILEOP_EXEC || !arg1)
		return KAUTH_RESULT_DEFER;
	if (!kb_gate_enter(&kb_xnu.kauth_gate))
		return KAUTH_RESULT_DEFER;
	/* arg1, the path, is valid only during this call: copied before returning. */
	KB_KEXT->exec_observed((uint32_t)proc_selfpid(), (uint32_t)proc_selfppid(),
			       (uint32_t)kauth_cred_getuid(cred), (const char *)arg1);
	kb_gate_leave(&kb_xnu.kauth_gate);
	return KAUTH_RESULT_DEFER;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static kauth_listener_t listen_fileop(void)
{
	return kauth_listen_scope(KAUTH_SCOPE_FILEOP, on_fileop, 0);
}

static void unlisten(kauth_listener_t l)
{
	kauth_unlisten_scope(l);
}
#pragma GCC diagnostic pop

/* Under listen_mtx. */
static void unlisten_locked(void)
{
	if (!kb_xnu.r.listener)
		return;
	unlisten(kb_xnu.r.listener);
	kb_xnu.r.listener = 0;
	/* Callbacks that started before unlisten finish before we return. */
	kb_gate_drain(&kb_xnu.kauth_gate, kb_xnu_pause, 0);
}

void kb_xnu_exec_wanted(struct kb_engine *e, void *arg)
{
	int want;

	(void)arg;
	lck_mtx_lock(kb_xnu.r.listen_mtx);
	/* A kext without an exec source never listens. Asked under
	 * listen_mtx, so the last of racing calls decides. */
	want = KB_KEXT->exec_topic && KB_KEXT->exec_observed &&
	       kb_topic_wanted(e, KB_KEXT->exec_topic);
	if (want && !kb_xnu.r.listener) {
		kb_xnu.r.listener = listen_fileop();
		if (!kb_xnu.r.listener)
			printf("kextbridge: kauth_listen_scope failed: no exec events\n");
	} else if (!want) {
		unlisten_locked();
	}
	lck_mtx_unlock(kb_xnu.r.listen_mtx);
}

void kb_xnu_unlisten_exec(void)
{
	kb_gate_close(&kb_xnu.kauth_gate);
	lck_mtx_lock(kb_xnu.r.listen_mtx);
	unlisten_locked();
	lck_mtx_unlock(kb_xnu.r.listen_mtx);
	kb_gate_drain(&kb_xnu.kauth_gate, kb_xnu_pause, 0);
}
