# Compile-check of the XNU glue against the project's own declarations of
# Apple's documented kernel API (xnu/apple-decls). Included by linux.mk.
xnu-check:
	@echo "xnu-check: no glue yet"
