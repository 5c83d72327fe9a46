#!/usr/bin/env bash
# Start-up benchmark for lookups: smtpcode against a static Go hello world
# built and timed in the same run (ratios, not absolute times), plus the
# stripped binary's size. Exits non-zero when a target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$out/hello" ./bench/hello
CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$out/smtpcode" ./cmd/smtpcode
CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$out/floor" ./bench/floor
go build -o "$out/startup" ./bench/startup
size=$(stat -c %s "$out/smtpcode")
echo "stripped binary: $size bytes ($(awk "BEGIN{printf \"%.2f\", $size/1048576}") MiB; limit 9 MB)"
fail=0
[ "$size" -le 9000000 ] || { echo "FAIL: binary larger than 9 MB"; fail=1; }
"$out/startup" -n "${N:-300}" -baseline "$out/hello" \
	-case "0:floor (cobra+lipgloss)::$out/floor" \
	-case "3:smtpcode 502 styled:SMTPCODE_FORCE_TTY=100 CLICOLOR_FORCE=1:$out/smtpcode 502" \
	-case "2:smtpcode 502 piped::$out/smtpcode 502" \
	-case "2:smtpcode 502 --json::$out/smtpcode 502 --json" \
	-case "2:smtpcode 550 5.7.1 piped::$out/smtpcode 550 5.7.1" || fail=1

# Under a pseudo-terminal that never answers a query: as fast as piped, so
# no OSC 11 probe (script(1) runs both through the same shell and pty).
if command -v script >/dev/null; then
	echo
	echo "under a silent pseudo-terminal (script -qec ... /dev/null):"
	"$out/startup" -n "${N:-300}" -baseline "script -qec '$out/smtpcode 502 --color never' /dev/null" \
		-case "1.5:smtpcode 502 in a pty::script -qec '$out/smtpcode 502' /dev/null" || fail=1
fi
exit $fail
