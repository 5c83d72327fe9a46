#!/usr/bin/env bash
# package-smoke.sh: run where the smtpcode .deb (or .rpm) has just been
# installed, as root: the program, its man pages and its bash, zsh and fish
# completions work from the system paths, as a user gets them. It installs
# man-db and the three shells first (a user has them; a fresh root does not).
# scripts/release-check.sh runs it in a fresh Debian 12 root.
set -euo pipefail
fail() { echo "package-smoke: FAIL: $*" >&2; exit 1; }
ok() { echo "package-smoke: ok: $*"; }

[ "$(command -v smtpcode)" = /usr/bin/smtpcode ] || fail "smtpcode is not /usr/bin/smtpcode"
out=$(smtpcode 502) || fail "smtpcode 502 exited $?"
grep -q '^502' <<<"$out" || fail "smtpcode 502 printed: $out"
ok "smtpcode 502: $(head -n 1 <<<"$out")"
ok "$(smtpcode --version)"

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends man-db bash-completion zsh fish >/dev/null

for page in smtpcode smtpcode-explain smtpcode-mock smtpcode-snippet; do
	text=$(MANWIDTH=80 man "$page" 2>&1) || fail "man $page: $text"
	grep -q 'EXIT STATUS' <<<"$text" || fail "man $page has no EXIT STATUS"
done
ok "man smtpcode: $(man -w smtpcode), $(ls /usr/share/man/man1/smtpcode*.1* | wc -l) pages"

# bash: bash-completion loads the file by the command's name on first use.
comp=$(bash -c '
	source /usr/share/bash-completion/bash_completion
	_completion_loader smtpcode
	complete -p smtpcode >/dev/null || exit 1
	COMP_LINE="smtpcode 55"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(smtpcode 55); COMP_CWORD=1
	$(complete -p smtpcode | sed -n "s/.*-F \([^ ]*\) .*/\1/p") smtpcode 55 smtpcode 2>/dev/null # compopt warns outside a real completion
	printf "%s\n" "${COMPREPLY[@]}"') || fail "bash completion did not load"
grep -q '^550' <<<"$comp" || fail "bash completion of 'smtpcode 55' gave: $comp"
ok "bash completes 'smtpcode 55' to $(wc -l <<<"$comp") codes"

# zsh: compinit finds _smtpcode on its default fpath.
zsh -fc 'autoload -U compinit && compinit -u && (( ${+_comps[smtpcode]} ))' || fail "zsh: no completion for smtpcode"
ok "zsh finds _smtpcode ($(zsh -fc 'print -l $^fpath/_smtpcode(N)'))"

# fish: completions from vendor_completions.d.
comp=$(fish -c 'complete -C"smtpcode 55"') || fail "fish completion failed"
grep -q '^550' <<<"$comp" || fail "fish completion of 'smtpcode 55' gave: $comp"
ok "fish completes 'smtpcode 55' to $(wc -l <<<"$comp") codes"
echo "package-smoke: the installed package works"
