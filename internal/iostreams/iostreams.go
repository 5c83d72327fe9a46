// Package iostreams carries the standard streams and the decisions that depend
// on them (terminal or pipe, width, colour), so that commands never look at
// os.Stdout themselves and tests can stand in for a terminal.
package iostreams

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
)

// MaxWidth is the widest smtpcode ever wraps text, whatever the terminal.
const MaxWidth = 120

// ColorMode is the user's --color choice.
type ColorMode string

const (
	ColorAuto   ColorMode = "auto"
	ColorAlways ColorMode = "always"
	ColorNever  ColorMode = "never"
)

// IO is the set of streams a command reads and writes.
type IO struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	// InFile, OutFile are the underlying files when they are real, for
	// terminal queries the user asked for (--theme auto) and sizes.
	InFile, OutFile *os.File

	stdinTTY  bool
	stdoutTTY bool
	stderrTTY bool
	width     int
	height    int // 0 when unknown: nothing is paged

	Color ColorMode
	Env   func(string) string

	buf *bufio.Writer // Out, when Buffer was called
	raw io.Writer     // Out before Buffer

	page      *bytes.Buffer // Out, when Page was called
	pageOut   io.Writer     // where a short page goes
	pager     string
	startPage func(pager string, page []byte) error
}

// System returns the process's real streams. SMTPCODE_FORCE_TTY makes stdout
// count as a terminal (its value, when a number, is the width), for tests and
// for screenshots.
func System() *IO {
	s := &IO{
		In:      os.Stdin,
		Out:     os.Stdout,
		ErrOut:  os.Stderr,
		InFile:  os.Stdin,
		OutFile: os.Stdout,
		Color:   ColorAuto,
		Env:     os.Getenv,
	}
	s.stdinTTY = term.IsTerminal(os.Stdin.Fd())
	s.stdoutTTY = term.IsTerminal(os.Stdout.Fd())
	s.stderrTTY = term.IsTerminal(os.Stderr.Fd())
	if s.stdoutTTY {
		if w, h, err := term.GetSize(os.Stdout.Fd()); err == nil && w > 0 {
			s.width, s.height = w, h
		}
	}
	if v := os.Getenv("SMTPCODE_FORCE_TTY"); v != "" && v != "0" {
		// "100" is a terminal 100 columns wide; "80x24" also has a height,
		// which pages output taller than it.
		s.stdoutTTY = true
		w, h, _ := strings.Cut(v, "x")
		if n, err := strconv.Atoi(w); err == nil && n > 1 {
			s.width = n
		}
		if n, err := strconv.Atoi(h); err == nil && n > 1 {
			s.height = n
		}
	}
	if v := os.Getenv("COLUMNS"); v != "" && s.width == 0 {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			s.width = n
		}
	}
	return s
}

// Test returns an IO over buffers. It is not a terminal until SetStdoutTTY.
func Test() (s *IO, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	s = &IO{In: in, Out: out, ErrOut: errOut, Color: ColorAuto, Env: func(string) string { return "" }}
	return s, in, out, errOut
}

// SetStdoutTTY makes stdout count as a terminal of the given width.
func (s *IO) SetStdoutTTY(tty bool, width int) {
	s.stdoutTTY = tty
	s.width = width
}

// SetStderrTTY makes stderr count as a terminal (progress bars).
func (s *IO) SetStderrTTY(tty bool) { s.stderrTTY = tty }

// SetStdinTTY makes stdin count as a terminal (no text piped in).
func (s *IO) SetStdinTTY(tty bool) { s.stdinTTY = tty }

// IsStdinTTY reports whether stdin is a terminal: nothing is piped in.
func (s *IO) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether stdout is a terminal.
func (s *IO) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether stderr is a terminal.
func (s *IO) IsStderrTTY() bool { return s.stderrTTY }

// Width is the width to wrap to: the terminal's, at most MaxWidth, 80 when
// unknown.
func (s *IO) Width() int {
	w := s.width
	if w <= 0 {
		w = 80
	}
	if w > MaxWidth {
		w = MaxWidth
	}
	return w
}

// WrapWidth is the width to wrap prose to: Width on a terminal or when
// COLUMNS says one, else 0, for no wrapping: piped text keeps each
// paragraph on one line, so that grep finds a sentence whole.
func (s *IO) WrapWidth() int {
	if !s.stdoutTTY && s.width <= 0 {
		return 0
	}
	return s.Width()
}

// ColorEnabled decides whether stdout gets colour: --color first, then
// NO_COLOR (any non-empty value), then CLICOLOR_FORCE, then TERM=dumb
// (a terminal that shows escapes as text), then "is a terminal".
func (s *IO) ColorEnabled() bool {
	switch s.Color {
	case ColorAlways:
		return true
	case ColorNever:
		return false
	}
	if s.getenv("NO_COLOR") != "" {
		return false
	}
	if v := s.getenv("CLICOLOR_FORCE"); v != "" && v != "0" {
		return true
	}
	if s.getenv("TERM") == "dumb" {
		return false
	}
	return s.stdoutTTY
}

// Styled reports whether output is for a person (terminal layout) rather
// than a script (plain, tab-separated): whether stdout is a terminal.
// Forcing colour (--color always, CLICOLOR_FORCE) changes colour only, so
// that "CLICOLOR_FORCE=1 smtpcode snippet 550 flask > app.py" still writes
// the source and a forced-colour list still has one record a line.
func (s *IO) Styled() bool {
	return s.stdoutTTY
}

// Stdout returns the writer every styled output goes through: it passes
// 16-colour ANSI sequences when colour is on and strips every escape when not,
// so a pipe gets plain bytes whatever a renderer produced.
func (s *IO) Stdout() io.Writer {
	if s.ColorEnabled() {
		return &colorprofile.Writer{Forward: s.Out, Profile: colorprofile.ANSI}
	}
	return plainWriter{s.Out, &colorprofile.Writer{Forward: s.Out, Profile: colorprofile.NoTTY}}
}

// plainWriter strips escapes from what it writes. Plain styles write none,
// so most writes pass straight through rather than being parsed and copied:
// those without ESC that are valid UTF-8 (where a byte 0x80-0x9f is part of
// a character, not a C1 control the stripper would remove).
type plainWriter struct {
	out   io.Writer
	strip *colorprofile.Writer
}

func (w plainWriter) Write(p []byte) (int, error) {
	if bytes.IndexByte(p, 0x1b) < 0 && utf8.Valid(p) {
		return w.out.Write(p)
	}
	return w.strip.Write(p)
}

// Buffer makes writes to Out wait in a buffer until Flush, so that a page
// leaves in one write(2) rather than one per line (on a slow machine that
// was a tenth of a lookup's time). ErrOut flushes Out before each write, so
// that errors and output keep their order on a terminal. Commands that
// stream (a server's transcript, a log followed live) do not call it.
func (s *IO) Buffer() {
	if s.buf != nil {
		return
	}
	s.raw = s.Out
	s.buf = bufio.NewWriterSize(s.Out, 32<<10)
	s.Out = s.buf
	s.ErrOut = flushFirst{w: s.ErrOut, first: s.buf}
}

// Page makes everything written to Out wait until Flush, which sends it
// through the pager (a shell command line) when it is taller than the
// terminal, as git and gh do; shorter output is written as it is. It does
// nothing unless stdout is a terminal of known height. It replaces Buffer.
func (s *IO) Page(pager string) {
	if !s.stdoutTTY || s.height <= 0 || s.page != nil || strings.TrimSpace(pager) == "" {
		return
	}
	if s.buf != nil {
		// Page replaces Buffer: its buffer holds everything anyway.
		_ = s.buf.Flush()
		s.Out = s.raw
		if f, ok := s.ErrOut.(flushFirst); ok {
			s.ErrOut = f.w
		}
		s.buf = nil
	}
	s.pageOut = s.Out
	s.page = &bytes.Buffer{}
	s.Out = s.page
	s.pager = pager
	if s.startPage == nil {
		s.startPage = s.runPager
	}
}

// Paging reports whether Page is in effect.
func (s *IO) Paging() bool { return s.page != nil }

// Flush writes out what Buffer or Page held back.
func (s *IO) Flush() error {
	if s.page != nil {
		p := s.page.Bytes()
		s.page = nil
		if bytes.Count(p, []byte{'\n'}) < s.height {
			_, err := s.pageOut.Write(p)
			return err
		}
		return s.startPage(s.pager, p)
	}
	if s.buf == nil {
		return nil
	}
	return s.buf.Flush()
}

// flushFirst is a writer that flushes another before each write.
type flushFirst struct {
	w     io.Writer
	first *bufio.Writer
}

func (f flushFirst) Write(p []byte) (int, error) {
	_ = f.first.Flush()
	return f.w.Write(p)
}

func (s *IO) getenv(k string) string {
	if s.Env == nil {
		return ""
	}
	return strings.TrimSpace(s.Env(k))
}
