#!/usr/bin/env bash
# Builds the Pulumi CLI from Go modules once and caches it outside the repository, then prints
# the binary's path. No registry ships the CLI binary; the Go module proxy ships its source.
# Idempotent: a cached binary is printed at once. Exits non-zero (printing why on stderr) when
# Go is missing or the module proxy is unreachable, so callers can skip instead of failing.
set -euo pipefail

version="3.248.0"
here="$(cd "$(dirname "$0")" && pwd)"
cache="${ROSTER_PULUMI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/roster/pulumi-$version}"
bin="$cache/bin/pulumi"

if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "pulumi-cli: go is not installed; cannot build the Pulumi CLI" >&2
  exit 1
fi

mkdir -p "$cache/bin"
tmp="$(mktemp "$cache/bin/pulumi.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
started=$SECONDS
echo "pulumi-cli: building Pulumi CLI v$version from Go modules (cold build takes minutes)" >&2
# The version is stamped the way Pulumi's own release build does; without it the CLI reports
# v0.0.0 and the SDK's minimum-CLI-version check refuses it.
(cd "$here" && go build -trimpath \
  -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
  -o "$tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) >&2
chmod 755 "$tmp"
mv "$tmp" "$bin"
trap - EXIT
echo "pulumi-cli: built in $((SECONDS - started)) s" >&2
echo "$bin"
