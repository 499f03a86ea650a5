/* expect: 'mbuf_freem' is deprecated */
/* sys/kpi_mbuf.h: deprecated for third-party kexts, an error under -Werror. */
#include "kb_xnu.h"

void kb_bad(mbuf_t m);
void kb_bad(mbuf_t m)
{
#ifdef KB_BAD_FIXED
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
	mbuf_freem(m);
#ifdef KB_BAD_FIXED
#pragma GCC diagnostic pop
#endif
}
