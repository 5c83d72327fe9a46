#!/usr/bin/env bash
# bench-explain.sh: smtpcode explain against grep on the same input, in the
# same run, the median of RUNS runs each, on every shape of input:
#
#   scripts/bench-explain.sh [SIZE_MB] [RUNS] [DENSITIES] [FILES]
#       defaults: 1024, 5, "10 5", 10000
#
# - logs: a generated Postfix-style log of SIZE_MB for each density N of
#   DENSITIES (one line in N carries a reply; explain/internal/genlog),
#   against grep -c ' said: ';
# - many files: FILES small files, the public bounces of sisimai copied
#   over and over into one folder per copy, given as arguments to one
#   process, against grep -c ' said: ' over the same files. The bounces are
#   read from $SMTPCODE_CORPUS, else ../shared/corpora/sisimai/maildir
#   beside the repository (where the project keeps its shared corpora);
#   without them, the repository's own test data is copied instead, and the
#   table says so;
# - compressed: the log of the first density gzip-ed, against
#   zcat FILE | grep -c ' said: '.
#
# BENCH_BASELINES="NAME=BINARY ..." also times other builds of smtpcode on
# the logs, in the same rounds (a change is measured against the binary
# built before it: git worktree add /tmp/old COMMIT, go build there).
#
# Inputs are written once to $BENCH_DIR (default /tmp) and read from the
# page cache by every run. Each row gives the median wall time and its ratio
# to the grep baseline of the same case, the median CPU time (user + system)
# and its ratio, and the largest peak RSS. On a loaded machine the CPU
# ratio is the steadier one; on an idle one smtpcode's wall time is below
# its CPU time, the work being spread over the CPUs.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-1024}
runs=${2:-5}
densities=${3:-10 5}
nfiles=${4:-10000}
dir=${BENCH_DIR:-/tmp}
mkdir -p "$dir"
bin="$dir/smtpcode-bench"
tmp=$(mktemp -d "$dir/smtpcode-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

go build -o "$bin" ./cmd/smtpcode

# A case is a grep baseline and the commands measured against it, run in
# rounds (each command once a round, in turn) so that a change in the
# machine's load falls on all of them alike.
labels=() cmds=()
add() { labels+=("$1"); cmds+=("$2"); }
run_case() {
	local n=${#cmds[@]} r i t k
	local -a times cpus rss
	for ((i = 0; i < n; i++)); do times[i]="" cpus[i]="" rss[i]=0; done
	for ((r = 0; r < runs; r++)); do
		for ((i = 0; i < n; i++)); do
			/usr/bin/time -f '%e %M %U %S' -o "$tmp/time" bash -c "${cmds[i]}" >"$tmp/out" 2>/dev/null || true
			read -r t k u s <"$tmp/time"
			times[i]+="$t "
			cpus[i]+="$(awk "BEGIN{print $u + $s}") "
			((k > rss[i])) && rss[i]=$k
		done
	done
	local base cbase c
	for ((i = 0; i < n; i++)); do
		t=$(med ${times[i]})
		c=$(med ${cpus[i]})
		((i == 0)) && base=$t cbase=$c
		printf '  %-52s %7.3f s %7.2fx %7.3f s %7.2fx %6d MB\n' "${labels[i]}" "$t" "$(awk "BEGIN{print $t / $base}")" \
			"$c" "$(awk "BEGIN{print $c / $cbase}")" "$((rss[i] / 1024))"
	done
	labels=() cmds=()
}
q() { printf '%q ' "$@"; }
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf 'smtpcode explain vs grep, median of %d runs; %d CPUs (%s), %s\n' "$runs" "$(nproc)" "$(uname -m)" "$(date -u +%Y-%m-%dT%H:%MZ)"
printf '  %-52s %9s %8s %9s %8s %9s\n' command wall "vs grep" "CPU" "vs grep" "peak RSS"

for d in $densities; do
	log="$dir/smtpcode-bench-${size_mb}M-1in$d.log"
	if [[ ! -s $log ]]; then
		go run ./explain/internal/genlog -size $((size_mb << 20)) -density "$d" -o "$log"
	fi
	cat "$log" >/dev/null # into the page cache
	printf 'log, %d MB, one line in %d carries a reply (%d lines)\n' "$size_mb" "$d" "$(wc -l <"$log")"
	add "grep -c ' said: '" "grep -c ' said: ' $(q "$log")"
	add "smtpcode explain --summary" "$(q "$bin") explain --summary $(q "$log")"
	add "smtpcode explain (tab-separated, to a file)" "$(q "$bin") explain $(q "$log")"
	add "smtpcode explain --json (to a file)" "$(q "$bin") explain --json $(q "$log")"
	for nb in ${BENCH_BASELINES:-}; do
		add "${nb%%=*}: explain --summary" "$(q "${nb#*=}") explain --summary $(q "$log")"
		add "${nb%%=*}: explain (tab-separated, to a file)" "$(q "${nb#*=}") explain $(q "$log")"
		add "${nb%%=*}: explain --json (to a file)" "$(q "${nb#*=}") explain --json $(q "$log")"
	done
	run_case
done

# Many small files.
corpus=${SMTPCODE_CORPUS:-../shared/corpora/sisimai/maildir}
source="sisimai's bounces ($corpus)"
if [[ ! -d $corpus ]]; then
	corpus="$tmp/repo-corpus"
	mkdir -p "$corpus"
	cp explain/testdata/*.txt explain/testdata/*.eml cmd/smtpcode/testdata/explain/* "$corpus"/ 2>/dev/null || true
	source="the repository's test data (no sisimai corpus at ../shared)"
fi
per=$(find "$corpus" -maxdepth 1 -type f | wc -l)
copies=$(((nfiles + per - 1) / per))
for i in $(seq -w 1 "$copies"); do
	mkdir -p "$tmp/many/$i"
	cp "$corpus"/* "$tmp/many/$i/" 2>/dev/null || true
done
files=("$tmp"/many/*/*)
cat "${files[@]}" >/dev/null
printf 'many files: %d files, %d MB, copies of %s\n' "${#files[@]}" "$(du -sm "$tmp/many" | cut -f1)" "$source"
# The file list is long: each command reads it from a file.
printf '%s\0' "${files[@]}" >"$tmp/files"
add "grep -c ' said: ' FILES" "xargs -0 -x -n ${#files[@]} -s 2000000 grep -c ' said: ' <$(q "$tmp/files")"
add "smtpcode explain --summary FILES" "xargs -0 -x -n ${#files[@]} -s 2000000 $(q "$bin") explain --summary <$(q "$tmp/files")"
add "smtpcode explain FILES (tab-separated, to a file)" "xargs -0 -x -n ${#files[@]} -s 2000000 $(q "$bin") explain <$(q "$tmp/files")"
add "smtpcode explain --json FILES (to a file)" "xargs -0 -x -n ${#files[@]} -s 2000000 $(q "$bin") explain --json <$(q "$tmp/files")"
add "smtpcode explain --json DIR (to a file)" "$(q "$bin") explain --json $(q "$tmp/many")"
run_case

# A rotated, compressed log.
set -- $densities
gz="$dir/smtpcode-bench-${size_mb}M-1in$1.log.gz"
if [[ ! -s $gz ]]; then
	gzip -c "$dir/smtpcode-bench-${size_mb}M-1in$1.log" >"$gz"
fi
cat "$gz" >/dev/null
printf 'compressed: the log of one in %d, gzip, %d MB\n' "$1" "$(($(stat -c %s "$gz") >> 20))"
add "zcat FILE | grep -c ' said: '" "zcat $(q "$gz") | grep -c ' said: '"
add "smtpcode explain --summary FILE.gz" "$(q "$bin") explain --summary $(q "$gz")"
add "smtpcode explain --json FILE.gz (to a file)" "$(q "$bin") explain --json $(q "$gz")"
run_case
