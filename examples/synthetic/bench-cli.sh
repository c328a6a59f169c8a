#!/usr/bin/env bash
# Times the dsl CLI end to end on the synthetic models of DESIGN.md section 7
# and prints a Markdown table for docs/PERFORMANCE.md: wall time and peak
# memory (max RSS) of `dsl lint` on a folder and of `dsl check` between two
# git revisions, best of N runs each.
#
#   examples/synthetic/bench-cli.sh [N] [SHAPE ...]     (default: 5 large xlarge)
#
# Needs GNU time (/usr/bin/time, Debian package "time").
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${1:-5}
shift || true
shapes=("${@:-large xlarge}")
[ -x /usr/bin/time ] || { echo "bench-cli: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/dsl" ./cmd/dsl
go build -o "$work/gen" ./examples/synthetic/gen

# best CMD...: runs CMD $runs times and prints "seconds MiB" of the fastest run
# (and the largest peak memory seen, which is the figure a limit must allow).
best() {
  local best_s="" max_kb=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>&1 || [ $? -eq 1 ]
    read -r s kb < <(tail -n 1 "$work/t")
    if [ -z "$best_s" ] || awk "BEGIN{exit !($s < $best_s)}"; then best_s=$s; fi
    [ "$kb" -gt "$max_kb" ] && max_kb=$kb
  done
  awk -v s="$best_s" -v kb="$max_kb" 'BEGIN{printf "%.2f s | %.0f MiB", s, kb/1024}'
}

echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(go version | cut -d' ' -f3), $(date -u +%Y-%m-%d); best of $runs runs."
echo
echo "| shape | command | time | peak memory |"
echo "|---|---|---:|---:|"
for shape in ${shapes[@]}; do
  "$work/gen" -shape "$shape" -out "$work/$shape" >/dev/null
  "$work/gen" -git -shape "$shape" -out "$work/$shape.git" >/dev/null
  echo "| $shape | \`dsl lint\` (evaluate, lint, bind, assign, accept) | $(best "$work/dsl" lint "$work/$shape") |"
  echo "| $shape | \`dsl check\` pull request, from git | $(best "$work/dsl" check --repo "$work/$shape.git" --base eco_main --head Z0_T0_main --source github.com/synth/model@Z0_T0_main) |"
  echo "| $shape | \`dsl check\` incompatible pull request, from git | $(best "$work/dsl" check --repo "$work/$shape.git" --base eco_main --head Z0_T0_incompatible --source github.com/synth/model@Z0_T0_main) |"
done
