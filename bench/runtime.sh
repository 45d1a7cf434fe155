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

# Peak RSS again, measured by /usr/bin/time (its %M is the maximum resident
# set of the process it starts). The table above takes ru_maxrss from the
# benchmark driver's wait4, and a child started by Python inherits Python's
# own high-water mark at exec: figures there below Python's size (about
# 15-25 MB) are Python's, not the program's.
if [ -x /usr/bin/time ]; then
	# peak CMD... -> median peak RSS in MB of $reps runs; with cold set,
	# each run gets an empty gnode cache.
	peak() {
		for i in $(seq "$reps"); do
			if [ -n "${cold:-}" ]; then rm -rf "$work/cache-rss-cold"; fi
			/usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1 || true
			cat "$work/rss"
		done | sort -n | awk '{v[NR]=$1} END {printf "%.1f", v[int((NR+1)/2)]/1024}'
	}
	row() { # row LABEL ARGS...: node and gnode given the same arguments
		local label=$1 cache=$work/cache-rss n g
		shift
		if [ -n "${cold:-}" ]; then cache=$work/cache-rss-cold; fi
		n=$(peak node "$@")
		g=$(peak env GNODE_CACHE_DIR="$cache" "$work/gnode" "$@")
		echo "| $label | $n | $g | $(awk -v a="$g" -v b="$n" 'BEGIN{printf "%.2fx", a/b}') |"
	}
	echo
	echo "| case (peak RSS by /usr/bin/time) | node MB | gnode MB | ratio |"
	echo "|---|---|---|---|"
	row 'start-up `-e 0`' -e 0
	row "hello world" "$here/runtime/hello.js"
	cd "$work/ts"
	cold=1 row "require('typescript'), cold cache" -e "require('typescript')"
	env GNODE_CACHE_DIR="$work/cache-rss" "$work/gnode" -e "require('typescript')" # warm the cache
	row "require('typescript'), warm cache" -e "require('typescript')"
	cd - >/dev/null
fi
echo >&2
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); node $(node --version); load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
