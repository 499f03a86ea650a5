/*
 * The counter kext: a second, small user of the framework (kextbridge/kext.h)
 * beside the example. Two commands, an option and an event topic; its typed
 * API is proto/counter/v1/counter.proto, whose catalog ids match these.
 */
#ifndef KB_COUNTER_H
#define KB_COUNTER_H

#include <kextbridge/kext.h>

#define KB_COUNTER_IDENTITY "org.kextbridge.counter"
#define KB_COUNTER_VERSION  "0.1.0"

#define KB_CTR_CMD_ADD      1u  /* AddRequest{delta} -> CounterValue{value} */
#define KB_CTR_CMD_GET      2u  /* GetRequest{} -> CounterValue{value} */
#define KB_CTR_TOPIC_CHANGES 1u /* CounterChange{value, delta} after each add */
#define KB_CTR_OPT_STEP     1u  /* int64 0..1000: added by each tick (0: none) */

extern const struct kb_kext kb_counter_kext;

#endif
