package mock

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smtpcode/smtpcode/codes"
)

// Stages that are not verbs: the greeting, and the reply to the end of the
// message (the final "." of DATA, or BDAT ... LAST).
const (
	StageConnect = "CONNECT"
	StageDataEnd = "DATA-END"
)

// Reply is an SMTP reply: one code, an optional enhanced status code
// (RFC 3463) repeated on every line, and one or more lines of text.
type Reply struct {
	Code     int
	Enhanced string
	Lines    []string

	// Filled is true when the text came from the catalogue rather than
	// from whoever wrote the reply.
	Filled bool

	// enhancedFilled is true when the enhanced code came from the
	// catalogue too: the server's own, left out where the session's
	// server has no ENHANCEDSTATUSCODES (an enhanced code written in a
	// rule is sent as written).
	enhancedFilled bool
}

// Class is the reply's first digit.
func (r Reply) Class() int { return r.Code / 100 }

// Closes reports whether the server closes the connection after sending
// the reply: RFC 5321 §3.8 makes 421 mean exactly that.
func (r Reply) Closes() bool { return r.Code == 421 }

// Wire returns the reply as sent, one string per line without CRLF:
// "250-first", "250 last".
func (r Reply) Wire() []string {
	lines := r.Lines
	if len(lines) == 0 {
		lines = []string{""}
	}
	out := make([]string, len(lines))
	for i, text := range lines {
		var b strings.Builder
		b.WriteString(strconv.Itoa(r.Code))
		if i < len(lines)-1 {
			b.WriteByte('-')
		} else {
			b.WriteByte(' ')
		}
		if r.Enhanced != "" {
			b.WriteString(r.Enhanced)
			if text != "" {
				b.WriteByte(' ')
			}
		}
		b.WriteString(text)
		out[i] = strings.TrimRight(b.String(), " ")
	}
	return out
}

// String is the reply's lines joined by newlines.
func (r Reply) String() string { return strings.Join(r.Wire(), "\n") }

// Rule makes the server answer a command with a chosen reply. The zero
// Nth, Pattern and Delay match every time, any argument, at once.
type Rule struct {
	// Stage is CONNECT (the greeting), DATA-END (the reply to the end of a
	// message), or a command verb (EHLO, MAIL, RCPT, VRFY, XCLIENT, ...),
	// upper case.
	Stage string
	// Pattern is a case-insensitive glob ('*' any run, '?' one character)
	// on the command's argument: the address for MAIL, RCPT, VRFY and
	// EXPN, any recipient for DATA-END, the client address for CONNECT,
	// the rest of the line otherwise. Empty matches everything.
	Pattern string
	// Nth restricts the rule to the Nth command of that stage in its Scope
	// (for CONNECT: the Nth connection to the server), or with OrLater to
	// the Nth and every later one.
	Nth     int
	OrLater bool
	// Scope is what Nth counts in: the session (the default), the message,
	// the server, or each argument across the server.
	Scope Scope
	// Delay is how long to wait before answering.
	Delay time.Duration
	// Jitter varies Delay by up to this much either way, uniformly.
	Jitter time.Duration
	// Close closes the connection after the reply; a 421 always does.
	Close bool
	// Drop closes the connection with no reply at all, as smtp-sink -q
	// and MailHog's chaos monkey do; Reply is then unused.
	Drop bool
	// Probability, when above 0, is the chance the rule answers a command
	// it matches (0.1: one in ten); otherwise the command goes on as if the
	// rule were not there. Config.Seed makes the draws repeatable.
	Probability float64
	Reply       Reply

	// Source is the rule as written, reported in events.
	Source string
}

// Scope is what a rule's occurrence modifier counts in.
type Scope string

const (
	// ScopeSession counts the commands of the stage in the session: RCPT/2
	// is the second RCPT of the connection. The default.
	ScopeSession Scope = ""
	// ScopeMessage counts within the mail transaction, from MAIL to the
	// end of the message or RSET: RCPT/3+/message is "more than two
	// recipients" on a reused connection too.
	ScopeMessage Scope = "message"
	// ScopeServer counts the commands the rule's stage and pattern match
	// across every session of the server: RCPT/1/server fails only the
	// very first attempt, and a retry on a new connection succeeds.
	ScopeServer Scope = "server"
	// ScopeEach counts like ScopeServer, separately for each argument
	// (each address; for DATA-END each set of recipients; for CONNECT each
	// client IP): RCPT/1/each is greylisting, every recipient refused once.
	ScopeEach Scope = "each"
)

// occurs reports whether the nth command of the rule's scope is one it
// answers.
func (r Rule) occurs(nth int) bool {
	return r.Nth == 0 || nth == r.Nth || r.OrLater && nth > r.Nth
}

// matchesArg reports whether the rule's stage and pattern match a command.
func (r Rule) matchesArg(stage, arg string, args []string) bool {
	if r.Stage != stage {
		return false
	}
	if r.Pattern == "" {
		return true
	}
	if args != nil {
		for _, a := range args {
			if Glob(r.Pattern, a) {
				return true
			}
		}
		return false
	}
	return Glob(r.Pattern, arg)
}

// RuleSyntax is the grammar of ParseRule, for help texts.
const RuleSyntax = `STAGE[/MODIFIER...][:PATTERN]=REPLY

  STAGE     CONNECT (the greeting), EHLO, HELO, MAIL, RCPT, DATA, DATA-END
            (the reply to the end of the message), BDAT, RSET, VRFY, EXPN,
            HELP, NOOP, QUIT, AUTH, STARTTLS, or any other verb
  MODIFIER  N    only the Nth such command of a session (CONNECT: the Nth
                 connection)
            N+   the Nth and every later one
            message, session, server, each
                 what N counts in: the transaction, the session (the
                 default), the server (retries on new connections), or
                 each address across the server (greylisting)
            DUR  wait that long before answering (500ms, 2s); DUR~JIT varies
                 it by up to JIT either way (2s~500ms)
            close  close the connection after the reply (a 421 always does)
            drop   close the connection with no reply (then =REPLY may be
                 left out)
            p=P  answer only with probability P (0.1); --seed repeats a run
  PATTERN   glob on the argument, case-insensitive: the address for MAIL,
            RCPT, VRFY, EXPN; any recipient for DATA-END; the client IP for
            CONNECT; the rest of the line for other verbs
  REPLY     CODE [X.Y.Z] [TEXT]; with the code alone (or code and enhanced
            code) the rest comes from the catalogue; "\n" starts another
            line of a multi-line reply`

// ErrUnknownStage is wrapped by ParseRule's error for a stage that is no
// known command: most often a typo (RCTP), which would never fire.
var ErrUnknownStage = errors.New("not a known stage")

// knownVerb reports whether a rule may name a command without AllowVerbs:
// RFC 5321's and those of the extensions the mock knows. Verbs starting
// with X are always allowed (XCLIENT, XFORWARD).
func knownVerb(v string) bool {
	switch v {
	case "EHLO", "HELO", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "VRFY", "EXPN", "HELP", "NOOP", "QUIT",
		"AUTH", "STARTTLS", "TURN", "ETRN", "ATRN", "SEND", "SOML", "SAML", "LHLO":
		return true
	}
	return v[0] == 'X'
}

// ParseRule parses a rule as written on the command line, e.g.
// "RCPT:*@full.example=452" or "DATA-END/2s=451 4.3.0 Try again later".
// See RuleSyntax. A stage that is neither a known command, CONNECT,
// DATA-END nor an X- verb is an error (wrapping ErrUnknownStage) unless
// it is among allowVerbs.
func ParseRule(s string, allowVerbs ...string) (Rule, error) {
	left, right, ok := splitRule(s)
	if !ok {
		if dropRule(s) {
			// "DATA-END/drop": no reply is sent, so none need be given.
			left, right = s, "421"
		} else {
			return Rule{}, fmt.Errorf("rule %q has no '=' followed by a reply code", s)
		}
	}
	r := Rule{Source: s}
	head, pattern, hasPattern := strings.Cut(left, ":")
	parts := strings.Split(head, "/")
	stage, err := parseStage(parts[0], allowVerbs)
	if err != nil {
		return Rule{}, fmt.Errorf("rule %q: %w", s, err)
	}
	r.Stage = stage
	if hasPattern {
		if err := r.setPattern(pattern); err != nil {
			return Rule{}, fmt.Errorf("rule %q: %w", s, err)
		}
	}
	seen := make(map[string]bool)
	for _, m := range parts[1:] {
		kind, err := r.modifier(m)
		if err != nil {
			return Rule{}, fmt.Errorf("rule %q: %w", s, err)
		}
		if seen[kind] {
			return Rule{}, fmt.Errorf("rule %q: two %s modifiers: give one", s, kind)
		}
		seen[kind] = true
	}
	reply, err := ParseReply(right)
	if err != nil {
		return Rule{}, fmt.Errorf("rule %q: %w", s, err)
	}
	if stage == StageConnect || stage == "EHLO" || stage == "HELO" {
		// RFC 2034 §3: no enhanced codes on the greeting nor on the
		// EHLO/HELO reply, since the client has not negotiated them yet.
		if reply.Filled {
			reply.Enhanced = ""
		}
	}
	r.Reply = reply
	return r, nil
}

// setPattern checks a pattern: one line of UTF-8, no modifier after it,
// and for addresses the brackets dropped, since the argument matched is the
// bare address.
func (r *Rule) setPattern(pattern string) error {
	switch {
	case pattern == "":
		return errors.New("an empty pattern after ':'")
	case !utf8.ValidString(pattern) || strings.ContainsAny(pattern, "\r\n"):
		return errors.New("the pattern must be one line of UTF-8")
	case strings.TrimSpace(pattern) != pattern:
		return fmt.Errorf("the pattern %q starts or ends with a space", pattern)
	}
	if i := strings.LastIndexByte(pattern, '/'); i >= 0 {
		var probe Rule
		if _, err := probe.modifier(pattern[i+1:]); err == nil {
			return fmt.Errorf("modifier %q after the pattern: modifiers go before ':', as in %s/%s:%s", pattern[i+1:], r.Stage, pattern[i+1:], pattern[:i])
		}
	}
	switch r.Stage {
	case "MAIL", "RCPT", "VRFY", "EXPN", StageDataEnd:
		pattern = unbracket(pattern)
		if pattern == "" {
			return errors.New("an empty pattern after ':'")
		}
	}
	r.Pattern = pattern
	return nil
}

// MustParseRule is ParseRule for rules written in code: it panics on error.
func MustParseRule(s string) Rule {
	r, err := ParseRule(s)
	if err != nil {
		panic("mock: " + err.Error())
	}
	return r
}

// dropRule reports whether a rule without a reply has the drop modifier.
func dropRule(s string) bool {
	head, _, _ := strings.Cut(s, ":")
	for _, m := range strings.Split(head, "/")[1:] {
		if strings.EqualFold(m, "drop") {
			return true
		}
	}
	return false
}

// splitRule splits at the first '=' followed by a reply code (three digits,
// then the end, a space, '-' or a line break), so that a pattern may hold
// '=' and digits, as SRS and BATV addresses do.
func splitRule(s string) (left, right string, ok bool) {
	for i := 0; i+3 < len(s); i++ {
		if s[i] != '=' || !isDigits(s[i+1:i+4]) {
			continue
		}
		if i+4 == len(s) || strings.ContainsRune(" -\\\n", rune(s[i+4])) {
			return s[:i], s[i+1:], true
		}
	}
	return "", "", false
}

func parseStage(s string, allowVerbs []string) (string, error) {
	if s == "" {
		return "", errors.New("the rule has no stage before '='")
	}
	up := strings.ToUpper(s)
	switch up {
	case "END", "EOD", "DOT", "DATA-END", "DATAEND", "END-OF-DATA":
		return StageDataEnd, nil
	case "GREETING", "BANNER", "CONNECT":
		return StageConnect, nil
	}
	for i := 0; i < len(up); i++ {
		c := up[i]
		if !(c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '-')) {
			return "", fmt.Errorf("%q is not a stage: use a command verb (RCPT, VRFY, ...), CONNECT or DATA-END", s)
		}
	}
	if knownVerb(up) {
		return up, nil
	}
	for _, v := range allowVerbs {
		if strings.EqualFold(v, up) {
			return up, nil
		}
	}
	return "", fmt.Errorf("%q is %w: use a command verb (RCPT, VRFY, ...), CONNECT or DATA-END", s, ErrUnknownStage)
}

// modifier applies one modifier and returns its kind, so that a repeated
// one is caught.
func (r *Rule) modifier(m string) (kind string, err error) {
	switch {
	case m == "":
		return "", errors.New("empty modifier after '/'")
	case strings.EqualFold(m, "close"):
		r.Close = true
		return "close", nil
	case strings.EqualFold(m, "drop"):
		r.Drop = true
		return "drop", nil
	case strings.HasPrefix(strings.ToLower(m), "p="):
		p, ok := parseProbability(m[2:])
		if !ok {
			return "", fmt.Errorf("probability %q must be above 0 and at most 1, e.g. p=0.1", m)
		}
		r.Probability = p
		return "probability", nil
	case strings.EqualFold(m, "message"), strings.EqualFold(m, "session"), strings.EqualFold(m, "server"), strings.EqualFold(m, "each"):
		r.Scope = Scope(strings.ToLower(m))
		if r.Scope == "session" {
			r.Scope = ScopeSession
		}
		return "scope", nil
	case isDigits(strings.TrimSuffix(m, "+")):
		n, err := strconv.Atoi(strings.TrimSuffix(m, "+"))
		if err != nil || n < 1 {
			return "", fmt.Errorf("occurrence %q must be 1 or more", m)
		}
		r.Nth, r.OrLater = n, strings.HasSuffix(m, "+")
		return "occurrence", nil
	default:
		ds, js, hasJitter := strings.Cut(m, "~")
		d, err := time.ParseDuration(ds)
		var j time.Duration
		if err == nil && hasJitter {
			j, err = time.ParseDuration(js)
		}
		if err != nil || d < 0 || j < 0 {
			return "", fmt.Errorf("unknown modifier %q: use N, N+, message, session, server, each, a delay such as 2s or 2s~500ms, close, drop, or p=0.1", m)
		}
		r.Delay, r.Jitter = d, j
		return "delay", nil
	}
}

// parseProbability reads "0.1", ".25" or "1": a decimal from 0 to 1, by
// hand, since strconv.ParseFloat would cost the binary 7 kB. It reports
// false unless the value is above 0 and at most 1.
func parseProbability(s string) (float64, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole != "" && whole != "0" && whole != "1" || whole == "" && frac == "" || len(frac) > 9 || frac != "" && !isDigits(frac) {
		return 0, false
	}
	p := 0.0
	if whole == "1" {
		p = 1
	}
	scale := 1.0
	for i := 0; i < len(frac); i++ {
		scale /= 10
		p += float64(frac[i]-'0') * scale
	}
	return p, p > 0 && p <= 1
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseReply parses "550", "550 5.1.1", "550 5.1.1 No such user" or a
// multi-line reply whose lines are separated by a newline or a literal
// "\n" ("550 5.7.1 first\nsecond", or with the codes repeated:
// "550-5.7.1 first\n550 5.7.1 second"). A reply given as a code, or a code
// and an enhanced code, takes its text from the catalogue.
func ParseReply(s string) (Reply, error) {
	s = strings.ReplaceAll(s, `\n`, "\n")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	raw := strings.Split(s, "\n")
	if len(raw) > 100 {
		return Reply{}, errors.New("a reply of more than 100 lines")
	}
	first := raw[0]
	if len(first) < 3 || !isDigits(first[:3]) || len(first) > 3 && first[3] != ' ' && first[3] != '-' {
		return Reply{}, fmt.Errorf("reply %q does not start with a three-digit code", first)
	}
	code, _ := strconv.Atoi(first[:3])
	if code < 200 || code > 599 || code%100 > 59 {
		return Reply{}, fmt.Errorf("%d is not an SMTP reply code (2yz to 5yz, second digit 0 to 5)", code)
	}
	rep := Reply{Code: code}
	prefix := first[:3]
	for i, line := range raw {
		if strings.ContainsAny(line, "\r\x00") {
			return Reply{}, errors.New("a reply line holds a CR or NUL")
		}
		// Lines written with their code ("550-...", "550 ...") are taken
		// as they are written, minus the code.
		if len(line) >= 4 && line[:3] == prefix && (line[3] == ' ' || line[3] == '-') {
			line = line[4:]
		} else if line == prefix {
			line = ""
		} else if i == 0 {
			return Reply{}, fmt.Errorf("reply %q does not start with a three-digit code", first)
		} else if len(line) >= 3 && isDigits(line[:3]) && (len(line) == 3 || line[3] == ' ' || line[3] == '-') {
			return Reply{}, fmt.Errorf("codes %s and %s in one reply: every line of a multi-line reply has the same code (RFC 5321 §4.2.1)", prefix, line[:3])
		}
		if i > 0 && strings.TrimSpace(line) == "" {
			return Reply{}, errors.New("an empty line in a multi-line reply (a trailing \\n?)")
		}
		if len(line) > 510-4 {
			return Reply{}, errors.New("a reply line longer than the 512 octets RFC 5321 allows")
		}
		enh, text := splitEnhanced(line)
		if enh != "" {
			if int(enh[0]-'0') != rep.Class() {
				return Reply{}, fmt.Errorf("enhanced code %s does not match the class of %d (RFC 3463 §2)", enh, code)
			}
			if rep.Enhanced == "" && i == 0 {
				rep.Enhanced = enh
			} else if enh != rep.Enhanced {
				return Reply{}, fmt.Errorf("enhanced codes %s and %s on one reply", rep.Enhanced, enh)
			}
		}
		rep.Lines = append(rep.Lines, text)
	}
	if len(rep.Lines) == 1 && rep.Lines[0] == "" {
		fill(&rep)
	}
	return rep, nil
}

// splitEnhanced splits "5.1.1 No such user" into its enhanced code and
// text; "No such user" has none.
func splitEnhanced(line string) (enh, text string) {
	tok, rest, _ := strings.Cut(line, " ")
	if isEnhancedCode(tok) {
		return tok, rest
	}
	return "", line
}

func isEnhancedCode(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 3 || len(parts[0]) != 1 || parts[0][0] < '2' || parts[0][0] > '5' || parts[0] == "3" {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) < 1 || len(p) > 3 || !isDigits(p) || len(p) > 1 && p[0] == '0' {
			return false
		}
	}
	return true
}

// fill completes a reply given as a code (and perhaps an enhanced code)
// from the catalogue, with a generic text when the catalogue lacks it.
func fill(r *Reply) {
	r.Filled = true
	r.enhancedFilled = r.Enhanced == ""
	e := codes.FindBasic(r.Code)
	text := ""
	if r.Enhanced != "" {
		if d := codes.Find("X" + r.Enhanced[1:]); d != nil && d.Title != "" {
			text = d.Title
		}
	}
	if e != nil {
		if r.Enhanced == "" && e.Enhanced != "" && int(e.Enhanced[0]-'0') == r.Class() {
			r.Enhanced = e.Enhanced
		}
		if text == "" {
			text = e.Text
		}
		if text == "" {
			text = e.Title
		}
	}
	if r.Enhanced == "" && r.Class() != 3 {
		r.Enhanced = strconv.Itoa(r.Class()) + ".0.0"
	}
	if text == "" {
		text = [...]string{2: "OK", 3: "Go ahead", 4: "Temporary failure", 5: "Permanent failure"}[r.Class()]
	}
	// Catalogue texts may carry placeholders such as "<domain>"; a reply
	// on the wire has none.
	text = strings.TrimSpace(strings.NewReplacer("<domain> ", "", "<domain>", "").Replace(text))
	r.Lines = []string{text}
}

// Glob reports whether s matches the case-insensitive pattern, where '*'
// matches any run of characters and '?' exactly one. It runs in time
// proportional to len(pattern)*len(s), whatever the pattern.
func Glob(pattern, s string) bool {
	p := []rune(strings.ToLower(pattern))
	t := []rune(strings.ToLower(s))
	pi, ti := 0, 0
	star, mark := -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == t[ti]):
			pi++
			ti++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
