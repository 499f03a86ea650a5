/*
 * Every kext the build found (kext/NAME/kext.mk) and each one's generated
 * message codecs, NULL-terminated: kextsim's --kext and the fuzz targets
 * take them from here, so a new kext needs no edit of either. The table
 * is written by linux.mk (build/kexts.c).
 */
#ifndef KB_LINKED_H
#define KB_LINKED_H

#include <kextbridge/kext.h>
#include <kextbridge/pb.h>

extern const struct kb_kext *const kb_linked_kexts[];
extern const struct kb_pb_codec *const kb_linked_codecs[];

#endif
