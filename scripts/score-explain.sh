#!/usr/bin/env bash
# score-explain.sh: how well `smtpcode explain` finds the replies in real
# text other people wrote (explain/testdata/corpus): recall, precision,
# enhanced code, command and provider accuracy, and findings in negatives,
# per producer. -v lists every miss; --heldout scores the held-out part
# (testdata/corpus/heldout), which is meant to be scored once; --only=PREFIX
# scores the corpus files whose name starts with PREFIX.
#
#   scripts/score-explain.sh [-v] [--heldout] [--only=PREFIX]
set -euo pipefail
cd "$(dirname "$0")/.."
args=(-v -run '^TestCorpusScore$' -count=1 -args -score)
for a in "$@"; do
	case $a in
	-v) args+=(-misses) ;;
	--heldout) args+=(-heldout) ;;
	--only=*) args+=(-only "${a#--only=}") ;;
	*) echo "usage: $0 [-v] [--heldout] [--only=PREFIX]" >&2; exit 2 ;;
	esac
done
go test ./explain "${args[@]}" | grep -v -E '^(=== RUN|--- PASS|PASS$|ok )'
