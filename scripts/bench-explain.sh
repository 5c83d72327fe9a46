#!/usr/bin/env bash
# bench-explain.sh: smtpcode explain against grep -c ' said: ' on the same
# generated mail log, in the same run, best of N runs each.
#
#   scripts/bench-explain.sh [SIZE_MB] [RUNS]     (defaults: 1024 and 5)
#
# The log is Postfix-style with documentation addresses, about one line in
# ten carrying a reply (explain/internal/genlog); it is written once to
# $BENCH_DIR (default /tmp) and read from the page cache by every run.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-1024}
runs=${2:-5}
dir=${BENCH_DIR:-/tmp}
log="$dir/smtpcode-bench-${size_mb}M.log"
bin="$dir/smtpcode-bench"

go build -o "$bin" ./cmd/smtpcode
if [[ ! -s $log ]]; then
	echo "writing $log ..."
	go run ./explain/internal/genlog -size $((size_mb << 20)) -o "$log"
fi
bytes=$(stat -c %s "$log")
cat "$log" >/dev/null # into the page cache

# best CMD...: the least wall time of $runs runs, and the peak RSS of that run.
best() {
	local best_t= best_m=
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %M' -o "$dir/bench.time" "$@" >"$dir/bench.out" || true
		read -r t m <"$dir/bench.time"
		if [[ -z $best_t ]] || awk "BEGIN{exit !($t < $best_t)}"; then best_t=$t best_m=$m; fi
	done
	echo "$best_t $best_m"
}

read -r g_t g_m < <(best grep -c ' said: ' "$log")
read -r s_t s_m < <(best "$bin" explain --summary "$log")
read -r p_t p_m < <(best "$bin" explain "$log")
read -r j_t j_m < <(best "$bin" explain --json "$log")
json_out=$(stat -c %s "$dir/bench.out")
replies=$(wc -l <"$dir/bench.out")
rm -f "$dir/bench.out" "$dir/bench.time"

mbps() { awk "BEGIN{printf \"%.0f\", $bytes / 1e6 / $1}"; }
printf 'input: %s, %.0f MB, %d lines, %d replies; %d CPUs (%s)\n' "$log" "$(awk "BEGIN{print $bytes/1e6}")" "$(wc -l <"$log")" "$replies" "$(nproc)" "$(uname -m)"
printf '%-44s %8s %9s %11s %10s\n' command seconds MB/s "vs grep" "peak RSS"
row() { printf '%-44s %8.2f %9s %10.2fx %7d MB\n' "$1" "$2" "$(mbps "$2")" "$(awk "BEGIN{print $2 / $g_t}")" "$(($3 / 1024))"; }
row "grep -c ' said: '" "$g_t" "$g_m"
row "smtpcode explain --summary" "$s_t" "$s_m"
row "smtpcode explain (tab-separated, to a file)" "$p_t" "$p_m"
row "smtpcode explain --json (to a file)" "$j_t" "$j_m"
printf 'JSON Lines written: %d MB\n' $((json_out >> 20))
