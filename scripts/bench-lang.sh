#!/usr/bin/env bash
# Start-up cost of a Korean lookup against the English one, in the same run
# (ratios, not absolute times): the translations are compiled in, so a
# --lang ko lookup must stay within 5% of the English one. Also prints the
# stripped binary's size. Exits non-zero when a target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$out/smtpcode" ./cmd/smtpcode
go build -o "$out/startup" ./bench/startup
size=$(stat -c %s "$out/smtpcode")
echo "stripped binary: $size bytes"
fail=0
echo "piped (baseline: smtpcode 502, English):"
"$out/startup" -n "${N:-300}" -baseline "$out/smtpcode 502" \
	-case "1.05:smtpcode --lang ko 502::$out/smtpcode --lang ko 502" \
	-case "1.05:LANG=ko_KR.UTF-8 smtpcode 502:LANG=ko_KR.UTF-8:$out/smtpcode 502" || fail=1
echo
echo "styled (baseline: smtpcode 550 5.7.1 on a 100-column terminal, English):"
"$out/startup" -n "${N:-300}" -baseline "env SMTPCODE_FORCE_TTY=100 CLICOLOR_FORCE=1 $out/smtpcode 550 5.7.1" \
	-case "1.05:smtpcode --lang ko 550 5.7.1:SMTPCODE_FORCE_TTY=100 CLICOLOR_FORCE=1:$out/smtpcode --lang ko 550 5.7.1" || fail=1
exit $fail
