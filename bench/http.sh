#!/usr/bin/env bash
# Side-by-side HTTP server benchmark: node against gnode on loopback, loaded
# by wrk (Debian's package).
#
#   bench/http.sh [SECONDS] [REPS] [CASES]
#       SECONDS per wrk run (default 10), REPS runs per side (default 3,
#       node and gnode alternating; medians reported), CASES a comma list
#       of hello,express,static,workers,idle (default all). GNODE=path
#       benchmarks that binary instead of building the work tree.
#
# Cases: a hello-world server (bench/http_hello.js, wrk -t1 -c50); an
# Express 4 JSON route and an express.static 4 KiB file
# (bench/http_express.js; Express is installed from the configured npm
# registry into a temp directory); the hello server on two event loops,
# node's cluster with 2 workers (bench/http_cluster.js) against
# `gnode run --workers 2` (wrk -t2 -c50), with the RSS of 1, 2 and 4
# workers after load (memory per extra worker); and 10,000 idle keep-alive
# connections (bench/http_idle_client.js), reporting the server's RSS.
# Prints Markdown tables for docs/BENCHMARKS.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
secs=${1:-10}
reps=${2:-3}
cases=${3:-hello,express,static,workers,idle}
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
command -v node >/dev/null || { echo "node is required" >&2; exit 1; }
# 10k client and 10k server sockets in one test.
ulimit -n 30000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

work=$(mktemp -d /tmp/gnode-httpbench.XXXXXX)
trap 'rm -rf "$work"' EXIT
# GNODE=path uses a binary built before instead of building the tree.
if [[ -n "${GNODE:-}" ]]; then cp "$GNODE" "$work/gnode"; else (cd "$root" && CGO_ENABLED=0 go build -o "$work/gnode" ./cmd/gnode); fi
mkdir -p "$work/deps"
if [[ ",$cases," == *,express,* || ",$cases," == *,static,* ]]; then
  echo '{"name":"http-bench","version":"1.0.0","private":true,"dependencies":{"express":"^4.21.0"}}' > "$work/deps/package.json"
  (cd "$work/deps" && "$work/gnode" install >/dev/null 2>&1) ||
    (cd "$work/deps" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
mkdir -p "$work/static"
python3 - "$work/static/page.html" <<'PY'
import sys
line = "<p>gnode serves this static page from express.static for bench/http.sh.</p>\n"
body = "<!doctype html>\n<title>bench</title>\n" + line * 60
open(sys.argv[1], "w").write(body[:4096])
PY
python3 "$here/http_bench.py" --gnode "$work/gnode" --node "$(command -v node)" --deps "$work/deps" \
  --static "$work/static" --bench "$here" --secs "$secs" --reps "$reps" --cases "$cases"
echo >&2
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); node $(node --version); wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'); load at the end $(cut -d' ' -f1-3 /proc/loadavg)" >&2
