package main

import (
	"strings"
	"testing"

	"github.com/smtpcode/smtpcode/internal/iostreams"
)

// TestSnippetGolden renders snippets on a terminal (dark and light) and
// piped. The replies carry their text, so catalogue edits leave them be.
func TestSnippetGolden(t *testing.T) {
	tests := []struct {
		name string
		tty  bool
		args []string
	}{
		{"snippet-550-flask.tty", true, []string{"snippet", "550 5.1.1 User unknown", "flask"}},
		{"snippet-550-flask.light", true, []string{"snippet", "550 5.1.1 User unknown", "flask", "--theme", "light"}},
		{"snippet-550-flask.piped", false, []string{"snippet", "550 5.1.1 User unknown", "flask"}},
		{"snippet-452-go-smtp.piped", false, []string{"snippet", "452 4.5.3 Too many recipients", "go-smtp"}},
		{"frameworks.tty", true, []string{"frameworks"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, status := runTest(t, tt.tty, 100, tt.args...)
			if status != 0 || errOut != "" {
				t.Fatalf("status %d, stderr %q", status, errOut)
			}
			if !tt.tty && strings.Contains(out, "\x1b") {
				t.Error("piped output holds escape sequences")
			}
			golden(t, tt.name, []byte(out))
		})
	}
}

// TestSnippetPipedIsSource checks that piped output is the source and
// nothing else.
func TestSnippetPipedIsSource(t *testing.T) {
	out, _, status := runTest(t, false, 0, "snippet", "421", "aiosmtpd")
	if status != 0 {
		t.Fatalf("status %d", status)
	}
	if !strings.HasPrefix(out, "# Python aiosmtpd: answer ") || !strings.HasSuffix(out, "threading.Event().wait()\n") {
		t.Errorf("not just the source:\n%s", out)
	}
}

func TestSnippetOptions(t *testing.T) {
	tests := []struct {
		args      []string
		code      string
		framework string
	}{
		{[]string{"550", "flask"}, "550", "flask"},
		{[]string{"550", "5.1.1", "flask"}, "550 5.1.1", "flask"},
		{[]string{"550 5.1.1 User unknown"}, "550 5.1.1 User unknown", ""},
		{[]string{"550", "5.1.1", "User", "unknown"}, "550 5.1.1 User unknown", ""},
		{[]string{"550", "--framework", "express"}, "550", "express"},
	}
	for _, tt := range tests {
		s, _, _, _ := iostreams.Test()
		a := &app{io: s, opts: &globalOptions{}}
		var got *snippetOptions
		cmd := newSnippetCmd(a, func(o *snippetOptions) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		if got.code != tt.code || got.framework != tt.framework {
			t.Errorf("%v: code %q framework %q, want %q %q", tt.args, got.code, got.framework, tt.code, tt.framework)
		}
	}
}
