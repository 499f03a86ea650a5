# The kv kext, as the build finds it (kext/gen.mk).
KEXT_PROTO    := proto/kv/v1/kv.proto
KEXT_IDENTITY := org.kextbridge.kv
KEXT_VERSION  := 0.1.0
