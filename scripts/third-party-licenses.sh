#!/usr/bin/env bash
# third-party-licenses.sh: print the licence of every Go module linked into
# the smtpcode binary on any released platform, and Go's own (its runtime
# and standard library are in every binary). The release archives and
# packages ship the output as THIRD_PARTY_LICENSES (see .goreleaser.yaml);
# the material kept in this repository is listed in THIRD_PARTY.md.
# Fails when a module has no licence file.
set -euo pipefail
cd "$(dirname "$0")/.."

mods=$(for os in linux darwin windows; do
	GOOS=$os GOARCH=amd64 go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}}@{{.Version}}{{end}}{{end}}' ./cmd/smtpcode
done | sort -u)

echo "Third-party licences of the smtpcode binary"
echo "==========================================="
echo
printf '%s\n' "The Go programming language (runtime and standard library), $(go env GOVERSION)"
echo "-------------------------------------------------------------------------"
cat "$(go env GOROOT)/LICENSE"
for m in $mods; do
	dir=$(go mod download -json "$m" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	files=$(find "$dir" -maxdepth 1 -type f \( -iname 'LICENSE*' -o -iname 'LICENCE*' -o -iname 'COPYING*' -o -iname 'NOTICE*' \) | sort)
	if [ -z "$files" ]; then
		echo "third-party-licenses: no licence file in $m ($dir)" >&2
		exit 1
	fi
	echo
	echo "$m"
	echo "${m//?/-}"
	for f in $files; do
		cat "$f"
	done
done
