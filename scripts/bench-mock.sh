#!/bin/sh
# bench-mock.sh: load test of `smtpcode mock`, with Postfix's smtp-sink as
# the speed reference in the same run.
#
# smtp-source (Debian package postfix) opens SESSIONS concurrent sessions
# and sends MESSAGES messages of SIZE octets, one per session, on loopback.
# The mock runs with --json; every accepted message must appear in its
# events. It runs twice, with MESSAGES/5 and MESSAGES, so that a peak RSS
# that grows with the number of messages shows.
#
# Usage: scripts/bench-mock.sh [SESSIONS [MESSAGES [SIZE]]]
# Needs: go, smtp-source and smtp-sink (apt-get install postfix), GNU time
# (apt-get install time).
set -eu

SESSIONS=${1:-200}
MESSAGES=${2:-10000}
SIZE=${3:-1024}

for tool in smtp-source smtp-sink /usr/bin/time; do
	command -v "$tool" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin command -v "$tool" >/dev/null 2>&1 || {
		echo "bench-mock: $tool not found (apt-get install postfix time)" >&2
		exit 1
	}
done
PATH=$PATH:/usr/sbin

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/smtpcode" ./cmd/smtpcode)
ulimit -n 4096 2>/dev/null || true

now() { date +%s.%N; }

# wait_file FILE: wait until FILE exists and is not empty.
wait_file() {
	i=0
	while [ ! -s "$1" ]; do
		i=$((i + 1))
		[ $i -lt 400 ] || { echo "bench-mock: timed out waiting for $1" >&2; exit 1; }
		sleep 0.025
	done
}

# child_of PID: the process /usr/bin/time started, to signal it directly.
child_of() {
	for p in /proc/[0-9]*; do
		if [ "$(awk '{print $4}' "$p/stat" 2>/dev/null)" = "$1" ]; then
			basename "$p"
			return
		fi
	done
}

rss_kb() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }

# run_mock N: the mock under load with N messages; prints its figures.
run_mock() {
	n=$1
	rm -f "$work/addr"
	/usr/bin/time -v -o "$work/mock.time" "$work/smtpcode" mock --json --listen 127.0.0.1:0 \
		--addr-file "$work/addr" --max-sessions $((SESSIONS * 2)) >"$work/events.jsonl" 2>"$work/mock.err" &
	tpid=$!
	wait_file "$work/addr"
	addr=$(cat "$work/addr")
	start=$(now)
	smtp-source -s "$SESSIONS" -m "$n" -l "$SIZE" -f bench@example.com -t sink@example.com "$addr"
	end=$(now)
	kill -INT "$(child_of $tpid)"
	wait $tpid || { echo "bench-mock: the mock failed:" >&2; cat "$work/mock.err" >&2; exit 1; }

	accepted=$(grep -c '"type":"message".*"accepted":true' "$work/events.jsonl" || true)
	sessions=$(grep -c '"type":"connect"' "$work/events.jsonl" || true)
	closed=$(grep -c '"type":"disconnect"' "$work/events.jsonl" || true)
	refused=$(grep -c '"code":421' "$work/events.jsonl" || true)
	p99=$(grep '"type":"disconnect"' "$work/events.jsonl" | sed 's/.*"duration_ms":\([0-9.]*\).*/\1/' | sort -n |
		awk '{v[NR]=$1} END {i=int(NR*0.99); if (i<1) i=1; printf "%.2f", v[i]}')
	p50=$(grep '"type":"disconnect"' "$work/events.jsonl" | sed 's/.*"duration_ms":\([0-9.]*\).*/\1/' | sort -n |
		awk '{v[NR]=$1} END {i=int(NR*0.5); if (i<1) i=1; printf "%.2f", v[i]}')
	rate=$(echo "$n $start $end" | awk '{printf "%.0f", $1/($3-$2)}')
	printf '%-22s %8d msgs %7s msg/s  p50 %6s ms  p99 %6s ms  peak RSS %6d KiB  events: %d accepted, %d sessions, %d disconnects, %d refused\n' \
		"smtpcode mock --json" "$n" "$rate" "$p50" "$p99" "$(rss_kb "$work/mock.time")" "$accepted" "$sessions" "$closed" "$refused"
	if [ "$accepted" -ne "$n" ] || [ "$closed" -ne "$sessions" ]; then
		echo "bench-mock: FAIL: $n messages sent, $accepted accounted for; $sessions sessions, $closed ended" >&2
		exit 1
	fi
}

run_sink() {
	n=$1
	port=$(awk 'BEGIN {srand(); print 20000 + int(rand() * 20000)}')
	# smtp-sink refuses to run as root without -u.
	user=""
	[ "$(id -u)" -ne 0 ] || user="-u nobody"
	/usr/bin/time -v -o "$work/sink.time" smtp-sink $user "127.0.0.1:$port" $((SESSIONS * 2)) >"$work/sink.out" 2>&1 &
	tpid=$!
	sleep 0.3
	kill -0 "$tpid" 2>/dev/null || { echo "bench-mock: smtp-sink failed:" >&2; cat "$work/sink.out" >&2; exit 1; }
	start=$(now)
	smtp-source -s "$SESSIONS" -m "$n" -l "$SIZE" -f bench@example.com -t sink@example.com "127.0.0.1:$port"
	end=$(now)
	kill -TERM "$(child_of $tpid)"
	wait $tpid 2>/dev/null || true
	rate=$(echo "$n $start $end" | awk '{printf "%.0f", $1/($3-$2)}')
	printf '%-22s %8d msgs %7s msg/s  %29s  peak RSS %6d KiB\n' "smtp-sink (reference)" "$n" "$rate" "" "$(rss_kb "$work/sink.time")"
}

echo "bench-mock: $SESSIONS concurrent sessions, $SIZE-octet messages, one per session, loopback, $(nproc) CPUs"
run_sink "$MESSAGES"
run_mock $((MESSAGES / 5))
run_mock "$MESSAGES"
