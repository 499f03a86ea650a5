# Compile-check of the XNU glue against the project's own declarations of
# Apple's documented kernel KPI (xnu/apple-decls). Included by linux.mk.
#
# -ffreestanding -nostdinc: only the compiler's own stddef/stdint and our
# declarations are visible, so a glue call that does not match the declared
# KPI, or a libc function the kernel does not have, fails the build.
XNU_FLAGS := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-DKB_XNU_DECLS -Iinclude -Ilib -Iexample -Ixnu -Ixnu/apple-decls

xnu-check:
	@set -e; for f in $(XNU_SRC) $(LIB_SRC) $(EX_SRC); do \
	  $(CC) $(XNU_FLAGS) -fsyntax-only $$f; done; \
	echo "xnu-check: $(words $(XNU_SRC)) glue files, engine and example compile against the declared KPI"
