#!/usr/bin/env bash
# Compile-checks the addon's macOS sources on Linux against the project's
# own declarations of the macOS APIs (native/darwin-decls): a call that does
# not match a declaration fails. Nothing here runs them.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/.." && pwd)
node_include=$(node -p "require('path').resolve(process.execPath, '../../include/node')")
addon_api=${NODE_ADDON_API_DIR:-$(cd "$root" && node -p "require('node-addon-api').include_dir")}
[ -f "$node_include/node_api.h" ] || { echo "check-darwin: node headers not found at $node_include"; exit 1; }
status=0
for f in "$here"/src/*_darwin.cc "$here"/src/addon.cc; do
  c++ -std=c++17 -fsyntax-only -Wall -Wextra -Werror -D__APPLE__ -DNAPI_VERSION=8 -DNAPI_DISABLE_CPP_EXCEPTIONS \
    -I"$here/darwin-decls"  -I"$root/$addon_api" -I"$addon_api" -I"$node_include" "$f" || status=1
done
[ $status -eq 0 ] && echo "check-darwin: $(ls "$here"/src/*_darwin.cc | wc -l) darwin sources and addon.cc compile against the declared APIs"
exit $status
