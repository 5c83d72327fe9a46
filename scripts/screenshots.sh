#!/usr/bin/env bash
# screenshots.sh: the README's pictures, rendered from the real program.
# Builds smtpcode from this tree, runs it as on a terminal 88 columns wide
# (SMTPCODE_FORCE_TTY), and turns its ANSI output into PNG with freeze
# (github.com/charmbracelet/freeze, at the version pinned below, built with
# go install into .cache/bin). Writes docs/images/page.png (the page of
# smtpcode 502 down to "As HTTP") and docs/images/explain-summary.png (smtpcode explain
# --summary on the Postfix log of the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
freeze_version=v0.2.2
freeze=$PWD/.cache/bin/freeze
if [ ! -x "$freeze" ]; then
	GOBIN=$PWD/.cache/bin go install "github.com/charmbracelet/freeze@$freeze_version"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CGO_ENABLED=0 go build -o "$tmp/smtpcode" ./cmd/smtpcode
mkdir -p docs/images

# forfreeze: two workarounds for freeze v0.2.2's ANSI reader, so the
# picture shows what a terminal shows; the text and colours are unchanged.
#  - It draws the 16-colour backgrounds (SGR 40-47) grey (its pull request
#    #153): each is spelt as the same colour of freeze's palette in 24-bit
#    form (48;2;R;G;B), which it draws.
#  - It drops the style at a line break, where a terminal keeps it (a dim
#    paragraph wrapped over two lines): the style in force is closed at the
#    end of each line and opened again at the start of the next.
forfreeze() {
	perl -pe '
		BEGIN { our @on; }
		our @on;
		my %rgb = (40 => "40;42;46", 41 => "215;78;111", 42 => "49;187;113", 43 => "211;229;97",
			44 => "128;86;255", 45 => "237;97;215", 46 => "4;215;215", 47 => "197;200;198");
		my $nl = s/\n\z//;
		my $open = @on ? "\e[" . join(";", @on) . "m" : "";
		s{\e\[([0-9;]*)m}{
			my @p = split /;/, $1; my @o;
			while (@p) {
				my $v = shift @p;
				if (($v == 38 || $v == 48) && @p) { my $n = $p[0] == 5 ? 2 : 4; push @o, $v, splice(@p, 0, $n); next }
				push @o, exists $rgb{$v} ? "48;2;$rgb{$v}" : $v;
			}
			if (!@o || (@o == 1 && $o[0] == 0)) { @on = () } else { push @on, @o }
			"\e[" . join(";", @o) . "m"
		}ge;
		$_ = $open . $_ . (@on ? "\e[m" : "") . ($nl ? "\n" : "");'
}

# shot NAME LINES COMMAND...: the first LINES lines COMMAND prints on a terminal.
shot() {
	local name=$1 lines=$2
	shift 2
	env -u NO_COLOR SMTPCODE_FORCE_TTY=88 SMTPCODE_PAGER=cat "$@" >"$tmp/$name.ansi"
	head -n "$lines" "$tmp/$name.ansi" | forfreeze >"$tmp/$name.cut"
	"$freeze" --language ansi --window --padding 20,40 --margin 0 --border.radius 8 \
		--font.size 14 --line-height 1.2 --output "$tmp/$name.png" "$tmp/$name.cut" >/dev/null
	# freeze renders at four times the size: halve it, still sharp on a high-density screen.
	(cd tools && go run ./shrinkpng -factor 2 "$tmp/$name.png" "$OLDPWD/docs/images/$name.png")
	echo "screenshots: docs/images/$name.png ($(stat -c %s "docs/images/$name.png") bytes): $*"
}
shot page 60 "$tmp/smtpcode" 502
shot explain-summary 40 "$tmp/smtpcode" explain --summary cmd/smtpcode/testdata/explain/postfix.log
