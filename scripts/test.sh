#!/usr/bin/env bash
# Runs every test of smtpcode on a fresh Debian 12 machine: installs what the
# tests need (Debian packages as root, npm packages under .cache/node, Go
# modules), checks formatting and vet, then runs all the Go tests, which
# include the end-to-end scripts and the real-peer tests. Under CI=true a
# test whose runtime is missing fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: every one a test needs is named here, because they are
# installed with --no-install-recommends (what a package only Recommends is
# not installed). scripts/check-runtimes.sh checks each capability below.
apt_packages=(
	ca-certificates git
	# real SMTP clients: swaks (its STARTTLS needs the Perl TLS modules, which
	# swaks only Recommends), curl; script(1) for the pseudo-terminal test;
	# bash-completion for the completion test
	swaks libnet-ssleay-perl libio-socket-ssl-perl curl bsdutils bash-completion
	# the compressors of rotated logs that smtpcode explain reads
	bzip2 xz-utils zstd
	# benchmarks: Postfix's smtp-source and smtp-sink, GNU time, hyperfine, jq
	postfix time hyperfine jq
	# Python: smtplib, aiosmtpd, the web frameworks of the snippets, and
	# pytest for the mock fixture documented in docs/mock.md
	python3 python3-aiosmtpd python3-pytest python3-flask python3-django python3-fastapi python3-httpx python3-uvicorn
	# Ruby, PHP, Java, Mono, Node (Debian's nodejs has no npm), Rust's formatter
	ruby ruby-rails
	php-cli libphp-phpmailer
	openjdk-17-jdk-headless libjakarta-mail-java libjakarta-activation-java
	mono-mcs mono-runtime libmono-system4.0-cil
	nodejs npm
	rustfmt
)
# A package counts as installed when dpkg has it or an installed package
# provides it (NodeSource's nodejs provides npm, for one).
have=" $(dpkg-query -W -f='${db:Status-Abbrev} ${Package},${Provides}\n' 2>/dev/null |
	awk '$1 == "ii" { $1 = ""; gsub(/\([^)]*\)/, ""); gsub(/[ ,]+/, " "); printf "%s ", $0 }') "
missing=()
for p in "${apt_packages[@]}"; do
	[[ $have == *" $p "* ]] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "test.sh: missing Debian packages: ${missing[*]} (run as root to install them)" >&2
	else
		echo "test.sh: installing ${missing[*]}"
		export DEBIAN_FRONTEND=noninteractive
		echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	fi
fi

# npm packages for the Node peers and snippets, kept out of the tree.
node_pkgs=(nodemailer@10.6.1 smtp-server@3.21.6 express@5.3.0 jest@30.5.2)
if command -v npm >/dev/null; then
	if [ ! -f .cache/node/.installed ] || [ "$(cat .cache/node/.installed)" != "${node_pkgs[*]}" ]; then
		mkdir -p .cache/node
		npm install --prefix .cache/node --no-audit --no-fund --loglevel=error "${node_pkgs[@]}" >/dev/null
		echo "${node_pkgs[*]}" > .cache/node/.installed
	fi
	export SMTPCODE_NODE_PATH="$PWD/.cache/node/node_modules"
fi

# --- Snippet runtimes from PyPI, Maven Central and crates.io (issue 17) ---
# Everything goes to the ignored .cache/, so a second run downloads nothing.
# Python: a virtualenv made from Debian's python3 (python3-venv) with the
# current releases pinned in snippets/testdata/python-current.txt.
# Spring Boot: the two applications in snippets/testdata/spring-boot resolved
# into .cache/m2 (Maven and OpenJDK 17 from Debian). lettre: fetched into
# .cache/cargo where a Rust toolchain at lettre's minimum version is on PATH;
# without one the lettre snippet is only parsed, and this says why.
snippet_debs=()
for p in python3-venv maven openjdk-17-jdk-headless; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || snippet_debs+=("$p")
done
# Without Rust, the lettre snippet is parsed by Debian's rustfmt.
if ! command -v rustfmt >/dev/null && [ ! -x "$HOME/.cargo/bin/rustfmt" ] &&
	! dpkg-query -W -f='${Status}' rustfmt 2>/dev/null | grep -q "install ok installed"; then
	snippet_debs+=(rustfmt)
fi
if [ ${#snippet_debs[@]} -gt 0 ] && [ "$(id -u)" -eq 0 ]; then
	echo "test.sh: installing ${snippet_debs[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${snippet_debs[@]}" >/dev/null ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${snippet_debs[@]}" >/dev/null; }
fi
pyreq=snippets/testdata/python-current.txt
if [ ! -x .cache/pyvenv/bin/python ] || ! cmp -s "$pyreq" .cache/pyvenv/.installed; then
	echo "test.sh: making .cache/pyvenv (current PyPI releases)"
	rm -rf .cache/pyvenv
	if /usr/bin/python3 -m venv .cache/pyvenv; then
		PIP_CACHE_DIR="$PWD/.cache/pip" .cache/pyvenv/bin/pip install -q --disable-pip-version-check -r "$pyreq"
		cp "$pyreq" .cache/pyvenv/.installed
	else
		echo "test.sh: no virtualenv (Debian package python3-venv): the PyPI runs of the Python snippets will skip" >&2
	fi
fi
export SMTPCODE_PYVENV="$PWD/.cache/pyvenv"
if command -v mvn >/dev/null; then
	for pom in snippets/testdata/spring-boot/*/pom.xml; do
		line=$(basename "$(dirname "$pom")")
		if [ ! -f ".cache/m2/.$line" ] || [ "$pom" -nt ".cache/m2/.$line" ]; then
			echo "test.sh: resolving Spring Boot $line into .cache/m2"
			if ! out=$(mvn -B -q -Dmaven.repo.local="$PWD/.cache/m2" -f "$pom" dependency:build-classpath -Dmdep.outputFile=/dev/null 2>&1); then
				echo "$out" >&2
				exit 1
			fi
			touch ".cache/m2/.$line"
		fi
	done
else
	echo "test.sh: no mvn (Debian package maven): the Spring Boot snippet runs will skip" >&2
fi
lettre_msrv=1.85
rustc_version=$(rustc --version 2>/dev/null | awk '{print $2}') || true
if [ -n "$rustc_version" ] && [ "$(printf '%s\n%s\n' "$lettre_msrv" "$rustc_version" | sort -V | head -1)" = "$lettre_msrv" ]; then
	# The crate gets its binaries from the test; a placeholder lets cargo read it.
	crate=$(mktemp -d)
	cp snippets/testdata/lettre/Cargo.toml snippets/testdata/lettre/Cargo.lock "$crate"
	mkdir "$crate/src" && echo 'fn main() {}' >"$crate/src/main.rs"
	CARGO_HOME="$PWD/.cache/cargo" cargo fetch --locked -q --manifest-path "$crate/Cargo.toml"
	rm -rf "$crate"
else
	echo "test.sh: the lettre snippet is parsed only: ${rustc_version:+rustc $rustc_version is older than $lettre_msrv, }lettre 0.11 needs a Rust toolchain >= $lettre_msrv on PATH (rustup); Debian 12's is 1.63"
fi
# --- end of the snippet runtimes block ---

go mod download
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.cache/*'))
if [ -n "$unformatted" ]; then
	echo "test.sh: not gofmt-ed:" $unformatted >&2
	exit 1
fi
# Runtime check, before the tests: each runtime can do what the tests ask of
# it (fails under CI=true, naming the package to install).
./scripts/check-runtimes.sh
go vet ./...
go test -count=1 -timeout 30m ./... "$@"
# explain's in-process xz and zstd decoders, left out of the default build.
go test -count=1 -tags xz_zstd -run 'ScanFiles' ./explain
