/* expect: implicit declaration of function 'thread_terminate' */
/* Only the MIG-generated <mach/thread_act.h> declares it for a kext. */
#include "kb_xnu.h"
#ifdef KB_BAD_FIXED
#include <mach/thread_act.h>
#endif

void kb_bad(void);
void kb_bad(void)
{
	thread_terminate(current_thread());
}
