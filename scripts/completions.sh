#!/usr/bin/env bash
# completions.sh [DIR]: write smtpcode's bash, zsh and fish completions into
# DIR (default completions/), from the program itself (cobra's completion
# command). GoReleaser runs it before a release; the archives, the .deb and
# .rpm and the Homebrew cask install the files.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-completions}
mkdir -p "$dir"
bin=$(mktemp -d)/smtpcode
trap 'rm -rf "$(dirname "$bin")"' EXIT
CGO_ENABLED=0 go build -trimpath -o "$bin" ./cmd/smtpcode
"$bin" completion bash >"$dir/smtpcode.bash"
"$bin" completion zsh >"$dir/_smtpcode"
"$bin" completion fish >"$dir/smtpcode.fish"
