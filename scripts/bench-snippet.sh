#!/usr/bin/env bash
# bench-snippet.sh: time `smtpcode snippet 550 flask` on a terminal (forced
# with SMTPCODE_FORCE_TTY, so colour and chroma run) and piped, against a
# static Go hello world built in the same run, and print the ratios.
# Targets: terminal within 4x the hello world, piped within 2.5x. The
# "base" line (smtpcode --help) is the CLI's own start-up, for context:
# what the snippet adds is the difference.
# Needs hyperfine (Debian package) and jq.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/hello.go" <<'GO'
package main

import "os"

func main() { os.Stdout.WriteString("hello, world\n") }
GO
(cd "$tmp" && CGO_ENABLED=0 go mod init hello >/dev/null 2>&1 && CGO_ENABLED=0 go build -o hello .)
CGO_ENABLED=0 go build -o "$tmp/smtpcode" ./cmd/smtpcode

hyperfine -N --warmup 20 --runs "${RUNS:-300}" --export-json "$tmp/out.json" \
  -n hello "$tmp/hello" \
  -n base "$tmp/smtpcode --help" \
  -n terminal "env SMTPCODE_FORCE_TTY=100 $tmp/smtpcode snippet 550 flask" \
  -n piped "$tmp/smtpcode snippet 550 flask" >&2

# env(1) adds its own exec to the terminal run; time it to take it out.
hyperfine -N --warmup 20 --runs "${RUNS:-300}" --export-json "$tmp/env.json" \
  -n env "env SMTPCODE_FORCE_TTY=100 $tmp/hello" >&2

jq -r --slurpfile env "$tmp/env.json" '
  (.results | map({(.command): .mean}) | add) as $m
  | ($env[0].results[0].mean - $m.hello) as $envcost
  | "hello    \($m.hello * 1000 | . * 100 | round / 100) ms",
    "base     \($m.base * 1000 | . * 100 | round / 100) ms  ratio \(($m.base / $m.hello) * 100 | round / 100) (smtpcode --help)",
    "terminal \(($m.terminal - $envcost) * 1000 | . * 100 | round / 100) ms  ratio \((($m.terminal - $envcost) / $m.hello) * 100 | round / 100) (target <= 4)",
    "piped    \($m.piped * 1000 | . * 100 | round / 100) ms  ratio \(($m.piped / $m.hello) * 100 | round / 100) (target <= 2.5)"
' "$tmp/out.json"
