#!/usr/bin/env bash
# Side-by-side install benchmark: gnode against npm, pnpm, yarn and bun.
#
#   bench/install.sh [ROUNDS] [FIXTURE...]     (default: 3 rounds, fixtures express-app toolchain)
#
# The other clients are installed from the configured npm registry into a
# temporary prefix. Scenarios, per fixture:
#   cold  empty caches, no lockfile, no node_modules
#   warm  cache and lockfile kept, node_modules removed
#   hot   nothing changed
# Tools are interleaved round by round (order rotating) and the table shows
# medians of wall time, CPU time and peak RSS. Dependency scripts are off in
# every lane. Results: bench/results/install-<date>.jsonl and a Markdown table
# on stdout (copy it to docs/BENCHMARKS.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
rounds=${1:-3}
shift || true
fixtures=("$@")
[ ${#fixtures[@]} -gt 0 ] || fixtures=(express-app toolchain)

work=$(mktemp -d /tmp/gnode-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix="$work/tools"
mkdir -p "$prefix" "$here/results"
out="$here/results/install-$(date -u +%Y%m%dT%H%M%S).jsonl"

echo "building gnode" >&2
(cd "$root" && go build -o "$work/gnode" ./cmd/gnode)

echo "installing npm, pnpm, yarn and bun into $prefix" >&2
npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
  npm@11 pnpm@10 @yarnpkg/cli-dist@4 bun@1 >&2
# The mirror's @oven/bun-linux-x64 carries an empty bin/; the -baseline build
# (same version, for CPUs without AVX2) has the binary, so fetch it as well.
npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
  --no-save "@oven/bun-linux-x64-baseline@$(node -p "require('$prefix/node_modules/bun/package.json').version")" >&2 || true
npmbin="$prefix/node_modules/npm/bin/npm-cli.js"
pnpmbin="$prefix/node_modules/pnpm/bin/pnpm.cjs"
yarnbin="$prefix/node_modules/@yarnpkg/cli-dist/bin/yarn.js"
bunbin=
for b in "$prefix"/node_modules/@oven/bun-linux-x64*/bin/bun; do
  if [ -x "$b" ] && "$b" --version >/dev/null 2>&1; then bunbin=$b; break; fi
done
registry=$(npm config get registry)

tools=(gnode npm pnpm yarn bun)
[ -x "$bunbin" ] || { echo "bun binary not found; skipping bun" >&2; tools=(gnode npm pnpm yarn); }

# install_cmd TOOL DIR CACHE: the install command for one lane.
install_cmd() {
  local tool=$1 dir=$2 cache=$3
  case $tool in
    gnode) echo env GNODE_CACHE_DIR="$cache" "$work/gnode" install --ignore-scripts ;;
    npm)   echo node "$npmbin" install --ignore-scripts --no-audit --no-fund --cache "$cache" ;;
    pnpm)  echo node "$pnpmbin" install --ignore-scripts --store-dir "$cache/store" --cache-dir "$cache/cache" --config.node-linker=hoisted ;;
    yarn)  echo env YARN_GLOBAL_FOLDER="$cache" YARN_ENABLE_GLOBAL_CACHE=true YARN_NODE_LINKER=node-modules YARN_ENABLE_SCRIPTS=false YARN_ENABLE_TELEMETRY=false YARN_NPM_REGISTRY_SERVER="$registry" node "$yarnbin" install ;;
    bun)   echo env BUN_INSTALL_CACHE_DIR="$cache" "$bunbin" install --ignore-scripts ;;
  esac
}

lockfiles="package-lock.json pnpm-lock.yaml yarn.lock bun.lock bun.lockb .yarnrc.yml .yarn .pnp.cjs"

# Old run folders are moved aside, not deleted, until the script ends: on
# ext4 without a journal (this VM's root file system) every file creation
# scans the inodes freed in the last ~30 s, so deleting a previous run's
# ~23k files just before a cold run made that run pay 300+ us per file
# created instead of ~25 (a microbenchmark: 2.4 s vs 19 s for 22,500 files).
trash="$work/trash"
mkdir -p "$trash"
aside() {
  local p
  for p in "$@"; do
    [ -e "$p" ] && mv "$p" "$trash/$(date +%s%N)-$RANDOM"
  done
  return 0
}

for ((round = 0; round < rounds; round++)); do
  # Rotate the order each round.
  order=("${tools[@]:round % ${#tools[@]}}" "${tools[@]:0:round % ${#tools[@]}}")
  for fixture in "${fixtures[@]}"; do
    for scenario in cold warm hot; do
      for tool in "${order[@]}"; do
        dir="$work/run/$fixture/$tool"
        cache="$work/cache/$fixture/$tool"
        case $scenario in
          cold)
            aside "$dir" "$cache"; mkdir -p "$dir" "$cache"
            cp "$here/fixtures/$fixture/package.json" "$dir/"
            [ "$tool" = yarn ] && touch "$dir/yarn.lock"
            ;;
          warm) aside "$dir/node_modules" "$dir/.yarn" ;;
          hot) ;;
        esac
        echo "round $((round + 1)): $fixture $scenario $tool" >&2
        # shellcheck disable=SC2046
        python3 "$here/measure.py" "$fixture/$scenario/$tool" "$dir" $(install_cmd "$tool" "$dir" "$cache") | tee -a "$out"
      done
    done
  done
done

echo >&2
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); node $(node --version)" >&2
python3 "$here/table.py" "$out"
