/* Project declaration of audit_token_t from <mach/message.h>: see ../README.md.
 * Eight 32-bit words; libbsm's audit_token_to_pid reads word 5, and word 7
 * is the pid version that tells two processes of one pid apart. */
#pragma once
typedef struct {
	unsigned int val[8];
} audit_token_t;
static_assert(sizeof(audit_token_t) == 32, "audit_token_t is 32 bytes on macOS");
