/* expect: incompatible pointer type|incompatible-pointer-types */
/* mbuf_t is struct __mbuf *: a kext that names struct mbuf has the wrong type. */
#include "kb_xnu.h"

#ifdef KB_BAD_FIXED
typedef mbuf_t kb_bad_mbuf;
#else
struct mbuf;
typedef struct mbuf *kb_bad_mbuf;
#endif

size_t kb_bad(kb_bad_mbuf m);
size_t kb_bad(kb_bad_mbuf m)
{
	size_t n;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	n = mbuf_len(m);
#pragma GCC diagnostic pop
	return n;
}
