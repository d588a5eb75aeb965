#!/usr/bin/env bash
# Builds the pinned policy engines (opa, regal, conftest, gator) into .tools/bin with
# `go install tool`. Each tool has its own module in toolchain/<tool>/ (their
# dependency graphs pin different OPA versions); go.mod + go.sum are the pin and the
# checksums. A stamp per tool, keyed on its go.mod/go.sum, makes a second run instant.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=$PWD/.tools/bin
mkdir -p "$BIN"
if ! command -v go >/dev/null 2>&1; then
  echo "error: Go is required to build the policy engines; install Go >= 1.24 and rerun 'make setup'" >&2
  exit 1
fi
export GOTOOLCHAIN=local GOFLAGS=-mod=mod

for dir in toolchain/*/; do
  tool=$(basename "$dir")
  stamp="$BIN/.$tool.stamp"
  want=$(cat "$dir/go.mod" "$dir/go.sum" | sha256sum | cut -d' ' -f1)
  if [[ -x "$BIN/$tool" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    continue
  fi
  echo "setup: building $tool (first time only, this takes a few minutes)"
  (cd "$dir" && GOBIN="$BIN" go install tool)
  echo "$want" > "$stamp"
done
