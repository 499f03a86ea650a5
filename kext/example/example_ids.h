/* Catalog ids of the example kext; proto/example/v1/example.proto names the same. */
#ifndef KB_EXAMPLE_IDS_H
#define KB_EXAMPLE_IDS_H

#define KB_EX_CMD_ECHO           1u
#define KB_EX_CMD_STATS          2u
#define KB_EX_CMD_EMIT           3u
#define KB_EX_CMD_SIMULATE_EXEC  4u

#define KB_EX_TOPIC_EXEC         1u
#define KB_EX_TOPIC_HEARTBEAT    2u

#define KB_EX_OPT_LOG_LEVEL      1u
#define KB_EX_OPT_MAX_EVENT_RATE 2u

#define KB_EX_UPCALL_AUTHORIZE_EXEC 1u

/* authorize_exec verdicts; the default is fail-open. */
#define KB_EX_VERDICT_ALLOW      0u
#define KB_EX_VERDICT_DENY       1u

#endif
