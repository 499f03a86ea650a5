/*
 * Exec events from the kauth file-operation scope. A fileop listener only
 * observes (it cannot deny), so real execs are published, never gated; the
 * authorize_exec upcall is exercised by the simulate_exec command.
 */
#include "kb_xnu.h"

static int on_fileop(kauth_cred_t cred, void *idata, kauth_action_t action, uintptr_t arg0,
		     uintptr_t arg1, uintptr_t arg2, uintptr_t arg3)
{
	(void)idata;
	(void)arg0;
	(void)arg2;
	(void)arg3;
	if (action == KAUTH_FILEOP_EXEC && arg1 && !kb_xnu.stopping)
		kb_example_exec_observed((uint32_t)proc_selfpid(), (uint32_t)proc_selfppid(),
					 (uint32_t)kauth_cred_getuid(cred), (const char *)arg1);
	return KAUTH_RESULT_DEFER;
}

int kb_xnu_listen_exec(void)
{
	kb_xnu.listener = kauth_listen_scope(KAUTH_SCOPE_FILEOP, on_fileop, 0);
	return kb_xnu.listener ? 0 : -1;
}

void kb_xnu_unlisten_exec(void)
{
	if (kb_xnu.listener)
		kauth_unlisten_scope(kb_xnu.listener);
	kb_xnu.listener = 0;
}
