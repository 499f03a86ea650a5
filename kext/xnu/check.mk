# Compile-check of the XNU glue against the project's own declarations of
# Apple's documented kernel KPI (xnu/apple-decls). Included by linux.mk.
#
# -ffreestanding -nostdinc: only the compiler's own stddef/stdint and our
# declarations are visible, so a glue call that does not match the declared
# KPI, or a libc function the kernel does not have, fails the build.
#
# Three compilers: the host cc (GCC), and clang for x86_64 and arm64e macOS
# targets, the two architectures kext/Makefile builds (LP64 Darwin ABI, so
# kmod_info's layout assertions hold for the real targets).
XNU_WARN  := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
XNU_INC   := -DKB_XNU_DECLS -Iinclude -Ilib -Ixnu -Ixnu/apple-decls
XNU_FLAGS := $(XNU_WARN) -ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include) $(XNU_INC)
XNU_CLANG_FLAGS = $(XNU_WARN) -ffreestanding -nostdinc -isystem $(shell $(CLANG) -print-resource-dir)/include $(XNU_INC)
XNU_TARGETS := x86_64-apple-macos11 arm64e-apple-macos11
XNU_BAD_C  := $(wildcard test/xnu-bad/*.c)
# Generated codecs are held to more: no implicit narrowing or sign change,
# and no function's frame over 2 KiB (kernel stacks are 16 KiB; the
# generator's --stack-max keeps its on-stack helpers under it).
XNU_GEN_FRAME_MAX := 2048
XNU_BAD_CC := $(wildcard test/xnu-bad/*.cc)

xnu-check: $(KEXTS_GEN)
	@set -e; for f in $(XNU_SRC) $(LIB_SRC) $(KEXTS_SRC); do \
	  $(CC) $(XNU_FLAGS) -fsyntax-only $$f; \
	  for t in $(XNU_TARGETS); do $(CLANG) -target $$t $(XNU_CLANG_FLAGS) -fsyntax-only $$f; done; \
	done; \
	for k in $(KEXTS); do for f in $(XNU_SRC); do $(CC) $(XNU_FLAGS) -DKB_XNU_KEXT=kb_$${k}_kext -fsyntax-only $$f; done; done; \
	for f in $(filter %.pb.c,$(KEXTS_SRC)); do \
	  $(CC) $(XNU_FLAGS) -Wconversion -Wsign-conversion -O2 -Wframe-larger-than=$(XNU_GEN_FRAME_MAX) -c -o /dev/null $$f; done; \
	echo "xnu-check: $(words $(XNU_SRC)) glue files (built for each of $(KEXTS)), the engine and every kext's $(words $(KEXTS_SRC)) files (generated ones too) compile against the declared KPI (gcc; clang $(XNU_TARGETS)); generated codecs also under -Wconversion -Wsign-conversion, frames <= $(XNU_GEN_FRAME_MAX) bytes"
	@$(MAKE) -s -f linux.mk xnu-bad

# Each bad source must fail with its expected diagnostic, and compile with
# -DKB_BAD_FIXED: the check can fail both ways. (.cc: the addon's C++ side,
# against native/darwin-decls.)
xnu-bad:
	@set -e; n=0; for f in $(XNU_BAD_C) $(XNU_BAD_CC); do \
	  want=$$(sed -n 's|^.*expect: \(.*\)$$|\1|p' $$f | head -1 | sed 's| \*/$$||'); \
	  test -n "$$want" || { echo "xnu-bad: $$f has no expect: line"; exit 1; }; \
	  case $$f in \
	  *.cc) cmd="c++ -std=c++17 -Wall -Wextra -Werror -fsyntax-only -I../native/darwin-decls";; \
	  *) cmd="$(CC) $(XNU_FLAGS) -fsyntax-only";; esac; \
	  if out=$$(LC_ALL=C $$cmd $$f 2>&1); then echo "xnu-bad: $$f compiled, but must fail ($$want)"; exit 1; fi; \
	  echo "$$out" | grep -Eq "$$want" || { echo "xnu-bad: $$f failed, but not with \"$$want\":"; echo "$$out"; exit 1; }; \
	  $$cmd -DKB_BAD_FIXED $$f || { echo "xnu-bad: $$f with -DKB_BAD_FIXED must compile"; exit 1; }; \
	  n=$$((n+1)); done; \
	echo "xnu-bad: $$n mismatch classes each refused with the expected error, each compiles when fixed"
