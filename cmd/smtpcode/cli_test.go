package main

import (
	"github.com/charmbracelet/x/ansi"
	"github.com/smtpcode/smtpcode/codes"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/smtpcode/smtpcode/internal/iostreams"
)

func TestHugeArgument(t *testing.T) {
	arg := strings.Repeat("5", 1<<20)
	out, errOut, status := runTest(t, false, 0, arg)
	if status != exitUsage {
		t.Fatalf("status %d, want %d", status, exitUsage)
	}
	if out != "" {
		t.Errorf("stdout %q, want nothing", out)
	}
	if len(errOut) > 300 || !strings.HasPrefix(errOut, "smtpcode: error: ") {
		t.Errorf("stderr of %d bytes: %.200q", len(errOut), errOut)
	}
}

func TestControlCharactersEscaped(t *testing.T) {
	_, errOut, status := runTest(t, true, 80, "a\x1b]11;?\x07b")
	if status != exitUsage {
		t.Fatalf("status %d", status)
	}
	if strings.ContainsAny(errOut, "\x1b\x07") {
		t.Errorf("stderr carries control characters: %q", errOut)
	}
}

// TestShowOptions checks the command's flags reach its options, through
// runF, without running it (the gh pattern).
func TestListOptions(t *testing.T) {
	tests := []struct {
		args []string
		want listOptions
	}{
		{[]string{"--class", "4"}, listOptions{class: 4}},
		{[]string{"--kind", "enhanced", "--command", "rcpt"}, listOptions{kind: "enhanced", command: "RCPT"}},
		{[]string{"--standard"}, listOptions{standard: true, standardSet: true}},
		{[]string{"--standard=false"}, listOptions{standard: false, standardSet: true}},
	}
	for _, tt := range tests {
		var got *listOptions
		a := &app{opts: &globalOptions{}}
		cmd := newListCmd(a, func(o *listOptions) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		if *got != tt.want {
			t.Errorf("%v: options %+v, want %+v", tt.args, *got, tt.want)
		}
	}
}

// TestLookupOnly checks which command lines the root runs by itself, and
// that subcommandNames lists every command the whole tree has.
func TestLookupOnly(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want bool
	}{
		{[]string{"502"}, true},
		{[]string{"550", "5.7.1"}, true},
		{[]string{"--json", "421"}, true},
		{[]string{"--color", "always", "--theme", "light", "502"}, true},
		{[]string{"--color=never", "502"}, true},
		{[]string{"502", "--frobnicate"}, true},
		{[]string{"lsit"}, true},
		{nil, false},
		{[]string{"--json"}, false},
		{[]string{"--color", "list"}, false},
		{[]string{"list"}, false},
		{[]string{"--json", "search", "dmarc"}, false},
		{[]string{"help", "502"}, false},
		{[]string{"502", "--help"}, false},
		{[]string{"-h"}, false},
		{[]string{"--", "502"}, false},
		{[]string{"__complete", "show", ""}, false},
		{[]string{"completion", "bash"}, false},
		{[]string{"-v"}, false},
	} {
		if got := lookupOnly(tt.args); got != tt.want {
			t.Errorf("lookupOnly(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}

	s, _, _, _ := iostreams.Test()
	root := newRootCmd(s, []string{"list"})
	root.InitDefaultHelpCmd()
	root.SetArgs([]string{"__complete", ""})
	_ = root.Execute() // adds __complete
	var names []string
	for _, c := range root.Commands() {
		names = append(names, c.Name())
		names = append(names, c.Aliases...)
	}
	for _, n := range names {
		if !slices.Contains(subcommandNames[:], n) {
			t.Errorf("command %q is missing from subcommandNames", n)
		}
	}
	if lookup := newRootCmd(s, []string{"502"}); lookup.HasSubCommands() {
		t.Errorf("a lookup built the subcommands")
	}
}

// TestOutputOrder runs a lookup with stdout and stderr on one writer, as a
// terminal has them: the buffered page and the errors come out in the
// order they would unbuffered (errors but the last before the pages, the
// last after them).
func TestOutputOrder(t *testing.T) {
	s, _, out, _ := iostreams.Test()
	s.ErrOut = out
	if status := run([]string{"559", "502", "558"}, s); status != exitOK {
		t.Fatalf("status %d, want %d (something was found)", status, exitOK)
	}
	got := out.String()
	first := strings.Index(got, "smtpcode: error: no code 559")
	page := strings.Index(got, "502  Command not implemented")
	last := strings.Index(got, "smtpcode: error: no code 558")
	if first < 0 || page < 0 || last < 0 || !(first < page && page < last) {
		t.Errorf("order: 559 error at %d, 502 page at %d, 558 error at %d:\n%s", first, page, last, got)
	}
}

// TestMultiLineArgument pastes a multi-line reply as one argument, as
// smtpcode "$(pbpaste)" does: its continuation prefixes go (item 3).
func TestMultiLineArgument(t *testing.T) {
	arg := "550-5.7.1 [192.0.2.1] Our system has detected\n550-5.7.1 likely unsolicited mail\n550 5.7.1 this message has been blocked"
	out, errOut, status := runTest(t, false, 0, arg)
	if status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	const text = "[192.0.2.1] Our system has detected likely unsolicited mail this message has been blocked"
	for _, want := range []string{"reply: 550-5.7.1 " + text + "\n", `"detail":"mail server replied: ` + text + `"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out, "detected 550") || strings.Contains(out, "mail 550") {
		t.Errorf("a continuation prefix is left in:\n%s", out)
	}
}

// TestVersionLine checks --version's sources in order: what a release
// build set with -ldflags, then what Go recorded (item 7).
func TestVersionLine(t *testing.T) {
	bi := &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-11-30T10:00:00Z"},
	}}
	tests := []struct {
		version, commit, date string
		bi                    *debug.BuildInfo
		want                  string
	}{
		{"", "", "", nil, "dev\n"},
		{"", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev\n"},
		{"", "", "", bi, "v1.4.0 (commit 0123456789ab, 2026-11-30)\n"},
		{"1.5.0", "abc1234", "2026-12-01T08:00:00Z", bi, "1.5.0 (commit abc1234, 2026-12-01)\n"},
		{"", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "feed"}, {Key: "vcs.modified", Value: "true"}}}, "dev (commit feed-dirty)\n"},
	}
	for _, tt := range tests {
		got := versionLine(tt.version, tt.commit, tt.date, tt.bi)
		if !strings.HasPrefix(got, tt.want) || !strings.Contains(got, "catalogue: ") || !strings.Contains(got, "registry to X.7.") {
			t.Errorf("versionLine(%q, %q, %q) = %q, want it to start %q and name the catalogue", tt.version, tt.commit, tt.date, got, tt.want)
		}
	}
}

// TestHelpWithin80Columns runs every command's --help and every help topic
// as a user would and checks that no line is wider than 80 columns, so an
// 80-column terminal shows it whole (item 12).
func TestHelpWithin80Columns(t *testing.T) {
	cmds := [][]string{{"--help"}, {"help", "json"}, {"help", "environment"}, {"help", "exit-codes"}}
	for _, name := range subcommandNames {
		if strings.HasPrefix(name, "__") {
			continue
		}
		cmds = append(cmds, []string{name, "--help"})
	}
	for _, args := range cmds {
		out, errOut, status := runTest(t, false, 0, args...)
		if status != exitOK {
			t.Errorf("%v: status %d: %s", args, status, errOut)
			continue
		}
		for i, l := range strings.Split(out, "\n") {
			if w := ansi.StringWidth(l); w > helpWidth {
				t.Errorf("smtpcode %s: line %d is %d columns: %q", strings.Join(args, " "), i+1, w, l)
			}
		}
	}
}

// TestPagesWithin80Columns renders pages on an 80-column terminal and
// checks that every line fits, the header and the HTTP body included; only
// a word that cannot be broken (a URL) may run past (item 12).
func TestPagesWithin80Columns(t *testing.T) {
	for _, code := range []string{"TSS04", "550", "421", "502", "550 5.7.1", "4.7.1", "571", "5.7.708", "250", "5xx", "X.7.26"} {
		out, errOut, status := runTest(t, true, 80, code, "--color", "never")
		if status != exitOK {
			t.Fatalf("%s: status %d: %s", code, status, errOut)
		}
		for i, l := range strings.Split(out, "\n") {
			if w := ansi.StringWidth(l); w > 80 {
				fields := strings.Fields(l)
				longest := 0
				for _, f := range fields {
					longest = max(longest, ansi.StringWidth(f))
				}
				if longest+4 < 80 {
					t.Errorf("%s: line %d is %d columns: %q", code, i+1, w, l)
				}
			}
		}
	}
}

// TestExplainSaysItReadsTheTerminal: explain with no file on a terminal
// says it is reading, rather than waiting silently (item 21).
func TestExplainSaysItReadsTheTerminal(t *testing.T) {
	s, in, out, errOut := iostreams.Test()
	s.SetStdinTTY(true)
	in.WriteString("S: 550 5.1.1 User unknown\n")
	if status := run([]string{"explain"}, s); status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	if !strings.Contains(errOut.String(), "end it with Ctrl-D") {
		t.Errorf("stderr %q says nothing of reading the terminal", errOut)
	}
	if !strings.Contains(out.String(), "550") {
		t.Errorf("stdout %q", out)
	}
	// smtpcode - on a terminal says the same.
	s, in, out, errOut = iostreams.Test()
	s.SetStdinTTY(true)
	in.WriteString("550 5.1.1 User unknown\n")
	if status := run([]string{"-"}, s); status != exitOK || !strings.Contains(errOut.String(), "then Ctrl-D") || !strings.Contains(out.String(), "reply: 550 5.1.1 User unknown") {
		t.Errorf("smtpcode - on a terminal: status %d, stderr %q", status, errOut)
	}
	// Piped in: no note.
	s, in, _, errOut = iostreams.Test()
	in.WriteString("S: 550 5.1.1 User unknown\n")
	run([]string{"explain"}, s)
	if errOut.Len() != 0 {
		t.Errorf("piped, stderr %q", errOut)
	}
}

// FuzzLookupText: pasted text, whatever it holds, gives queries or a clean
// error, never a panic; every query it gives resolves or fails cleanly.
func FuzzLookupText(f *testing.F) {
	for _, s := range []string{
		"550", "550-5.7.1 a\n550-5.7.1 b\n550 5.7.1 c", "host mx said: 550 5.1.1 <a@example.com>: User unknown",
		"Diagnostic-Code: smtp; 550 5.1.1 x", "S: 421 4.7.0 [TSS04] x", "Status: 5.1.1", "", "\x00\x1b]52;c;?\a", "550-\n550", "452-Too many\n452 later",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		qs, err := queriesFromText(text, nil)
		if err == nil && len(qs) == 0 {
			t.Fatalf("queriesFromText(%q): no query and no error", text)
		}
		for _, q := range qs {
			_, _ = codes.Resolve(q)
		}
	})
}
