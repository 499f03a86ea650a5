# Finds the kexts and keeps their generated C current. Included by linux.mk
# (Linux: kextsim, tests) and by Makefile (macOS: the kext itself).
#
# A kext is a folder kext/NAME with a kext.mk (see counter/kext.mk): its
# .proto, identity and version. From the .proto the generator writes
# NAME/gen/NAME.pb.h and NAME/gen/NAME.pb.c; they are rebuilt whenever the
# .proto, kextbridge's own protos, kext.mk or the generator is newer, so a
# binary is never built from C that an edited .proto has left behind.
# Without Node the build stops there and names the .proto and the file.

KB_ROOT     ?= ..
KB_GEN_TOOL ?= $(KB_ROOT)/proto/dist/kextgen/main.js
KB_GEN_PKG  := $(abspath $(dir $(KB_GEN_TOOL))/../..)
NODE        ?= node
KB_HAVE_NODE := $(shell command -v $(NODE) 2>/dev/null)

KEXTS := $(patsubst %/kext.mk,%,$(sort $(wildcard */kext.mk)))

# Each kext.mk sets KEXT_PROTO (from the repository root), KEXT_IDENTITY,
# KEXT_VERSION and optionally KEXT_GEN_FLAGS; copied to NAME_* here.
define kb_kext_vars
KEXT_PROTO :=
KEXT_IDENTITY :=
KEXT_VERSION :=
KEXT_GEN_FLAGS :=
include $(1)/kext.mk
$$(if $$(KEXT_PROTO),,$$(error $(1)/kext.mk: KEXT_PROTO is not set (the kext's .proto, from the repository root)))
$$(if $$(KEXT_IDENTITY),,$$(error $(1)/kext.mk: KEXT_IDENTITY is not set (reverse DNS, e.g. com.example.$(1))))
$$(if $$(KEXT_VERSION),,$$(error $(1)/kext.mk: KEXT_VERSION is not set))
$(1)_PROTO := $$(KB_ROOT)/$$(KEXT_PROTO)
$(1)_IDENTITY := $$(KEXT_IDENTITY)
$(1)_VERSION := $$(KEXT_VERSION)
$(1)_GEN_FLAGS := $$(KEXT_GEN_FLAGS)
$(1)_GEN := $(1)/gen/$(1).pb.h $(1)/gen/$(1).pb.c
$(1)_SRC := $$(filter-out $(1)/gen/$(1).pb.c,$$(wildcard $(1)/*.c)) $(1)/gen/$(1).pb.c
$(1)_HDRS := $$(wildcard $(1)/*.h) $(1)/gen/$(1).pb.h
endef
$(foreach k,$(KEXTS),$(eval $(call kb_kext_vars,$(k))))

KEXTS_SRC  := $(foreach k,$(KEXTS),$($(k)_SRC))
KEXTS_HDRS := $(foreach k,$(KEXTS),$($(k)_HDRS))
KEXTS_GEN  := $(foreach k,$(KEXTS),$($(k)_GEN))
KB_GEN_PROTOS := $(wildcard $(KB_ROOT)/proto/kextbridge/v1/*.proto)

kb_gen_args = --proto $($(1)_PROTO) --name $(1) --identity $($(1)_IDENTITY) \
	--kext-version $($(1)_VERSION) -I $(KB_ROOT)/proto $($(1)_GEN_FLAGS)

# The generator is TypeScript in proto/src/kextgen: built when its sources change.
$(KB_GEN_TOOL): $(wildcard $(KB_GEN_PKG)/src/*.ts $(KB_GEN_PKG)/src/kextgen/*.ts)
	@command -v $(NODE) >/dev/null || { echo "kext build: Node is needed to build the kext generator ($@)"; exit 1; }
	cd $(KB_GEN_PKG) && ../node_modules/.bin/tsc -b . && touch $@

# Run on every build: the generator rewrites a file only when its text
# changes, so an unchanged .proto recompiles nothing, and a hand-edited
# generated file never reaches a binary. Without Node (a Mac that only
# builds the kext) the files are used as they are unless the .proto or
# kext.mk is newer: then the build stops, naming both.
# One rule writes both files (no grouped targets: macOS's make is 3.81).
define kb_kext_gen
$(1)/gen/$(1).pb.h: $(1)/gen/$(1).pb.c
	@:
$(1)/gen/$(1).pb.c: $$($(1)_PROTO) $(1)/kext.mk $$(if $$(KB_HAVE_NODE),$$(KB_GEN_TOOL) FORCE)
	@if [ -n "$$(KB_HAVE_NODE)" ]; then $$(NODE) $$(KB_GEN_TOOL) $$(call kb_gen_args,$(1)) --out $(1)/gen; \
	elif [ $(1)/gen/$(1).pb.c -ot $$($(1)_PROTO) ] || [ $(1)/gen/$(1).pb.c -ot $(1)/kext.mk ]; then \
	  echo "kext build: $(1)/gen/$(1).pb.c is older than $$($(1)_PROTO) or $(1)/kext.mk, and Node is not here to generate it again: run npm run gen:kext"; exit 1; fi
endef
$(foreach k,$(KEXTS),$(eval $(call kb_kext_gen,$(k))))

.PHONY: gen gen-check FORCE
gen: $(KEXTS_GEN)
	@echo "gen: $(words $(KEXTS)) kexts' C current with their .proto ($(KEXTS))"

# CI: the checked-in copies are what the .proto gives (writes nothing).
gen-check: $(KB_GEN_TOOL)
	@set -e; for k in $(KEXTS); do $(MAKE) -s -f $(firstword $(MAKEFILE_LIST)) gen-check-one K=$$k; done

gen-check-one:
	@$(NODE) $(KB_GEN_TOOL) $(call kb_gen_args,$(K)) --out $(K)/gen --check
