#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build and test
# kextbridge: a C toolchain, clang with libFuzzer and its sanitizer runtime,
# Python's stock gRPC with protoc and its grpc plugin for the Python
# example client, and each language's stock gRPC stack for the interop
# tests (test/integration/interop): Go (GOPATH mode, offline, from Debian's packages),
# C++ (grpc++ with pkg-config); nats-server for the export tests (a real
# JetStream cluster on loopback); systemd for systemd-analyze, which checks
# the exporter's unit; perl, the client that connects then execs in the
# program identity test; prometheus, run on loopback by the metrics test to
# scrape the daemon and the exporter; tmux, in which the test of
# `kextbridge top` drives it.
set -euo pipefail
pkgs=(build-essential python3 clang-14 libclang-rt-14-dev llvm-14 python3-grpcio python3-protobuf protobuf-compiler protobuf-compiler-grpc libprotobuf-dev
  golang-go golang-google-grpc-dev golang-github-golang-protobuf-1-5-dev golang-google-protobuf-dev protoc-gen-go protoc-gen-go-grpc
  libgrpc++-dev pkg-config nats-server systemd perl prometheus tmux)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all system packages present"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
