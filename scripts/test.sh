#!/usr/bin/env bash
# Runs every test of smtpcode on a fresh Debian 12 machine: installs what the
# tests need (Debian packages as root, npm packages under .cache/node, Go
# modules), checks formatting and vet, then runs all the Go tests, which
# include the end-to-end scripts and the real-peer tests. Under CI=true a
# test whose runtime is missing fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: real SMTP peers (swaks, curl, Python's smtplib and
# aiosmtpd, Postfix's smtp-source and smtp-sink) and the snippet runtimes.
apt_packages=(
	ca-certificates curl swaks bsdutils time postfix
	jq hyperfine bash-completion python3 python3-aiosmtpd python3-flask python3-django python3-fastapi python3-httpx python3-uvicorn
	ruby ruby-rails php-cli libphp-phpmailer libjakarta-mail-java openjdk-17-jdk-headless mono-mcs mono-runtime libmono-system4.0-cil
	nodejs
)
missing=()
for p in "${apt_packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
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
node_pkgs=(nodemailer@10.6.1 smtp-server@3.21.6 express@5.3.0)
if command -v npm >/dev/null; then
	if [ ! -f .cache/node/.installed ] || [ "$(cat .cache/node/.installed)" != "${node_pkgs[*]}" ]; then
		mkdir -p .cache/node
		npm install --prefix .cache/node --no-audit --no-fund --loglevel=error "${node_pkgs[@]}" >/dev/null
		echo "${node_pkgs[*]}" > .cache/node/.installed
	fi
	export SMTPCODE_NODE_PATH="$PWD/.cache/node/node_modules"
fi

go mod download
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.cache/*'))
if [ -n "$unformatted" ]; then
	echo "test.sh: not gofmt-ed:" $unformatted >&2
	exit 1
fi
go vet ./...
go test -count=1 -timeout 30m ./... "$@"
