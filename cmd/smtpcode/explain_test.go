package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpcode/smtpcode/internal/iostreams"
)

// runExplain runs smtpcode explain in-process on a test IO whose stdout is a
// terminal of the given width, or a pipe when width is 0.
func runExplain(t *testing.T, width int, stdin string, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	s, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	s.SetStdoutTTY(width > 0, width)
	status = run(append([]string{"explain"}, args...), s)
	return out.String(), errOut.String(), status
}

func TestExplainGolden(t *testing.T) {
	tests := []struct {
		name  string
		width int
		args  []string
	}{
		{"explain-postfix.tty100", 100, []string{"testdata/explain/postfix.log"}},
		{"explain-postfix.tty60", 60, []string{"testdata/explain/postfix.log"}},
		{"explain-postfix.piped", 0, []string{"testdata/explain/postfix.log"}},
		{"explain-postfix-summary.tty100", 100, []string{"--summary", "testdata/explain/postfix.log"}},
		{"explain-postfix-summary.piped", 0, []string{"--summary", "testdata/explain/postfix.log"}},
		{"explain-postfix-summary.json", 0, []string{"--summary", "--json", "testdata/explain/postfix.log"}},
		{"explain-escapes.tty80", 80, []string{"testdata/explain/escapes.txt"}},
		{"explain-escapes.piped", 0, []string{"testdata/explain/escapes.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, status := runExplain(t, tt.width, "", tt.args...)
			if status != 0 || errOut != "" {
				t.Fatalf("status %d, stderr %q", status, errOut)
			}
			if tt.width == 0 && strings.Contains(out, "\x1b") {
				t.Errorf("piped output holds escape sequences")
			}
			for i, line := range strings.Split(out, "\n") {
				if tt.width > 0 && visibleWidth(line) > tt.width {
					t.Errorf("line %d is %d columns wide, over %d: %q", i+1, visibleWidth(line), tt.width, line)
				}
			}
			golden(t, tt.name, []byte(out))
		})
	}
}

// TestExplainNeverEchoesEscapes: the escape sequences of a log line reach
// a terminal escaped, whatever else is styled.
func TestExplainNeverEchoesEscapes(t *testing.T) {
	for _, width := range []int{0, 80} {
		out, _, _ := runExplain(t, width, "", "testdata/explain/escapes.txt")
		for _, bad := range []string{"\x1b]", "\x1b[2J", "\x07", "\xff"} {
			if strings.Contains(out, bad) {
				t.Errorf("width %d: output holds %q:\n%s", width, bad, out)
			}
		}
		if width > 0 && !strings.Contains(out, `\x1b]0;owned\x07`) {
			t.Errorf("width %d: the escape is not shown escaped:\n%s", width, out)
		}
	}
}

func TestExplainJSONLines(t *testing.T) {
	out, _, status := runExplain(t, 0, "", "--json", "testdata/explain/postfix.log")
	if status != 0 {
		t.Fatalf("status %d", status)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 19 {
		t.Fatalf("%d JSON lines, want 19", len(lines))
	}
	for _, l := range lines {
		for _, m := range []string{`"schema_version":2`, `"object":"reply"`, `"line":`, `"code":`, `"enhanced":`, `"command":`, `"provider":`, `"title":`, `"class":`, `"file":"testdata/explain/postfix.log"`} {
			if !strings.Contains(l, m) {
				t.Errorf("line lacks %s: %s", m, l)
			}
		}
	}
}

func TestExplainOptions(t *testing.T) {
	s, _, _, _ := iostreams.Test()
	a := &app{io: s, opts: &globalOptions{json: true}}
	var got *explainOptions
	cmd := newExplainCmd(a, func(o *explainOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--summary"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !got.summary || !got.json || len(got.files) != 1 || got.files[0] != "-" {
		t.Errorf("options %+v", got)
	}
	cmd = newExplainCmd(a, func(*explainOptions) error { return nil })
	cmd.SetArgs([]string{"-", "-"})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	if err := cmd.Execute(); err == nil {
		t.Error("- twice is accepted")
	}
}

func TestExplainExitStatus(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		stdin  string
		args   []string
		status int
		stderr string
	}{
		{"found", "", []string{"testdata/explain/postfix.log"}, 0, ""},
		{"stdin", "S: 250 Ok\n", nil, 0, ""},
		{"none", "", []string{empty}, 1, "smtpcode: error: no SMTP reply found"},
		{"missing", "", []string{filepath.Join(dir, "nope"), "testdata/explain/postfix.log"}, 2, "no such file or directory"},
		{"directory", "", []string{dir}, 2, "is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, status := runExplain(t, 0, tt.stdin, tt.args...)
			if status != tt.status || !strings.Contains(errOut, tt.stderr) {
				t.Errorf("status %d stderr %q, want %d %q", status, errOut, tt.status, tt.stderr)
			}
			if tt.name == "missing" && !strings.Contains(out, "postfix.log\t5\t550\t5.1.1\tRCPT") {
				t.Errorf("the other file was not read: %q", out)
			}
		})
	}
}

// TestExplainSummaryCountsABounceOnce: a bounce states a failure in its
// readable part and again in its DSN fields; the summary counts it once,
// while the line list shows both.
func TestExplainSummaryCountsABounceOnce(t *testing.T) {
	out, _, status := runExplain(t, 0, "", "--summary", "--json", "../../explain/testdata/bounce.eml")
	if status != 0 {
		t.Fatalf("status %d", status)
	}
	var sum struct {
		Replies      int64 `json:"replies"`
		BounceEchoes int64 `json:"bounce_echoes"`
		Codes        []struct {
			Count    int64   `json:"count"`
			Enhanced *string `json:"enhanced"`
		} `json:"codes"`
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if sum.Replies != 3 || sum.BounceEchoes != 1 {
		t.Errorf("replies %d, bounce_echoes %d; want 3 and 1", sum.Replies, sum.BounceEchoes)
	}
	if len(sum.Codes) == 0 || sum.Codes[0].Count != 2 {
		t.Errorf("550 5.1.1 counted %+v, want 2 (bob once, erin once)", sum.Codes)
	}
	list, _, _ := runExplain(t, 0, "", "../../explain/testdata/bounce.eml")
	if n := strings.Count(list, "\n"); n != 4 {
		t.Errorf("the line list shows %d replies, want all 4:\n%s", n, list)
	}
	// Two log lines with the same reply are two failures, however close.
	two := "Jan 1 00:00:01 mx postfix/smtp[1]: A: to=<a@example.net>, status=bounced (host x[192.0.2.1] said: 550 5.1.1 unknown (in reply to RCPT TO command))\n" +
		"Jan 1 00:00:02 mx postfix/smtp[1]: B: to=<b@example.net>, status=bounced (host x[192.0.2.1] said: 550 5.1.1 unknown (in reply to RCPT TO command))\n"
	out, _, _ = runExplain(t, 0, two, "--summary", "--json")
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Replies != 2 || sum.BounceEchoes != 0 {
		t.Errorf("two log lines: replies %d, bounce_echoes %d; want 2 and 0", sum.Replies, sum.BounceEchoes)
	}
}

// TestExplainProgress: a bar on stderr only for a large file, only when
// stderr is a terminal that is not also showing the replies; it ends erased.
func TestExplainProgress(t *testing.T) {
	big := int64(progressMinSize)
	for _, tt := range []struct {
		name                 string
		stderrTTY, stdoutTTY bool
		summary              bool
		size                 int64
		want                 bool
	}{
		{"piped output, terminal stderr", true, false, false, big, true},
		{"summary on a terminal", true, true, true, big, true},
		{"replies on the same terminal", true, true, false, big, false},
		{"stderr piped", false, false, false, big, false},
		{"small file", true, false, false, big - 1, false},
	} {
		s, _, _, errOut := iostreams.Test()
		s.SetStdoutTTY(tt.stdoutTTY, 80)
		s.SetStderrTTY(tt.stderrTTY)
		a := &app{io: s, opts: &globalOptions{}}
		p := newProgress(a, &explainOptions{summary: tt.summary}, "mail.log", tt.size)
		if (p != nil) != tt.want {
			t.Errorf("%s: progress %v, want %v", tt.name, p != nil, tt.want)
			continue
		}
		if p == nil {
			continue
		}
		p.last = p.last.Add(-time.Second) // as if the last draw was long ago
		p.update(tt.size / 2)
		p.clear()
		out := errOut.String()
		if !strings.HasPrefix(out, "\rmail.log ") || !strings.Contains(out, " 50% ") || !strings.HasSuffix(out, "\r\x1b[K") {
			t.Errorf("%s: stderr %q", tt.name, out)
		}
	}
}
