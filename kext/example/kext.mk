# The example kext, as the build finds it (kext/gen.mk). Echo's 64 KiB
# bound is its field option; other strings take the generator's default.
KEXT_PROTO    := proto/example/v1/example.proto
KEXT_IDENTITY := org.kextbridge.example
KEXT_VERSION  := 0.1.0
