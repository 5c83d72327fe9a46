package explain

import (
	"bytes"
	"encoding/binary"
)

// Windows, in bytes, that the rules look at around a candidate; all well
// inside lookBack and lookAhead.
const (
	lineWindow = 4 << 10 // how far to look for a line's start or end
	leftWindow = 1 << 10 // how much of the line before a code the rules read
	maxGroup   = 4 << 10 // how far a multi-line reply may run
)

type worker struct {
	excerpts bool
	lean     bool // Options.CountOnly
	render   func(dst []byte, r *Reply) []byte
	r        Reply // the reply render is given
	intern   map[string]string
	front    [64]string // in front of intern

	rg  *region
	res *result

	nls nlIndex // where the region's newlines are
	nl0 int64   // newlines before own0

	// The current line, cached across the candidates on it.
	ls, le int
	lsReal bool // ls is a true line start, not where the window stopped

	// A dsn= status waiting to learn whether its line also holds a reply
	// with a basic code, which then stands for it: pending is its position,
	// -1 when none.
	pending    int
	pendingEnd int
	pendingC   cand
}

func newWorker(excerpts bool, newRenderer func() func([]byte, *Reply) []byte) *worker {
	w := &worker{excerpts: excerpts, intern: make(map[string]string)}
	if newRenderer != nil {
		w.render = newRenderer()
	}
	return w
}

func (w *worker) begin(rg *region, res *result) {
	w.rg, w.res = rg, res
	w.nls.build(rg.buf)
	w.nl0 = w.nls.count(rg.own0)
	w.ls, w.le = -1, -1
	w.pending = -1
}

func (w *worker) end() {
	rg := w.rg
	w.flushPending()
	w.res.newlines = w.lineNumber(rg.own1)
	w.res.own = int64(rg.own1 - rg.own0)
	if rg.own1 > rg.own0 {
		w.res.last = rg.buf[rg.own1-1]
	}
	w.rg, w.res = nil, nil
}

// line finds the line around f: its start (at most lineWindow back) and its
// end (at most lineWindow on, not counting the newline).
func (w *worker) line(f int) (ls, le int, real bool) {
	if f >= w.ls && f < w.le {
		return w.ls, w.le, w.lsReal
	}
	b := w.rg.buf
	lo := max(0, f-lineWindow)
	ls = lo
	real = false
	if k := w.nls.last(lo, f); k >= 0 {
		ls, real = k+1, true
	} else if lo == 0 && w.rg.bof {
		real = true
	}
	hi := min(len(b), f+lineWindow)
	le = hi
	if k := bytes.IndexByte(b[f:hi], '\n'); k >= 0 {
		le = f + k
	}
	w.ls, w.le, w.lsReal = ls, le, real
	return ls, le, real
}

// skipNoBracket skips the bytes of b[i:end] eight at a time while none of
// them is a round bracket, and returns where it stopped.
func skipNoBracket(b []byte, i, end int) int {
	for i+8 <= end {
		// '(' and ')' differ in their lowest bit only.
		x := (binary.LittleEndian.Uint64(b[i:]) | lo8) ^ (')' * lo8)
		if (x-lo8)&^x&hi8 != 0 {
			break
		}
		i += 8
	}
	return i
}

// internBytes returns b as a string, allocating only the first time a
// given string is seen (and not at all once the table is full).
func (w *worker) internBytes(b []byte) string {
	// A few strings (enhanced codes, tags) make up most lookups: a small
	// table in front of the map, by a hash of their first bytes, saves
	// hashing them whole.
	h := uint(len(b))
	for _, c := range b[:min(len(b), 8)] {
		h = h*31 + uint(c)
	}
	h %= uint(len(w.front))
	if w.front[h] == string(b) {
		return w.front[h]
	}
	if s, ok := w.intern[string(b)]; ok {
		w.front[h] = s
		return s
	}
	s := string(b)
	w.front[h] = s
	if len(w.intern) < 4096 {
		w.intern[s] = s
	}
	return s
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// boundary holds the bytes that may come right before a reply code: a code
// glued to a letter, a digit, a dot or a slash is part of something else
// (an ID, an IP address, a version, a path).
var boundary = [256]bool{
	' ': true, '\t': true, '\r': true, '\n': true, '(': true, '[': true, '{': true, '<': true,
	'"': true, '\'': true, '=': true, ':': true, ';': true, ',': true, '>': true, '*': true, '~': true,
	'`': true, '|': true, // markdown's code spans and tables
}

// parseEnhanced reads class.subject.detail at i (subject and detail of one
// to three digits) and returns its end, or -1. A fourth number after it
// (4.16.55.1) makes it something else.
func parseEnhanced(b []byte, i int) int {
	if i+5 > len(b) || !(b[i] == '2' || b[i] == '4' || b[i] == '5') || b[i+1] != '.' {
		return -1
	}
	j := i + 2
	for part := 0; part < 2; part++ {
		n := 0
		for j < len(b) && isDigit(b[j]) && n < 4 {
			j++
			n++
		}
		if n == 0 || n > 3 {
			return -1
		}
		if part == 0 {
			if j >= len(b) || b[j] != '.' {
				return -1
			}
			j++
		}
	}
	if j < len(b) && b[j] == '.' && j+1 < len(b) && isDigit(b[j+1]) {
		return -1
	}
	return j
}

// canonicalEnhanced is the enhanced code without leading zeros, "5.01.001"
// read as 5.1.1, interned.
func (w *worker) canonicalEnhanced(b []byte) string {
	var out [12]byte
	n := 0
	lead := true
	for i, c := range b {
		switch {
		case c == '.':
			if lead && i > 0 && out[n-1] == '.' {
				out[n] = '0'
				n++
			}
			out[n] = '.'
			n++
			lead = true
		case c == '0' && lead && i+1 < len(b) && b[i+1] != '.':
			// a leading zero
		default:
			out[n] = c
			n++
			lead = false
		}
	}
	return w.internBytes(out[:n])
}

// basic looks at three digits at f that end in a byte that may follow a
// reply code.
func (w *worker) basic(f int) {
	rg := w.rg
	b := rg.buf
	c0, c1 := b[f], b[f+1]
	if c0 < '2' || c0 > '5' {
		return
	}
	hash := f > 0 && b[f-1] == '#' // "#550 5.7.1 RESOLVER.RST.NotAuthorized"
	if f > 0 && !codeBoundary(b, f) && !hash || f == 0 && !rg.bof {
		return // glued to a word; a box-drawing line or an arrow is a boundary
	}
	j := f + 3
	var t byte = '\n'
	if j < len(b) {
		t = b[j]
	} else if !rg.eof {
		return
	}
	switch t {
	case ' ', '-', '\t', '\r', '\n', ',':
	case ';':
		// "Negative SMTP reply: 501; sometimes ...": after a key, the code
		// and a semicolon; weighReply asks the rest.
		if f < 2 || b[f-1] != ' ' || b[f-2] != ':' || !keyBefore(b[max(0, f-64):f-1]) {
			return // "font-weight: 400; ..." is a style
		}
		t = ' '
	case ':':
		// "550: 5.2.2 <bob@example.net>... Mailbox Full", and "550: :
		// User unknown" at a line's start.
		atLineStart := f == 0 || b[f-1] == '\n'
		if !(j+2 < len(b) && b[j+1] == ' ' && (atLineStart || b[j+2] == c0 && parseEnhanced(b[:min(len(b), j+12)], j+2) >= 0)) {
			return
		}
	case ')', ']':
		// "SMTP Error (550): Failed to add recipient ...", "Error SMTP:
		// [550] ...": a library puts the code in brackets.
		if f == 0 || b[f-1] != '(' && b[f-1] != '[' || !bracketCue(b[max(0, f-64):f-1]) {
			return
		}
		w.bracketed(f, j)
		return
	case '=':
		// A quoted-printable soft line break: "smtp; 550=\n 5.3.5 ...".
		if !(j+1 < len(b) && (b[j+1] == '\n' || b[j+1] == '\r')) {
			return
		}
		t = '\n'
	default:
		return
	}
	code := int(c0-'0')*100 + int(c1-'0')*10 + int(b[f+2]-'0')
	ls, le, real := w.line(f)
	lw := max(ls, f-leftWindow)
	left := b[lw:f]
	lt := trimRightSpace(left)

	var c cand
	c.f, c.code, c.ls, c.le = f, code, ls, le
	textFrom := f
	quote := byte(0)
	if t == ',' && len(lt) == 0 && real && f == ls && replyTextAfter(b, j, le) && smtpCode(code) {
		t = ' ' // "421, Unexpected failure, please try later" starting its line
	}
	if t == ',' && (len(lt) == 0 || lt[len(lt)-1] != '(') {
		// "421, "4.7.0", Try again later": a code, a comma and its status.
		c.enh = w.enhancedAfter(f, j, t, le)
		if c.enh == nil {
			c.enh = splitStatus(b, j, le, lt, c0)
		}
		if c.enh == nil {
			return
		}
		c.intro = introducer(lt)
		if !w.weighReply(&c, lt, j, le) {
			return
		}
		c.dash = false
		w.accept(&c, lt, f, 0)
		return
	}
	if t == ',' {
		// Python's smtplib: (550, b'5.1.1 ...') in an exception.
		q := pythonQuote(b, j, le)
		if q < 0 {
			return
		}
		quote = b[q-1]
		textFrom = q
		c.format = "smtplib"
		c.intro = introPython
		if e := parseEnhanced(b[:le], q); e >= 0 && b[q] == c0 {
			c.enh = b[q:e]
		}
	} else {
		if len(lt) >= 3 && string(lt[len(lt)-3:]) == string(b[f:f+3]) && (len(lt) == 3 || boundary[lt[len(lt)-4]]) && lt[len(lt)-3 : len(lt)-2][0] == c0 {
			return // the second code of "550 550 5.1.1"
		}
		c.enh = w.enhancedAfter(f, j, t, le)
		if hash && c.enh == nil {
			return // "#550" alone is an issue's number
		}
		c.intro = introducer(lt)
		// A markdown quote ("> 550 ...") starts the line it quotes: a
		// client's line never starts with a code.
		atStart := real && lw == ls && (len(lt) == 0 || lt[0] == '>' || lt[0] == '#' || lt[0] == '`') && onlyBytes(lt, "> #`")
		if atStart {
			c.intro = introLineStart
		}
		if isHTTPStatus(lt) {
			return
		}
		if c1 > '5' && c.enh == nil {
			return // 571, 471: real servers send them, with their status
		}
		if !w.weighReply(&c, lt, j, le) {
			return
		}
		switch c.intro {
		case introNone:
			// A code with its enhanced code and nothing to introduce it
			// may be a later fragment of a multi-line reply on one line,
			// as Postfix logs them: "550-5.1.1 ... 550 5.1.1 ...", or on
			// the folded lines of a bounce that wrapped that line.
			if continuesOnLine(left, b[f:f+3]) || w.foldedContinuation(f, ls, b[f:f+3]) {
				return
			}
		case introLineStart, introTranscript:
			if w.previousLineOpen(ls, b[f:f+3]) {
				return
			}
		}
		if c.intro != introLineStart && lw == ls && onlyBytes(lt, " \t'\"+") && w.previousLineOpen(ls, b[f:f+3]) {
			return // a continuation quoted on its own line: '535 5.7.8 ...'
		}
		if f > 0 {
			switch b[f-1] {
			case '\'', '"':
				quote = b[f-1]
			}
		}
	}
	c.dash = t == '-'
	w.accept(&c, lt, textFrom, quote)
}

// enhancedOnly looks at an enhanced status code at f with no basic code
// before it: a DSN's Status:, dsn= in Postfix and Sendmail logs, .NET's
// "The server response was: 5.7.1".
func (w *worker) enhancedOnly(f int) {
	rg := w.rg
	b := rg.buf
	qmail := f >= 2 && b[f-1] == '#' && (b[f-2] == '(' || b[f-2] == '[')
	if f > 0 && !boundary[b[f-1]] && !qmail || f == 0 && !rg.bof {
		return
	}
	if f >= 2 && (b[f-1] == ' ' || b[f-1] == '-') && isDigit(b[f-2]) {
		return // the enhanced code of a basic one before it: "550 5.1.1"
	}
	if parseEnhanced(b[:min(len(b), f+10)], f) < 0 {
		return
	}
	if f >= 4 && string(b[f-4:f]) == "dsn=" {
		// Postfix's and Sendmail's dsn=, waiting for the reply on its
		// line: its line's end is needed now, its start only if no reply
		// stands for it (flushPending).
		le := min(len(b), f+lineWindow)
		if f >= w.ls && f < w.le {
			le = w.le
		} else if k := bytes.IndexByte(b[f:le], '\n'); k >= 0 {
			le = f + k
		}
		e := parseEnhanced(b[:le], f)
		if e < 0 {
			return
		}
		if f < rg.own1 {
			w.flushPending()
			w.pending, w.pendingEnd = f, le
			w.pendingC = cand{f: f, ls: -1, le: le, enh: b[f:e], intro: introDSNEquals}
		}
		return
	}
	ls, le, real := w.line(f)
	e := parseEnhanced(b[:le], f)
	if e < 0 {
		return
	}
	lw := max(ls, f-leftWindow)
	left := b[lw:f]
	lt := trimRightSpace(left)
	var c cand
	c.f, c.ls, c.le = f, ls, le
	c.enh = b[f:e]
	switch {
	case hasSuffix(lt, "dsn="):
		c.intro = introDSNEquals
		if c.f < rg.own1 {
			w.flushPending()
			w.pending, w.pendingEnd, w.pendingC = f, le, c
		}
		return
	case real && lw == ls && hasPrefixFold(trimLeftSpace(lt), "status:") && len(trimLeftSpace(lt)) == len("status:"):
		c.intro = introDSNStatus
		if w.blockHasDiagnosticCode(ls, le) {
			return
		}
	case hasSuffix(lt, "was:") && bytes.Contains(lt, []byte("response was")) || hasSuffix(lt, "response was"):
		c.intro = introDotNet
		c.code = dotNetCode(lt, b[f])
		if c.code == 0 {
			// The message wrapped: its start is on the lines before.
			c.code = dotNetCode(w.linesBefore(ls, 2), b[f])
		}
	case hasSuffixFold(lt, "smtp;"):
		c.intro = introDiagnostic
	case qmail:
		// qmail's status, "(#5.1.2)", stands for itself unless a reply
		// code before it on the line carries it.
		if hasCode(trimRightSpace(lt[:len(lt)-2])) {
			return
		}
		c.intro = introCue
	case real && lw == ls && len(trimLeftSpace(lt)) == 0 && e+2 < le && b[e] == ' ' && b[e+1] == '<':
		// "5.2.2 <bob@example.net>... Mailbox Full"
		if (b[ls] == ' ' || b[ls] == '\t') && w.wrappedStatus(ls, b[f]) {
			return // the status of the code the line before ends with
		}
		c.intro = introLineStart
	case (keyBefore(lt) || onlyBytes(lt, " \t\"'") && keyBefore(trimRightSpace(w.linesBefore(ls, 1))) || statusCue(lt, b, e, le)) && !w.foreignSession(ls, le):
		// "SMTP server error: 5.2.0 ...", "with message '5.2.0 ...".
		c.intro = introCue
	default:
		return
	}
	w.accept(&c, lt, f, 0)
}

// cand is a reply being built.
type cand struct {
	f, code int
	enh     []byte
	ls, le  int
	intro   intro
	format  string
	dash    bool
	command string
}

// accept records a reply, its text running from textFrom (to the quote
// that closes it when quote is set).
func (w *worker) accept(c *cand, lt []byte, textFrom int, quote byte) {
	rg := w.rg
	b := rg.buf
	res := w.res
	if w.pending >= 0 {
		if c.f < w.pendingEnd && c.code != 0 {
			// Postfix and Sendmail log dsn=5.1.1 before the reply it
			// came from: the reply stands for both.
			w.pending = -1
		} else {
			w.flushPending()
		}
	}
	if c.f >= rg.own1 {
		return
	}
	fd := found{
		line:   w.lineNumber(c.f),
		lines:  1,
		offset: rg.base + int64(c.f),
		code:   c.code,
	}
	if c.enh != nil {
		fd.enhanced = w.canonicalEnhanced(c.enh)
	}
	if c.format == "" {
		c.format = formatOf(c.intro, lt, b[c.ls:c.le])
	}
	fd.format = c.format

	// The text: to the closing quote or bracket, or the line's end; for a
	// multi-line reply, its fragments joined by spaces.
	end := textEnd(b, textFrom, c.le, c.ls, c.f, quote)
	a0 := len(res.arena)
	if textFrom != c.f {
		res.arena = append(res.arena, b[c.f:c.f+3]...)
		res.arena = append(res.arena, ' ')
	}
	groupEnd := c.le
	if (c.dash || c.format == "dsn") && c.code != 0 && quote == 0 {
		var n int
		end, groupEnd, n = w.group(c, end)
		fd.lines = n
	} else if c.intro == introSaid && quote == 0 && textFrom == c.f && end == trimEnd(b, c.f, c.le) {
		if ge, n := w.wrappedSaid(c); n > 1 {
			groupEnd, fd.lines = ge, n
		}
	}
	if end-textFrom > MaxText {
		end = textFrom + MaxText
		fd.truncated = true
	}
	if fd.lines > 1 {
		w.appendGroupText(c, textFrom, groupEnd)
	} else {
		res.arena = append(res.arena, b[textFrom:end]...)
	}
	fd.text0, fd.text1 = int32(a0), int32(len(res.arena))
	text := res.arena[a0:]

	// A repeat is counted once even by --summary, and the provider picks
	// the dialect a summary line names, so both are told in lean mode too;
	// the command is not (Options.CountOnly).
	fd.repeat = w.isRepeat(c, text)
	if !w.lean {
		fd.command = c.command
		if fd.command == "" {
			fd.command = w.command(c, lt, b[c.f:c.le])
		}
		if fd.command == "" && c.intro != introDSNEquals && c.intro != introDSNStatus {
			fd.command = w.contextCommand(c, groupEnd)
		}
	}
	// The provider's host is named just before the reply ("host
	// mx.example.net[192.0.2.1] said:"), or in the reply itself.
	if c.intro == introExim && contains(lt, "reject: ") {
		// Postfix smtpd's "reject: RCPT from client[ip]: 554 ...": the host
		// before the code is the client's, the reply is ours.
		fd.provider = providerOf(nil, text)
	} else if fd.lines == 1 && textFrom == c.f && end <= c.le {
		// The reply's text is on its line: one pass over the host before
		// it and the text.
		fd.provider = providerIn(b[max(c.ls, c.f-256):end], text)
	} else {
		fd.provider = providerOf(b[max(c.ls, c.f-256):c.f], text)
	}
	if fd.provider == "" && c.dash && fd.lines == 1 && c.le < len(b) {
		fd.provider = continuationProvider(b, b[c.f:c.f+3], c.le+1) // the reply's next lines
	}
	if fd.provider == "" && len(trimLeftSpace(lt)) == 0 {
		fd.provider = w.saidProvider(c.ls) // a bounce wrapped "host ... said:" before the reply's line
	}
	if tag := tagOf(text); tag != nil {
		fd.tag = w.internBytes(tag)
		if fd.provider == "" {
			fd.provider = tagProvider(tag)
		}
	}
	if c.intro == introDSNStatus || c.intro == introDiagnostic || fd.format == "dsn" {
		status, action := w.dsnBlock(c.ls, c.le)
		if fd.enhanced == "" && status != nil {
			fd.enhanced = w.canonicalEnhanced(status)
		}
		if action != nil {
			fd.dsnAction = w.internBytes(action)
		}
	}
	if w.excerpts {
		x0 := max(c.ls, c.f-MaxExcerpt/4)
		x1 := min(max(groupEnd, c.le), x0+MaxExcerpt)
		fd.ex0 = int32(len(res.arena))
		res.arena = append(res.arena, b[x0:x1]...)
		fd.ex1 = int32(len(res.arena))
		fd.mark = int32(c.f - x0)
	}
	if w.render != nil {
		w.r = fd.materialize(res) // in the worker: a local would escape to the heap
		fd.rd0 = int32(len(res.arena))
		res.arena = w.render(res.arena, &w.r)
		fd.rd1 = int32(len(res.arena))
	}
	res.replies = append(res.replies, fd)
}

// flushPending reports the dsn= status that no reply on its line stood for.
func (w *worker) flushPending() {
	if w.pending < 0 {
		return
	}
	c := w.pendingC
	w.pending = -1
	b := w.rg.buf
	if c.ls < 0 {
		c.ls, _, _ = w.line(c.f)
	}
	lt := trimRightSpace(b[max(c.ls, c.f-leftWindow):c.f])
	w.accept(&c, lt, c.f, 0)
}
