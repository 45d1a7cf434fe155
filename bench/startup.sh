#!/usr/bin/env bash
# Start-up time of gnode commands against npm (and bun when it can be
# installed from the configured registry), without hyperfine: each command
# runs RUNS times (after WARMUP runs) and the median and minimum wall-clock
# times are printed in milliseconds.
#
#   bench/startup.sh            # builds gnode into a temp folder
#   GNODE=/path/to/gnode RUNS=50 bench/startup.sh
#   BUN=0 bench/startup.sh      # skip installing bun
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -z "${GNODE:-}" ]; then
	go build -o "$tmp/gnode" ./cmd/gnode
	GNODE="$tmp/gnode"
fi

# A project with scripts for `gnode run` (which lists them).
mkdir -p "$tmp/proj"
cat >"$tmp/proj/package.json" <<'JSON'
{"name":"bench","version":"1.0.0","scripts":{"test":"echo test","build":"echo build"}}
JSON

cmds=("gnode --version|$GNODE --version" "gnode help|$GNODE help" "gnode run (list)|$GNODE run" "gnode test|$GNODE test")
if command -v npm >/dev/null; then
	cmds+=("npm --version|npm --version" "npm run (list)|npm run")
fi
if [ "${BUN:-1}" != 0 ]; then
	if command -v bun >/dev/null; then
		cmds+=("bun --version|bun --version")
	elif command -v npm >/dev/null &&
		npm install --prefix "$tmp/bun" --no-audit --no-fund --silent bun >/dev/null 2>&1 &&
		[ -x "$tmp/bun/node_modules/.bin/bun" ]; then
		cmds+=("bun --version|$tmp/bun/node_modules/.bin/bun --version")
	else
		echo "(bun could not be installed from the registry: skipped)" >&2
	fi
fi

cd "$tmp/proj"
python3 - "$RUNS" "$WARMUP" "${cmds[@]}" <<'PY'
import shlex, statistics, subprocess, sys, time
runs, warmup = int(sys.argv[1]), int(sys.argv[2])
print(f"{'command':<18} {'median ms':>10} {'min ms':>8}  ({runs} runs)")
for item in sys.argv[3:]:
    label, cmd = item.split("|", 1)
    argv = shlex.split(cmd)
    times = []
    for i in range(warmup + runs):
        t = time.perf_counter()
        r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dt = (time.perf_counter() - t) * 1000
        if i >= warmup:
            times.append(dt)
    note = "" if r.returncode == 0 else f"  (exit {r.returncode})"
    print(f"{label:<18} {statistics.median(times):>10.1f} {min(times):>8.1f}{note}")
PY
