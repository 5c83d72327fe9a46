package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpcode/smtpcode/internal/iostreams"
	"github.com/smtpcode/smtpcode/mock"
)

func TestMockOptions(t *testing.T) {
	tests := []struct {
		args    []string
		check   func(*mockOptions) bool
		errPart string
	}{
		{args: nil, check: func(o *mockOptions) bool {
			return o.listen == "127.0.0.1:2525" && len(o.rules) == 0 && o.idleTimeout == 5*time.Minute
		}},
		{args: []string{"--reply", "VRFY=502", "--reply", "RCPT:*@full.example=452"}, check: func(o *mockOptions) bool {
			return len(o.rules) == 2 && o.rules[0].Stage == "VRFY" && o.rules[1].Pattern == "*@full.example"
		}},
		{args: []string{"--auth", "u:p:q", "--auth", "v:"}, check: func(o *mockOptions) bool { return o.users["u"] == "p:q" && o.users["v"] == "" }},
		{args: []string{"--", "sh", "-c", "true"}, check: func(o *mockOptions) bool { return strings.Join(o.command, " ") == "sh -c true" }},
		{args: []string{"--reply", "RCPT"}, errPart: "invalid --reply"},
		{args: []string{"--auth", ":p"}, errPart: "invalid --auth"},
		{args: []string{"--max-size", "0"}, errPart: "--max-size must be positive"},
		{args: []string{"--idle-timeout", "0s"}, errPart: "--idle-timeout"},
		{args: []string{"--kill-after", "-1s"}, errPart: "--kill-after"},
		{args: []string{"--kill-after", "2s"}, check: func(o *mockOptions) bool { return o.killAfter == 2*time.Second }},
		{args: []string{"--no-tls", "--tls-cert", "c", "--tls-key", "k"}, errPart: "--no-tls"},
		{args: []string{"--listen", "localhost:0"}, check: func(o *mockOptions) bool { return o.addr.String() == "127.0.0.1:0" && o.listen == "localhost:0" }},
		{args: []string{"--listen", ":2525"}, check: func(o *mockOptions) bool { return o.addr.IP == nil && o.addr.Port == 2525 }},
		{args: []string{"--listen", "[::1]:25"}, check: func(o *mockOptions) bool { return o.addr.String() == "[::1]:25" }},
		{args: []string{"--listen", "[fe80::1%lo]:25"}, check: func(o *mockOptions) bool { return o.addr.Zone == "lo" }},
		{args: []string{"--listen", "10.1.2.3:65535"}, check: func(o *mockOptions) bool { return o.addr.String() == "10.1.2.3:65535" }},
		{args: []string{"--listen", "127.0.0.1"}, errPart: "want HOST:PORT"},
		{args: []string{"--listen", "127.0.0.1:smtp"}, errPart: `port "smtp" is not a number`},
		{args: []string{"--listen", "127.0.0.1:65536"}, errPart: "from 0 to 65535"},
		{args: []string{"--listen", "mail.example:25"}, errPart: "host names are not looked up"},
		{args: []string{"--listen", "300.1.1.1:25"}, errPart: "not an IP address"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			s, _, _, _ := iostreams.Test()
			a := &app{io: s, opts: &globalOptions{}}
			var got *mockOptions
			cmd := newMockCmd(a, func(o *mockOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.Execute()
			if tt.errPart != "" {
				var ee *exitError
				if !errors.As(err, &ee) || ee.code != exitUsage || !strings.Contains(err.Error(), tt.errPart) || ee.hint == "" {
					t.Fatalf("err %v, want a usage error with a hint containing %q", err, tt.errPart)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(got) {
				t.Errorf("options %+v", got)
			}
		})
	}
}

func TestExportMockEvent(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	msg := &mock.Message{From: "", To: []string{"b@example.com"}, Size: 12, Accepted: true, Reply: mock.Reply{Code: 250, Enhanced: "2.0.0", Lines: []string{"OK"}}}
	tests := []struct {
		e    mock.Event
		want string
	}{
		{mock.Event{Type: mock.EventMessage, Session: 3, Time: at, Message: msg}, `{"schema_version":2,"object":"event","type":"message","session":3,"time":"2026-01-02T03:04:05Z","code":"250","enhanced":"2.0.0","lines":["250 2.0.0 OK"],"from":"","recipients":["b@example.com"],"size":12,"accepted":true,"tls":false}`},
		{mock.Event{Type: mock.EventCommand, Session: 1, Time: at, Line: ""}, `{"schema_version":2,"object":"event","type":"command","session":1,"time":"2026-01-02T03:04:05Z","line":""}`},
		{mock.Event{Type: mock.EventDisconnect, Session: 1, Time: at, Reason: "quit", Duration: 1500 * time.Microsecond}, `{"schema_version":2,"object":"event","type":"disconnect","session":1,"time":"2026-01-02T03:04:05Z","reason":"quit","duration_ms":1.5}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(exportMockEvent(tt.e, ""))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("got  %s\nwant %s", b, tt.want)
		}
	}
}

func TestMockTranscriptStyledOnlyOnATerminal(t *testing.T) {
	reply := &mock.Reply{Code: 550, Enhanced: "5.1.1", Lines: []string{"No such user"}}
	for _, tty := range []bool{false, true} {
		s, _, out, _ := iostreams.Test()
		if tty {
			s.SetStdoutTTY(true, 80)
			s.Color = iostreams.ColorAlways
		}
		a := &app{io: s, opts: &globalOptions{theme: "dark"}}
		p := newMockPrinter(a, &mockOptions{})
		p.event(mock.Event{Type: mock.EventCommand, Session: 1, Line: "RCPT TO:<a@b.c>"})
		p.event(mock.Event{Type: mock.EventReply, Session: 1, Reply: reply, Rule: "RCPT=550 5.1.1 No such user"})
		p.close()
		got := out.String()
		if strings.Contains(got, "\x1b[") != tty {
			t.Errorf("tty=%v: escapes present=%v:\n%q", tty, !tty, got)
		}
		if !tty && got != "[1] C: RCPT TO:<a@b.c>\n[1] S: 550 5.1.1 No such user  (rule RCPT=550 5.1.1 No such user)\n" {
			t.Errorf("plain transcript %q", got)
		}
	}
}

// blockedWriter is a stdout nobody reads: every write blocks until the
// test ends.
type blockedWriter struct{ release chan struct{} }

func (w blockedWriter) Write(p []byte) (int, error) { <-w.release; return len(p), nil }

// TestMockPrinterNeverBlocks: with a stdout that is never read, events go
// on being accepted at once, the excess is dropped and counted, and close
// returns within its bound.
func TestMockPrinterNeverBlocks(t *testing.T) {
	s, _, _, errOut := iostreams.Test()
	w := blockedWriter{release: make(chan struct{})}
	defer close(w.release)
	s.Out = w
	a := &app{io: s, opts: &globalOptions{}}
	p := newMockPrinter(a, &mockOptions{json: true})
	reply := &mock.Reply{Code: 250, Enhanced: "2.0.0", Lines: []string{strings.Repeat("x", 400)}}
	const n = 20000 // about 10 MB of JSON, over the 4 MiB bound
	start := time.Now()
	for i := range n {
		p.event(mock.Event{Type: mock.EventReply, Session: int64(i), Reply: reply})
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("%d events took %s with stdout blocked", n, d)
	}
	start = time.Now()
	p.close()
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("close took %s", d)
	}
	got := errOut.String()
	if !strings.Contains(got, "smtpcode: warning: stdout is not being read") {
		t.Errorf("no warning at the first drop:\n%s", got)
	}
	// All but the event the blocked write holds are dropped or pending.
	if !strings.Contains(got, "events were not written to stdout: it was not read") {
		t.Errorf("no count at exit:\n%s", got)
	}
}

// TestMockPrinterEventsFile: --events writes JSON Lines whatever stdout
// shows, and --quiet shows nothing.
func TestMockPrinterEventsFile(t *testing.T) {
	s, _, out, _ := iostreams.Test()
	a := &app{io: s, opts: &globalOptions{}}
	name := t.TempDir() + "/events.jsonl"
	p := newMockPrinter(a, &mockOptions{quiet: true, events: name})
	if err := p.openEvents(name); err != nil {
		t.Fatal(err)
	}
	p.event(mock.Event{Type: mock.EventCommand, Session: 1, Line: "NOOP"})
	p.event(mock.Event{Type: mock.EventDisconnect, Session: 1, Reason: "quit"})
	p.close()
	if out.Len() != 0 {
		t.Errorf("--quiet wrote %q", out.String())
	}
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"line":"NOOP"`) || !strings.Contains(lines[1], `"reason":"quit"`) {
		t.Errorf("events file:\n%s", b)
	}
}

// TestMockTranscriptEscapesAddresses: the addresses of the "message" line
// are the client's bytes; ESC, BEL, CR and C1 controls never reach the
// terminal.
func TestMockTranscriptEscapesAddresses(t *testing.T) {
	s, _, out, _ := iostreams.Test()
	a := &app{io: s, opts: &globalOptions{}}
	p := newMockPrinter(a, &mockOptions{})
	m := &mock.Message{From: "a\x1b]0;pwned\x07@example.com", To: []string{"b\r@example.com", "c\u009b31m@example.com", "d\xff@example.com"}, Accepted: true}
	p.event(mock.Event{Type: mock.EventMessage, Session: 1, Message: m})
	p.close()
	want := "[1] message accepted: from <a?]0;pwned?@example.com> to <b?@example.com>, <c?31m@example.com>, <d?@example.com>, 0 octets\n"
	if got := out.String(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestCreateNew: a saved file never overwrites one that exists, nor
// writes through a symlink.
func TestCreateNew(t *testing.T) {
	dir := t.TempDir()
	base := dir + "/m"
	target := dir + "/target"
	if err := os.WriteFile(target, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, base+".eml"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(base+"-2.eml", []byte("other mock"), 0o600); err != nil {
		t.Fatal(err)
	}
	name, err := createNew(base, ".eml", []byte("new"))
	if err != nil || name != base+"-3.eml" {
		t.Fatalf("createNew = %q, %v", name, err)
	}
	for file, want := range map[string]string{target: "keep", base + "-2.eml": "other mock", base + "-3.eml": "new"} {
		if b, _ := os.ReadFile(file); string(b) != want {
			t.Errorf("%s holds %q, want %q", file, b, want)
		}
	}
	if st, _ := os.Stat(name); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode())
	}
}

// docFiles returns the code blocks of a docs page marked "```LANG file=NAME".
func docFiles(t *testing.T, page string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, block := range strings.Split(string(b), "\n```")[1:] {
		info, body, _ := strings.Cut(block, "\n")
		if _, name, ok := strings.Cut(info, " file="); ok {
			files[name] = body
		}
	}
	return files
}

// requireRuntime skips a test when a runtime is missing, and fails it under
// CI=true, where every runtime must be installed.
func requireRuntime(t *testing.T, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required when CI=true", what)
	}
	t.Skipf("%s not installed", what)
}

// TestDocsSuites runs the pytest fixture and the Jest setup of docs/mock.md
// as they are written there, against the smtpcode binary.
func TestDocsSuites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	files := docFiles(t, "../../docs/mock.md")
	for _, name := range []string{"conftest.py", "test_mail.py", "mail.test.js"} {
		if files[name] == "" {
			t.Fatalf("docs/mock.md has no block for %s", name)
		}
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "smtpcode"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	path := bin + string(os.PathListSeparator) + os.Getenv("PATH")
	runSuite := func(t *testing.T, dir string, env []string, name string, args ...string) string {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), append(env, "PATH="+path)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
		return string(out)
	}

	t.Run("pytest", func(t *testing.T) {
		err := exec.Command("/usr/bin/python3", "-c", "import pytest").Run()
		requireRuntime(t, err == nil, "pytest (apt-get install python3-pytest)")
		dir := t.TempDir()
		for _, name := range []string{"conftest.py", "test_mail.py"} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(files[name]), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		out := runSuite(t, dir, nil, "/usr/bin/python3", "-m", "pytest", "-q", "-p", "no:cacheprovider")
		if !strings.Contains(out, "1 passed") {
			t.Errorf("pytest:\n%s", out)
		}
	})

	t.Run("jest", func(t *testing.T) {
		nodePath := os.Getenv("SMTPCODE_NODE_PATH")
		jest := filepath.Join(nodePath, "jest", "bin", "jest.js")
		_, err := os.Stat(jest)
		_, nodeErr := exec.LookPath("node")
		requireRuntime(t, nodePath != "" && err == nil && nodeErr == nil, "jest and nodemailer (npm install --prefix .cache/node jest nodemailer; SMTPCODE_NODE_PATH)")
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "mail.test.js"), []byte(files["mail.test.js"]), 0o600); err != nil {
			t.Fatal(err)
		}
		// The project's package.json, as a Jest user has one.
		if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"private": true, "jest": {"testEnvironment": "node"}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		out := runSuite(t, dir, []string{"NODE_PATH=" + nodePath}, "node", jest, "--rootDir", dir, "--ci")
		if !strings.Contains(out, "1 passed") {
			t.Errorf("jest:\n%s", out)
		}
	})
}

// bufConn is a connection whose client sent req and hung up.
type bufConn struct {
	net.Conn // nil: only the methods below are called
	in       *bytes.Reader
	out      bytes.Buffer
}

func (c *bufConn) Read(p []byte) (int, error)       { return c.in.Read(p) }
func (c *bufConn) Write(p []byte) (int, error)      { return c.out.Write(p) }
func (c *bufConn) Close() error                     { return nil }
func (c *bufConn) SetDeadline(time.Time) error      { return nil }
func (c *bufConn) SetReadDeadline(time.Time) error  { return nil }
func (c *bufConn) SetWriteDeadline(time.Time) error { return nil }

// FuzzMockHTTP: whatever a client sends, the --http handler answers once
// with a status line, without panicking.
func FuzzMockHTTP(f *testing.F) {
	f.Add([]byte("GET /api/messages HTTP/1.1\r\nHost: x\r\n\r\n"))
	f.Add([]byte("DELETE /api/events?x=1 HTTP/1.0\r\n\r\n"))
	f.Add([]byte("POST /api/messages HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"))
	f.Add([]byte("\r\n\r\n"))
	f.Add([]byte("GET / HTTP/2\r\n"))
	f.Fuzz(func(t *testing.T, req []byte) {
		st := &mockStore{}
		st.addEvent([]byte(`{"type":"connect"}` + "\n"))
		c := &bufConn{in: bytes.NewReader(req)}
		st.handleHTTP(c)
		resp := c.out.String()
		if !strings.HasPrefix(resp, "HTTP/1.1 ") || strings.Count(resp, "HTTP/1.1 ") != 1 {
			t.Fatalf("response %q", resp)
		}
	})
}
