package explain

import (
	"bytes"
	"strings"
	"sync"
)

// intro is what, right before a code, says that a reply follows.
type intro uint8

const (
	introNone        intro = iota
	introLineStart         // the code starts its line: a raw reply, a continuation
	introTranscript        // S:, <-, <~, <**, <<<, < (curl -v)
	introSaid              // Postfix: "host X said:"
	introTalk              // Postfix: "refused to talk to me:" (the greeting)
	introStatusParen       // Postfix: "status=sent (250 ..."
	introExim              // Exim: C="250 ..." or "SMTP error from remote mail server after ...:"
	introSendmail          // Sendmail: reject=, stat=Deferred:
	introDiagnostic        // DSN: "Diagnostic-Code: smtp; 550 ..."
	introExchange          // Exchange: LED=, "Remote Server returned '"
	introCue               // "...Exception: 550", "Invalid login: 535", "failed: 550"
	introPython            // smtplib: (550, b'...')
	introDSNEquals         // dsn=5.1.1
	introDSNStatus         // Status: 5.1.1
	introDotNet            // The server response was: 5.7.1
)

func trimRightSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

func trimLeftSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}

// onlyBytes reports whether every byte of b is one of set's:
// len(bytes.Trim(b, set)) == 0 without building the set each time.
func onlyBytes(b []byte, set string) bool {
	for _, c := range b {
		if strings.IndexByte(set, c) < 0 {
			return false
		}
	}
	return true
}

func hasSuffix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFold compares b with s, which must be lower case ASCII.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(s) {
		if lower(b[i]) != s[i] {
			return false
		}
	}
	return true
}

func hasSuffixFold(b []byte, s string) bool {
	return len(b) >= len(s) && equalFold(b[len(b)-len(s):], s)
}

func hasPrefixFold(b []byte, s string) bool {
	return len(b) >= len(s) && equalFold(b[:len(s)], s)
}

func contains(b []byte, s string) bool { return bytes.Contains(b, []byte(s)) }

// transcriptMarker reports whether t, a line's text before a code, is a
// transcript's "server said" marker, alone or after a timestamp.
func transcriptMarker(t []byte) bool {
	if len(t) == 0 {
		return false
	}
	last := t[len(t)-1]
	for _, m := range transcriptMarks {
		if m[len(m)-1] == last && hasSuffix(t, m) && (len(t) == len(m) || t[len(t)-len(m)-1] == ' ' || t[len(t)-len(m)-1] == '\t') {
			return true
		}
	}
	if u := trimLeftSpace(t); len(u) >= 3 && u[0] == 0xe2 && (u[1] == 0x94 || u[1] == 0x86) && allHigh(u) {
		return true // "└──220 ...": a tree or an arrow drawn before the reply
	}
	// curl -v's "< 250 ...", and a bare "S 250 ..." (PHP's smtp class in
	// HESK and others writes "S" and "C" before the lines); "<" also after
	// a log's bracketed prefix ("[... | Connection | FINE] < 220 ...",
	// RainLoop's log: "[11:22:02.990][2fff2f7c] SMTP[DATA]: < 250 ...".
	return len(trimLeftSpace(t)) == 1 && (t[len(t)-1] == '<' || t[len(t)-1] == 'S') || hasSuffix(t, "] <") || hasSuffix(t, "]: <")
}

// transcriptMarks are the marks a transcript writes before a server's line.
var transcriptMarks = [...]string{"S:", "<-", "<~", "<**", "<~*", "<<<", "[S]", "Server:", "SERVER:", "=>", "Recv:", "Got:",
	"SERVER -> CLIENT:", "FROM SERVER:", // PHPMailer's debug output, new and old
	"SMTP<<", "SMTP>>", // Exim's debug output (-d): "  SMTP<< 220 ...", as a server "SMTP>> 250 ..."
	"-->", "<--"} // MDaemon's session log: "10:38:04: --> 220 ...", "<-- EHLO ..."

// introducer reads the text before a code (lt, trailing blanks trimmed) for
// what says a reply follows.
func introducer(lt []byte) intro {
	if len(lt) == 0 {
		return introNone
	}
	if lt[len(lt)-1] >= 0x80 && transcriptMarker(lt) {
		return introTranscript // "└──220 ..."
	}
	switch lt[len(lt)-1] {
	case ':':
		switch {
		case hasSuffix(lt, "said:") && (len(lt) == 5 || lt[len(lt)-6] == ' '):
			return introSaid // the commonest first: no mark ends in "said:"
		case transcriptMarker(lt):
			return introTranscript
		case hasSuffix(lt, "talk to me:"):
			return introTalk
		case hasSuffix(lt, "Deferred:"):
			return introSendmail
		case hasSuffix(lt, "response was:"):
			return introDotNet
		}
		if cueWord(lt[:len(lt)-1]) {
			return introCue
		}
		if contains(lt, "SMTP error from remote mail") || contains(lt, "reject: ") {
			return introExim
		}
	case '-', '~', '*', '<', ']', '>', 'S':
		if transcriptMarker(lt) {
			return introTranscript
		}
	case '=':
		switch {
		case hasSuffix(lt, "reject="):
			return introSendmail
		case hasSuffix(lt, "LED="):
			return introExchange
		}
	case '"':
		if hasSuffix(lt, " C=\"") {
			return introExim
		}
		if hasSuffix(lt, `$data is "`) {
			return introTranscript // PHPMailer's get_lines() echo of the reply so far
		}
	case '\'':
		if hasSuffix(lt, "b'") && (len(lt) == 2 || lt[len(lt)-3] == ' ') {
			// Python's bytes as a log prints them, after a transcript's mark
			// or smtplib's debug "reply:": "<-- b'220 ...\r\n'".
			if u := trimRightSpace(lt[:len(lt)-2]); transcriptMarker(u) || hasSuffix(u, "reply:") {
				return introTranscript
			}
		}
		switch {
		case hasSuffix(lt, "returned '"):
			return introExchange
		case hasSuffix(lt, "response: '"), hasSuffix(lt, "response '"):
			return introCue
		}
	case ';':
		if hasSuffixFold(lt, "smtp;") {
			return introDiagnostic
		}
	case '(':
		// Postfix: status=sent (250 2.0.0 Ok: queued as ...).
		t := trimRightSpace(lt[:len(lt)-1])
		k := bytes.LastIndexByte(t, ' ')
		if bytes.HasPrefix(t[k+1:], []byte("status=")) {
			return introStatusParen
		}
	}
	return introNone
}

// cueWord reports whether the word before a colon announces a server's
// reply: an exception's name, "Invalid login", "command failed", "rejected".
func cueWord(t []byte) bool {
	i := len(t)
	for i > 0 && (t[i-1] >= 'a' && t[i-1] <= 'z' || t[i-1] >= 'A' && t[i-1] <= 'Z') {
		i--
	}
	w := t[i:]
	for _, s := range [...]string{"exception", "error", "failed", "rejected", "refused", "login", "busy", "response", "reply", "mail"} {
		if hasSuffixFold(w, s) {
			return true
		}
	}
	return false
}

// isHTTPStatus reports whether the code follows an HTTP version: an HTTP
// status line, not an SMTP reply.
func isHTTPStatus(lt []byte) bool {
	k := len(lt) - 1 // the last blank or quote (bytes.LastIndexAny, without its set-up)
	for k >= 0 && lt[k] != ' ' && lt[k] != '\t' && lt[k] != '"' && lt[k] != '\'' {
		k--
	}
	return bytes.HasPrefix(lt[k+1:], []byte("HTTP/"))
}

// pythonQuote checks for ", b'" or ", '" after the code at j and returns
// where the quoted text starts, or -1.
func pythonQuote(b []byte, j, le int) int {
	i := j + 1
	if i < le && b[i] == ' ' {
		i++
	}
	if i < le && b[i] == 'b' {
		i++
	}
	if i < le && (b[i] == '\'' || b[i] == '"') {
		return i + 1
	}
	return -1
}

// continuesOnLine reports whether the nearest earlier fragment with the
// same code on the line is "550-": the code at hand continues it.
func continuesOnLine(left, code []byte) bool {
	for len(left) >= 4 {
		k := lastIndex3(left, code)
		if k < 0 {
			return false
		}
		if codeBoundary(left, k) && k+3 < len(left) && (left[k+3] == '-' || left[k+3] == ' ') {
			return left[k+3] == '-'
		}
		left = left[:k]
	}
	return false
}

// previousLineOpen reports whether the line before ls ends in a fragment
// "code-" of a multi-line reply, so a line starting with code continues it.
func (w *worker) previousLineOpen(ls int, code []byte) bool {
	b := w.rg.buf
	if ls == 0 {
		return false
	}
	pe := ls - 1
	if pe > 0 && b[pe-1] == '\r' {
		pe--
	}
	stop := max(0, ls-lineWindow)
	for n := 0; n < 16 && pe >= stop; n++ {
		ps := stop
		if k := bytes.LastIndexByte(b[stop:pe], '\n'); k >= 0 {
			ps += k + 1
		} else if stop > 0 || !w.rg.bof {
			return false
		}
		line := b[ps:pe]
		if t := trimRightSpace(bytes.TrimRight(line, "\r")); len(t) > 0 && !bytes.Contains(t, code) && transcriptMarker(t) {
			// "[PROTOCOL] ... S:" alone: the reply went on the next line.
			if ps == 0 {
				return false
			}
			pe = ps - 1
			continue
		}
		if bytes.Contains(line, code) || len(line) == 0 || (line[0] != ' ' && line[0] != '\t') {
			// PHPMailer's echo of one line read ($str is "250-...") opens
			// no reply: the reply so far follows ($data is "250-...").
			return lastFragmentOpen(line, code) && !bytes.Contains(line, strEcho)
		}
		// A folded line (RFC 5322) without the code: look on above it.
		if ps == 0 {
			return false
		}
		pe = ps - 1
	}
	return false
}

// lastFragmentOpen reports whether the last fragment with this code in
// line is "code-".
func lastFragmentOpen(line, code []byte) bool {
	for len(line) >= 4 {
		k := lastIndex3(line, code)
		if k < 0 {
			return false
		}
		if codeBoundary(line, k) && k+3 < len(line) && (line[k+3] == '-' || line[k+3] == ' ') {
			return line[k+3] == '-'
		}
		line = line[:k]
	}
	return false
}

// startsWithCode reports whether a line, after blanks and a transcript
// marker, starts with code followed by '-', ' ' or its end; it returns
// where the code is.
func startsWithCode(line, code []byte) (int, bool) {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	if !bytes.HasPrefix(line[i:], code) {
		// A marker, then blanks.
		k := bytes.Index(line[i:min(len(line), i+12)], code)
		if k <= 0 || !transcriptMarker(trimRightSpace(line[:i+k])) {
			return 0, false
		}
		i += k
	}
	j := i + len(code)
	if j < len(line) && line[j] != '-' && line[j] != ' ' && line[j] != '\r' {
		return 0, false
	}
	return i, true
}

// group follows a multi-line reply from its first fragment, written
// "550-" on the line that ends at c.le: over the lines after it that start
// with the same code, until one that closes it ("550 "). It returns the
// text's end on the first line, the end of the last line, and the number of
// lines.
func (w *worker) group(c *cand, end int) (int, int, int) {
	b := w.rg.buf
	code := b[c.f : c.f+3]
	open := lastFragmentOpen(b[c.f:c.le], code)
	if !open && c.format != "dsn" {
		return end, c.le, 1
	}
	n := 1
	le := c.le
	limit := min(len(b), c.f+maxGroup)
	for le < limit && n < 200 {
		ns := le + 1
		ne := ns + bytes.IndexByte(b[ns:limit], '\n')
		if ne < ns {
			if !w.rg.eof || limit < len(b) {
				break
			}
			ne = limit
		}
		line := b[ns:ne]
		_, ok := startsWithCode(line, code)
		if !ok && open {
			ok = prefixedContinuation(b[c.ls:c.f], line, code)
		}
		if !ok || !open {
			if c.format == "dsn" && len(line) > 0 && (line[0] == ' ' || line[0] == '\t') && !bytes.Contains(line, code) {
				// A folded line of a Diagnostic-Code field.
				n++
				le = ne
				continue
			}
			break
		}
		n++
		le = ne
		if !lastFragmentOpen(line, code) {
			break
		}
	}
	return end, le, n
}

// appendGroupText appends a multi-line reply's lines, each from its code
// on, joined by spaces, at most MaxText bytes.
// wrappedSaid follows a reply Postfix wrapped in a bounce's readable part,
// "host mx.example.net[192.0.2.1] said: 554 Email" then indented lines up to
// "(in reply to end of DATA command)": it returns where the reply's text
// ends (before that bracket) and how many lines it spans, or 1 when its
// line does not go on so. Only a closing "(in reply to" makes the indented
// lines the reply's.
func (w *worker) wrappedSaid(c *cand) (groupEnd, n int) {
	b := w.rg.buf
	le := c.le
	limit := min(len(b), c.f+maxGroup)
	for n = 1; n < 20 && le+1 < limit; n++ {
		ns := le + 1
		if b[ns] != ' ' && b[ns] != '\t' {
			return c.le, 1
		}
		ne := ns + bytes.IndexByte(b[ns:limit], '\n')
		if ne < ns {
			return c.le, 1
		}
		line := trimRightSpace(bytes.TrimRight(b[ns:ne], "\r"))
		if len(trimLeftSpace(line)) == 0 {
			return c.le, 1
		}
		k := bytes.Index(line, []byte("(in reply to"))
		if k < 0 {
			for _, tail := range [...]string{" (in reply", " (in"} {
				if hasSuffix(line, tail) {
					k = len(line) - len(tail) + 1
					break
				}
			}
		}
		if k >= 0 {
			return trimEnd(b, ns, ns+k), n + 1
		}
		le = ne
	}
	return c.le, 1
}

// wrappedStatus reports whether the line before ls, an indented line's
// start, ends with a reply code of the class given and nothing after it: a
// wrapped "said: 550" whose enhanced code opens the next line.
func (w *worker) wrappedStatus(ls int, class byte) bool {
	b := w.rg.buf
	if ls < 5 {
		return false
	}
	p := trimRightSpace(bytes.TrimRight(b[max(0, ls-256):ls-1], "\r"))
	n := len(p)
	return n >= 4 && p[n-3] == class && isDigit(p[n-2]) && isDigit(p[n-1]) && (p[n-4] == ' ' || p[n-4] == ':') &&
		(n == 4 || !isDigit(p[n-5]))
}

func (w *worker) appendGroupText(c *cand, from, groupEnd int) {
	b := w.rg.buf
	res := w.res
	a0 := len(res.arena)
	code := b[c.f : c.f+3]
	line := b[from:c.le]
	for {
		line = bytes.TrimRight(line, "\r")
		if len(res.arena) > a0 {
			res.arena = append(res.arena, ' ')
		}
		room := MaxText - (len(res.arena) - a0)
		if room <= 0 {
			break
		}
		res.arena = append(res.arena, line[:min(len(line), room)]...)
		end := from + len(line)
		if from >= groupEnd || end >= groupEnd {
			break
		}
		ns := bytes.IndexByte(b[end:groupEnd], '\n')
		if ns < 0 {
			break
		}
		from = end + ns + 1
		ne := bytes.IndexByte(b[from:groupEnd], '\n')
		if ne < 0 {
			ne = groupEnd - from
		}
		line = b[from : from+ne]
		if i, ok := startsWithCode(line, code); ok {
			line = line[i:]
		} else if prefixedContinuation(b[c.ls:c.f], line, code) {
			line = line[c.f-c.ls:]
		} else {
			line = trimLeftSpace(line)
		}
	}
}

// textEnd finds where a reply's text ends on its line: at the closing
// quote when it was quoted, before the bracket that closes one opened
// before it ("status=sent (250 Ok)"), before Postfix's "(in reply to ...)",
// else at the line's end.
func textEnd(b []byte, from, le, ls, f int, quote byte) int {
	lim := min(le, from+MaxText+64)
	if quote != 0 {
		if k := bytes.IndexByte(b[from:lim], quote); k >= 0 {
			return from + k
		}
		return trimEnd(b, from, lim)
	}
	end := lim
	if lt := b[max(ls, f-256):f]; inString(lt) {
		// Inside a JSON string: the reply ends where the string does, or
		// where the string inside it does (SNS wraps SES's JSON in one:
		// \"diagnosticCode\":\"smtp; 550 ...\").
		inner := bytes.Count(lt[bytes.LastIndexByte(lt, '"')+1:], []byte(`\"`))%2 == 1
		for i := from; i < lim; i++ {
			if b[i] == '\\' {
				if inner && i+1 < lim && b[i+1] == '"' {
					return trimEnd(b, from, i)
				}
				i++
				continue
			}
			if b[i] == '"' {
				return trimEnd(b, from, i)
			}
		}
	}
	if f > ls {
		switch {
		case b[f-1] == ',':
			// A field of a comma-separated log (Exchange message tracking).
			if k := bytes.IndexByte(b[from:lim], ','); k >= 0 {
				return trimEnd(b, from, from+k)
			}
		case f-4 >= ls && string(b[f-4:f]) == "LED=":
			if k := bytes.IndexByte(b[from:lim], '}'); k >= 0 {
				return trimEnd(b, from, from+k)
			}
		}
	}
	if k := inReplyTo(b[from:lim]); k >= 0 {
		end = from + k
	}
	// Close the brackets opened before the reply on its line.
	lw := max(ls, f-leftWindow)
	if depth := bytes.Count(b[lw:f], []byte("(")) - bytes.Count(b[lw:f], []byte(")")); depth > 0 {
		for i := from; i < end; i++ {
			if i = skipNoBracket(b, i, end); i >= end {
				break
			}
			switch b[i] {
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					return trimEnd(b, from, i)
				}
			}
		}
	}
	return trimEnd(b, from, end)
}

// indexInReplyTo is bytes.Index(t, "(in reply to "), by its bracket: a
// byte a line holds few of, found 32 at a time.
func indexInReplyTo(t []byte) int {
	for i := 0; ; {
		k := bytes.IndexByte(t[i:], '(')
		if k < 0 {
			return -1
		}
		i += k
		if bytes.HasPrefix(t[i:], []byte("(in reply to ")) {
			return i
		}
		i++
	}
}

// inReplyTo is bytes.Index(t, " (in reply to "), looking for its bracket,
// which is rarer than a space.
func inReplyTo(t []byte) int {
	for i := 1; i < len(t); {
		k := indexInReplyTo(t[i:])
		if k < 0 {
			return -1
		}
		if t[i+k-1] == ' ' {
			return i + k - 1
		}
		i += k + 1
	}
	return -1
}

func trimEnd(b []byte, from, end int) int {
	for end > from && (b[end-1] == ' ' || b[end-1] == '\r' || b[end-1] == '\t') {
		end--
	}
	return end
}

// formatOf names the kind of text a reply was found in.
func formatOf(in intro, lt, line []byte) string {
	switch in {
	case introTranscript:
		return "transcript"
	case introSaid, introTalk, introStatusParen:
		return "postfix"
	case introExim:
		if contains(lt, "reject: ") {
			return "postfix"
		}
		return "exim"
	case introSendmail:
		return "sendmail"
	case introDiagnostic, introDSNStatus:
		return "dsn"
	case introExchange:
		return "exchange"
	case introPython:
		return "smtplib"
	case introDotNet:
		return "dotnet"
	case introDSNEquals:
		if contains(line, "postfix") || contains(line, "status=") {
			return "postfix"
		}
		return "sendmail"
	}
	if hasPrefixFold(trimLeftSpace(line), "diagnostic-code:") {
		return "dsn"
	}
	switch {
	case contains(lt, "postfix/"):
		return "postfix"
	case contains(lt, "Net::SMTP"):
		return "ruby"
	case contains(lt, "mail.") && contains(lt, "Exception"), contains(lt, "MessagingException"):
		return "jakarta"
	case contains(lt, "SmtpException"), contains(lt, "SmtpFailedRecipient"):
		return "dotnet"
	case contains(lt, "smtplib"):
		return "smtplib"
	case contains(lt, "Can't send mail"), contains(lt, "Invalid login"), contains(lt, "command failed"), contains(lt, "Message failed"):
		return "nodemailer"
	case contains(lt, "SMTP error from remote mail"):
		return "exim"
	case contains(lt, "RESOLVER.") || contains(line, "RESOLVER.") || contains(line, ",SMTP,") || contains(line, ",DSN,"):
		return "exchange"
	case in == introLineStart:
		return "transcript"
	}
	return "text"
}

// command finds the command a reply answered, where the text says so.
func (w *worker) command(c *cand, lt, rest []byte) string {
	if k := indexInReplyTo(rest); k >= 0 {
		tail := rest[k+len("(in reply to "):]
		v := commandName(tail, " command")
		if b := w.rg.buf; v == "" && bytes.IndexByte(tail, ')') < 0 && c.le+1 < len(b) {
			v = joinedInReplyTo(tail, b[c.le+1:min(len(b), c.le+1+96)])
		}
		return v
	}
	if v := verbInBrackets(rest); v != "" {
		return v
	}
	switch c.intro {
	case introSaid:
		if contains(lt, "SASL authentication failed") {
			return "AUTH"
		}
		return ""
	case introExchange, introDiagnostic:
		return ""
	case introStatusParen:
		// "status=sent (250 ...)": the reply to the final dot.
		if c.code == 250 && (hasSuffix(trimRightSpace(bytes.TrimSuffix(lt, []byte("("))), "status=sent") || contains(lt, "status=sent")) {
			return "DATA-END"
		}
		return ""
	case introTalk:
		return "CONNECT"
	case introTranscript, introLineStart:
		return w.transcriptCommand(c)
	case introPython:
		if !contains(lt, "SMTP") {
			// Django's error page names the exception on a line of its own,
			// a blank line before its value: "SMTPSenderRefused at /reset/".
			lt = w.lineAboveBlank(c.ls)
		}
		switch {
		case contains(lt, "SMTPRecipientsRefused"):
			return "RCPT"
		case contains(lt, "SMTPSenderRefused"):
			return "MAIL"
		case contains(lt, "SMTPDataError"):
			return "" // raised for DATA and for the end of data: neither
		case contains(lt, "SMTPAuthenticationError"):
			return "AUTH"
		case contains(lt, "SMTPHeloError"):
			return "EHLO"
		case contains(lt, "SMTPConnectError"):
			return "CONNECT"
		}
		return ""
	case introDSNStatus, introDSNEquals:
		return ""
	}
	if k := bytes.LastIndex(lt, []byte(" after ")); k >= 0 {
		return commandName(lt[k+len(" after "):], ":")
	}
	if k := bytes.Index(lt, []byte("reject: ")); k >= 0 {
		return commandName(lt[k+len("reject: "):], " from")
	}
	switch {
	case contains(lt, "ruleset=check_rcpt"):
		return "RCPT"
	case contains(lt, "ruleset=check_mail"):
		return "MAIL"
	case contains(lt, "ruleset=check_relay"):
		return "CONNECT"
	case contains(lt, "recipients were rejected"), contains(lt, "Recipient command failed"),
		contains(lt, "SMTPAddressFailedException"), contains(lt, "SmtpFailedRecipient"):
		return "RCPT"
	case contains(lt, "Mail command failed"), contains(lt, "SMTPSenderFailedException"):
		return "MAIL"
	case contains(lt, "Data command failed"):
		return "DATA"
	case contains(lt, "Message failed"):
		return "DATA-END"
	case contains(lt, "Invalid login"), contains(lt, "AuthenticationFailedException"), contains(lt, "SMTPAuthenticationError"):
		return "AUTH"
	}
	return ""
}

// lineAboveBlank returns the line before ls, or the one before it when
// that one is blank.
func (w *worker) lineAboveBlank(ls int) []byte {
	b := w.rg.buf
	for n := 0; n < 2 && ls > 0; n++ {
		s := max(0, ls-1-256)
		if k := bytes.LastIndexByte(b[s:ls-1], '\n'); k >= 0 {
			s += k + 1
		} else if s > 0 || !w.rg.bof {
			return nil
		}
		if line := trimRightSpace(b[s : ls-1]); len(line) > 0 {
			return line
		}
		ls = s
	}
	return nil
}

// verbInBrackets reads the command a server names in its own reply, in
// brackets and capitals: Gmail's "421 4.7.0 Try again later, closing
// connection. (EHLO) ... - gsmtp".
func verbInBrackets(rest []byte) string {
	for i := 0; i < len(rest); {
		k := bytes.IndexByte(rest[i:], '(')
		if k < 0 {
			return ""
		}
		i += k + 1
		e := i
		for e < len(rest) && e-i < 9 && rest[e] >= 'A' && rest[e] <= 'Z' {
			e++
		}
		if e < len(rest) && rest[e] == ')' && e-i >= 4 {
			if v := clientVerb(rest[i:e]); v != "" {
				return v
			}
		}
	}
	return ""
}

// joinedInReplyTo reads Postfix's "(in reply to ... command)" that a
// bounce wrapped in its middle: tail is what follows "(in reply to " on the
// line, next the text after the line break ("end of" / "    DATA command)").
func joinedInReplyTo(tail, next []byte) string {
	var buf [128]byte
	n := copy(buf[:64], trimRightSpace(bytes.TrimRight(tail, "\r")))
	buf[n] = ' '
	n++
	n += copy(buf[n:], trimLeftSpace(next))
	return commandName(buf[:n], " command")
}

// commandName reads a command as a log writes it, "RCPT TO", "end of DATA",
// "pipelined MAIL FROM:<a@example.com>", up to stop, and names it as the
// catalogue does.
func commandName(s []byte, stop string) string {
	if k := bytes.Index(s, []byte(stop)); k >= 0 && k < 64 {
		s = s[:k]
	} else if len(s) > 64 {
		s = s[:64]
	}
	s = bytes.TrimPrefix(s, []byte("pipelined "))
	switch {
	case hasPrefixFold(s, "end of data"), hasPrefixFold(s, "end of message"), hasPrefixFold(s, "end-of-message"), hasPrefixFold(s, "sending data block"):
		return "DATA-END"
	case hasPrefixFold(s, "initial connection"), hasPrefixFold(s, "connect"):
		return "CONNECT"
	case hasPrefixFold(s, "rcpt"):
		return "RCPT"
	case hasPrefixFold(s, "mail"):
		return "MAIL"
	}
	return clientVerb(s)
}

// clientVerb names the command a client line sends: "RCPT TO:<...>" is
// RCPT, "." alone ends DATA.
func clientVerb(s []byte) string {
	s = trimLeftSpace(bytes.TrimRight(s, "\r"))
	if len(s) == 1 && s[0] == '.' {
		return "DATA-END"
	}
	k := bytes.IndexAny(s, " :")
	if k < 0 {
		k = len(s)
	}
	for _, v := range [...]string{"ehlo", "helo", "lhlo", "mail", "rcpt", "data", "bdat", "rset", "vrfy", "expn", "help", "noop", "quit", "auth", "starttls", "etrn", "atrn"} {
		if equalFold(s[:k], v) {
			switch v {
			case "lhlo":
				return "LHLO"
			}
			return upper[v]
		}
	}
	return ""
}

var upper = map[string]string{
	"ehlo": "EHLO", "helo": "HELO", "mail": "MAIL", "rcpt": "RCPT", "data": "DATA", "bdat": "BDAT",
	"rset": "RSET", "vrfy": "VRFY", "expn": "EXPN", "help": "HELP", "noop": "NOOP", "quit": "QUIT",
	"auth": "AUTH", "starttls": "STARTTLS", "etrn": "ETRN", "atrn": "ATRN",
}

// transcriptCommand looks back over a transcript for the client line the
// reply answers: "C: RCPT TO:<...>", " -> RCPT TO:<...>" (swaks), ">>> RCPT
// To:<...>" (sendmail -v), "CLIENT -> SERVER: RCPT TO" (PHPMailer), or a
// raw "rcpt to:<...>" typed in telnet. Replies that follow a run of
// pipelined commands answer them in order (RFC 2920): the k-th reply after
// the run answers its k-th command. A reply after a 334 answers AUTH. With
// no client line before it, only a 220 names its command: the greeting.
func (w *worker) transcriptCommand(c *cand) string {
	b := w.rg.buf
	end := c.ls
	stop := max(0, c.ls-lineWindow)
	replies := 0     // final reply lines between the run of commands and c
	var run []string // the commands of the run, last first
	blank := false   // the line after this one is blank
	for lines := 0; end > stop && lines < 64; lines++ {
		le := end - 1
		ls := stop
		if k := bytes.LastIndexByte(b[stop:le], '\n'); k >= 0 {
			ls = stop + k + 1
		} else if stop > 0 || !w.rg.bof {
			break
		}
		line := bytes.TrimRight(b[ls:le], "\r")
		end = ls
		t := trimLeftSpace(line)
		if len(t) == 0 && !blank {
			// One blank line between the lines of a transcript pasted
			// double-spaced (PHPMailer's HTML debug output): the line
			// before it must be one of the transcript's.
			blank = true
			if ls == 0 {
				break
			}
			continue
		}
		if len(t) == 0 || bytes.HasPrefix(t, []byte("===")) || bytes.HasPrefix(t, []byte("* ")) ||
			bytes.Contains(t, []byte("Connected to ")) || bytes.Contains(t, []byte("Connecting to ")) {
			break // a new session starts before: nothing sent on this one yet
		}
		fv := firstVerb(line)
		v := clientVerb([]byte(fv))
		if fv == "." {
			v = "DATA-END"
		}
		if blank {
			blank = false
			if code, _ := lineReply(line); v == "" && code == 0 && !markedLine(line) {
				break // the blank line ended something else
			}
		}
		if v != "" {
			run = append(run, v)
		} else if len(run) > 0 {
			break
		} else if code, final := lineReply(line); code != 0 {
			if code == 334 {
				return "AUTH"
			}
			if final {
				replies++
			}
		}
		if ls == 0 {
			break
		}
	}
	if len(run) > 0 {
		if replies < len(run) {
			return run[len(run)-1-replies]
		}
		return ""
	}
	if c.code == 220 && replies == 0 {
		return "CONNECT"
	}
	return ""
}

// markedLine reports whether one of the first fields of line is a
// transcript's direction mark: "CLIENT -> SERVER: ----------" (a masked
// AUTH line) is the transcript's though it names no command.
func markedLine(line []byte) bool {
	i := 0
	for n := 0; n < 6 && i < len(line); n++ {
		var tok []byte
		tok, i = nextField(line, i)
		if len(tok) > 0 && (isMark(tok) || serverMark(tok) || eximMark(tok)) {
			return true
		}
	}
	return false
}

// nextField returns the blank-separated field of line at or after i, and
// where it ends; bytes above ASCII before it are dropped ("└──EHLO": a tree
// drawn before the line).
func nextField(line []byte, i int) ([]byte, int) {
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	j := i
	for j < len(line) && line[j] != ' ' && line[j] != '\t' {
		j++
	}
	tok := line[i:j]
	for len(tok) > 0 && tok[0] >= 0x80 {
		tok = tok[1:]
	}
	return tok, j
}

// lineReply reads a server's line in a transcript: its code, and whether
// it is a reply's last line ("250 OK", not "250-PIPELINING").
func lineReply(line []byte) (int, bool) {
	i := 0
	server := false
	bracket := false
	for n := 0; n < 12 && i < len(line); n++ {
		var tok []byte
		tok, i = nextField(line, i)
		tok = pythonBytes(tok)
		if len(tok) == 0 {
			if i >= len(line) {
				return 0, false
			}
			continue
		}
		if inBracketField(tok, line[i:], &bracket) {
			continue
		}
		if isCodeToken(tok) && !markFollows(line, i) && !oddIntermediate(tok) {
			return int(tok[0]-'0')*100 + int(tok[1]-'0')*10 + int(tok[2]-'0'), len(tok) == 3
		}
		if isCodeToken(tok) {
			continue // a process id: "  308 Connecting to ..."
		}
		if eximMark(tok) || logLevel(tok) || string(tok) == "SMTP" && (markFollows(line, i) || contextFollows(line, i)) {
			continue
		}
		if string(tok) == "SERVER" {
			server = true // PHPMailer's "SERVER -> CLIENT: 250 ..."
		}
		if isMark(tok) && string(tok) != "SERVER" && string(tok) != "->" && !(server && string(tok) == "CLIENT:") {
			return 0, false // a client's line
		}
		if !(serverMark(tok) || isMark(tok) || tok[0] == '[' || tok[0] == '(' || isDigit(tok[0]) || tok[len(tok)-1] == ']' || tok[len(tok)-1] == ':' ||
			tok[0] == '<' && tok[len(tok)-1] == '>') {
			return 0, false
		}
	}
	return 0, false
}

// phraseCommand names the command a library's or a bounce's words say a
// reply answered ("RCPT TO command failed", "Invalid login", "failed after
// I sent the message", "Expected response code 354"): the phrase that
// stands last in t wins.
func phraseCommand(t []byte) string {
	if i := commandPhraseSet().last(t); i >= 0 {
		return commandPhrases[i].command
	}
	return ""
}

// Built on first use: a lookup that never explains pays nothing at start-up.
var commandPhraseSet = sync.OnceValue(func() *phraseSet { return newPhraseSet(true, texts(commandPhrases[:])...) })

// texts lists the phrases' texts.
func texts(phrases []struct{ text, command string }) []string {
	t := make([]string, len(phrases))
	for i, p := range phrases {
		t[i] = p.text
	}
	return t
}

var commandPhrases = [...]struct{ text, command string }{
	{"rcpt to", "RCPT"}, {"rcpt command", "RCPT"}, {"recipients were rejected", "RCPT"},
	{"recipient command failed", "RCPT"}, {"recipients failed", "RCPT"}, {"smtprecipientsrefused", "RCPT"},
	{"smtpaddressfailedexception", "RCPT"}, {"smtpfailedrecipient", "RCPT"}, {"recipientnotaccepted", "RCPT"},
	{"not accepted by the server", "RCPT"}, {"failed to add recipient", "RCPT"}, {"failed to set sender", "MAIL"}, {"invalidrecipients", "RCPT"}, {"invalid recipients", "RCPT"},
	{"mail from", "MAIL"}, {"mail command failed", "MAIL"}, {"smtpsenderrefused", "MAIL"},
	{"smtpsenderfailedexception", "MAIL"}, {"sendernotaccepted", "MAIL"},
	{"data command failed", "DATA"}, {"expected response code 354", "DATA"},
	{"data not accepted", "DATA-END"}, {"message failed", "DATA-END"}, {"end of data", "DATA-END"},
	{"failed after i sent the message", "DATA-END"}, {"messagenotaccepted", "DATA-END"},
	{"password command failed", "AUTH"}, {"username command failed", "AUTH"}, {"authentication error", "AUTH"},
	{"invalid login", "AUTH"}, {"authenticator", "AUTH"}, {"smtpauthenticationerror", "AUTH"},
	{"authenticationfailedexception", "AUTH"}, {"sasl authentication failed", "AUTH"}, {"failed to authenticate", "AUTH"},
	{"plainauth", "AUTH"}, {"loginauth", "AUTH"}, {"smtp auth", "AUTH"},
	{"smtpheloerror", "EHLO"}, {"smtpconnecterror", "CONNECT"}, {"initial connection", "CONNECT"}, {"greeting", "CONNECT"},
	{"starttls command", "STARTTLS"},
}

// oneWord reports whether s has no blank: a class's name.
// classPhrases are the one-word command phrases: exceptions' class names.
var classPhrases = sync.OnceValue(func() (p []struct{ text, command string }) {
	for _, c := range commandPhrases {
		if oneWord(c.text) {
			p = append(p, c)
		}
	}
	return p
})

var classPhraseSet = sync.OnceValue(func() *phraseSet { return newPhraseSet(true, texts(classPhrases())...) })

// inBracketField reports whether tok, a line's field with rest after it,
// is part of a bracketed field with blanks in it ("[2021-11-01 19:28:46 |
// Connection | FINE]", "(localhost:1587; 127.0.0.1:52448->...)"), open
// telling whether one is open before tok.
func inBracketField(tok, rest []byte, open *bool) bool {
	if *open {
		*open = bytes.IndexAny(tok, "])") < 0 // "-0400]:" closes it too
		return true
	}
	if tok[0] == '[' && bytes.IndexByte(tok, ']') < 0 && bytes.IndexByte(rest, ']') >= 0 ||
		tok[0] == '(' && bytes.IndexByte(tok, ')') < 0 && bytes.IndexByte(rest, ')') >= 0 {
		*open = true
		return true
	}
	return false
}

func oneWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			return false
		}
	}
	return true
}

// duringPhrases name the command in a reply's own text: Microsoft's
// "... to send anonymous mail during MAIL FROM".
var duringPhrases = [...]struct{ text, command string }{
	{"during MAIL FROM", "MAIL"}, {"during RCPT TO", "RCPT"}, {"during DATA", "DATA"}, {"during AUTH", "AUTH"},
	// Postfix smtpd's checks at the final dot: "<END-OF-MESSAGE>: End-of-data rejected".
	{"End-of-data rejected", "DATA-END"}, {"<END-OF-MESSAGE>", "DATA-END"},
	// Exim's answer to a command it did not offer in its EHLO reply.
	{"STARTTLS command used when not advertised", "STARTTLS"}, {"AUTH command used when not advertised", "AUTH"},
}

// lastIndexFold is bytes.LastIndex ignoring ASCII case; s is lower case.
func lastIndexFold(b []byte, s string) int {
	for i := len(b) - len(s); i >= 0; i-- {
		if lower(b[i]) == s[0] && equalFold(b[i:i+len(s)], s) {
			return i
		}
	}
	return -1
}

// laterCommand reads the few lines after a reply for what names its
// command: Postfix's wrapped "(in reply to RCPT TO command)", a stack
// frame (.NET's MailCommand.Send, nodemailer's _actionAUTHComplete,
// SwiftMailer's executeCommand('DATA'), smtplib's raise
// SMTPRecipientsRefused), a "command" field (nodemailer's command: 'AUTH
// PLAIN').
func (w *worker) laterCommand(from int, code []byte) string {
	b := w.rg.buf
	hi := min(len(b), from+768)
	win := b[from:hi]
	n := 0
	for i := 0; i < len(win) && n < 5; n++ {
		k := bytes.IndexByte(win[i:], '\n')
		line := win[i:]
		if k >= 0 {
			line = win[i : i+k]
			i += k + 1
		} else {
			i = len(win)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			n-- // a blank line inside a stack trace is no line of it
			continue
		}
		if recordStart(line) && !bytes.Contains(line, []byte("\tat ")) && !bytes.Contains(line, []byte("    at ")) {
			return "" // the next record, unless a logger wrote a stack frame as one
		}
		if k := indexInReplyTo(line); k >= 0 {
			tail := line[k+len("(in reply to "):]
			if v := commandName(tail, " command"); v != "" {
				return v
			}
			if bytes.IndexByte(tail, ')') < 0 && i < len(win) {
				if v := joinedInReplyTo(tail, win[i:]); v != "" {
					return v // "(in reply to end of\n    DATA command)"
				}
			}
		}
		// Exim's log line after its debug transcript: "SMTP error from
		// remote mail server after RCPT TO:<...>: 451 ...", unless another
		// reply came in between ("SMTP<< 220 ..." then "SMTP<< 451 ...").
		if rc, _ := lineReply(line); rc != 0 && rc != int(code[0]-'0')*100+int(code[1]-'0')*10+int(code[2]-'0') {
			return ""
		}
		if k := bytes.Index(line, []byte("remote mail server after ")); k >= 0 {
			if v := commandName(line[k+len("remote mail server after "):], ":"); v != "" {
				return v
			}
		}
		if t := trimRightSpace(bytes.TrimRight(line, "\r")); hasSuffix(t, "(in reply to") || hasSuffix(t, "(in") {
			// Postfix wrapped "(in reply to\n    end of DATA command)".
			rest := trimLeftSpace(win[i:])
			if hasSuffix(t, "(in") {
				rest = bytes.TrimPrefix(rest, []byte("reply to "))
			}
			if v := commandName(rest, " command"); v != "" {
				return v
			}
		}
		if i := laterPhraseSet().firstIn(line); i >= 0 {
			return laterPhrases[i].command
		}
		for _, p := range clientAfterPhrases {
			if bytes.Contains(line, []byte(p.text)) {
				return p.command
			}
		}
		t := trimLeftSpace(line)
		for _, key := range [...]string{"command: '", "\"command\": \"", "command: \""} {
			if bytes.HasPrefix(t, []byte(key)) {
				return clientVerb(t[len(key):])
			}
		}
	}
	return ""
}

var laterPhraseSet = sync.OnceValue(func() *phraseSet { return newPhraseSet(false, texts(laterPhrases[:])...) })

// clientAfterPhrases are a mail client's words after the server's reply
// that name the command it answered: Thunderbird's (and Netscape's before
// it) "The mail server responded: ... Please check the message recipient
// "..." and try again." for RCPT, "Please verify that your email address
// is correct in your account settings" for MAIL FROM.
var clientAfterPhrases = [...]struct{ text, command string }{
	{"Please check the message recipient", "RCPT"}, {"please check the message recipient", "RCPT"},
	{"Please verify that your email address is correct", "MAIL"},
}

var laterPhrases = [...]struct{ text, command string }{
	{"Mail.MailCommand.", "MAIL"}, {"Mail.RecipientCommand.", "RCPT"}, {"Mail.DataStopCommand.", "DATA-END"},
	{"Mail.DataCommand.", "DATA"}, {"Mail.AuthCommand.", "AUTH"}, {"Mail.EHelloCommand.", "EHLO"},
	{"Mail.StartTlsCommand.", "STARTTLS"},
	{"_actionAUTH", "AUTH"}, {"_actionRCPT", "RCPT"}, {"_actionMAIL", "MAIL"}, {"_actionSMTPStream", "DATA-END"},
	{"_actionDATA", "DATA"}, {"_actionEHLO", "EHLO"}, {"_actionHELO", "HELO"}, {"_actionSTARTTLS", "STARTTLS"},
	{"executeCommand('DATA", "DATA"}, {"executeCommand(' . '", "DATA-END"}, {"executeCommand(\"\\r\\n.\\r\\n\"", "DATA-END"},
	{"executeCommand('RCPT", "RCPT"}, {"executeCommand('MAIL", "MAIL"},
	{"SMTPTransport.mailFrom", "MAIL"}, {"SMTPTransport.rcptTo", "RCPT"}, {"SMTPTransport.finishData", "DATA-END"},
	{"raise SMTPRecipientsRefused", "RCPT"}, {"raise SMTPSenderRefused", "MAIL"}, {"raise SMTPAuthenticationError", "AUTH"},
	// Ruby's net/smtp: the method that sent the command raised the error.
	{"in `rcptto", "RCPT"}, {"in rcptto", "RCPT"}, {"in `mailfrom", "MAIL"}, {"in mailfrom", "MAIL"},
	{"in `auth_", "AUTH"}, {"in auth_", "AUTH"}, {"in `authenticate", "AUTH"}, {"in authenticate", "AUTH"},
	{"in `starttls", "STARTTLS"}, {"in starttls", "STARTTLS"}, {"in `helo", "HELO"}, {"in `ehlo", "EHLO"},
	// MailKit: the SmtpClient method that sent the command.
	{"SmtpClient.Authenticate", "AUTH"}, {"OnSenderNotAccepted", "MAIL"}, {"OnRecipientNotAccepted", "RCPT"},
	{"SmtpClient.MailFrom", "MAIL"}, {"SmtpClient.RcptTo", "RCPT"},
}

// dsnBlock looks through a DSN's per-recipient fields around a line (up to
// a blank line) for its Status: and Action: values.
func (w *worker) dsnBlock(ls, le int) (status, action []byte) {
	w.eachBlockLine(ls, le, func(line []byte) {
		switch {
		case hasPrefixFold(line, "status:") && status == nil:
			v := trimLeftSpace(line[len("status:"):])
			if e := parseEnhanced(v, 0); e >= 0 {
				status = v[:e]
			}
		case hasPrefixFold(line, "action:") && action == nil:
			v := trimLeftSpace(line[len("action:"):])
			k := 0
			for k < len(v) && k < 16 && (v[k] >= 'a' && v[k] <= 'z' || v[k] >= 'A' && v[k] <= 'Z') {
				k++
			}
			if k > 0 {
				action = v[:k]
			}
		}
	})
	return status, action
}

// blockHasDiagnosticCode reports whether the DSN fields around a Status:
// line hold a Diagnostic-Code with a basic code, which then stands for it.
func (w *worker) blockHasDiagnosticCode(ls, le int) bool {
	found := false
	w.eachBlockLine(ls, le, func(line []byte) {
		if !hasPrefixFold(line, "diagnostic-code:") {
			return
		}
		k := bytes.IndexByte(line, ';')
		if k < 0 {
			return
		}
		v := trimLeftSpace(line[k+1:])
		if len(v) >= 3 && v[0] >= '2' && v[0] <= '5' && isDigit(v[1]) && isDigit(v[2]) && (len(v) == 3 || v[3] == ' ' || v[3] == '-' || v[3] == '\r') {
			found = true
		}
	})
	return found
}

func (w *worker) eachBlockLine(ls, le int, fn func([]byte)) {
	b := w.rg.buf
	blank := func(l []byte) bool { return len(bytes.TrimRight(l, " \t\r")) == 0 }
	// Back.
	stop := max(0, ls-lineWindow)
	end := ls
	for end > stop {
		e := end - 1
		s := stop
		if k := bytes.LastIndexByte(b[stop:e], '\n'); k >= 0 {
			s = stop + k + 1
		} else if stop > 0 || !w.rg.bof {
			break
		}
		if blank(b[s:e]) {
			break
		}
		fn(b[s:e])
		end = s
		if s == 0 {
			break
		}
	}
	// This line and on.
	fn(b[ls:le])
	stop = min(len(b), le+lineWindow)
	s := le + 1
	for s < stop {
		k := bytes.IndexByte(b[s:stop], '\n')
		if k < 0 {
			if !w.rg.eof || stop < len(b) {
				break
			}
			k = stop - s
		}
		if blank(b[s : s+k]) {
			break
		}
		fn(b[s : s+k])
		s += k + 1
	}
}

// dotNetCode recovers the basic code System.Net.Mail leaves out of its
// message: "Mailbox unavailable. The server response was: 5.1.1 ..." is
// what SmtpException says for 550 (450 with a 4.x.x status).
func dotNetCode(lt []byte, class byte) int {
	for _, m := range dotNetMessages {
		// The message's start is enough: a log may wrap it.
		if contains(lt, m.text[:min(len(m.text), 40)]) {
			if m.code == 550 && class == '4' {
				return 450
			}
			return m.code
		}
	}
	return 0
}

var dotNetMessages = [...]struct {
	text string
	code int
}{
	{"Mailbox unavailable.", 550},
	{"Transaction failed.", 554},
	{"Syntax error, command unrecognized.", 500},
	{"Syntax error in parameters or arguments.", 501},
	{"Command not implemented.", 502},
	{"Bad sequence of commands.", 503},
	{"Command parameter not implemented.", 504},
	{"Service not available, closing transmission channel.", 421},
	{"Requested action aborted: local error in processing.", 451},
	{"Insufficient system storage.", 452},
	{"Exceeded storage allocation.", 552},
	{"Mailbox name not allowed.", 553},
	{"User not local; please try a different path.", 551},
	{"Client does not have permission to Send As this sender.", 454},
	{"The SMTP server requires a secure connection or the client was not authenticated.", 530},
}

// The evidence for and against a candidate code being a reply. A code in
// reply syntax is only a candidate; it counts as a reply when the evidence
// around it weighs at least replyThreshold. The weights (docs/explain.md):
//
//	+3  its enhanced status code follows, of the same class (RFC 3463)
//	+3  a producer's introducer stands before it ("said:", "smtp;", S:...)
//	+2  it starts its line (a raw reply, a continuation)
//	+2  a field or phrase that holds a reply stands before it (message ",
//	    response:, reason=, stat=, error:, "=>", returned)
//	+1  text that reads as reply text follows it (a word)
//	+2  it is "550-" and the next line goes on with "550" (RFC 5321 4.2.1)
//	-9  the text around is another protocol's session: FTP, POP3, IMAP, SIP
//	    (their commands, "+OK", "Entering Passive Mode", "SIP/2.0", "FTP")
const replyThreshold = 3

// keyBefore reports whether lt, the line before a code, ends in a field
// or phrase that holds a reply: a key named like a reply (message,
// response, reason, diagnostic, error, stat) followed by ':', '=' or a
// quote, or an arrow "=>".
func keyBefore(lt []byte) bool {
	t := lt
	for len(t) > 0 && (t[len(t)-1] == '"' || t[len(t)-1] == '\'' || t[len(t)-1] == ' ' || t[len(t)-1] == '\\' || t[len(t)-1] == '[') {
		t = t[:len(t)-1] // message: [\"5.7.1 ...
	}
	if len(t) == 0 {
		return false
	}
	if hasSuffix(t, "=>") {
		return true
	}
	// "<bob@example.net>: 550 ...", "host mx.example.net [192.0.2.1]: 550
	// ...", "failed with: 550 ...": a recipient's or a host's answer.
	if hasSuffixFold(t, "with code") && lastIndexFold(t[max(0, len(t)-40):], "expected") < 0 {
		return true // "rejected command 'DATA' with code 550 ..." (not the code a library expected)
	}
	if hasSuffix(t, ">:") && bytes.IndexByte(t, '@') >= 0 ||
		hasSuffix(t, "]:") && contains(t, "host ") || hasSuffixFold(t, "failed with:") {
		return true
	}
	trimmed := len(t) < len(lt)
	if t[len(t)-1] == '(' && smtpException(t[:len(t)-1]) {
		return true // Rails' log: "Net::SMTPFatalError (550 Request failed ...\n):"
	}
	switch t[len(t)-1] {
	case ':', '=':
		t = trimRightSpace(t[:len(t)-1])
		for len(t) > 0 && (t[len(t)-1] == '"' || t[len(t)-1] == '\'') {
			t = t[:len(t)-1]
		}
	default:
		if !trimmed {
			// "Server responded with 550 ...", "their response is 550 and
			// ...": a sentence that hands over the server's reply.
			return hasSuffixFold(t, " returned") || hasSuffixFold(t, " got") || hasSuffixFold(t, " responded with") ||
				hasSuffixFold(t, " replied with") || hasSuffixFold(t, " response is")
		}
	}
	// "Exception message was: 5.7.1 ...", "the error is: 550 ...": the
	// key before a verb.
	if hasSuffixFold(t, " was") {
		t = t[:len(t)-4]
	} else if hasSuffixFold(t, " is") {
		t = t[:len(t)-3]
	}
	i := len(t)
	for i > 0 && (t[i-1] >= 'a' && t[i-1] <= 'z' || t[i-1] >= 'A' && t[i-1] <= 'Z' || t[i-1] == '_' || t[i-1] == '-') {
		i--
	}
	w := t[i:]
	for _, s := range [...]string{"message", "msg", "response", "reply", "reason", "diagnostic", "diagnosticcode", "diagnostic-code", "error", "err", "exception", "stat", "smtpmsg", "description", "detail", "details", "said", "returned", "failed", "rejected", "refused", "deferred", "bounced", "answer", "permanent", "transient"} {
		if hasSuffixFold(w, s) {
			return true
		}
	}
	return false
}

// replyTextAfter reports whether a word follows the code at j (after a
// separator and at most two marks): "550 User unknown", "220-'mx ESMTP".
func replyTextAfter(b []byte, j, le int) bool {
	i := j + 1
	for n := 0; n < 3 && i < le && !isLetter(b[i]); n++ {
		if isDigit(b[i]) {
			return false
		}
		i++
	}
	if i+1 >= le || !isLetter(b[i]) || !isLetter(b[i+1]) {
		return false
	}
	// A logfmt key is no reply text: "256 CV=no", "552 smtpmsg='...'".
	for i < le && (isLetter(b[i]) || b[i] == '_' || b[i] == '-') {
		i++
	}
	return i >= le || b[i] != '='
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// foreignSession reports whether the lines around ls..le belong to a
// session of another protocol that uses three-digit replies too (FTP) or
// that looks like one (POP3, SIP): a client line with one of its
// commands, or its marks.
func (w *worker) foreignSession(ls, le int) bool {
	b := w.rg.buf
	lo := max(0, ls-1024)
	hi := min(len(b), le+256)
	win := b[lo:hi]
	// FTP servers' names ("vsftpd", "proftpd", "ProFTPD") and vsftpd's
	// "500 OOPS: ..." are FTP's too.
	for _, m := range [...]string{"FTP", "Passive Mode", "+OK", "-ERR", "SIP/2.0", "ftp>", "Pure-FTPd", "FileZilla", "ftpd", "FTPd", "OOPS: "} {
		if bytes.Contains(win, []byte(m)) {
			return true
		}
	}
	// A client line with a command of FTP or POP3 that SMTP does not have.
	for len(win) > 0 {
		k := bytes.IndexByte(win, '\n')
		line := win
		if k >= 0 {
			line, win = win[:k], win[k+1:]
		} else {
			win = nil
		}
		if v := firstVerb(line); v != "" && bytes.Contains(line, upperVerb(v)) {
			switch v {
			case "user", "pass", "pasv", "epsv", "retr", "stor", "cwd", "pwd", "list", "nlst", "mdtm", "feat", "rnfr", "rnto", "dele", "mkd", "rmd", "type", "size", "stat", "uidl", "apop", "capa", "stls", "abor", "prot", "pbsz":
				return true
			}
		}
	}
	return false
}

// firstVerb is the first word of a client line, lower case, after a
// timestamp, bracketed and colon-ended prefixes and a direction mark:
// "> RETR x", "C: USER a", "[debug] > PASV", "CLIENT -> SERVER: RCPT TO";
// "" for a server's line or a line without one.
func firstVerb(line []byte) string {
	line = bytes.TrimRight(line, "\r")
	i := 0
	client := false
	bracket := false // inside a bracketed field with blanks: "[2021-11-01 19:28:46 | Connection | FINE]"
	for n := 0; n < 16 && i < len(line); n++ {
		var tok []byte
		tok, i = nextField(line, i)
		tok = pythonBytes(tok)
		if len(tok) == 0 {
			continue
		}
		if inBracketField(tok, line[i:], &bracket) {
			continue
		}
		if string(tok) == "." {
			return "."
		}
		switch {
		case eximMark(tok), string(tok) == "SMTP" && (markFollows(line, i) || contextFollows(line, i)):
			continue // "SMTP>> RCPT TO:<...>", and as a server "SMTP<< RCPT TO:<...>"; K-9 Mail's "SMTP >>> EHLO"
		case serverMark(tok), string(tok) == "SERVER":
			return ""
		case isCodeToken(tok) && (markFollows(line, i) || oddIntermediate(tok)):
			continue // a process id before the mark: "  308   SMTP>> QUIT"
		case isCodeToken(tok):
			if client {
				continue // data that starts with a number
			}
			return ""
		case isMark(tok):
			client = true
			continue
		case tok[0] == '[' || tok[0] == '(' || isDigit(tok[0]) || tok[len(tok)-1] == ']',
			tok[0] == '<' && tok[len(tok)-1] == '>':
			continue // a timestamp, a bracketed field, a session id <s37bojmo>
		case tok[len(tok)-1] == ':' && len(tok) > 2:
			continue // "DEBUG:", "mta:", "0xea6710:"
		case logLevel(tok), dateWord(tok), string(tok) == "--", string(tok) == ":", string(tok) == "|":
			continue
		}
		k := 0
		for k < len(tok) && isLetter(tok[k]) {
			k++
		}
		if k < 3 || k > 8 || k < len(tok) && tok[k] != ':' && tok[k] != '\\' {
			return "" // "STARTTLS\r\n'": the line's end written out
		}
		var buf [9]byte
		return string(lowerInto(buf[:], tok[:k]))
	}
	return ""
}

// isCodeToken reports whether tok is a reply code as a line shows it:
// "550", "250-PIPELINING", "220-mx".
// pythonBytes drops the opening of a Python string (and of a markdown code
// span) from tok: smtplib's
// debug output and Python loggers print the lines sent and received as
// "send: 'ehlo ...\r\n'", "reply: b'250 ...\r\n'", "--> b'EHLO ...'".
func pythonBytes(tok []byte) []byte {
	if len(tok) >= 1 && tok[0] == '`' {
		tok = tok[1:] // a markdown code span opened on the line
	}
	if len(tok) >= 2 && tok[0] == 'b' && tok[1] == '\'' {
		return tok[2:]
	}
	if len(tok) >= 1 && tok[0] == '\'' {
		return tok[1:]
	}
	return tok
}

// contextFollows reports whether the next field of line after i opens a
// bracket: a logger's name with its context, "SMTP (127.0.0.1:52448->
// smtp.office365.com:587) <-- b'220 ...'".
func contextFollows(line []byte, i int) bool {
	tok, _ := nextField(line, i)
	return len(tok) > 0 && tok[0] == '('
}

func isCodeToken(tok []byte) bool {
	return len(tok) >= 3 && tok[0] >= '1' && tok[0] <= '5' && isDigit(tok[1]) && isDigit(tok[2]) &&
		(len(tok) == 3 || tok[3] == '-')
}

// serverMark reports whether tok marks a server's line in a transcript.
func serverMark(tok []byte) bool {
	switch string(tok) {
	case "S:", "<-", "<~", "<", "<<<", "<**", "=>", "In:", "Response:", "Recv:", "Got:", "S":
		return true
	}
	return false
}

// eximMark reports whether tok is one of the marks Exim's debug output
// (-d) writes before what it sends and receives: "SMTP>>" and, for
// pipelined commands, "SMTP|>" and "SMTP+>" (BDAT); "SMTP<<" before what
// it receives. The line after the mark says whose it is: a command or a
// reply.
func eximMark(tok []byte) bool {
	if len(tok) == 3 {
		// Arrows a log writes both ways, whose direction depends on the
		// writer (MDaemon, a server: "--> 220 ...", "<-- EHLO ...").
		return string(tok) == "-->" || string(tok) == "<--"
	}
	return len(tok) == 6 && string(tok[:4]) == "SMTP" && (tok[5] == '>' && (tok[4] == '>' || tok[4] == '|' || tok[4] == '+') || tok[4] == '<' && tok[5] == '<')
}

// smtpCode reports whether code is one SMTP and its extensions define
// (RFC 5321 4.2.3, RFC 4954 AUTH, RFC 7504, RFC 3030): what a sentence's
// "the response is 401 ..." or "the error was: 404 ..." must be to count.
func smtpCode(code int) bool {
	switch code {
	case 211, 214, 220, 221, 235, 250, 251, 252, 334, 354,
		421, 432, 450, 451, 452, 453, 454, 455, 458, 459,
		500, 501, 502, 503, 504, 521, 523, 530, 534, 535, 538, 550, 551, 552, 553, 554, 555, 556:
		return true
	}
	return false
}

// proseKey reports whether lt ends with a sentence's words that hand over
// an answer of any kind ("responded with", "response is", "... was:"),
// rather than a field or a producer's mark.
func proseKey(lt []byte) bool {
	t := trimRightSpace(lt)
	return hasSuffixFold(t, " responded with") || hasSuffixFold(t, " replied with") || hasSuffixFold(t, " response is") ||
		hasSuffixFold(t, " was:") || hasSuffixFold(t, " is:")
}

// proseVerb reports whether lt ends with a sentence's verb that receives
// something ("I get 550 ...", "we received 421 ...", "e.g. 550 ..."): weaker
// than keyBefore's "responded with", as the thing may be an HTTP status or
// a count ("I get 500 errors"); weighReply asks it of SMTP's own codes only.
func proseVerb(lt []byte) bool {
	if len(lt) < 4 || !isLetter(lt[len(lt)-1]) && lt[len(lt)-1] != '.' {
		return false
	}
	return hasSuffixFold(lt, " get") || hasSuffixFold(lt, " getting") || hasSuffixFold(lt, " receive") ||
		hasSuffixFold(lt, " received") || hasSuffixFold(lt, " receiving") || hasSuffixFold(lt, " gets") ||
		hasSuffixFold(lt, "e.g.")
}

// smtpException reports whether t ends with the name of a mail library's
// exception class and a blank ("Net::SMTPFatalError ", "SmtpException "):
// Rails logs the message in brackets after it.
func smtpException(t []byte) bool {
	t = trimRightSpace(t)
	i := len(t)
	for i > 0 && (isLetter(t[i-1]) || t[i-1] == ':' || t[i-1] == '.' || t[i-1] == '_') {
		i--
	}
	w := t[i:]
	return i < len(t) && (hasSuffix(w, "Error") || hasSuffix(w, "Exception")) && lastIndexFold(w, "smtp") >= 0
}

// dateWord reports whether tok is a day's or a month's name as a log's
// timestamp writes it ("Thu 2022-09-15 10:38:04: ...", "Jan 12 ..."),
// which a client line's verb is not.
func dateWord(tok []byte) bool {
	if len(tok) != 3 {
		return false
	}
	switch string(tok) {
	case "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec":
		return true
	}
	return false
}

// oddIntermediate reports whether tok, shaped like a reply code, is a
// 3yz that SMTP does not send (only 334 and 354, RFC 4954, RFC 5321): a
// process id or a count at a line's start.
func oddIntermediate(tok []byte) bool {
	return tok[0] == '3' && !(tok[1] == '3' && tok[2] == '4' || tok[1] == '5' && tok[2] == '4')
}

// markFollows reports whether the next field of line after i is a
// transcript's mark: the number before it is a prefix (a process id, a
// line number), not a reply's code.
func markFollows(line []byte, i int) bool {
	tok, _ := nextField(line, i)
	if len(tok) == 0 {
		return false
	}
	if eximMark(tok) {
		return true
	}
	switch string(tok) {
	case "S:", "C:", "<-", "->", "<~", "~>", "<<<", ">>>", "<", ">":
		return true
	}
	return false
}

// isMark reports whether tok is a transcript's direction mark.
func isMark(tok []byte) bool {
	switch string(tok) {
	case "C:", "->", "~>", ">", ">>>", "**>", "<=", "Out:", "Command:", "CLIENT", "SERVER", "CLIENT:", "Send:", "Sent:", "C":
		return true
	}
	return false
}

// recordStart reports whether a line starts a log record of its own: a
// date or time ("2024-01-12", "10:11:12"), a syslog month ("Jan 12"), a
// bracketed timestamp ("[2016-12-04 ...]").
func recordStart(line []byte) bool {
	if len(line) == 0 {
		return false
	}
	if line[0] == '[' && len(line) > 1 && isDigit(line[1]) {
		return true
	}
	if line[0] == '[' {
		// "[worker.1:958] [2019-04-21T22:55:30.871] INFO ...": a tag, then
		// the bracketed timestamp.
		if k := bytes.IndexByte(line[:min(len(line), 48)], ']'); k > 0 && k+7 < len(line) && line[k+1] == ' ' && line[k+2] == '[' {
			d := line[k+3:]
			return isDigit(d[0]) && isDigit(d[1]) && isDigit(d[2]) && isDigit(d[3]) && d[4] == '-'
		}
	}
	if isDigit(line[0]) {
		// A date or a time, not a reply's code: "2024-01-12", "10:11:12",
		// "12/Jan/2024", "2024/01/12".
		return len(line) > 4 && (line[2] == ':' || line[2] == '/' || line[2] == '.' || line[4] == '-' || line[4] == '/')
	}
	if len(line) >= 4 && line[3] == ' ' {
		switch string(line[:3]) {
		case "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec":
			return true
		}
	}
	return false
}

// linesBefore is the text of up to n lines before the line at ls that
// belong with it: it stops after a line that starts a record, before a
// blank line, and at 600 bytes. It is empty when the line at ls starts a
// record of its own.
func (w *worker) linesBefore(ls, n int) []byte {
	b := w.rg.buf
	if recordStart(b[ls:min(len(b), ls+64)]) {
		return nil
	}
	stop := max(0, ls-600)
	start := ls
	for ; n > 0 && start > stop; n-- {
		e := start - 1
		s := stop
		if k := bytes.LastIndexByte(b[stop:e], '\n'); k >= 0 {
			s = stop + k + 1
		} else if stop > 0 || !w.rg.bof {
			break
		}
		if len(bytes.TrimSpace(b[s:e])) == 0 || hasCode(b[s:e]) {
			break // a blank line, or another reply's line
		}
		start = s
		if recordStart(b[s:e]) || s == 0 {
			break
		}
	}
	// Without the line break that ends them: "... this error message:\n"
	// before a status alone is read as ending in its colon.
	end := ls
	for end > start && (b[end-1] == '\n' || b[end-1] == '\r') {
		end--
	}
	return b[start:end]
}

// isRepeat reports whether the reply at c repeats one that stands shortly
// before it in the same record (a library's summary line quoting the
// server's reply, a JSON field and the stack that repeats it): the same
// code, and the same first letters and digits of its text. Lines that
// each start a log record are separate events, never repeats.
func (w *worker) isRepeat(c *cand, text []byte) bool {
	if c.code == 0 {
		return false
	}
	b := w.rg.buf
	lo := max(0, c.f-1024)
	if !w.rg.bof && lo == 0 {
		return false
	}
	switch c.intro {
	case introSaid, introTalk, introStatusParen, introExim, introSendmail, introExchange:
		// An MTA's own record names the host that said it: the same words
		// from another host, or on another line, are another reply; a
		// reply joined on one line is one finding already (continuesOnLine).
		return false
	}
	if (c.intro == introTranscript || c.intro == introLineStart) && w.loggedTwice(c) {
		return true
	}
	if recordStart(b[c.ls:min(len(b), c.ls+64)]) && !w.afterGetLines(c, lo) {
		// A record of its own repeats only what its line says before, or
		// the transcript line right above it.
		lo = max(lo, c.ls)
		if c.ls > 0 && (c.intro == introNone || c.intro == introCue) {
			ps := max(lo-512, 0)
			if k := bytes.LastIndexByte(b[ps:c.ls-1], '\n'); k >= 0 {
				ps += k + 1
			}
			if code, _ := lineReply(b[ps : c.ls-1]); code != 0 {
				lo = ps
			}
		}
	}
	code := b[c.f : c.f+3]
	left := b[lo:c.f]
	for tries := 0; tries < 8; tries++ {
		k := lastIndex3(left, code)
		if k < 0 {
			return false
		}
		p := lo + k
		left = left[:k]
		if p > 0 && !boundary[b[p-1]] && b[p-1] != 'n' {
			continue
		}
		if p+3 < len(b) && isDigit(b[p+3]) {
			continue
		}
		if bytes.IndexByte(b[p:c.f], '\n') >= 0 && (c.intro == introTranscript || c.intro == introLineStart) {
			// Each reply of a session answers its own command; PHPMailer's
			// "SERVER -> CLIENT: 220 ..." repeats its get_lines() echo of
			// the reply so far, and its echoes of single lines are none.
			if !phpMailerLine(b[max(c.ls, c.f-24):c.f]) {
				return false
			}
			switch getLinesEcho(b, lo, p) {
			case echoNone:
				return false
			case echoLine:
				continue
			}
			if sameReplyText(b[p:min(len(b), p+200)], text, false) {
				return true
			}
			continue
		}
		if p < c.ls && bytes.Count(b[p:c.ls], nl) > 8 && !continuationLine(b[c.ls:c.le]) {
			// A line of its own, far below: another event, unless it
			// continues the record (indented, a JSON member, a cause).
			return false
		}
		if bytes.IndexByte(b[p:c.f], '\n') >= 0 && recordStart(b[c.ls:min(len(b), c.ls+64)]) {
			// A line that starts a record repeats only the server's line
			// of a transcript right before it (PHPMailer's "SMTP ERROR:
			// RCPT TO command failed: 451 ..." after "SERVER -> CLIENT:
			// 451 ..."); other records are other events.
			ps := p
			if k := bytes.LastIndexByte(b[lo:p], '\n'); k >= 0 {
				ps = lo + k + 1
			}
			pe := ps + bytes.IndexByte(b[ps:c.ls], '\n')
			if pe+1 != c.ls {
				return false
			}
			if code, _ := lineReply(b[ps:pe]); code == 0 {
				return false
			}
		}
		if bytes.Contains(b[p:c.f], authenticatorMark) {
			// Symfony Mailer tries each authenticator in turn and lists what
			// each got: 'Authenticator "LOGIN" returned "... 535 ...".
			// Authenticator "PLAIN" returned "... 535 ..."': one reply each.
			return false
		}
		if sameReplyText(b[p:min(len(b), p+200)], text, c.intro == introPython) {
			return true
		}
	}
	return false
}

var authenticatorMark = []byte(`Authenticator "`)

var strEcho, dataEcho, dataWasEcho = []byte(`$str is "`), []byte(`$data is "`), []byte(`$data was "`)

// phpMailerLine reports whether lt, the text before a code, is PHPMailer's
// debug mark: "SERVER -> CLIENT:", "FROM SERVER:", get_lines()'s "$data is "".
func phpMailerLine(lt []byte) bool {
	lt = trimRightSpace(lt)
	return hasSuffix(lt, "SERVER:") || hasSuffix(lt, "CLIENT:") || hasSuffix(lt, `$data is "`)
}

// afterGetLines reports whether c is PHPMailer's "SERVER -> CLIENT: 220 ..."
// (old: "FROM SERVER:220 ...") after its get_lines() echo of the reply.
func (w *worker) afterGetLines(c *cand, lo int) bool {
	b := w.rg.buf
	return c.intro == introTranscript && phpMailerLine(b[max(c.ls, c.f-24):c.f]) &&
		bytes.Contains(b[max(lo, c.ls-768):c.ls], dataEcho)
}

// PHPMailer's lowest debug level echoes what get_lines() reads: a line
// ($str is "..."), the reply so far ($data is "..."), what it had before
// ($data was "...").
const (
	echoNone = iota
	echoReply
	echoLine
)

// getLinesEcho tells which of PHPMailer's echoes, if any, holds b[p] (its
// line not before lo).
func getLinesEcho(b []byte, lo, p int) int {
	ps := lo
	if k := bytes.LastIndexByte(b[lo:p], '\n'); k >= 0 {
		ps = lo + k + 1
	}
	t := b[ps:p]
	if bytes.IndexByte(t, '$') < 0 {
		return echoNone // the common case, found fast
	}
	switch {
	case bytes.Contains(t, dataEcho):
		return echoReply
	case bytes.Contains(t, strEcho), bytes.Contains(t, dataWasEcho):
		return echoLine
	}
	return echoNone
}

// ehloKeyword reports whether t, the text after a code, starts with the
// keyword of an SMTP service extension, as EHLO's reply lists them (IANA's
// "SMTP Service Extensions" registry, and Exim's PIPE_CONNECT and
// Postfix's XCLIENT and XFORWARD beside them).
func ehloKeyword(t []byte) bool {
	t = trimLeftSpace(t)
	k := 0
	for k < len(t) && (t[k] >= 'A' && t[k] <= 'Z' || isDigit(t[k]) || t[k] == '-' || t[k] == '_') {
		k++
	}
	if k == 0 || k < len(t) && t[k] != ' ' && t[k] != '=' && t[k] != '\r' && t[k] != '\\' {
		return false
	}
	switch string(t[:k]) {
	case "SIZE", "8BITMIME", "PIPELINING", "DSN", "ETRN", "ENHANCEDSTATUSCODES", "STARTTLS", "AUTH", "CHUNKING",
		"BINARYMIME", "SMTPUTF8", "HELP", "PRDR", "DELIVERBY", "REQUIRETLS", "MT-PRIORITY", "FUTURERELEASE",
		"NO-SOLICITING", "CHECKPOINT", "ATRN", "BURL", "VRFY", "EXPN", "RRVS", "LIMITS", "PIPE_CONNECT",
		"XCLIENT", "XFORWARD":
		return true
	}
	return false
}

// lineAboveCode returns the code of the server's line right above ls in a
// transcript (lineReply), or 0.
func (w *worker) lineAboveCode(ls int) int {
	b := w.rg.buf
	if ls == 0 {
		return 0
	}
	s := max(0, ls-1-512)
	if k := bytes.LastIndexByte(b[s:ls-1], '\n'); k >= 0 {
		s += k + 1
	} else if s > 0 || !w.rg.bof {
		return 0
	}
	code, _ := lineReply(bytes.TrimRight(b[s:ls-1], "\r"))
	return code
}

// loggedTwice reports whether the line right above c's ends with c's reply
// to the byte, long enough (40 bytes) that a server's answers to pipelined
// commands ("250 2.1.5 Ok") are not taken for it: a proxy logs each line
// as it came and as it went ("<-- b'535 5.7.3 Authentication unsuccessful
// [NT0PR01CA0010...]'" twice).
func (w *worker) loggedTwice(c *cand) bool {
	b := w.rg.buf
	if c.le-c.f < 40 || c.ls == 0 {
		return false
	}
	ps := max(0, c.ls-1-lineWindow)
	if k := bytes.LastIndexByte(b[ps:c.ls-1], '\n'); k >= 0 {
		ps += k + 1
	} else if ps > 0 || !w.rg.bof {
		return false
	}
	prev := bytes.TrimRight(b[ps:c.ls-1], "\r")
	own := bytes.TrimRight(b[c.f:c.le], "\r")
	return len(prev) > len(own) && bytes.HasSuffix(prev, own) && !isDigit(prev[len(prev)-len(own)-1]) &&
		!bytes.HasSuffix(prev[:len(prev)-len(own)], strEcho) // PHPMailer's echo of the line it read
}

// sameReplyText compares the first 24 letters and digits of two replies
// (their codes included), ignoring case and everything else; with py, the
// "b" of a Python bytes literal too (smtplib quoting smtplib).
func sameReplyText(a, b []byte, py bool) bool {
	i, j, n := 0, 0, 0
	skip := func(t []byte, k int) int {
		for k < len(t) && !isLetter(t[k]) && !isDigit(t[k]) {
			if t[k] == '\\' && k+1 < len(t) && isLetter(t[k+1]) {
				k++ // an escape, \n
			}
			k++
		}
		if py && k+1 < len(t) && t[k] == 'b' && (t[k+1] == '\'' || t[k+1] == '"') && k > 0 && !isLetter(t[k-1]) {
			k = skipAgain(t, k+1) // Python's bytes: (530, b'5.5.1 ...')
		}
		return k
	}
	for n < 24 {
		i = skip(a, i)
		j = skip(b, j)
		if i >= len(a) || j >= len(b) {
			return n >= 8 && j >= len(b)
		}
		if lower(a[i]) != lower(b[j]) {
			return false
		}
		i++
		j++
		n++
	}
	return true
}

// skipAgain passes the marks at k, as sameReplyText's skip does.
func skipAgain(t []byte, k int) int {
	for k < len(t) && !isLetter(t[k]) && !isDigit(t[k]) {
		k++
	}
	return k
}

// enhancedAfter finds the enhanced code after a basic code at f (j is the
// byte after it, t that byte): "550 5.1.1", "550-5.1.1", "550 550 5.1.1",
// "550 #5.1.0", "550-'5.1.1", and on the next line when the code ends its
// line ("SMTPDataError: 554\n5.2.0 ..."). Its class must be the code's.
func (w *worker) enhancedAfter(f, j int, t byte, le int) []byte {
	b := w.rg.buf
	c0 := b[f]
	i := j + 1
	switch t {
	case '\r', '\n':
		// The next line, when the code ends this one.
		n := le + 1
		if n >= len(b) {
			return nil
		}
		ne := n + bytes.IndexByte(b[n:min(len(b), n+256)], '\n')
		if ne < n {
			ne = min(len(b), n+256) // a long line: its start is enough
		}
		i = n
		le = ne
		for i < le && (b[i] == ' ' || b[i] == '\t') {
			i++ // a folded line: "said: 554\n    5.6.0 ..."
		}
	default:
		if b[j] == ':' && i < le && b[i] == ' ' {
			i++ // "550: 5.2.2 ..."
		}
		k := i
		for k < le && (b[k] == ' ' || b[k] == '\t' || b[k] == '\r') {
			k++
		}
		if k == le && le < len(b) {
			return w.enhancedAfter(f, le, '\n', le)
		}
		if i+4 < le && string(b[i:i+3]) == string(b[f:f+3]) && b[i+3] == ' ' {
			i += 4 // "550 550 5.1.1"
		}
		if t == ',' && i < le && b[i] == ' ' {
			i++ // "421, "4.7.0", ..."
		}
		if t == ',' && i+1 < le && b[i] == 'b' && (b[i+1] == '\'' || b[i+1] == '"') {
			i++ // Python's bytes: 554, b'5.0.0 ...'
		}
		if i < le && (b[i] == '#' || b[i] == '\'' || b[i] == '"' || b[i] == '(') {
			i++
		} else if i+3 <= le && b[i] == 0xe2 && b[i+1] == 0x80 && (b[i+2] == 0x9c || b[i+2] == 0x98) {
			i += 3 // a typographic quote, “4.7.0”
		}
	}
	if i < le && i == j+1 && b[j] == ' ' && (c0 == '4' && b[i] == '5' || c0 == '5' && b[i] == '4') {
		// "451 5.7.3 STARTTLS is required": servers pair a transient code
		// with a permanent status (and back); the status is theirs.
		if e := parseEnhanced(b[:le], i); e >= 0 {
			return b[i:e]
		}
	}
	if i < le && c0 == '3' && b[i] == '2' && i+1 < le && b[i+1] == '.' {
		// RFC 3463 has no class 3: "354 2.0.0 Go ahead" pairs an
		// intermediate reply with a success status.
		if e := parseEnhanced(b[:le], i); e >= 0 {
			return b[i:e]
		}
	}
	if i >= le || b[i] != c0 {
		// qmail puts the status last: "550 sorry, no mailbox (#5.1.1)".
		if k := bytes.Index(b[i:le], []byte("(#")); k >= 0 && k < 200 {
			if p := i + k + 2; p < le && b[p] == c0 {
				if e := parseEnhanced(b[:le], p); e >= 0 {
					return b[p:e]
				}
			}
		}
		return nil
	}
	if e := parseEnhanced(b[:le], i); e >= 0 {
		return b[i:e]
	}
	return nil
}

// weighReply sums the evidence for and against the candidate c being a
// reply (see replyThreshold) and reports whether it holds.
func (w *worker) weighReply(c *cand, lt []byte, j, le int) bool {
	b := w.rg.buf
	if b[c.f] == '3' && c.enh == nil && c.code != 334 && c.code != 354 {
		// SMTP's only intermediate replies are 354 (RFC 5321 4.2.3) and
		// AUTH's 334 (RFC 4954): "308 Connecting to ..." is a process id
		// before a debug line, "302 Found" a web server's.
		return false
	}
	if c.enh == nil && j < le && (b[j] == ' ' || b[j] == '\t') && markFollows(b[:le], j) {
		return false // a prefix before a transcript's mark: "  250   SMTP<< 220 ..."
	}
	if len(lt) > 0 && lt[len(lt)-1] == '"' && (hasSuffix(lt, `$str is "`) || hasSuffix(lt, `$data was "`)) {
		// PHPMailer's lowest debug level echoes each line it reads ($str)
		// and what it had read before ($data was) around the reply so far
		// ($data is "..."), which stands for them.
		return false
	}
	if c.code == 250 && c.enh == nil && ehloKeyword(b[j:le]) && w.lineAboveCode(c.ls) == 250 {
		// "< 250 SIZE 52428800" under "< 250 mx Hello ...": a library that
		// writes each line of the EHLO reply without its dash.
		return false
	}
	score := 0
	if c.intro == introNone && len(lt) > 0 && lt[len(lt)-1] == ':' && c.ls+len(lt) >= c.f-1 && logPrefix(lt) && w.clientLineNear(c.ls, c.le) {
		// "07.07.19 17:23:12 smtp: 250 2.0.0 ...": the code is the first
		// word after a log's prefix, and the lines around it with the same
		// kind of prefix send SMTP commands: a transcript without marks.
		c.intro = introTranscript
	}
	if c.enh != nil {
		score += 3
	}
	switch c.intro {
	case introNone:
	case introLineStart:
		score += 2
	default:
		if c.intro == introTranscript && c.enh == nil && !smtpCode(c.code) && len(trimLeftSpace(lt)) == 1 {
			return false // a bare "S" before "200 OK": a mark only before SMTP's own codes
		}
		score += 3
	}
	if j+1 < le && b[j] == '-' && (b[j+1] == '\'' || b[j+1] == '"') {
		score += 2 // "550-'Unknown user ...'": a reply's text in quotes
	}
	if c.intro == introNone {
		switch {
		case keyBefore(lt):
			if c.enh == nil && !smtpCode(c.code) && proseKey(lt) {
				break // "the response is 401 Unauthorized ...": words of any protocol
			}
			score += 2
			if hasSuffix(lt, "]:") && contains(lt, "host ") {
				score++ // Exim: "host mx.example.net [192.0.2.1]: 550 ..."
			}
		case len(lt) > 0 && (lt[len(lt)-1] == ':' || lt[len(lt)-1] == '=' || lt[len(lt)-1] == '"' || lt[len(lt)-1] == '\''),
			len(lt) > 0 && lt[len(lt)-1] == '`' && (c.enh != nil || smtpCode(c.code)):
			score++ // a separator: "address: 535 ...", error="535 ...", a markdown code span
		case smtpCode(c.code) && proseVerb(lt):
			score++ // "I get 550 Command Rejected ...": with reply text and mail words on the line, a reply
		}
	}
	text := replyTextAfter(b, j, le)
	if text {
		score++
	}
	if c.intro == introNone && hasSuffixFold(lt, " got") && lastIndexFold(lt[max(0, len(lt)-60):], "expected") >= 0 {
		score += 2 // "Expected smtp code 250, got 552"
	}
	if c.enh == nil && sourceLine(lt) {
		return false // "Swift.php:250 Stack trace": a source file's line number
	}
	if c.enh == nil && text && httpReason(b[j+1:min(le, j+40)]) {
		score -= 3 // "503 Service Unavailable": HTTP's words
	}
	if c.intro == introNone && text && quotedWhole(b, c.f, j, le) {
		score++ // "421 server internal error" quoted whole, as one quotes a reply
	}
	if c.intro == introNone && score == replyThreshold-1 && mailWords(b[c.ls:c.le]) {
		score++ // the line speaks of mail
	}
	if !text && c.enh == nil && (c.intro == introNone || c.intro == introCue) && (j >= le || b[j] == '\n' || b[j] == '\r' || j+1 >= le) {
		score-- // a bare number ending its line: "process failed: 255"
	}
	if j < le && b[j] == '-' && c.intro == introNone {
		// "554-Transaction failed", "554-Reject ...", "554 For ...": the
		// lines of a multi-line reply in one line.
		if k := bytes.Index(b[j:le], b[c.f:c.f+3]); k > 0 {
			if p := j + k; p+3 < le && (b[p+3] == ' ' || b[p+3] == '-') && codeBoundary(b, p) {
				score += 2
			}
		}
	}
	if j < len(b) && b[j] == '-' && le+1 < len(b) {
		// "550-" with the next line going on with "550": a multi-line
		// reply's shape (RFC 5321 4.2.1).
		n := le + 1
		ne := n + bytes.IndexByte(b[n:min(len(b), n+256)], '\n')
		if ne < n {
			ne = min(len(b), n+256)
		}
		if _, ok := startsWithCode(b[n:ne], b[c.f:c.f+3]); ok {
			score += 2
		}
	}
	if score < replyThreshold {
		return false
	}
	// Strong producer marks need no look around; the rest must not sit in
	// another protocol's session.
	switch c.intro {
	case introNone, introLineStart, introTranscript, introCue:
		// An enhanced code is SMTP's own (RFC 3463): FTP, POP3 and SIP
		// have none, so only a bare code needs the look around.
		if c.enh == nil && w.foreignSession(c.ls, c.le) {
			return false
		}
	}
	return true
}

// contextCommand looks past the reply's own line for its command: the
// words of a library on the line or on the lines before it that belong
// with it, then the few lines after it.
func (w *worker) contextCommand(c *cand, groupEnd int) string {
	b := w.rg.buf
	lt := b[max(c.ls, c.f-320):c.f]
	if v := phraseCommand(lt); v != "" {
		return v
	}
	if v := rejectedCommand(trimRightSpace(lt)); v != "" {
		return v
	}
	if k := lastIndexFold(lt, "command '"); k >= 0 {
		// "rejected command 'DATA' with code 550"
		w := lt[k+len("command '"):]
		if q := bytes.IndexByte(w, '\''); q >= 0 {
			w = w[:q]
		}
		if v := clientVerb(w); v != "" {
			return v
		}
	}
	for _, p := range duringPhrases {
		if bytes.Contains(b[c.f:c.le], []byte(p.text)) {
			return p.command
		}
	}
	// An exception's class after the message on its line: JSON's
	// "error_message":"530 ...","error_class":"Net::SMTPAuthenticationError",
	// Ruby's "... (Net::SMTPAuthenticationError)". Only a class name (one
	// word) counts there: a reply's own text may speak of "mail from".
	if rest := b[c.f:c.le]; len(rest) > 0 {
		if i := classPhraseSet().firstIn(rest); i >= 0 {
			return classPhrases()[i].command
		}
		for _, p := range clientAfterPhrases {
			if bytes.Contains(rest, []byte(p.text)) {
				return p.command
			}
		}
	}
	// "Expected response code 235 but got code "535"": what the library
	// expected names the command, wherever it stands on the line.
	if k := lastIndexFold(b[c.ls:c.le], "expected response code"); k >= 0 {
		p := c.ls + k + len("expected response code")
		for p < c.le && (b[p] == ' ' || b[p] == '(' || b[p] == 's' || b[p] == ')' || b[p] == '[') {
			p++ // "Expected response code(s) [334]"
		}
		if p+3 <= c.le {
			switch string(b[p : p+3]) {
			case "235", "334":
				return "AUTH"
			case "354":
				return "DATA"
			case "220":
				return "CONNECT"
			}
		}
	}
	if k := lastIndexFold(lt, "during "); k >= 0 && k+len("during ")+1 < len(lt) && allUpper(lt[k+len("during "):k+len("during ")+2]) {
		// "Error during RSET on reused connection, server said: 421 ...";
		// the command as sent, in capitals ("during mail delivery" is none).
		if v := clientVerb(lt[k+len("during "):]); v != "" {
			return v
		}
	}
	if v := phraseCommand(w.linesBefore(c.ls, 3)); v != "" {
		return v
	}
	if groupEnd < len(b) {
		if v := w.laterCommand(groupEnd+1, b[c.f:c.f+3]); v != "" {
			return v
		}
	}
	if c.code == 220 && bytes.Contains(b[c.f:min(c.le, c.f+120)], []byte("SMTP")) {
		return "CONNECT" // the greeting: "220 mx.example.net ESMTP ..."
	}
	return impliedCommand(c.code)
}

// impliedCommand names the one command a code can answer, whatever the
// text around it says: 354 answers DATA alone (RFC 5321 4.3.2), 221 QUIT
// alone, 334 and 235 AUTH alone (RFC 4954 4 and 6). A library that
// expected another code still got the reply to that command ("Expected
// response code 250 but got code "354"").
func impliedCommand(code int) string {
	switch code {
	case 354:
		return "DATA"
	case 334, 235:
		return "AUTH"
	case 221:
		return "QUIT"
	}
	return ""
}

// saidProvider names the provider of a reply that starts its own line
// after a line ending "said:": a bounce wrapped Postfix's "<bob@aol.com>:
// host mx-aol.mail.gm0.yahoodns.net[ip] said:" before the reply.
func (w *worker) saidProvider(ls int) string {
	b := w.rg.buf
	if ls == 0 {
		return ""
	}
	pe := ls - 1
	ps := max(0, pe-256)
	if k := bytes.LastIndexByte(b[ps:pe], '\n'); k >= 0 {
		ps += k + 1
	}
	prev := trimRightSpace(bytes.TrimRight(b[ps:pe], "\r"))
	if !hasSuffix(prev, " said:") {
		return ""
	}
	return providerOf(prev, nil)
}

// rejectedCommand reads "recipient <a@example.com> rejected:" and
// "sender <...> refused:" before a reply.
func rejectedCommand(lt []byte) string {
	if !hasSuffix(lt, "rejected:") && !hasSuffix(lt, "refused:") && !hasSuffix(lt, "denied:") {
		return ""
	}
	k := bytes.LastIndexByte(lt, '<')
	if k < 0 {
		k = len(lt)
	}
	head := lt[max(0, k-24):k]
	switch {
	case lastIndexFold(head, "recipient") >= 0, lastIndexFold(head, "rcpt") >= 0:
		return "RCPT"
	case lastIndexFold(head, "sender") >= 0:
		return "MAIL"
	}
	return ""
}

// hasCode reports whether line holds something shaped like a reply code,
// an enhanced code, or three digits, the first 2 to 5, alone between a boundary and a blank,
// '-' or the line's end.
func hasCode(line []byte) bool {
	for i := 0; i+3 <= len(line); i++ {
		if line[i] >= '2' && line[i] <= '5' && isDigit(line[i+1]) && isDigit(line[i+2]) &&
			(i == 0 || boundary[line[i-1]]) && (i+3 == len(line) || line[i+3] == ' ' || line[i+3] == '-' || line[i+3] == '\r') {
			return true
		}
		if (i == 0 || boundary[line[i-1]]) && parseEnhanced(line, i) >= 0 {
			return true
		}
	}
	return false
}

// upperVerb is v, a lower-case verb, in capitals followed by a blank: the
// way FTP and POP3 clients log their commands.
func upperVerb(v string) []byte {
	var buf [10]byte
	n := copy(buf[:], v)
	for i := range n {
		buf[i] -= 'a' - 'A'
	}
	buf[n] = ' '
	return append([]byte(nil), buf[:n+1]...)
}

// httpReason reports whether t starts with one of HTTP's reason phrases
// (RFC 9110) that SMTP replies do not use.
func httpReason(t []byte) bool {
	for _, r := range [...]string{"service unavailable", "bad gateway", "gateway timeout", "not found", "internal server error", "bad request", "unauthorized", "forbidden", "too many requests", "method not allowed", "not implemented", "request timeout", "payload too large", "unprocessable"} {
		if hasPrefixFold(t, r) {
			// Alone, as HTTP writes it; "554 Service unavailable; Client
			// host blocked ..." is a reply's text.
			if len(t) > len(r) && (t[len(r)] == '"' || t[len(r)] == '\'' || t[len(r)] == '`') {
				return true // quoted alone: "500 Internal Server Error", `400 Bad Request`
			}
			rest := bytes.Trim(t[len(r):], " \t\r\"'.")
			return len(rest) == 0 || rest[0] == '<' || rest[0] == '\n' || rest[0] == '\\' || rest[0] == ','
		}
	}
	return false
}

// mailWords reports whether a line speaks of mail: smtp, mail, email,
// recipient, sender, relay, mailbox, postmaster.
func mailWords(line []byte) bool { return mailWordSet().any(line) }

var mailWordSet = sync.OnceValue(func() *phraseSet {
	return newPhraseSet(true, "smtp", "mail", "recipient", "sender", "relay", "postmaster")
})

// logLevel reports whether tok is a log level as loggers write it.
func logLevel(tok []byte) bool {
	switch string(tok) {
	case "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "TRACE", "NOTICE", "debug", "info", "warn", "error", "trace",
		"V", "D", "I", "W", "E": // Android's logcat: "01-15 15:44:06.136  9975 13041 D SmtpTransport: ..."
		return true
	}
	return false
}

// inString reports whether the end of t is inside a double-quoted string
// that opened on the same line: an odd number of unescaped quotes, the
// last of them after a JSON key's colon or an opening bracket.
func inString(t []byte) bool {
	n := bytes.Count(t, quoteMark)
	if n == 0 {
		return false
	}
	if bytes.IndexByte(t, '\\') < 0 {
		if n%2 == 0 {
			return false
		}
		last := bytes.LastIndexByte(t, '"')
		p := trimRightSpace(t[:last])
		return len(p) > 0 && (p[len(p)-1] == ':' || p[len(p)-1] == '[' || p[len(p)-1] == ',')
	}
	n, last := 0, -1
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '\\':
			i++
		case '"':
			n++
			last = i
		}
	}
	if n%2 == 0 || last < 1 {
		return false
	}
	p := trimRightSpace(t[:last])
	return len(p) > 0 && (p[len(p)-1] == ':' || p[len(p)-1] == '[' || p[len(p)-1] == ',')
}

// lastIndex3 is bytes.LastIndex for a three-byte needle (a code), by its
// first byte.
func lastIndex3(b, code []byte) int {
	end := len(b)
	for {
		k := bytes.LastIndexByte(b[:end], code[0])
		if k < 0 {
			return -1
		}
		if k+3 <= len(b) && b[k+1] == code[1] && b[k+2] == code[2] {
			return k
		}
		end = k
	}
}

var quoteMark = []byte{'"'}

// splitStatus finds the status of a code given in a field of its own
// ("ERROR_CODE :550, ERROR_CODE :5.2.1 ..."): the next field, within 40
// bytes, that holds an enhanced code of the code's class, when the code's
// own field is named like a code.
func splitStatus(b []byte, j, le int, lt []byte, class byte) []byte {
	t := trimRightSpace(bytes.TrimRight(lt, ":=\"' "))
	if !hasSuffixFold(t, "code") {
		return nil
	}
	for i := j + 1; i < min(le, j+40); i++ {
		if isDigit(b[i]) {
			return nil // another number first: not the code's own status
		}
		if (b[i] == ':' || b[i] == '=' || b[i] == '"' || b[i] == ' ') && i+1 < le && b[i+1] == class {
			if e := parseEnhanced(b[:le], i+1); e >= 0 {
				return b[i+1 : e]
			}
		}
	}
	return nil
}

// codeBoundary reports whether a code at k in b stands apart: at the
// start, after a boundary byte, or after a box-drawing line or an arrow
// ("└──250-...", "→ 550 ...").
func codeBoundary(b []byte, k int) bool {
	return k == 0 || boundary[b[k-1]] || k >= 3 && b[k-3] == 0xe2 && (b[k-2] == 0x94 || b[k-2] == 0x86) ||
		k >= 2 && b[k-2] == '\\' && (b[k-1] == 'n' || b[k-1] == 'r' || b[k-1] == 't') // "\r\n554-..." in a string
}

// allHigh reports whether b is all non-ASCII bytes and blanks.
func allHigh(b []byte) bool {
	for _, c := range b {
		if c < 0x80 && c != ' ' {
			return false
		}
	}
	return true
}

// bracketCue reports whether the words before a bracketed code name a mail
// error: "SMTP Error (550)", "Error SMTP: [550]", "SMTP Fehler (250)",
// "response code received from server (535)".
func bracketCue(lt []byte) bool {
	if k := bytes.LastIndexByte(lt, '\n'); k >= 0 {
		lt = lt[k+1:]
	}
	lt = lt[max(0, len(lt)-40):]
	if lastIndexFold(lt, "from server") >= 0 {
		return true
	}
	if lastIndexFold(lt, "smtp") < 0 {
		return false
	}
	for _, w := range [...]string{"error", "fehler", "erreur", "errore", "failed"} {
		if lastIndexFold(lt, w) >= 0 {
			return true
		}
	}
	return false
}

// bracketed records a code in brackets at f (j is the bracket that closes
// it); its status may follow in the text: "... recipient "a@example.com"
// (5.7.1 <...>: Client host rejected ...)".
func (w *worker) bracketed(f, j int) {
	b := w.rg.buf
	ls, le, _ := w.line(f)
	lt := trimRightSpace(b[max(ls, f-leftWindow) : f-1])
	var c cand
	c.f, c.ls, c.le = f, ls, le
	c.code = int(b[f]-'0')*100 + int(b[f+1]-'0')*10 + int(b[f+2]-'0')
	c.intro = introCue
	// The library's words follow the code: "(550): Failed to add recipient".
	c.command = phraseCommand(b[j:min(le, j+80)])
	if k := bytes.Index(b[j:le], []byte("(")); k >= 0 && k < 200 {
		if p := j + k + 1; p < le && b[p] == b[f] {
			if e := parseEnhanced(b[:le], p); e >= 0 {
				c.enh = b[p:e]
			}
		}
	}
	w.accept(&c, lt, f, 0)
}

// continuationLine reports whether a line continues a record rather than
// starting one: indented, a quoted or bracketed member, a nested cause.
func continuationLine(line []byte) bool {
	if len(line) == 0 {
		return false
	}
	switch line[0] {
	case ' ', '\t', '"', '\'', '{', '}', '(', '#', '>', '|':
		return true
	}
	for _, p := range [...]string{"Caused by", "nested exception", "Exception Value", "Exception Type", "at ", "Diagnostic-Code:"} {
		if bytes.HasPrefix(line, []byte(p)) {
			return true
		}
	}
	return false
}

// foldedContinuation reports whether the reply at f continues a multi-line
// reply that a bounce joined and then wrapped at 78 columns: its line is
// indented, and the nearest fragment with its code before it, on this line
// or on the lines it continues, is "550-".
func (w *worker) foldedContinuation(f, ls int, code []byte) bool {
	b := w.rg.buf
	if ls > 0 && f > ls {
		// The line before, with the same log prefix, ends "code-": a
		// continuation line of a multi-line reply a log wrote line by
		// line ("07.07.19 17:23:12 smtp: 250-PIPELINING").
		pe := ls - 1
		ps := max(0, pe-lineWindow)
		if k := bytes.LastIndexByte(b[ps:pe], '\n'); k >= 0 {
			ps += k + 1
		}
		if (ps > 0 || w.rg.bof) && prefixedContinuation(b[ps:ps+min(f-ls, pe-ps)], b[ls:min(len(b), f+4)], code) && lastFragmentOpen(b[ps:pe], code) {
			return true
		}
	}
	if ls >= len(b) || b[ls] != ' ' && b[ls] != '\t' {
		return false
	}
	start := ls
	for n := 0; n < 12 && start > 0; n++ {
		p := start - 1
		s := max(0, p-lineWindow)
		if k := bytes.LastIndexByte(b[s:p], '\n'); k >= 0 {
			s += k + 1
		} else if s > 0 || !w.rg.bof {
			return false
		}
		start = s
		if b[s] != ' ' && b[s] != '\t' {
			break // the line the folded ones continue
		}
	}
	return continuesOnLine(b[start:f], code)
}

// prefixedContinuation reports whether line starts with the prefix a
// multi-line reply's first line had before its code (the same bytes, a
// digit for a digit: a log's timestamp and fields), then the code and
// '-' or ' ': "07.07.19 17:23:12 smtp: 250-8BITMIME" after
// "07.07.19 17:23:12 smtp: 250-Hello".
func prefixedContinuation(prefix, line, code []byte) bool {
	n := len(prefix)
	if n == 0 || len(line) < n+4 {
		return false
	}
	for i := 0; i < n; i++ {
		if line[i] != prefix[i] && !(isDigit(line[i]) && isDigit(prefix[i])) {
			return false
		}
	}
	return string(line[n:n+3]) == string(code) && (line[n+3] == '-' || line[n+3] == ' ')
}

// logPrefix reports whether lt, the text before a code on its line, is
// only a log's prefix: timestamps, bracketed fields, words that end with a
// colon ("smtp:", "maddy[123]:"), log levels.
func logPrefix(lt []byte) bool {
	if lt[len(lt)-1] != ':' {
		return false
	}
	n := 0
	for i := 0; i < len(lt); {
		for i < len(lt) && (lt[i] == ' ' || lt[i] == '\t') {
			i++
		}
		j := i
		for j < len(lt) && lt[j] != ' ' && lt[j] != '\t' {
			j++
		}
		tok := lt[i:j]
		i = j
		if len(tok) == 0 {
			break
		}
		switch {
		case isDigit(tok[0]), tok[0] == '[' || tok[len(tok)-1] == ']',
			len(tok) > 2 && tok[len(tok)-1] == ':' && !isMark(tok) && !serverMark(tok),
			logLevel(tok):
			n++
		default:
			return false
		}
	}
	return n > 0
}

// clientLineNear reports whether one of the three lines before the line
// at ls..le, or the line after it, sends an SMTP command after a log
// prefix of its own.
func (w *worker) clientLineNear(ls, le int) bool {
	b := w.rg.buf
	check := func(s, e int) bool {
		line := b[s:e]
		return clientVerb([]byte(firstVerb(line))) != "" && !bytes.Contains(line, []byte("->"))
	}
	end := ls
	for n := 0; n < 3 && end > 0; n++ {
		e := end - 1
		s := bytes.LastIndexByte(b[max(0, e-512):e], '\n')
		if s < 0 {
			if e > 512 || !w.rg.bof {
				break
			}
			s = 0
		} else {
			s += max(0, e-512) + 1
		}
		if check(s, e) {
			return true
		}
		end = s
	}
	if le+1 < len(b) {
		n := le + 1
		e := n + bytes.IndexByte(b[n:min(len(b), n+512)], '\n')
		if e > n && check(n, e) {
			return true
		}
	}
	return false
}

// statusCue reports whether an enhanced status at f..e with no basic code
// stands where a reply starts: after a name and a colon ("MailKit: 5.7.60
// SMTP; ...", "AuthenticationInvalidCredentials: 5.7.3 ..."), a failure's
// class (4 or 5, RFC 3463), and reply text after it. A version after a
// colon ("Version: 2.8.25") has no text after it, or is no failure.
func statusCue(lt, b []byte, e, le int) bool {
	f := e - 1
	for f > 0 && b[f-1] != ' ' && b[f-1] != '\t' && b[f-1] != ':' && b[f-1] != '"' && b[f-1] != '\'' {
		f--
	}
	if f > 0 && (b[f-1] == '"' || b[f-1] == '\'') && (b[f] == '4' || b[f] == '5') && !tupleStatus(b[max(0, f-8):f-1]) {
		// Quoted whole: an "5.7.8 Authentication Rejected" error.
		if k := bytes.IndexByte(b[e:le], b[f-1]); k > 2 && b[e] == ' ' && upperStart(b[e+1]) && failureWords(b[e:e+k]) && bytes.Count(b[e:e+k], []byte(" ")) >= 2 {
			return true
		}
	}
	if len(lt) < 2 || lt[len(lt)-1] != ':' || !isLetter(lt[len(lt)-2]) {
		return false
	}
	if b[f] != '4' && b[f] != '5' {
		return false
	}
	return e+1 < le && b[e] == ' ' && upperStart(b[e+1]) && replyTextAfter(b, e, le) && failureWords(b[e:min(le, e+120)])
}

// upperStart reports whether a reply's text starts as servers write it,
// with a capital: "5.7.3 Authentication unsuccessful", "5.7.60 SMTP; ...".
func upperStart(c byte) bool { return c >= 'A' && c <= 'Z' }

// sourceLine reports whether lt ends with a source file's name and a
// colon ("AbstractSmtpTransport.php:", "index.js:"): what follows is a
// line number.
func sourceLine(lt []byte) bool {
	if len(lt) < 4 || lt[len(lt)-1] != ':' {
		return false
	}
	t := lt[:len(lt)-1]
	for _, ext := range [...]string{".php", ".js", ".ts", ".py", ".rb", ".go", ".java", ".cs", ".c", ".pl", ".kt", ".rs"} {
		if hasSuffix(t, ext) && len(t) > len(ext) && isLabelByte(t[len(t)-len(ext)-1]) {
			return true
		}
	}
	return false
}

// quotedWhole reports whether the code at f opens a quoted string that
// closes on its line after at least two words of text: "421 server
// internal error", '550 Mailbox does not exist!'.
func quotedWhole(b []byte, f, j, le int) bool {
	o := f - 1 // the opening quote
	if f >= 2 && b[o] == ' ' && b[o-1] == '`' {
		o-- // markdown's code span padded with a blank: "`` 451 ... ``" (CommonMark 6.1)
	}
	if f == 0 || b[o] != '"' && b[o] != '\'' && b[o] != '`' {
		return false
	}
	q := b[o]
	k := bytes.IndexByte(b[j:le], q)
	if k < 0 {
		return false
	}
	inner := b[j : j+k]
	return (b[f] == '4' || b[f] == '5') && bytes.Count(bytes.TrimSpace(inner), []byte(" ")) >= 1 &&
		!bytes.ContainsAny(inner, "=") && failureWords(inner)
}

// failureWords reports whether t reads as the text of a failure reply: it
// speaks of an error, a refusal, a mailbox, an address, authentication or
// the session (RFC 5321 4.2.2, RFC 3463 subjects).
func failureWords(t []byte) bool { return failureWordSet().any(t) }

var failureWordSet = sync.OnceValue(func() *phraseSet {
	return newPhraseSet(true, "error", "fail", "reject", "denied", "unavailable", "not ", "unknown", "invalid",
		"temporar", "try again", "try later", "blocked", "refused", "closing", "timeout", "timed out", "exceed", "quota",
		"limit", "spam", "relay", "mailbox", "user", "sender", "recipient", "address", "authenticat", "required",
		"starttls", "permission", "unsuccessful", "syntax", "policy", "busy", "too many", "disabled", "does not exist")
})

func allUpper(t []byte) bool {
	for _, c := range t {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// tupleStatus reports whether the text before a quote ends a code's
// tuple or field, (550, b'... or "code":550,"... : the status quoted after
// it belongs to that code.
func tupleStatus(t []byte) bool {
	t = trimRightSpace(t)
	t = bytes.TrimSuffix(t, []byte("b"))
	t = trimRightSpace(t)
	return len(t) > 0 && (t[len(t)-1] == ',' || t[len(t)-1] == '(' || t[len(t)-1] == ':' || t[len(t)-1] == '[' || isDigit(t[len(t)-1]))
}
