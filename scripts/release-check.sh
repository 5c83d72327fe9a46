#!/usr/bin/env bash
# release-check.sh: the release, end to end, without publishing anything.
#   1. builds GoReleaser at the version tools/go.mod pins (into .cache/bin)
#   2. goreleaser check
#   3. a snapshot release of the committed HEAD (a clone) into dist/: six
#      archives, checksums, .deb, .rpm, the Homebrew cask
#   4. checks the artefacts: every archive and its checksum, the binary's
#      stamped version, the package contents (binary, man pages, completions)
#   5. as root: installs the .deb in a fresh Debian 12 root (fresh-machine,
#      FRESH_RUN/FRESH_TEST) and runs scripts/package-smoke.sh there:
#      smtpcode 502, man smtpcode, bash/zsh/fish completion.
# Too slow for every CI run (GoReleaser's own build, six cross builds and a
# fresh root: 10-30 minutes); run it before tagging a release.
# Environment: FRESH_MACHINE (default ../shared/tools/fresh-machine),
# SKIP_FRESH=1 skips step 5.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\n== release-check: %s\n' "$*" >&2; }
fail() { echo "release-check: FAIL: $*" >&2; exit 1; }

gr=$PWD/.cache/bin/goreleaser
want=$(awk '$1 == "github.com/goreleaser/goreleaser/v2" { print $2 }' tools/go.mod)
if [ ! -x "$gr" ] || ! "$gr" --version 2>&1 | grep -qF "${want#v}"; then
	say "building GoReleaser $want (tools/go.mod)"
	(cd tools && CGO_ENABLED=0 go build -o "$gr" github.com/goreleaser/goreleaser/v2)
fi

# GoReleaser works on a clone of the committed HEAD, as a release does (and
# a clone has the remote GoReleaser reads the commit from).
src=$PWD/.cache/release-src
rm -rf "$src"
git clone -q . "$src"
commit=$(git -C "$src" rev-parse HEAD)

say "goreleaser check"
(cd "$src" && "$gr" check)

say "snapshot release of ${commit:0:7} into dist/"
(cd "$src" && "$gr" release --snapshot --clean)
rm -rf dist
mv "$src/dist" dist

say "checking the artefacts"
version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' dist/metadata.json | head -n 1)
[ -n "$version" ] || fail "no version in dist/metadata.json"
for os in linux darwin windows; do
	for arch in amd64 arm64; do
		ext=tar.gz
		[ "$os" = windows ] && ext=zip
		f=dist/smtpcode_${version}_${os}_${arch}.$ext
		[ -s "$f" ] || fail "missing $f"
		grep -q " ${f#dist/}\$" dist/checksums.txt || fail "$f is not in checksums.txt"
	done
done
(cd dist && sha256sum --quiet -c checksums.txt) || fail "checksums.txt does not match"
deb=$(ls dist/smtpcode_*_amd64.deb)
rpm=$(ls dist/smtpcode-*.x86_64.rpm)
ls dist/homebrew/Casks/smtpcode.rb >/dev/null || fail "no Homebrew cask"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xzf "dist/smtpcode_${version}_linux_amd64.tar.gz" -C "$tmp"
v=$("$tmp/smtpcode" --version)
grep -qF "$version" <<<"$v" || fail "smtpcode --version says \"$v\", want $version"
if grep -qi commit <<<"$v"; then
	grep -q "${commit:0:7}" <<<"$v" || fail "smtpcode --version says \"$v\", want commit $commit"
fi
for f in LICENSE THIRD_PARTY.md THIRD_PARTY_LICENSES README.md docs/man/smtpcode.1 completions/smtpcode.bash completions/_smtpcode completions/smtpcode.fish; do
	[ -s "$tmp/$f" ] || fail "the linux archive lacks $f"
done
size=$(stat -c %s "$tmp/smtpcode")
echo "release-check: linux/amd64 binary $size bytes; --version: $v"

debfiles=$(dpkg-deb -c "$deb" | awk '{ print $NF }')
for f in ./usr/bin/smtpcode ./usr/share/man/man1/smtpcode.1 ./usr/share/man/man1/smtpcode-explain.1 \
	./usr/share/bash-completion/completions/smtpcode ./usr/share/zsh/vendor-completions/_smtpcode \
	./usr/share/fish/vendor_completions.d/smtpcode.fish ./usr/share/doc/smtpcode/copyright; do
	grep -qxF "$f" <<<"$debfiles" || fail "$deb lacks $f"
done
if command -v rpm >/dev/null; then
	rpmfiles=$(rpm -qlp "$rpm" 2>/dev/null)
	for f in /usr/bin/smtpcode /usr/share/man/man1/smtpcode.1 /usr/share/zsh/site-functions/_smtpcode; do
		grep -qxF "$f" <<<"$rpmfiles" || fail "$rpm lacks $f"
	done
fi
echo "release-check: artefacts ok ($(ls dist/*.tar.gz dist/*.zip | wc -l) archives, $deb, $rpm)"

if [ "${SKIP_FRESH:-0}" = 1 ]; then
	say "SKIP_FRESH=1: not installing the .deb in a fresh root"
	exit 0
fi
[ "$(id -u)" -eq 0 ] || fail "installing the .deb in a fresh root needs root (or SKIP_FRESH=1)"
say "installing $deb in a fresh Debian 12 root"
# The fresh root sees this machine's files through /proc/PID/root (fresh-machine
# bind-mounts /proc): the .deb is installed from there, as a user would install
# a downloaded package.
FRESH_RUN="dpkg -i /proc/$$/root$PWD/$deb" FRESH_TEST="./scripts/package-smoke.sh" \
	"${FRESH_MACHINE:-../shared/tools/fresh-machine}" .
