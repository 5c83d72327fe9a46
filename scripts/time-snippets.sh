#!/usr/bin/env bash
# Times the snippets part of scripts/test.sh, as CI runs it: the npm block,
# the snippet runtimes block (PyPI, Maven Central, crates.io, into .cache/)
# and CI=true go test ./snippets. Remove .cache/ first for a cold run.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
eval "$(sed -n '/^# npm packages for the Node peers/,/^fi$/p' scripts/test.sh)"
eval "$(sed -n '/--- Snippet runtimes/,/--- end of the snippet runtimes block/p' scripts/test.sh)"
setup=$(date +%s)
CI=true go test -count=1 -timeout 30m ./snippets
end=$(date +%s)
echo "time-snippets: downloads and installs $((setup - start)) s, go test ./snippets $((end - setup)) s, total $((end - start)) s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
