#!/usr/bin/env bash
# Generates the Python modules for the example kext's typed API (messages
# and the grpc stub) into clients/python/gen, with Debian's protoc and grpc
# plugin (protobuf-compiler, protobuf-compiler-grpc; descriptor.proto from
# libprotobuf-dev), which match Debian's python3-grpcio and python3-protobuf.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
protos="$here/../../proto"
out="$here/gen"
for tool in protoc grpc_python_plugin; do
  command -v "$tool" >/dev/null || { echo "generate.sh: $tool missing; run scripts/setup.sh" >&2; exit 1; }
done
[ -f /usr/include/google/protobuf/descriptor.proto ] || { echo "generate.sh: descriptor.proto missing (libprotobuf-dev); run scripts/setup.sh" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
protoc -I "$protos" -I /usr/include \
  --python_out="$out" \
  --grpc_out="$out" --plugin=protoc-gen-grpc="$(command -v grpc_python_plugin)" \
  example/v1/example.proto kextbridge/v1/options.proto kextbridge/v1/loss.proto
# Readable by the unprivileged users the tests run the client as.
chmod -R a+rX "$out"
echo "generated $(find "$out" -name '*.py' | wc -l) modules in $out"
