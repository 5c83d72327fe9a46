#!/usr/bin/env bash
# count-explain.sh: the instructions `smtpcode explain` runs on a generated
# log, counted by valgrind's callgrind, which unlike a clock gives the same
# figure on a busy machine; for comparing builds (a change against the
# binary built before it) and against grep on the same input.
#
#   scripts/count-explain.sh [SIZE_MB] [DENSITIES] [NAME=BINARY ...]
#       defaults: 16, "5 10", and the binary built from this tree
#
# Go's asynchronous preemption is off (callgrind cannot follow its signals)
# and so is the garbage collector (its work depends on timing): the figures
# count the scanning, not the runtime's share.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-16}
densities=${2:-5 10}
shift $(($# > 2 ? 2 : $#))
dir=${BENCH_DIR:-/tmp}
tmp=$(mktemp -d "$dir/smtpcode-count.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
bins=("$@")
if ((${#bins[@]} == 0)); then
	go build -o "$tmp/smtpcode" ./cmd/smtpcode
	bins=("this=$tmp/smtpcode")
fi
count() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file="$tmp/vg" "$@" >"$tmp/out" 2>/dev/null || true
	sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/vg"
}
printf 'instructions (callgrind), %d MB logs\n' "$size_mb"
for d in $densities; do
	log="$dir/smtpcode-count-${size_mb}M-1in$d.log"
	[[ -s $log ]] || go run ./explain/internal/genlog -size $((size_mb << 20)) -density "$d" -o "$log"
	g=$(count grep -c ' said: ' "$log")
	printf 'one line in %d carries a reply\n  %-36s %14d %7.2fx\n' "$d" "grep -c ' said: '" "$g" 1
	for m in --summary --json; do
		for nb in "${bins[@]}"; do
			n=$(GODEBUG=asyncpreemptoff=1 GOGC=off count "${nb#*=}" explain $m "$log")
			printf '  %-36s %14d %7.2fx\n' "${nb%%=*}: explain $m" "$n" "$(awk "BEGIN{print $n / $g}")"
		done
	done
done
