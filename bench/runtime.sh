#!/usr/bin/env bash
# Side-by-side runtime benchmark: gnode against node.
#
#   bench/runtime.sh [REPS]      (default 5)
#
# Start-up (`-e 0`, hello world), `require('typescript')` (its 9 MB
# compiler; cold and with gnode's transform/bytecode cache warm), peak RSS,
# and the CPU micro-benchmarks in bench/runtime/micro.js, each benchmark in
# its own process. Medians of REPS runs; ratios are gnode / node. Prints a
# Markdown table for docs/BENCHMARKS.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
reps=${1:-5}
work=$(mktemp -d /tmp/gnode-rtbench.XXXXXX)
trap 'rm -rf "$work"' EXIT
(cd "$root" && CGO_ENABLED=0 go build -o "$work/gnode" ./cmd/gnode)
mkdir -p "$work/ts"
echo '{"name":"ts-bench","version":"1.0.0","private":true,"dependencies":{"typescript":"^5.5.0"}}' > "$work/ts/package.json"
(cd "$work/ts" && "$work/gnode" install >/dev/null 2>&1) || (cd "$work/ts" && npm install --no-audit --no-fund >/dev/null 2>&1)
python3 "$here/runtime_bench.py" --gnode "$work/gnode" --node "$(command -v node)" --reps "$reps" --work "$work" --micro "$here/runtime/micro.js" --hello "$here/runtime/hello.js"
echo >&2
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); node $(node --version); load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
