package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"

	"github.com/smtpcode/smtpcode/codes"
	"github.com/smtpcode/smtpcode/explain"
	"github.com/smtpcode/smtpcode/internal/i18n"
	"github.com/smtpcode/smtpcode/internal/jsontext"
)

type explainOptions struct {
	files   []string
	summary bool
	json    bool
}

func newExplainCmd(a *app, runF func(*explainOptions) error) *cobra.Command {
	opts := &explainOptions{}
	cmd := &cobra.Command{
		Use:   "explain [FILE...]",
		Short: "Find and explain every SMTP reply in logs, bounces, transcripts",
		Long: `Find every SMTP reply in the files (standard input when none, or -): MTA
logs (Postfix, Exim, Sendmail, Exchange message tracking), bounces and DSNs,
SMTP transcripts (S:, swaks, curl -v) and mail libraries' exceptions (Python
smtplib, nodemailer, Go net/smtp, Jakarta Mail, .NET, Ruby).

On a terminal each line holding a reply is shown with the reply highlighted and
explained, then a summary counts the replies per code. Piped, one tab-separated
line a reply: file, line, code, enhanced code, command, provider, title (empty
when unknown). With --json, one JSON object a line (JSON Lines).

Exit status: 0 when a reply was found, 1 when none, 2 on a usage error or when
a file could not be read (the other files are still read).`,
		Example: `  smtpcode explain /var/log/mail.log
  smtpcode explain --summary /var/log/mail.log*
  journalctl -u postfix | smtpcode explain
  smtpcode explain bounce.eml --json | jq -r 'select(.class == 5) | .text'`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.files = args
			if len(opts.files) == 0 {
				opts.files = []string{"-"}
				if a.io.IsStdinTTY() {
					// Nothing piped in: say what it waits for.
					fmt.Fprintln(a.io.ErrOut, "smtpcode: "+a.lang.T("reading the text to explain from the terminal; end it with Ctrl-D (or give a file)"))
				}
			}
			if n := countStdin(opts.files); n > 1 {
				return usageErrorf("give - once: standard input can be read only once", "- appears %d times", n)
			}
			opts.json = a.opts.json
			if runF != nil {
				return runF(opts)
			}
			return explainRun(a, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.summary, "summary", false, "print only the summary: counts per code")
	return cmd
}

func countStdin(files []string) int {
	n := 0
	for _, f := range files {
		if f == "-" {
			n++
		}
	}
	return n
}

// tally counts replies per code for the summary.
type tally struct {
	rows    map[tallyKey]*tallyRow
	front   [64]*tallyRow // in front of rows
	replies int64
	lines   int64
	bytes   int64
	files   int

	// echoes are the replies a bounce states in its readable part, waiting
	// for the DSN field (RFC 3464) that reports the same failure, so that
	// the summary counts that failure once; twice counts how often it did.
	echoes []echo
	twice  int64
}

// echo is a reply found outside DSN fields, by file and line.
type echo struct {
	file string
	line int64
	key  tallyKey
}

// echoWindow is how far, in lines, a DSN field may follow the readable
// part of the same bounce.
const echoWindow = 200

// maxEchoes bounds the replies kept for that, whatever the input.
const maxEchoes = 256

type tallyKey struct {
	code          int
	enhanced, tag string
}

type tallyRow struct {
	key   string
	code  int
	enh   string
	tag   string
	desc  *explain.Description
	count int64
}

// add counts r; d is its description, or nil for desc to describe it when
// it starts a row of its own (a summary needs no other).
func (t *tally) add(file string, r *explain.Reply, d *explain.Description, desc *explain.Describer) {
	k := tallyKey{r.Code, r.Enhanced, r.Tag}
	// Forget what is too far back to belong to the same bounce: lines only
	// grow within a file, so the old ones are at the front.
	if len(t.echoes) > 0 && t.echoes[0].file != file {
		t.echoes = t.echoes[:0]
	}
	for len(t.echoes) > 0 && r.Line-t.echoes[0].line > echoWindow {
		t.echoes = t.echoes[1:]
	}
	if r.Format == "dsn" {
		for i, e := range t.echoes {
			if e.key.code == k.code && e.key.enhanced == k.enhanced {
				t.echoes = append(t.echoes[:i], t.echoes[i+1:]...)
				t.twice++
				return
			}
		}
	} else if r.Repeat {
		// A later line quoting a reply already counted (a library's
		// summary line of the server's words): counted once.
		t.twice++
		return
	} else {
		if len(t.echoes) == maxEchoes {
			t.echoes = t.echoes[1:]
		}
		t.echoes = append(t.echoes, echo{file: file, line: r.Line, key: k})
	}
	// The rows of the last few keys stand in front of the map: a log
	// repeats a few replies many times.
	h := uint(k.code)*31 + uint(len(k.tag))
	for i := 0; i < len(k.enhanced); i++ {
		h = h*31 + uint(k.enhanced[i])
	}
	f := &t.front[h%uint(len(t.front))]
	row := *f
	if row == nil || row.code != k.code || row.enh != k.enhanced || row.tag != k.tag {
		row = t.rows[k]
		if row == nil {
			if d == nil {
				d = desc.Describe(r)
			}
			row = &tallyRow{key: r.Key(), code: r.Code, enh: r.Enhanced, tag: r.Tag, desc: d}
			t.rows[k] = row
		}
		*f = row
	}
	row.count++
	t.replies++
}

// sorted returns the rows by class (permanent, transient, intermediate,
// success), then by count, then by code.
func (t *tally) sorted() []*tallyRow {
	rows := make([]*tallyRow, 0, len(t.rows))
	for _, r := range t.rows {
		rows = append(rows, r)
	}
	rank := map[int]int{5: 0, 4: 1, 3: 2, 2: 3}
	slices.SortFunc(rows, func(x, y *tallyRow) int {
		return cmp.Or(
			cmp.Compare(rank[x.desc.Class], rank[y.desc.Class]),
			cmp.Compare(y.count, x.count),
			cmp.Compare(x.key, y.key),
		)
	})
	return rows
}

func explainRun(a *app, opts *explainOptions) error {
	out := &outBuffer{w: a.io.Out, buf: make([]byte, 0, 256<<10)}
	styled := a.io.Styled() && !opts.json
	var w io.Writer = out
	if styled {
		w = &colorWriter{a: a, out: out}
	}
	t := &tally{rows: make(map[tallyKey]*tallyRow)}
	desc := explain.NewDescriber()
	var line []byte
	var headName string // the file the JSON head is for
	var head []byte     // its members up to the line number's value
	failed := false
	xo := explain.Options{Excerpts: styled && !opts.summary, CountOnly: opts.summary}
	if opts.json && !opts.summary {
		// JSON is written where the replies are found, on every CPU.
		xo.NewRenderer = func() func([]byte, *explain.Reply) []byte {
			return explain.NewJSONRenderer().AppendTail
		}
	}
	var bar *progress
	in := &explain.Inputs{
		Names: opts.files,
		Stdin: a.io.In,
		Reply: func(name string, r *explain.Reply) error {
			if opts.json && !opts.summary {
				// The workers wrote all but the file and line.
				t.replies++
				jl := a.jsonLang()
				if name != headName {
					headName, head = name, explain.AppendJSONHeadPrefix(head[:0], name)
				}
				if jl == i18n.English {
					// Appended to the output buffer itself: the rendered
					// reply is copied once.
					if buf := out.reserve(len(head) + 20 + len(r.Rendered)); buf != nil {
						buf = strconv.AppendInt(append(buf, head...), r.Line, 10)
						out.buf = append(buf, r.Rendered...)
						return nil
					}
				}
				line = strconv.AppendInt(append(line[:0], head...), r.Line, 10)
				line = append(line, r.Rendered...)
				if jl != i18n.English {
					line = appendReplyProse(line, jl, desc.Describe(r))
				}
				_, err := w.Write(line)
				return err
			}
			if opts.summary {
				t.add(name, r, nil, desc)
				return nil
			}
			d := desc.Describe(r)
			t.add(name, r, d, desc)
			switch {
			case styled:
				// A directory's files are named, like several files.
				line = appendStyledReply(line[:0], a, name, len(opts.files) > 1 || name != opts.files[0], r, d)
			default:
				line = appendTSVReply(line[:0], a.lang, name, r, d)
			}
			_, err := w.Write(line)
			return err
		},
		Done: func(name string, st explain.Stats, err error) error {
			if bar != nil {
				bar.clear()
				bar = nil
			}
			t.lines += st.Lines
			t.bytes += st.Bytes
			if err != nil {
				if isBrokenPipe(err) {
					return err
				}
				// Say it now, in its place among the files, and go on.
				fmt.Fprintf(a.io.ErrOut, "smtpcode: error: %s\n", sanitize(message(a.lang, fileError(name, err).Error())))
				failed = true
				return nil
			}
			t.files++
			return nil
		},
		Progress: func(name string, size int64) func(int64) {
			if bar = newProgress(a, opts, name, size); bar != nil {
				return bar.update
			}
			return nil
		},
	}
	if err := explain.ScanFiles(xo, in); err != nil {
		if isBrokenPipe(err) {
			return &exitError{code: exitOK}
		}
		return err
	}
	switch {
	case opts.summary && opts.json:
		writeSummaryJSON(w, t, a.jsonLang())
	case opts.summary && !styled:
		writeSummaryTSV(w, a.lang, t)
	case styled && t.replies > 0:
		writeSummaryStyled(w, a, t)
	}
	if err := out.Flush(); err != nil && !isBrokenPipe(err) {
		return err
	}
	switch {
	case failed:
		return &exitError{code: exitUsage}
	case t.replies == 0:
		return &exitError{code: exitNotFound, err: errors.New("no SMTP reply found"), hint: "explain reads MTA logs, bounces, SMTP transcripts and mail libraries' errors; see smtpcode explain --help"}
	}
	return nil
}

// colorWriter sends styled text through the colour-aware writer, which
// drops the escapes when colour is off, without making one a line.
// outBuffer is a buffered writer that lets JSON lines be appended to its
// buffer in place (bufio.Writer's AvailableBuffer costs a second copy, of
// the buffer onto itself, in Write).
type outBuffer struct {
	w   io.Writer
	buf []byte // what is not written yet; its capacity is the buffer's size
	err error
}

func (o *outBuffer) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	if len(o.buf)+len(p) > cap(o.buf) {
		if err := o.Flush(); err != nil {
			return 0, err
		}
		if len(p) > cap(o.buf) {
			n, err := o.w.Write(p)
			o.err = err
			return n, err
		}
	}
	o.buf = append(o.buf, p...)
	return len(p), nil
}

// reserve returns the buffer with room for n bytes more, written first if
// it must be, or nil when n is more than it holds or writing failed: the
// caller appends to it and stores the result back in o.buf.
func (o *outBuffer) reserve(n int) []byte {
	if n > cap(o.buf) || o.err != nil {
		return nil
	}
	if len(o.buf)+n > cap(o.buf) && o.Flush() != nil {
		return nil
	}
	return o.buf
}

func (o *outBuffer) Flush() error {
	if o.err != nil {
		return o.err
	}
	if len(o.buf) > 0 {
		_, o.err = o.w.Write(o.buf)
		o.buf = o.buf[:0]
	}
	return o.err
}

type colorWriter struct {
	a   *app
	out io.Writer
	w   io.Writer
}

func (c *colorWriter) Write(p []byte) (int, error) {
	if c.w == nil {
		s := *c.a.io
		s.Out = c.out
		c.w = s.Stdout()
	}
	return c.w.Write(p)
}

func isBrokenPipe(err error) bool {
	return errors.Is(err, os.ErrClosed) || strings.Contains(err.Error(), "broken pipe")
}

func fileError(name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if name == "-" {
		return fmt.Errorf("reading standard input: %w", err)
	}
	// Whole, unlike a code quoted back: a path cut short names no file.
	return fmt.Errorf("%s: %w", strconv.Quote(name), err)
}

// progress draws a bar on stderr while a large file is read, when stderr is
// a terminal that is not also showing the replies.
type progress struct {
	w     io.Writer
	name  string
	size  int64
	start time.Time
	last  time.Time
	drawn bool
}

const progressMinSize = 64 << 20

func newProgress(a *app, opts *explainOptions, name string, size int64) *progress {
	if !a.io.IsStderrTTY() || size < progressMinSize || (a.io.IsStdoutTTY() && !opts.summary && !opts.json) {
		return nil
	}
	now := time.Now()
	return &progress{w: a.io.ErrOut, name: sanitize(name), size: size, start: now, last: now}
}

func (p *progress) update(done int64) {
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	const width = 30
	frac := float64(done) / float64(p.size)
	full := int(frac * width)
	rate := float64(done) / now.Sub(p.start).Seconds() / 1e6
	fmt.Fprintf(p.w, "\r%s %s%s %3.0f%% %.0f MB/s ", p.name, strings.Repeat("█", full), strings.Repeat("░", width-full), frac*100, rate)
	p.drawn = true
}

func (p *progress) clear() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// appendTSVReply writes a reply for scripts: file, line, code, enhanced,
// command, provider, title, tab-separated, empty when unknown.
func appendTSVReply(dst []byte, tr i18n.Lang, file string, r *explain.Reply, d *explain.Description) []byte {
	dst = appendField(dst, file)
	dst = append(dst, '\t')
	dst = strconv.AppendInt(dst, r.Line, 10)
	dst = append(dst, '\t')
	if r.Code != 0 {
		dst = strconv.AppendInt(dst, int64(r.Code), 10)
	}
	dst = append(dst, '\t')
	dst = append(dst, r.Enhanced...)
	dst = append(dst, '\t')
	dst = append(dst, r.Command...)
	dst = append(dst, '\t')
	dst = append(dst, r.Provider...)
	dst = append(dst, '\t')
	dst = appendField(dst, replyTitle(tr, d.Title))
	return append(dst, '\n')
}

// replyTitle is a described reply's title in the language: explain's
// lines have room for one, the translation.
func replyTitle(tr i18n.Lang, t string) string {
	if tr == i18n.English || t == "" {
		return t
	}
	return strings.TrimSpace(strings.TrimSuffix(tr.T(t), "(비표준)"))
}

// appendField writes text for a tab-separated line: control characters,
// tabs and newlines included, escaped.
func appendField(dst []byte, s string) []byte {
	return appendVisible(dst, []byte(s))
}

// appendVisible writes b with everything a terminal would act on made
// visible: control characters (escape sequences among them) as \x1b,
// invalid UTF-8 as \xff, C1 controls and bidirectional overrides as
// \u202e. Nothing from the input reaches a terminal as a command.
func appendVisible(dst, b []byte) []byte {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				dst = append(dst, '\\', 'x', hexDigit(c>>4), hexDigit(c&0xf))
			} else {
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, '\\', 'x', hexDigit(c>>4), hexDigit(c&0xf))
		case r >= 0x80 && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f:
			dst = fmt.Appendf(dst, "\\u%04x", r)
		default:
			dst = append(dst, b[i:i+size]...)
		}
		i += size
	}
	return dst
}

func hexDigit(n byte) byte { return "0123456789abcdef"[n] }

// appendStyledReply writes a reply for a person: its line with the reply
// highlighted, then what it means.
func appendStyledReply(dst []byte, a *app, file string, many bool, r *explain.Reply, d *explain.Description) []byte {
	s := a.Styles()
	width := a.io.Width()
	loc := strconv.FormatInt(r.Line, 10) + ":"
	if many {
		loc = string(appendField(nil, file)) + ":" + loc
	}
	ex := r.Excerpt
	mark := r.Mark
	if nl := indexByte(ex[mark:], '\n'); nl >= 0 {
		ex = ex[:mark+nl]
	}
	ex = trimCR(ex)
	hl := 3
	if first := firstLine(r.Text); len(first) > 0 && strings.HasPrefix(string(ex[mark:]), string(first)) {
		hl = len(first)
	}
	hl = min(hl, len(ex)-mark)
	before := string(appendVisible(nil, ex[:mark]))
	reply := string(appendVisible(nil, ex[mark:mark+hl]))
	after := string(appendVisible(nil, ex[mark+hl:]))
	room := max(20, width-lipgloss.Width(loc)-1)
	before, reply, after = fitLine(before, reply, after, room)
	cls := s.ClassText(d.Class)
	dst = append(dst, s.Muted.Render(loc)...)
	dst = append(dst, ' ')
	dst = append(dst, before...)
	dst = append(dst, cls.Render(reply)...)
	dst = append(dst, after...)
	tr := a.lang
	if r.Lines > 1 {
		dst = append(dst, s.Muted.Render(" "+tr.F("(+%d lines)", r.Lines-1))...)
	}
	dst = append(dst, '\n')

	code := r.Key()
	parts := []string{replyTitle(tr, d.Title)}
	parts = append(parts, tr.T(actionWords(d)))
	if w := actorWords(d.Actor); w != "" {
		parts = append(parts, tr.T(w))
	}
	if r.Command != "" {
		parts = append(parts, tr.F("after %s", r.Command))
	}
	if r.Provider != "" {
		parts = append(parts, r.Provider)
	}
	if !d.Standard && d.Entry != "" && d.Source != "" {
		parts = append(parts, tr.F("non-standard: %s", d.Source))
	}
	// The explanation is the answer: it keeps the terminal's own colour,
	// readable on any background, and wraps at a word rather than being
	// cut ("  ↳ CODE " before it, four columns under it).
	// "·" stays with the part after it, so a line never ends in one.
	lines := wordWrap(strings.Join(parts, " ·\u00a0"), max(10, width-lipgloss.Width(code)-5), max(10, width-4))
	dst = append(dst, "  "...)
	dst = append(dst, s.Muted.Render("↳")...)
	dst = append(dst, ' ')
	dst = append(dst, cls.Render(code)...)
	for i, l := range lines {
		if i == 0 {
			dst = append(dst, ' ')
		} else {
			dst = append(dst, "\n    "...)
		}
		dst = append(dst, strings.ReplaceAll(l, "\u00a0", " ")...)
	}
	return append(dst, '\n')
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

func trimCR(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == '\r' {
		b = b[:len(b)-1]
	}
	return b
}

func firstLine(b []byte) []byte {
	if i := indexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

// fitLine cuts a line to width, keeping the reply in view: the text
// before it goes first, from its start, then the text after it.
func fitLine(before, reply, after string, width int) (string, string, string) {
	wb, wr, wa := lipgloss.Width(before), lipgloss.Width(reply), lipgloss.Width(after)
	if wb+wr+wa <= width {
		return before, reply, after
	}
	const keepBefore = 24
	if wb > keepBefore && wb+wr+wa > width {
		cut := max(keepBefore, width-wr-wa)
		if cut < wb {
			before = "…" + tailWidth(before, cut-1)
			wb = cut
		}
	}
	if wb+wr > width {
		reply = truncateWidth(reply, max(8, width-wb))
		return before, reply, ""
	}
	return before, reply, truncateWidth(after, width-wb-wr)
}

// truncateWidth cuts s to at most w columns, ending in "…" when cut.
func truncateWidth(s string, w int) string {
	if lipgloss.Width(s) <= w {
		return s
	}
	if w <= 1 {
		return "…"
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		rw := lipgloss.Width(string(r))
		if n+rw > w-1 {
			break
		}
		b.WriteRune(r)
		n += rw
	}
	return b.String() + "…"
}

// tailWidth keeps the last w columns of s.
func tailWidth(s string, w int) string {
	rs := []rune(s)
	n := 0
	i := len(rs)
	for i > 0 {
		rw := lipgloss.Width(string(rs[i-1]))
		if n+rw > w {
			break
		}
		n += rw
		i--
	}
	return string(rs[i:])
}

func actionWords(d *explain.Description) string {
	switch d.Action {
	case codes.ActionNone:
		return i18n.N("accepted")
	case codes.ActionContinue:
		return i18n.N("continue")
	case codes.ActionRetry:
		return i18n.N("temporary: retry later")
	case codes.ActionFix:
		return i18n.N("permanent: fix, then resend")
	case codes.ActionGiveUp:
		return i18n.N("permanent: do not retry as is")
	}
	return string(d.Action)
}

func actorWords(a codes.Actor) string {
	switch a {
	case codes.ActorSender, codes.ActorSenderAdmin, codes.ActorRecipientAdmin:
		return mustAct(a)
	}
	return ""
}

// writeSummaryStyled draws the counts per code as bars, permanent failures
// first.
func writeSummaryStyled(w io.Writer, a *app, t *tally) {
	s := a.Styles()
	tr := a.lang
	width := a.io.Width()
	rows := t.sorted()
	var most int64
	countW, codeW := 1, 3
	for _, r := range rows {
		most = max(most, r.count)
		countW = max(countW, len(strconv.FormatInt(r.count, 10)))
		codeW = max(codeW, len(r.key))
	}
	// The bars show proportion; the titles need the room more.
	barMax := max(6, min(30, width/8))
	// "  N × CODE  TITLE BAR": 8 columns of spaces and signs.
	titleW := max(10, width-countW-codeW-barMax-8)
	fmt.Fprintf(w, "\n%s %s\n", s.Heading.Render(tr.T("Summary")),
		s.Muted.Render(tr.F("%d replies in %d lines, %d file(s)%s", t.replies, t.lines, t.files, echoNote(tr, t))))
	const perClass = 20
	class, shown, hidden := -1, 0, int64(0)
	flush := func() {
		if hidden > 0 {
			fmt.Fprintf(w, "  %s\n", s.Muted.Render(tr.F("… and %d more replies with other codes", hidden)))
		}
	}
	for _, r := range rows {
		if r.desc.Class != class {
			flush()
			class, shown, hidden = r.desc.Class, 0, 0
			var total int64
			for _, x := range rows {
				if x.desc.Class == class {
					total += x.count
				}
			}
			name := tr.T(codes.ClassName(class))
			if name == "" {
				name = tr.T("other")
			}
			fmt.Fprintf(w, "\n%s %s\n", s.ClassText(class).Render(name), s.Muted.Render(strconv.FormatInt(total, 10)))
		}
		if shown == perClass {
			hidden += r.count
			continue
		}
		shown++
		n := max(1, int(float64(r.count)/float64(most)*float64(barMax)+0.5))
		bar := lipgloss.NewStyle().Foreground(s.Palette.ClassColor(class)).Render(strings.Repeat("█", n))
		fmt.Fprintf(w, "  %*d × %s  %s %s\n", countW, r.count,
			s.ClassText(class).Render(fmt.Sprintf("%-*s", codeW, r.key)),
			padRight(truncateWidth(replyTitle(tr, r.desc.Title), titleW), titleW), bar)
	}
	flush()
}

// echoNote says how many failures a bounce reported twice, in its text and
// in its DSN fields, and were counted once.
func echoNote(tr i18n.Lang, t *tally) string {
	if t.twice == 0 {
		return ""
	}
	return tr.F("; %d reported again (a bounce's DSN fields, a library's summary line), counted once", t.twice)
}

// writeSummaryTSV writes one line a code: count, code, enhanced, tag,
// class name, title.
func writeSummaryTSV(w io.Writer, tr i18n.Lang, t *tally) {
	for _, r := range t.sorted() {
		code := ""
		if r.code != 0 {
			code = strconv.Itoa(r.code)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", r.count, code, r.enh, r.tag, codes.ClassName(r.desc.Class), appendField(nil, replyTitle(tr, r.desc.Title)))
	}
}

type summaryJSON struct {
	SchemaVersion int               `json:"schema_version"`
	Object        string            `json:"object"`
	Files         int               `json:"files"`
	Bytes         int64             `json:"bytes"`
	Lines         int64             `json:"lines"`
	Replies       int64             `json:"replies"`
	BounceEchoes  int64             `json:"bounce_echoes"`
	Codes         []summaryCodeJSON `json:"codes"`
}

type summaryCodeJSON struct {
	Count     int64   `json:"count"`
	Code      *string `json:"code"`
	Enhanced  *string `json:"enhanced"`
	Tag       *string `json:"tag"`
	Class     int     `json:"class"`
	ClassName string  `json:"class_name"`
	Title     string  `json:"title"`
	Entry     *string `json:"entry"`
	Action    string  `json:"action"`
	Retry     bool    `json:"retry"`
	// I18n is the row's prose in the --lang language, under its code:
	// {"ko": {"title", "what_to_do"}}; absent in English.
	I18n map[string]summaryProse `json:"i18n,omitempty"`
}

type summaryProse struct {
	Title    string `json:"title"`
	WhatToDo string `json:"what_to_do"`
}

func (s *summaryJSON) appendJSON(b []byte) []byte {
	o := jsontext.Begin(b)
	o.Int("schema_version", int64(s.SchemaVersion))
	o.String("object", s.Object)
	o.Int("files", int64(s.Files))
	o.Int("bytes", s.Bytes)
	o.Int("lines", s.Lines)
	o.Int("replies", s.Replies)
	o.Int("bounce_echoes", s.BounceEchoes)
	o.Key("codes")
	o.B = appendArray(o.B, s.Codes)
	return o.End()
}

func (c *summaryCodeJSON) appendJSON(b []byte) []byte {
	o := jsontext.Begin(b)
	o.Int("count", c.Count)
	o.StringOrNull("code", c.Code)
	o.StringOrNull("enhanced", c.Enhanced)
	o.StringOrNull("tag", c.Tag)
	o.Int("class", int64(c.Class))
	o.String("class_name", c.ClassName)
	o.String("title", c.Title)
	o.StringOrNull("entry", c.Entry)
	o.String("action", c.Action)
	o.Bool("retry", c.Retry)
	for lang, p := range c.I18n { // one language at most
		o.Key("i18n")
		in := jsontext.Begin(o.B)
		in.Key(lang)
		pr := jsontext.Begin(in.B)
		pr.String("title", p.Title)
		pr.String("what_to_do", p.WhatToDo)
		in.B = pr.End()
		o.B = in.End()
	}
	return o.End()
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func writeSummaryJSON(w io.Writer, t *tally, tr i18n.Lang) {
	out := summaryJSON{SchemaVersion: schemaVersion, Object: objectSummary, Files: t.files, Bytes: t.bytes, Lines: t.lines, Replies: t.replies, BounceEchoes: t.twice, Codes: []summaryCodeJSON{}}
	for _, r := range t.sorted() {
		c := summaryCodeJSON{
			Count: r.count, Enhanced: optional(r.enh), Tag: optional(r.tag), Class: r.desc.Class,
			ClassName: codes.ClassName(r.desc.Class), Title: r.desc.Title, Entry: optional(r.desc.Entry),
			Action: string(r.desc.Action), Retry: r.desc.Retry(),
		}
		if r.code != 0 {
			code := strconv.Itoa(r.code)
			c.Code = &code
		}
		if tr != i18n.English && r.desc.Title != "" {
			c.I18n = map[string]summaryProse{tr.Code(): {Title: replyTitle(tr, r.desc.Title), WhatToDo: tr.T(r.desc.Action.Describe())}}
		}
		out.Codes = append(out.Codes, c)
	}
	_ = writeJSON(w, &out)
}
