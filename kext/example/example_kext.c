/*
 * The example kext as the glue sees it: one descriptor (kextbridge/kext.h).
 * Everything it names is the example's own; nothing in kext/xnu or
 * kext/sim knows the example by name.
 */
#include "example.h"
#include "example_ids.h"

const struct kb_kext kb_example_kext = {
	"example",
	kb_example_catalog,
	kb_example_configure,
	kb_example_init,
	kb_example_shutdown,
	kb_example_heartbeat,
	KB_EX_TOPIC_EXEC,
	kb_example_exec_observed,
};
