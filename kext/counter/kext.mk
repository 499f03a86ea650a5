# The counter kext, as the build finds it (kext/gen.mk).
KEXT_PROTO    := proto/counter/v1/counter.proto
KEXT_IDENTITY := org.kextbridge.counter
KEXT_VERSION  := 0.1.0
