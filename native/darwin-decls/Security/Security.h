/* Project declarations of the Code Signing Services calls the addon uses
 * (Security.framework's CSCommon.h, SecCode.h, SecRequirement.h), checked
 * against Apple's published Security sources: see ../README.md. Nullability
 * annotations are left out; which arguments may be NULL is said here. */
#pragma once
#include <CoreFoundation/CoreFoundation.h>
#ifdef __cplusplus
extern "C" {
#endif
typedef struct __SecCode *SecCodeRef;               /* running code */
typedef struct __SecCode const *SecStaticCodeRef;   /* code on disk */
typedef struct __SecRequirement *SecRequirementRef;
typedef uint32_t SecCSFlags;
enum { kSecCSDefaultFlags = 0 };
enum {
	errSecSuccess = 0,
	errSecCSUnsigned = -67062,  /* the code is not signed */
	errSecCSReqFailed = -67050, /* signed, but not as the requirement says */
};
/* The key of an audit token (CFData of an audit_token_t) in the attributes
 * of SecCodeCopyGuestWithAttributes. */
extern const CFStringRef kSecGuestAttributeAudit;
/* host: NULL for the kernel; attributes may be NULL; *guest is retained. */
OSStatus SecCodeCopyGuestWithAttributes(SecCodeRef host, CFDictionaryRef attributes, SecCSFlags flags, SecCodeRef *guest);
/* requirement may be NULL (validity alone). */
OSStatus SecCodeCheckValidity(SecCodeRef code, SecCSFlags flags, SecRequirementRef requirement);
/* *requirement is retained. */
OSStatus SecRequirementCreateWithString(CFStringRef text, SecCSFlags flags, SecRequirementRef *requirement);
/* A SecCodeRef may be passed as the static code; *path is retained. */
OSStatus SecCodeCopyPath(SecStaticCodeRef staticCode, SecCSFlags flags, CFURLRef *path);
#ifdef __cplusplus
}
#endif
