/*
 * The kernel control: registration and the callbacks, each translated to
 * one engine call. Per-client state lives in the engine, keyed by unit.
 * Each callback is counted in ctl_gate so stop can tell none is running
 * once ctl_deregister has succeeded.
 */
#include "kb_xnu.h"

static errno_t on_connect(kern_ctl_ref kctlref, struct sockaddr_ctl *sac, void **unitinfo)
{
	errno_t err;

	(void)kctlref;
	*unitinfo = 0;
	if (!kb_gate_enter(&kb_xnu.ctl_gate))
		return EBUSY;
	/* A positive errno refuses; the kernel still calls on_disconnect for it. */
	err = kb_engine_connect(kb_xnu.r.engine, sac->sc_unit) == KB_R_OK ? 0 : EBUSY;
	kb_gate_leave(&kb_xnu.ctl_gate);
	return err;
}

static errno_t on_disconnect(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo)
{
	(void)kctlref;
	(void)unitinfo;
	if (!kb_gate_enter(&kb_xnu.ctl_gate))
		return 0;
	kb_engine_disconnect(kb_xnu.r.engine, unit);
	kb_gate_leave(&kb_xnu.ctl_gate);
	return 0;
}

/*
 * The mbuf KPI is deprecated for third-party kexts (sys/kpi_mbuf.h), but
 * kernel control hands ctl_send its data as an mbuf chain that the kext
 * owns and must free: there is no non-deprecated way to read or release
 * it. The warning is silenced here only, around the three calls that touch
 * the chain; any other deprecated call in the glue still fails -Werror.
 * (GCC's spelling of the pragma: clang honours it too, and GCC does not
 * warn about an unknown "clang" pragma.)
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static size_t chain_len(mbuf_t m)
{
	size_t total = 0;

	for (; m; m = mbuf_next(m))
		total += mbuf_len(m);
	return total;
}

static int chain_copy(mbuf_t m, size_t len, void *out)
{
	return mbuf_copydata(m, 0, len, out) == 0;
}

static void chain_free(mbuf_t m)
{
	mbuf_freem(m);
}
#pragma GCC diagnostic pop

static errno_t on_send(kern_ctl_ref kctlref, u_int32_t unit, void *unitinfo, mbuf_t m, int flags)
{
	size_t total = chain_len(m);

	(void)kctlref;
	(void)unitinfo;
	(void)flags;
	if (kb_gate_enter(&kb_xnu.ctl_gate)) {
		/*
		 * Command handlers run on this thread (the daemon's send()):
		 * they must answer at once or go async (docs/kext-authors.md).
		 */
		lck_mtx_lock(kb_xnu.r.rx_mtx);
		if (total > KB_XNU_SENDSIZE) {
			/* Larger than we registered for: the engine counts and drops it unread. */
			kb_engine_input(kb_xnu.r.engine, unit, kb_xnu.r.rx, KB_XNU_SENDSIZE + 1);
		} else if (chain_copy(m, total, kb_xnu.r.rx)) {
			kb_engine_input(kb_xnu.r.engine, unit, kb_xnu.r.rx, total);
		}
		lck_mtx_unlock(kb_xnu.r.rx_mtx);
		kb_gate_leave(&kb_xnu.ctl_gate);
	}
	/* The kext owns the mbuf, even on error. */
	chain_free(m);
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
	const char *name = KB_KEXT->catalog()->identity;
	struct kern_ctl_reg reg;
	errno_t err;
	size_t i;

	__builtin_memset(&reg, 0, sizeof(reg));
	/* The kext's identity names the control; with its NUL it must fit. */
	for (i = 0; name[i]; i++) {
		if (i + 1 >= MAX_KCTL_NAME)
			return EINVAL;
		reg.ctl_name[i] = name[i];
	}
	reg.ctl_flags = CTL_FLAG_PRIVILEGED;
	reg.ctl_sendsize = KB_XNU_SENDSIZE;
	reg.ctl_recvsize = KB_XNU_RECVSIZE;
	reg.ctl_connect = on_connect;
	reg.ctl_disconnect = on_disconnect;
	reg.ctl_send = on_send;
	reg.ctl_setopt = on_setopt;
	reg.ctl_getopt = on_getopt;
	err = ctl_register(&reg, &kb_xnu.r.kctl);
	if (err == 0)
		kb_xnu.r.registered = 1;
	return err;
}

errno_t kb_xnu_deregister_control(void)
{
	errno_t err;

	if (!kb_xnu.r.registered)
		return 0;
	err = ctl_deregister(kb_xnu.r.kctl);
	if (err == 0)
		kb_xnu.r.registered = 0;
	return err;
}
