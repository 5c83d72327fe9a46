package main

import (
	"strings"
	"testing"
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
		{[]string{"--class", "4"}, listOptions{class: 4, standard: true}},
		{[]string{"--kind", "enhanced", "--command", "rcpt"}, listOptions{kind: "enhanced", command: "RCPT", standard: true}},
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
