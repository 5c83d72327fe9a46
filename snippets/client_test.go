package snippets

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Debian's jars for Jakarta Mail (libjakarta-mail-java) and PHPMailer's
// autoloader (libphp-phpmailer).
const (
	jakartaMailJar    = "/usr/share/java/jakarta-mail.jar"
	jakartaActJar     = "/usr/share/java/jakarta-activation.jar"
	phpmailerAutoload = "/usr/share/php/libphp-phpmailer/autoload.php"
)

// needFile is need for a library file a runtime loads.
func needFile(t *testing.T, path, pkg string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		missing(t, fmt.Sprintf("%s is missing (Debian package %s); see the README's test command", path, pkg))
	}
}

// clientRunners run a rendered client snippet once, sending to the test
// server, and return its output.
var clientRunners = map[string]func(t *testing.T, src string, env []string, v variant) (string, error){
	"smtplib": func(t *testing.T, src string, env []string, v variant) (string, error) {
		python := needPython(t, v.prog)
		return runOnce(t, writeSource(t, "send.py", src), env, python, "send.py", "rcpt@example.org")
	},
	"go-net-smtp": func(t *testing.T, src string, env []string, v variant) (string, error) {
		bin := goBuild(t, "main.go", src)
		return runOnce(t, t.TempDir(), env, bin, "rcpt@example.org")
	},
	"go-smtp-client": func(t *testing.T, src string, env []string, v variant) (string, error) {
		bin := goBuild(t, "main.go", src)
		return runOnce(t, t.TempDir(), env, bin, "rcpt@example.org")
	},
	"nodemailer": func(t *testing.T, src string, env []string, v variant) (string, error) {
		node := need(t, "node", "-e", "require('nodemailer')")
		return runOnce(t, writeSource(t, "send.js", src), env, node, "send.js", "rcpt@example.org")
	},
	"jakarta-mail": func(t *testing.T, src string, env []string, v variant) (string, error) {
		javac, java := need(t, "javac"), need(t, "java")
		needFile(t, jakartaMailJar, "libjakarta-mail-java")
		needFile(t, jakartaActJar, "libjakarta-activation-java")
		dir := writeSource(t, "Send.java", src)
		if out, err := runOnce(t, dir, nil, javac, "-cp", jakartaMailJar, "Send.java"); err != nil {
			t.Fatalf("javac: %v\n%s", err, out)
		}
		cp := strings.Join([]string{jakartaMailJar, jakartaActJar, "."}, string(filepath.ListSeparator))
		return runOnce(t, dir, env, java, "-cp", cp, "Send", "rcpt@example.org")
	},
	"system-net-mail": func(t *testing.T, src string, env []string, v variant) (string, error) {
		mcs, mono := need(t, "mcs"), need(t, "mono")
		dir := writeSource(t, "send.cs", src)
		if out, err := runOnce(t, dir, nil, mcs, "-out:send.exe", "send.cs"); err != nil {
			t.Fatalf("mcs: %v\n%s", err, out)
		}
		return runOnce(t, dir, env, mono, "send.exe", "rcpt@example.org")
	},
	"phpmailer": func(t *testing.T, src string, env []string, v variant) (string, error) {
		php := need(t, "php")
		needFile(t, phpmailerAutoload, "libphp-phpmailer")
		dir := writeSource(t, "send.php", src)
		// The snippet loads Composer's autoloader; this one loads Debian's.
		if err := os.MkdirAll(filepath.Join(dir, "vendor"), 0o755); err != nil {
			t.Fatal(err)
		}
		loader := "<?php\nrequire " + phpString(phpmailerAutoload) + ";\n"
		if err := os.WriteFile(filepath.Join(dir, "vendor", "autoload.php"), []byte(loader), 0o644); err != nil {
			t.Fatal(err)
		}
		return runOnce(t, dir, env, php, "send.php", "rcpt@example.org")
	},
	"ruby-net-smtp": func(t *testing.T, src string, env []string, v variant) (string, error) {
		ruby := need(t, "ruby", "-e", `require "net/smtp"`)
		return runOnce(t, writeSource(t, "send.rb", src), env, ruby, "send.rb", "rcpt@example.org")
	},
}

// TestClientSnippetsRun runs every client snippet, rendered for each
// representative reply, against a server answering that reply at its
// stage: the snippet must detect the code (print "detected CODE") and exit
// with 75 (retry later) for a 4yz, 1 for a 5yz.
func TestClientSnippetsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the snippets in their runtimes")
	}
	for _, f := range Frameworks() {
		if f.Family != Client || f.Level != Executed {
			continue
		}
		run := clientRunners[f.Name]
		if run == nil {
			t.Errorf("%s: marked executed, but no runner", f.Name)
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			runVariants(t, f, func(t *testing.T, v variant) {
				for _, c := range cases {
					t.Run(c.name(), func(t *testing.T) {
						src, err := RenderReply(c.reply(), f)
						if err != nil {
							t.Fatal(err)
						}
						srv := newSMTPServer(t, c)
						env := []string{"SMTP_HOST=127.0.0.1", "SMTP_PORT=" + strconv.Itoa(srv.port()), "SMTP_ADDR=127.0.0.1:" + strconv.Itoa(srv.port())}
						if c.stage == "AUTH" {
							env = append(env, "SMTP_USER=api", "SMTP_PASSWORD=secret")
						}
						out, err := run(t, src, env, v)
						want := "detected " + strconv.Itoa(c.code) + ": "
						if !strings.Contains(out, want) {
							t.Errorf("output lacks %q:\n%s\nSMTP transcript:\n%s", want, out, srv.transcript())
						}
						wantExit := "exit status 1"
						if c.code/100 == 4 {
							wantExit = "exit status 75"
						}
						if err == nil || err.Error() != wantExit {
							t.Errorf("exit: %v, want %s\n%s", err, wantExit, out)
						}
					})
				}
			})
		})
	}
}
