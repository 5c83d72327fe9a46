package snippets

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// webRunner starts a rendered web snippet listening on port, talking SMTP
// to smtpPort, in the setting v, and returns once it listens.
type webRunner func(t *testing.T, src string, port, smtpPort int, v variant)

func smtpEnv(smtpPort int) []string {
	return []string{
		"SMTP_HOST=127.0.0.1", "SMTP_PORT=" + strconv.Itoa(smtpPort),
		"SMTP_ADDR=127.0.0.1:" + strconv.Itoa(smtpPort),
		"SMTP_USER=api", "SMTP_PASSWORD=secret", "MAIL_FROM=api@example.com",
	}
}

func writeSource(t *testing.T, name, src string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

var webRunners = map[string]webRunner{
	"flask": func(t *testing.T, src string, port, smtpPort int, v variant) {
		python := needPython(t, v.prog, "flask")
		dir := writeSource(t, "app.py", src)
		p := start(t, dir, smtpEnv(smtpPort), python, "-m", "flask", "--app", "app", "run", "--port", strconv.Itoa(port))
		waitPort(t, port, p)
	},
	"fastapi": func(t *testing.T, src string, port, smtpPort int, v variant) {
		python := needPython(t, v.prog, "fastapi", "uvicorn")
		dir := writeSource(t, "app.py", src)
		p := start(t, dir, smtpEnv(smtpPort), python, "-m", "uvicorn", "app:app", "--port", strconv.Itoa(port))
		waitPort(t, port, p)
	},
	"django": func(t *testing.T, src string, port, smtpPort int, v variant) {
		python := needPython(t, v.prog, "django")
		dir := writeSource(t, "app.py", src)
		p := start(t, dir, smtpEnv(smtpPort), python, "app.py", "runserver", "--noreload", "127.0.0.1:"+strconv.Itoa(port))
		waitPort(t, port, p)
	},
	"express": func(t *testing.T, src string, port, smtpPort int, v variant) {
		node := need(t, "node", "-e", "require('express'); require('nodemailer')")
		dir := writeSource(t, "app.js", src)
		p := start(t, dir, append(smtpEnv(smtpPort), "PORT="+strconv.Itoa(port)), node, "app.js")
		waitPort(t, port, p)
	},
	"go-net-http": func(t *testing.T, src string, port, smtpPort int, v variant) {
		bin := goBuild(t, "main.go", src)
		p := start(t, filepath.Dir(bin), append(smtpEnv(smtpPort), "ADDR=127.0.0.1:"+strconv.Itoa(port)), bin)
		waitPort(t, port, p)
	},
	"rails": func(t *testing.T, src string, port, smtpPort int, v variant) {
		ruby := need(t, "ruby", "-e", `require "action_controller/railtie"; require "rack/handler/webrick"`)
		dir := writeSource(t, "app.rb", src)
		p := start(t, dir, append(smtpEnv(smtpPort), "PORT="+strconv.Itoa(port)), ruby, "app.rb")
		waitPort(t, port, p)
	},
}

// TestWebSnippetsRun runs every runnable web snippet, rendered for each
// representative reply, against an SMTP server that answers that reply, and
// checks the HTTP status, the headers and the problem+json body, which must
// be byte-identical to the one Go computes, and so across frameworks.
func TestWebSnippetsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the snippets in their runtimes")
	}
	all := append([]smtpCase{{code: 250, enhanced: "2.0.0", text: "Ok: queued"}}, cases...)
	for _, f := range Frameworks() {
		if f.Family != Web || f.Level != Executed {
			continue
		}
		run := webRunners[f.Name]
		if run == nil {
			t.Errorf("%s: marked executed, but no runner", f.Name)
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			runVariants(t, f, func(t *testing.T, v variant) {
				for _, c := range all {
					t.Run(c.name(), func(t *testing.T) {
						r := c.reply()
						src, err := RenderReply(r, f)
						if err != nil {
							t.Fatal(err)
						}
						srv := newSMTPServer(t, c)
						port := freePort(t)
						run(t, src, port, srv.port(), v)
						checkWebResponse(t, port, c)
						if t.Failed() {
							t.Logf("SMTP transcript:\n%s", srv.transcript())
						}
					})
				}
			})
		})
	}
}

func checkWebResponse(t *testing.T, port int, c smtpCase) {
	t.Helper()
	client := &http.Client{Timeout: 60 * time.Second}
	resp, err := client.Post("http://127.0.0.1:"+strconv.Itoa(port)+"/messages", "application/json",
		strings.NewReader(`{"to":"rcpt@example.org"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if c.stage == "" {
		if resp.StatusCode != 202 || string(body) != successBody {
			t.Errorf("success: got %d %s, want 202 %s", resp.StatusCode, body, successBody)
		}
		return
	}
	want := mapping(c.code, c.enhanced, c.stage == "RCPT")
	if resp.StatusCode != want.Status {
		t.Errorf("status %d, want %d (%s); body %s", resp.StatusCode, want.Status, want.Why, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	wantRetry := ""
	if want.RetryAfter > 0 {
		wantRetry = strconv.Itoa(want.RetryAfter)
	}
	if ra := resp.Header.Get("Retry-After"); ra != wantRetry {
		t.Errorf("Retry-After %q, want %q", ra, wantRetry)
	}
	p := problemFor(c.code, c.enhanced, c.text, c.stage == "RCPT")
	if got, wantBody := strings.TrimSpace(string(body)), p.JSON(); got != wantBody {
		t.Errorf("body\n got %s\nwant %s", got, wantBody)
	}
}
