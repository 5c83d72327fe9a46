package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/smtpcode/smtpcode/internal/iostreams"
)

var update = flag.Bool("update", false, "rewrite the golden files of rendering tests")

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/smtpcode -run %s -update)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; rerun with -update if the change is meant.\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// runTest runs smtpcode in-process: tty says whether stdout is a terminal
// of the given width.
func runTest(t *testing.T, tty bool, width int, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	s, _, out, errOut := iostreams.Test()
	s.SetStdoutTTY(tty, width)
	status = run(args, s)
	return out.String(), errOut.String(), status
}

func TestRenderGolden(t *testing.T) {
	tests := []struct {
		name  string
		tty   bool
		width int
		args  []string
	}{
		{"show-502.tty80", true, 80, []string{"502"}},
		{"show-502.tty120", true, 120, []string{"502"}},
		{"show-502.piped", false, 0, []string{"502"}},
		{"show-502.light", true, 80, []string{"502", "--theme", "light"}},
		{"show-550-5.7.1.tty80", true, 80, []string{"550", "5.7.1"}},
		{"show-550-5.7.1.piped", false, 0, []string{"550 5.7.1 Message rejected"}},
		{"show-5.7.708.tty100", true, 100, []string{"5.7.708"}},
		{"show-5xx.tty80", true, 80, []string{"5xx"}},
		{"show-5xx.piped", false, 0, []string{"5xx"}},
		{"show-421.json", false, 0, []string{"421", "--json"}},
		{"list-class4.tty80", true, 80, []string{"list", "--class", "4", "--kind", "basic"}},
		{"list-enhanced.piped", false, 0, []string{"list", "--kind", "enhanced"}},
		{"list-nonstandard.piped", false, 0, []string{"list", "--standard=false"}},
		{"search-mailbox-full.tty80", true, 80, []string{"search", "mailbox", "full"}},
		{"search-greylisting.piped", false, 0, []string{"search", "greylisting"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, status := runTest(t, tt.tty, tt.width, tt.args...)
			if status != 0 || errOut != "" {
				t.Fatalf("status %d, stderr %q", status, errOut)
			}
			if !tt.tty && strings.Contains(out, "\x1b") {
				t.Errorf("piped output holds escape sequences")
			}
			if tt.tty && !strings.HasSuffix(tt.name, ".json") && !strings.Contains(out, "\x1b[") {
				t.Errorf("terminal output is not styled")
			}
			for i, line := range strings.Split(out, "\n") {
				// A single word longer than the width (a long URL) is left
				// whole, and so is a member of an HTTP body shown verbatim.
				plain := strings.TrimSpace(stripEscapes(line))
				verbatim := !strings.Contains(plain, " ") || strings.HasPrefix(plain, `"`) || strings.HasPrefix(plain, "{")
				if tt.tty && visibleWidth(line) > tt.width && !verbatim {
					t.Errorf("line %d is %d columns wide, over %d: %q", i+1, visibleWidth(line), tt.width, line)
				}
			}
			golden(t, tt.name, []byte(out))
		})
	}
}

func TestColorDecision(t *testing.T) {
	tests := []struct {
		name   string
		tty    bool
		env    map[string]string
		args   []string
		styled bool
	}{
		{"tty", true, nil, nil, true},
		{"pipe", false, nil, nil, false},
		{"never on tty", true, nil, []string{"--color", "never"}, false},
		{"always on pipe", false, nil, []string{"--color", "always"}, true},
		{"NO_COLOR on tty", true, map[string]string{"NO_COLOR": "1"}, nil, false},
		{"NO_COLOR any value", true, map[string]string{"NO_COLOR": "false"}, nil, false},
		{"CLICOLOR_FORCE on pipe", false, map[string]string{"CLICOLOR_FORCE": "1"}, nil, true},
		{"CLICOLOR_FORCE=0 on pipe", false, map[string]string{"CLICOLOR_FORCE": "0"}, nil, false},
		{"--color always beats NO_COLOR", false, map[string]string{"NO_COLOR": "1"}, []string{"--color", "always"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, out, _ := iostreams.Test()
			s.SetStdoutTTY(tt.tty, 80)
			s.Env = func(k string) string { return tt.env[k] }
			if status := run(append([]string{"502"}, tt.args...), s); status != 0 {
				t.Fatalf("status %d", status)
			}
			if got := strings.Contains(out.String(), "\x1b["); got != tt.styled {
				t.Errorf("styled = %v, want %v", got, tt.styled)
			}
		})
	}
}

func stripEscapes(s string) string {
	var b strings.Builder
	inEsc := false
	for _, r := range s {
		switch {
		case r == '\x1b':
			inEsc = true
		case inEsc:
			if r >= '@' && r <= '~' && r != '[' {
				inEsc = false
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// visibleWidth is the columns a line takes on a terminal: its escape
// sequences none, a Hangul or other wide rune two.
func visibleWidth(s string) int { return ansi.StringWidth(s) }
