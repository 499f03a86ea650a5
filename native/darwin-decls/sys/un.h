/* Project declarations of the <sys/un.h> socket options for peer identity: see ../README.md. */
#pragma once
#define SOL_LOCAL 0
#define LOCAL_PEERCRED 0x001
#define LOCAL_PEERPID 0x002
/* The audit_token_t (<mach/message.h>) of the process that connected. */
#define LOCAL_PEERTOKEN 0x006
