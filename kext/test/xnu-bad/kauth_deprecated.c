/* expect: 'kauth_unlisten_scope' is deprecated: Use EndpointSecurity instead */
/* sys/kauth.h: __kpi_deprecated("Use EndpointSecurity instead"). */
#include "kb_xnu.h"

void kb_bad(kauth_listener_t l);
void kb_bad(kauth_listener_t l)
{
#ifdef KB_BAD_FIXED
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
	kauth_unlisten_scope(l);
#ifdef KB_BAD_FIXED
#pragma GCC diagnostic pop
#endif
}
