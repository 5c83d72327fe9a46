package iostreams

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

func TestWidth(t *testing.T) {
	for _, tt := range []struct{ set, want int }{{0, 80}, {40, 40}, {120, 120}, {300, MaxWidth}} {
		s, _, _, _ := Test()
		s.SetStdoutTTY(true, tt.set)
		if got := s.Width(); got != tt.want {
			t.Errorf("width %d: Width() = %d, want %d", tt.set, got, tt.want)
		}
	}
}

func TestStdoutStripsEscapesWhenNotColoured(t *testing.T) {
	styled := "\x1b[1;31mred\x1b[m plain"
	for _, tt := range []struct {
		tty  bool
		mode ColorMode
		want string
	}{
		{false, ColorAuto, "red plain"},
		{true, ColorNever, "red plain"},
		{true, ColorAuto, styled},
		{false, ColorAlways, styled},
	} {
		s, _, out, _ := Test()
		s.SetStdoutTTY(tt.tty, 80)
		s.Color = tt.mode
		_, _ = io.WriteString(s.Stdout(), styled)
		if got := out.String(); got != tt.want {
			t.Errorf("tty=%v color=%s: wrote %q, want %q", tt.tty, tt.mode, got, tt.want)
		}
	}
}

func TestStyledFollowsTerminal(t *testing.T) {
	s, _, _, _ := Test()
	if s.Styled() {
		t.Error("a pipe is not styled")
	}
	s.Color = ColorAlways
	if s.Styled() {
		t.Error("--color always changes colour only, not a pipe's layout")
	}
	if !s.ColorEnabled() {
		t.Error("--color always colours a pipe")
	}
	s.SetStdoutTTY(true, 80)
	s.Color = ColorNever
	if !s.Styled() {
		t.Error("a terminal keeps its layout without colour")
	}
}

// TestBuffer checks that Out waits for Flush, and that a write to ErrOut
// sends what Out holds first, so that the two keep their order.
func TestBuffer(t *testing.T) {
	var both bytes.Buffer
	s := &IO{Out: &both, ErrOut: &both}
	s.Buffer()
	s.Buffer() // a second call changes nothing
	fmt.Fprint(s.Out, "page 1\n")
	if both.Len() != 0 {
		t.Fatalf("Out was written before Flush: %q", both.String())
	}
	fmt.Fprint(s.ErrOut, "error\n")
	fmt.Fprint(s.Out, "page 2\n")
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := both.String(), "page 1\nerror\npage 2\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if err := (&IO{}).Flush(); err != nil {
		t.Errorf("Flush without Buffer: %v", err)
	}
}

// TestPlainStdout checks that plain output is stripped of escapes and raw
// C1 controls whether or not a write takes the pass-through path.
func TestPlainStdout(t *testing.T) {
	for in, want := range map[string]string{
		"plain ✓ text\n":           "plain ✓ text\n",
		"\x1b[1;31mred\x1b[0m\n":   "red\n",
		"raw c1 \x9b31m here\n":    "raw c1  here\n",
		"char \u009b kept, \x07\n": "char \u009b kept, \x07\n",
	} {
		s, _, out, _ := Test()
		if _, err := s.Stdout().Write([]byte(in)); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Errorf("%q: wrote %q, want %q", in, out.String(), want)
		}
	}
}

// TestPage checks that Page holds output until Flush, writes output that
// fits the terminal as it is, sends taller output to the pager, and does
// nothing when the terminal's height is unknown or stdout is a pipe.
func TestPage(t *testing.T) {
	var paged []byte
	fake := func(_ string, p []byte) error { paged = append([]byte(nil), p...); return nil }

	s, _, out, _ := Test()
	s.SetStdoutTTY(true, 80)
	s.height = 3
	s.startPage = fake
	s.Buffer()
	s.Page("less")
	io.WriteString(s.Out, "a\nb\n")
	if out.Len() != 0 {
		t.Fatal("Page let output through before Flush")
	}
	if err := s.Flush(); err != nil || out.String() != "a\nb\n" || paged != nil {
		t.Errorf("short output: wrote %q, paged %q, err %v", out, paged, err)
	}

	s, _, out, _ = Test()
	s.SetStdoutTTY(true, 80)
	s.height = 3
	s.startPage = fake
	s.Page("less")
	io.WriteString(s.Out, "1\n2\n3\n4\n")
	if err := s.Flush(); err != nil || out.Len() != 0 || string(paged) != "1\n2\n3\n4\n" {
		t.Errorf("tall output: wrote %q, paged %q, err %v", out, paged, err)
	}

	for _, tty := range []bool{false, true} {
		s, _, out, _ = Test()
		s.SetStdoutTTY(tty, 80) // height unknown
		s.Page("less")
		if s.Paging() {
			t.Errorf("tty=%v, unknown height: paging", tty)
		}
		io.WriteString(s.Out, "x\n")
		if out.String() != "x\n" {
			t.Errorf("tty=%v: wrote %q", tty, out)
		}
	}
}
