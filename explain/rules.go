package explain

import (
	"bytes"
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
	for _, m := range [...]string{"S:", "<-", "<~", "<**", "<~*", "<<<", "[S]", "Server:", "SERVER:"} {
		if hasSuffix(t, m) && (len(t) == len(m) || t[len(t)-len(m)-1] == ' ' || t[len(t)-len(m)-1] == '\t') {
			return true
		}
	}
	return len(trimLeftSpace(t)) == 1 && t[len(t)-1] == '<' // curl -v
}

// introducer reads the text before a code (lt, trailing blanks trimmed) for
// what says a reply follows.
func introducer(lt []byte) intro {
	if len(lt) == 0 {
		return introNone
	}
	switch lt[len(lt)-1] {
	case ':':
		switch {
		case transcriptMarker(lt):
			return introTranscript
		case hasSuffix(lt, "said:") && (len(lt) == 5 || lt[len(lt)-6] == ' '):
			return introSaid
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
	case '-', '~', '*', '<', ']':
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
	case '\'':
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
	k := bytes.LastIndexAny(lt, " \t\"'")
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
		k := bytes.LastIndex(left, code)
		if k < 0 {
			return false
		}
		if (k == 0 || boundary[left[k-1]]) && k+3 < len(left) && (left[k+3] == '-' || left[k+3] == ' ') {
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
		if bytes.Contains(line, code) || len(line) == 0 || (line[0] != ' ' && line[0] != '\t') {
			return lastFragmentOpen(line, code)
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
		k := bytes.LastIndex(line, code)
		if k < 0 {
			return false
		}
		if (k == 0 || boundary[line[k-1]]) && k+3 < len(line) && (line[k+3] == '-' || line[k+3] == ' ') {
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
		if _, ok := startsWithCode(line, code); !ok || !open {
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
	if k := bytes.Index(b[from:lim], []byte(" (in reply to ")); k >= 0 {
		end = from + k
	}
	// Close the brackets opened before the reply on its line.
	lw := max(ls, f-leftWindow)
	if depth := bytes.Count(b[lw:f], []byte("(")) - bytes.Count(b[lw:f], []byte(")")); depth > 0 {
		for i := from; i < end; i++ {
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
	if k := bytes.Index(rest, []byte("(in reply to ")); k >= 0 {
		return commandName(rest[k+len("(in reply to "):], " command")
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
		if c.code == 250 && contains(lt, "status=sent") {
			return "DATA-END"
		}
		return ""
	case introTalk:
		return "CONNECT"
	case introTranscript, introLineStart:
		return w.transcriptCommand(c)
	case introPython:
		switch {
		case contains(lt, "SMTPRecipientsRefused"):
			return "RCPT"
		case contains(lt, "SMTPSenderRefused"):
			return "MAIL"
		case contains(lt, "SMTPDataError"):
			return "DATA"
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

// transcriptCommand looks back over a transcript for the client's last
// line before the reply: "C: RCPT TO:<...>", " -> RCPT TO:<...>" (swaks),
// ">>> RCPT To:<...>" (sendmail -v), "> RCPT TO:<...>" (curl -v). With no
// client line before it, a 220, 421 or 554 answers the connection.
func (w *worker) transcriptCommand(c *cand) string {
	b := w.rg.buf
	end := c.ls
	stop := max(0, c.ls-lineWindow)
	lines := 0
	for end > stop && lines < 64 {
		le := end - 1
		ls := stop
		if k := bytes.LastIndexByte(b[stop:le], '\n'); k >= 0 {
			ls = stop + k + 1
		} else if stop > 0 || !w.rg.bof {
			break
		}
		line := trimLeftSpace(bytes.TrimRight(b[ls:le], "\r"))
		if len(line) == 0 || bytes.HasPrefix(line, []byte("===")) || bytes.HasPrefix(line, []byte("* ")) {
			break // a new session starts before: nothing sent on this one yet
		}
		for _, m := range [...]string{"C:", "->", "~>", ">>>", ">"} {
			if bytes.HasPrefix(line, []byte(m)) {
				return clientVerb(line[len(m):])
			}
		}
		if hasPrefixFold(line, "client:") {
			return clientVerb(line[len("client:"):])
		}
		end = ls
		lines++
		if ls == 0 {
			break
		}
	}
	switch c.code {
	case 220, 421, 554:
		return "CONNECT"
	}
	return ""
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
		if contains(lt, m.text) {
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
