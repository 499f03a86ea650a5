/*
 * The kernel control: registration and the callbacks, each translated to
 * one engine call. Per-client state lives in the engine, keyed by unit.
 */
#include "kb_xnu.h"

static errno_t on_connect(kern_ctl_ref kctlref, struct sockaddr_ctl *sac, void **unitinfo)
{
	(void)kctlref;
	*unitinfo = 0;
	/* A positive errno refuses; the kernel still calls on_disconnect for it. */
	return kb_engine_connect(kb_xnu.engine, sac->sc_unit) == KB_R_OK ? 0 : EBUSY;
}

static errno_t on_disconnect(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo)
{
	(void)kctlref;
	(void)unitinfo;
	kb_engine_disconnect(kb_xnu.engine, unit);
	return 0;
}

static errno_t on_send(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo, mbuf_t m, int flags)
{
	size_t total = 0;
	mbuf_t n;

	(void)kctlref;
	(void)unitinfo;
	(void)flags;
	for (n = m; n; n = mbuf_next(n))
		total += mbuf_len(n);
	lck_mtx_lock(kb_xnu.rx_mtx);
	if (total > KB_XNU_SENDSIZE) {
		/* Larger than we registered for: the engine counts and drops it unread. */
		kb_engine_input(kb_xnu.engine, unit, kb_xnu.rx, KB_XNU_SENDSIZE + 1);
	} else if (mbuf_copydata(m, 0, total, kb_xnu.rx) == 0) {
		kb_engine_input(kb_xnu.engine, unit, kb_xnu.rx, total);
	}
	lck_mtx_unlock(kb_xnu.rx_mtx);
	/* The kext owns the mbuf, even on error. */
	mbuf_freem(m);
	return 0;
}

/* Options travel in-band (OPT_GET/OPT_SET); socket options are not used. */
static errno_t on_setopt(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo, int opt,
			 void *data, size_t len)
{
	(void)kctlref;
	(void)unit;
	(void)unitinfo;
	(void)opt;
	(void)data;
	(void)len;
	return ENOTSUP;
}

static errno_t on_getopt(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo, int opt,
			 void *data, size_t *len)
{
	(void)kctlref;
	(void)unit;
	(void)unitinfo;
	(void)opt;
	(void)data;
	/* Never larger than given: nothing was written. */
	*len = 0;
	return ENOTSUP;
}

errno_t kb_xnu_register_control(void)
{
	static const char name[] = KB_EXAMPLE_IDENTITY;
	struct kern_ctl_reg reg;
	errno_t err;
	size_t i;

	__builtin_memset(&reg, 0, sizeof(reg));
	_Static_assert(sizeof(name) <= MAX_KCTL_NAME, "control name fits ctl_name");
	for (i = 0; i < sizeof(name); i++)
		reg.ctl_name[i] = name[i];
	reg.ctl_flags = CTL_FLAG_PRIVILEGED;
	reg.ctl_sendsize = KB_XNU_SENDSIZE;
	reg.ctl_recvsize = KB_XNU_RECVSIZE;
	reg.ctl_connect = on_connect;
	reg.ctl_disconnect = on_disconnect;
	reg.ctl_send = on_send;
	reg.ctl_setopt = on_setopt;
	reg.ctl_getopt = on_getopt;
	err = ctl_register(&reg, &kb_xnu.kctl);
	if (err == 0)
		kb_xnu.registered = 1;
	return err;
}

errno_t kb_xnu_deregister_control(void)
{
	errno_t err;

	if (!kb_xnu.registered)
		return 0;
	err = ctl_deregister(kb_xnu.kctl);
	if (err == 0)
		kb_xnu.registered = 0;
	return err;
}
