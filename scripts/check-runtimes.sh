#!/usr/bin/env bash
# check-runtimes.sh: before the Go tests run, check that every runtime can do
# what the tests ask of it, not only that its program is on PATH: swaks with
# TLS, curl with SMTP, Python with each module, Node with the npm modules,
# Java with the Jakarta Mail jars, Mono with System.Net.Mail, PHP with
# PHPMailer and OpenSSL, Ruby with Rails and WEBrick, rustfmt, script(1).
#
# Each failure names the Debian package (or the step) that provides the
# capability. Under CI=true a failure exits 1: a missing runtime must never
# turn into a skipped test on CI. Otherwise it only warns, and the tests
# that need the runtime skip with the same reason.
#
# Run by scripts/test.sh; can be run on its own from the repository root.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()
# check WHAT FIX COMMAND...: run COMMAND quietly; on failure record WHAT and FIX.
check() {
	local what=$1 fix=$2
	shift 2
	local out
	if ! out=$("$@" 2>&1); then
		# The first line that says what went wrong, else the last one.
		local why
		why=$(grep -m1 -iE 'error|cannot|not found|requires' <<<"$out" || tail -n 1 <<<"$out")
		failed+=("$what: $fix${why:+ [$(cut -c1-160 <<<"$why")]}")
	fi
}
# has PROG: PROG is on PATH.
has() { command -v "$1" >/dev/null; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# swaks: the real-client mock tests use STARTTLS and AUTH. swaks only
# Recommends the Perl TLS modules.
swaks_tls() {
	local s
	s=$(swaks --support 2>&1) || return
	grep -q '^=== TLS supported' <<<"$s" && grep -q '^=== Basic AUTH supported' <<<"$s" ||
		{ grep -E 'TLS|Basic AUTH' <<<"$s"; return 1; }
}
check "swaks with TLS and AUTH" "apt-get install swaks libnet-ssleay-perl libio-socket-ssl-perl" swaks_tls

curl_smtp() { local v; v=$(curl --version) && grep -qw smtp <<<"$v"; }
check "curl with SMTP" "apt-get install curl" curl_smtp
check "script(1)" "apt-get install bsdutils" script -qec true /dev/null
check "bash-completion" "apt-get install bash-completion" bash -c 'source /usr/share/bash-completion/bash_completion && declare -F _get_comp_words_by_ref'
check "go" "install Go (see go.mod for the version)" go version

# Python: Debian's /usr/bin/python3, which sees the python3-* packages.
py() { /usr/bin/python3 -c "import $1"; }
check "python3 with smtplib and ssl" "apt-get install python3" py 'smtplib, ssl'
check "python3 module aiosmtpd" "apt-get install python3-aiosmtpd" py aiosmtpd
check "python3 module flask" "apt-get install python3-flask" py flask
check "python3 module django" "apt-get install python3-django" py django
check "python3 module fastapi" "apt-get install python3-fastapi" py fastapi
check "python3 module uvicorn" "apt-get install python3-uvicorn" py uvicorn
check "python3 module httpx" "apt-get install python3-httpx" py httpx
check "python3 module pytest" "apt-get install python3-pytest" py pytest

# Node: the npm modules scripts/test.sh installs under .cache/node.
node_path=${SMTPCODE_NODE_PATH:-$PWD/.cache/node/node_modules}
check "node" "apt-get install nodejs" node -e 0
check "npm" "apt-get install npm (Debian's nodejs does not include it)" npm --version
for m in nodemailer smtp-server express jest; do
	check "node module $m" "scripts/test.sh installs it with npm under .cache/node (needs npm)" \
		env NODE_PATH="$node_path" node -e "require('$m')"
done

# Java: compile and run against the Jakarta Mail jars the client snippet uses.
java_mail() {
	cat >"$tmp/Probe.java" <<-'EOF'
		public class Probe {
		    public static void main(String[] a) throws Exception {
		        jakarta.mail.Session s = jakarta.mail.Session.getInstance(new java.util.Properties());
		        new jakarta.mail.internet.MimeMessage(s).setText("probe");
		    }
		}
	EOF
	local cp=/usr/share/java/jakarta-mail.jar:/usr/share/java/jakarta-activation.jar
	(cd "$tmp" && javac -cp "$cp" Probe.java && java -cp "$cp:." Probe)
}
check "java, javac and Jakarta Mail" "apt-get install openjdk-17-jdk-headless libjakarta-mail-java libjakarta-activation-java" java_mail

# Mono: compile and run a program that builds a System.Net.Mail message.
mono_mail() {
	cat >"$tmp/probe.cs" <<-'EOF'
		using System.Net.Mail;
		class Probe { static void Main() { new SmtpClient("127.0.0.1", 25); new MailMessage("a@example.com", "b@example.com"); } }
	EOF
	(cd "$tmp" && mcs -out:probe.exe probe.cs && mono probe.exe)
}
check "mono with System.Net.Mail" "apt-get install mono-mcs mono-runtime libmono-system4.0-cil" mono_mail

check "php with PHPMailer and OpenSSL" "apt-get install php-cli libphp-phpmailer" php -r '
	require "/usr/share/php/libphp-phpmailer/autoload.php";
	new PHPMailer\PHPMailer\SMTP();
	exit(extension_loaded("openssl") ? 0 : 1);'

check "ruby with net/smtp, Rails and WEBrick" "apt-get install ruby ruby-rails" ruby -e '
	require "net/smtp"; require "action_controller/railtie"; require "rack/handler/webrick"'

# rustfmt: on PATH, or where rustup puts it.
rustfmt_ok() { has rustfmt && rustfmt --version || "$HOME/.cargo/bin/rustfmt" --version; }
check "rustfmt" "apt-get install rustfmt" rustfmt_ok

if [ ${#failed[@]} -eq 0 ]; then
	echo "check-runtimes: every runtime the tests use is ready"
	exit 0
fi
for f in "${failed[@]}"; do
	echo "check-runtimes: missing $f" >&2
done
if [ "${CI:-}" = true ]; then
	echo "check-runtimes: ${#failed[@]} runtime(s) missing; under CI=true that is a failure" >&2
	exit 1
fi
echo "check-runtimes: the tests that need them will skip (under CI=true they fail)" >&2
