package mock

import (
	"bytes"
	"context"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// These tests drive the server with clients nobody here wrote. A missing
// client skips the test, except under CI=true, where it fails it: CI must
// have every runtime installed.

// runtime returns the path of a client program, or skips (fails under CI).
func runtime(t *testing.T, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required when CI=true: %s", name, install)
	}
	t.Skipf("%s not installed (%s)", name, install)
	return ""
}

// run runs a client with a deadline and returns its combined output and
// exit status.
func run(t *testing.T, env []string, name string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s timed out:\n%s", name, out.String())
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), code
}

func swaks(t *testing.T, s *Server, args ...string) (string, int) {
	t.Helper()
	bin := runtime(t, "swaks", "apt-get install swaks")
	return run(t, nil, bin, append([]string{"--server", s.Addr, "--from", "sender@example.com", "--hide-informational"}, args...)...)
}

func wantIn(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func TestSwaks(t *testing.T) {
	tests := []struct {
		name     string
		rules    []string
		users    map[string]string
		args     []string
		wantExit int // swaks: 0 ok, 21 greeting, 23 MAIL, 24 RCPT, 26 end of data, 28 AUTH
		want     []string
		messages int
		rcpts    string
	}{
		{name: "delivery", args: []string{"--to", "rcpt@example.com"}, want: []string{"250 2.0.0 OK"}, messages: 1, rcpts: "rcpt@example.com"},
		{name: "550 on one of two recipients", rules: []string{"RCPT:bad@*=550 5.1.1 No such user"},
			args: []string{"--to", "good@example.com,bad@example.com"}, want: []string{"550 5.1.1 No such user", "250 2.0.0"}, messages: 1, rcpts: "good@example.com"},
		{name: "452 on RCPT by address", args: []string{"--to", "452-4.2.2@mock.test"}, wantExit: 24, want: []string{"452 4.2.2"}},
		{name: "452 on RCPT by rule", rules: []string{"RCPT=452"}, args: []string{"--to", "a@example.com"}, wantExit: 24, want: []string{"452 4."}},
		{name: "421 at the greeting", rules: []string{"CONNECT=421"}, args: []string{"--to", "a@example.com"}, wantExit: 21, want: []string{"421 mock.test"}},
		{name: "554 at the end of data", rules: []string{"DATA-END=554 5.7.1 Message rejected as spam"}, args: []string{"--to", "a@example.com"}, wantExit: 26, want: []string{"554 5.7.1 Message rejected as spam"}},
		{name: "AUTH failure", users: map[string]string{"user": "secret"}, args: []string{"--to", "a@example.com", "--auth", "PLAIN", "--auth-user", "user", "--auth-password", "wrong"}, wantExit: 28, want: []string{"535 5.7.8"}},
		{name: "STARTTLS then AUTH LOGIN", users: map[string]string{"user": "secret"}, args: []string{"--to", "a@example.com", "--tls", "--auth", "LOGIN", "--auth-user", "user", "--auth-password", "secret"}, want: []string{"220 2.0.0 Ready to start TLS", "235 2.7.0"}, messages: 1, rcpts: "a@example.com"},
		{name: "pipelining", args: []string{"--to", "a@example.com,b@example.com", "--pipeline"}, want: []string{"250 2.0.0 OK"}, messages: 1, rcpts: "a@example.com,b@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewUnstartedServer()
			s.Config.Users = tt.users
			for _, r := range tt.rules {
				s.Config.Rules = append(s.Config.Rules, MustParseRule(r))
			}
			s.Start()
			defer s.Close()
			out, code := swaks(t, s, tt.args...)
			if code != tt.wantExit {
				t.Errorf("swaks exit %d, want %d", code, tt.wantExit)
			}
			wantIn(t, out, tt.want...)
			msgs := s.Messages()
			if len(msgs) != tt.messages {
				t.Fatalf("%d messages, want %d\n%s", len(msgs), tt.messages, out)
			}
			if tt.messages > 0 && strings.Join(msgs[0].To, ",") != tt.rcpts {
				t.Errorf("recipients %q, want %q", msgs[0].To, tt.rcpts)
			}
		})
	}
}

func TestGreeting421ClosesForSwaks(t *testing.T) {
	s := NewServer("CONNECT=421 4.3.2 Try again later")
	defer s.Close()
	out, _ := swaks(t, s, "--to", "a@example.com")
	wantIn(t, out, "421 4.3.2 Try again later")
	if strings.Contains(out, "EHLO") {
		t.Errorf("swaks went on after 421:\n%s", out)
	}
	if ss := s.Sessions(); len(ss) != 1 || ss[0].Reason != "closed by reply" {
		t.Errorf("sessions %+v", ss)
	}
}

func TestCurl(t *testing.T) {
	curl := runtime(t, "curl", "apt-get install curl")
	s := NewServer("VRFY=502")
	defer s.Close()
	out, code := run(t, nil, curl, "-sS", "-v", "smtp://"+s.Addr, "-X", "VRFY postmaster")
	if code != 8 {
		t.Errorf("curl exit %d, want 8 (server replied with an error)", code)
	}
	wantIn(t, out, "< 502 5.5.1")

	msg := filepath.Join(t.TempDir(), "msg.eml")
	os.WriteFile(msg, []byte("Subject: curl\r\n\r\nfrom curl\r\n.dot\r\n"), 0o644)
	out, code = run(t, nil, curl, "-sS", "smtp://"+s.Addr, "--mail-from", "a@example.com", "--mail-rcpt", "b@example.com", "-T", msg)
	if code != 0 {
		t.Fatalf("curl delivery: exit %d\n%s", code, out)
	}
	m := s.Messages()
	if len(m) != 1 || !bytes.Contains(m[0].Data, []byte("\r\n.dot\r\n")) {
		t.Fatalf("messages %+v", m)
	}
}

// pythonClient exercises smtplib (Debian's /usr/bin/python3, not a
// pyenv one): STARTTLS and login, a refused recipient, a refused password,
// a message refused at the end of data.
const pythonClient = `
import smtplib, ssl, sys
addr = sys.argv[1]
host, port = addr.rsplit(":", 1)
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
with smtplib.SMTP(host, int(port), timeout=10) as s:
    s.starttls(context=ctx)
    s.login("user", "secret")
    refused = s.sendmail("a@example.com", ["ok@example.com", "550-5.1.1@mock.test"], "Subject: py\r\n\r\nhello\r\n")
    print("refused", sorted((k, v[0], v[1].decode()) for k, v in refused.items()))
with smtplib.SMTP(host, int(port), timeout=10) as s:
    try:
        s.login("user", "wrong")
    except smtplib.SMTPAuthenticationError as e:
        print("auth", e.smtp_code, e.smtp_error.decode())
with smtplib.SMTP(host, int(port), timeout=10) as s:
    try:
        s.sendmail("a@example.com", ["data-554-5.6.0@mock.test"], "Subject: py\r\n\r\nhello\r\n")
    except smtplib.SMTPDataError as e:
        print("data", e.smtp_code, e.smtp_error.decode())
`

func TestPythonSmtplib(t *testing.T) {
	const python = "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		runtime(t, python, "apt-get install python3")
	}
	s := NewUnstartedServer()
	s.Config.Users = map[string]string{"user": "secret"}
	s.Start()
	defer s.Close()
	out, code := run(t, nil, python, "-c", pythonClient, s.Addr)
	if code != 0 {
		t.Fatalf("python exit %d:\n%s", code, out)
	}
	wantIn(t, out,
		"refused [('550-5.1.1@mock.test', 550, '5.1.1 ",
		"auth 535 5.7.8 Authentication credentials invalid",
		"data 554 5.6.0 ")
	if m := s.Messages(); len(m) != 1 || !m[0].TLS || m[0].User != "user" {
		t.Errorf("messages %+v", m)
	}
}

// nodeClient sends with nodemailer: STARTTLS, AUTH, one recipient refused,
// then a transient RCPT failure.
const nodeClient = `
const nodemailer = require("nodemailer");
const [host, port] = process.argv[process.argv.length - 1].split(":");
(async () => {
  const t = nodemailer.createTransport({host, port: +port, secure: false, requireTLS: true,
    auth: {user: "user", pass: "secret"}, tls: {rejectUnauthorized: false}});
  const info = await t.sendMail({from: "a@example.com", to: ["ok@example.com", "550-5.1.1@mock.test"], subject: "node", text: "hello"});
  console.log("accepted", info.accepted.join(","), "rejected", info.rejected.join(","));
  try {
    await t.sendMail({from: "a@example.com", to: "452-4.2.2@mock.test", subject: "node", text: "hello"});
  } catch (e) {
    console.log("error", e.responseCode, e.response);
  }
  const bad = nodemailer.createTransport({host, port: +port, secure: false, ignoreTLS: true, auth: {user: "user", pass: "wrong"}});
  try { await bad.sendMail({from: "a@example.com", to: "b@example.com", text: "x"}); }
  catch (e) { console.log("auth", e.responseCode, e.response); }
})().catch(e => { console.error(e); process.exit(1); });
`

// nodemailer returns node and the environment that finds the nodemailer
// scripts/test.sh installs, or skips (fails under CI=true) without it.
func nodemailer(t *testing.T) (node string, env []string) {
	t.Helper()
	node = runtime(t, "node", "apt-get install nodejs npm")
	nodePath := os.Getenv("SMTPCODE_NODE_PATH")
	if nodePath == "" {
		nodePath = os.Getenv("NODE_PATH")
	}
	env = []string{"NODE_PATH=" + nodePath}
	if out, code := run(t, env, node, "-e", `require.resolve("nodemailer")`); code != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("nodemailer is required when CI=true: npm install --prefix .cache/node nodemailer and set SMTPCODE_NODE_PATH\n%s", out)
		}
		t.Skip("nodemailer not installed (npm install --prefix .cache/node nodemailer; export SMTPCODE_NODE_PATH=$PWD/.cache/node/node_modules)")
	}
	return node, env
}

func TestNodemailer(t *testing.T) {
	node, env := nodemailer(t)
	s := NewUnstartedServer()
	s.Config.Users = map[string]string{"user": "secret"}
	s.Start()
	defer s.Close()
	out, code := run(t, env, node, "-e", nodeClient, s.Addr)
	if code != 0 {
		t.Fatalf("node exit %d:\n%s", code, out)
	}
	wantIn(t, out,
		"accepted ok@example.com rejected 550-5.1.1@mock.test",
		"error 452 452 4.2.2",
		"auth 535 535 5.7.8")
	if m := s.Messages(); len(m) != 1 || !m[0].TLS {
		t.Errorf("messages %+v", m)
	}
}

// TestTryIt runs the "try it" lines of code pages for real: the rule on a
// mock, the client against it, and the code in what the client shows.
func TestTryIt(t *testing.T) {
	for _, code := range []int{502, 500, 421, 452, 550, 554, 535, 530, 214, 252} {
		t.Run(itoa(code), func(t *testing.T) {
			probe, ok := TryItFor(code, DefaultAddr)
			if !ok {
				t.Fatal("no try-it lines")
			}
			if !strings.HasPrefix(probe.MockLine(), "smtpcode mock --reply '") {
				t.Errorf("mock line %q", probe.MockLine())
			}
			var rules []string
			for i, a := range probe.Mock {
				if a == "--reply" {
					rules = append(rules, probe.Mock[i+1])
				}
			}
			s := NewServer(rules...)
			defer s.Close()
			tr, _ := TryItFor(code, s.Addr)
			bin := runtime(t, tr.Client[0], "apt-get install "+tr.Client[0])
			out, _ := run(t, nil, bin, tr.Client[1:]...)
			if !strings.Contains(out, itoa(code)+" ") && !strings.Contains(out, itoa(code)+"-") {
				t.Errorf("%s shows no %d:\n%s", tr.ClientLine(), code, out)
			}
		})
	}
	if _, ok := TryItFor(250, DefaultAddr); ok {
		t.Error("250 has no try-it lines")
	}
}

// TestLongLineRealClients: smtplib and curl send a one-line body over 1000
// octets followed directly by the final dot; the reply comes at once.
func TestLongLineRealClients(t *testing.T) {
	s := NewServer()
	defer s.Close()
	long := "<html><body>" + strings.Repeat("<p>hello</p>", 150) + "</body></html>"

	const python = "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		runtime(t, python, "apt-get install python3")
	}
	script := `
import smtplib, sys
host, port = sys.argv[1].rsplit(":", 1)
with smtplib.SMTP(host, int(port), timeout=5) as c:
    try:
        c.sendmail("a@example.com", ["b@example.com"], "Subject: html\r\nContent-Type: text/html\r\n\r\n" + sys.argv[2])
        print("accepted")
    except smtplib.SMTPDataError as e:
        print("data", e.smtp_code, e.smtp_error.decode())
`
	out, code := run(t, nil, python, "-c", script, s.Addr, long)
	if code != 0 {
		t.Fatalf("python exit %d:\n%s", code, out)
	}
	wantIn(t, out, "data 500 5.5.6 Line too long")

	curl := runtime(t, "curl", "apt-get install curl")
	msg := filepath.Join(t.TempDir(), "msg.eml")
	if err := os.WriteFile(msg, []byte("Subject: html\r\n\r\n"+long+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, code = run(t, nil, curl, "-sS", "-v", "--max-time", "5", "smtp://"+s.Addr, "--mail-from", "a@example.com", "--mail-rcpt", "b@example.com", "-T", msg)
	if code == 28 || !strings.Contains(out, "< 500 5.5.6") {
		t.Errorf("curl exit %d, want a prompt 500 5.5.6:\n%s", code, out)
	}
	if n := len(s.Messages()); n != 0 {
		t.Errorf("%d messages recorded", n)
	}
}

// TestGreylistingRetrySmtplib: the commonest test of all, as a Python
// suite writes it: the first attempt is greylisted, the retry on a new
// connection goes through.
func TestGreylistingRetrySmtplib(t *testing.T) {
	const python = "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		runtime(t, python, "apt-get install python3")
	}
	s := NewServer("RCPT/1/each=451 4.7.1 Greylisted, try again later")
	defer s.Close()
	script := `
import smtplib, sys
host, port = sys.argv[1].rsplit(":", 1)
for attempt in (1, 2):
    with smtplib.SMTP(host, int(port), timeout=5) as c:
        try:
            c.sendmail("a@example.com", ["bob@example.com"], "Subject: retry\r\n\r\nx\r\n")
            print("attempt", attempt, "accepted")
        except smtplib.SMTPRecipientsRefused as e:
            code, text = e.recipients["bob@example.com"]
            print("attempt", attempt, code, text.decode())
`
	out, code := run(t, nil, python, "-c", script, s.Addr)
	if code != 0 {
		t.Fatalf("python exit %d:\n%s", code, out)
	}
	wantIn(t, out, "attempt 1 451 4.7.1 Greylisted, try again later", "attempt 2 accepted")
	if n := len(s.Messages()); n != 1 {
		t.Errorf("%d messages, want 1", n)
	}
}

// nodeSecureClient sends with nodemailer's secure: true (implicit TLS),
// trusting the server's certificate given as PEM.
const nodeSecureClient = `
const nodemailer = require("nodemailer");
const [host, port] = process.argv[process.argv.length - 2].split(":");
const ca = process.argv[process.argv.length - 1];
(async () => {
  const t = nodemailer.createTransport({host, port: +port, secure: true, tls: {ca, servername: "localhost"}});
  const info = await t.sendMail({from: "a@example.com", to: "b@example.com", subject: "smtps", text: "hello"});
  console.log("response", info.response);
})().catch(e => { console.error(e); process.exit(1); });
`

func TestNodemailerImplicitTLS(t *testing.T) {
	node, env := nodemailer(t)
	s := NewTLSServer()
	defer s.Close()
	ca := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw}))
	out, code := run(t, env, node, "-e", nodeSecureClient, s.TLSAddr, ca)
	if code != 0 {
		t.Fatalf("node exit %d:\n%s", code, out)
	}
	wantIn(t, out, "response 250 2.0.0 OK")
	if m := s.Messages(); len(m) != 1 || !m[0].TLS {
		t.Errorf("messages %+v", m)
	}
}
