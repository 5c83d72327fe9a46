package codes

import (
	"fmt"
	"strconv"
	"strings"
)

// Query is one reply a user asked about: a basic code, an enhanced code, both
// (a pasted reply line), a range such as "5xx", or a provider tag.
type Query struct {
	Input    string // what was typed, whitespace folded
	Basic    int    // 0 when absent
	Enhanced string // "5.7.1", "X.7.1", "X.7.XXX"; "" when absent
	Pattern  string // "5xx", "55x"; "" when absent
	Tag      string // "TSS04"; "" when absent
	Text     string // reply text after the codes, for a pasted line
	// Provider is the provider the reply came from, as explain names it
	// ("Microsoft 365"), when the caller knows it: its dialect comes first.
	Provider string
}

// String is the query written back in canonical form: "550 5.7.1".
func (q Query) String() string {
	var parts []string
	if q.Pattern != "" {
		parts = append(parts, q.Pattern)
	}
	if q.Basic != 0 {
		parts = append(parts, strconv.Itoa(q.Basic))
	}
	if q.Enhanced != "" {
		parts = append(parts, q.Enhanced)
	}
	if q.Tag != "" {
		parts = append(parts, q.Tag)
	}
	return strings.Join(parts, " ")
}

// SyntaxError is input that is not a code at all: a usage error.
type SyntaxError struct {
	Input  string
	Reason string
	Hint   string
}

func (e *SyntaxError) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("%s is not an SMTP reply code: %s", Quote(e.Input), e.Reason)
	}
	return fmt.Sprintf("%s is not an SMTP reply code", Quote(e.Input))
}

// Quote shows user input in a message: quoted, control characters escaped,
// cut short when long.
func Quote(s string) string {
	const max = 40
	r := []rune(s)
	if len(r) > max {
		return strconv.Quote(string(r[:max])) + "…"
	}
	return strconv.Quote(s)
}

// ParseArgs reads the command line's codes. Each argument that starts with a
// code starts a query; an enhanced code right after a lone basic code joins
// it ("550" "5.7.1" is one reply); words that are not codes after a code are
// that reply's text, so an unquoted pasted line reads as one reply.
func ParseArgs(args []string) ([]Query, error) {
	var qs []Query
	joinable := false // the last query is a lone basic code from the previous argument
	for _, arg := range args {
		fields := strings.Fields(joinReplyLines(arg))
		if f := fields; len(f) > 0 && len(f[0]) > 4 && isBasicCode(f[0][:3]) && f[0][3] == '-' && !isEnhanced(f[0][4:]) {
			// "452-Too many recipients": the code, then the text.
			fields = append([]string{f[0][:4], f[0][4:]}, f[1:]...)
		}
		if len(fields) == 0 {
			return nil, &SyntaxError{Input: arg, Reason: "it is empty", Hint: "give a code such as 550, 5.7.1 or \"550 5.7.1\""}
		}
		q, n := parseStart(fields)
		if n == 0 {
			if len(qs) > 0 {
				last := &qs[len(qs)-1]
				last.Text = strings.TrimSpace(last.Text + " " + strings.Join(fields, " "))
				last.Input += " " + strings.Join(fields, " ")
				joinable = false
				continue
			}
			return nil, syntaxError(fields[0])
		}
		rest := stripContinuations(fields[n:], q.Basic, q.Enhanced)
		q.Text = strings.Join(rest, " ")
		q.Input = strings.Join(append(fields[:n:n], rest...), " ")
		if joinable && q.Basic == 0 && q.Enhanced != "" && q.Pattern == "" && q.Tag == "" {
			last := &qs[len(qs)-1]
			last.Enhanced = q.Enhanced
			last.Text = q.Text
			last.Input += " " + q.Input
			joinable = false
			continue
		}
		qs = append(qs, q)
		joinable = q.Basic != 0 && q.Enhanced == "" && q.Text == ""
	}
	return qs, nil
}

// Parse reads one reply: "550", "5.7.1", "550 5.7.1 Message rejected",
// "550-5.7.1 ...", "X.7.1", "5xx", "TSS04".
func Parse(s string) (Query, error) {
	qs, err := ParseArgs([]string{s})
	if err != nil {
		return Query{}, err
	}
	return qs[0], nil
}

// parseStart reads the codes at the start of a line's fields and returns the
// query and how many fields it used (0: the line does not start with a code).
func parseStart(fields []string) (Query, int) {
	var q Query
	first := fields[0]
	n := 1
	switch {
	case isPattern(first):
		q.Pattern = strings.ToLower(first)
		return q, 1
	case isTag(first):
		q.Tag = strings.ToUpper(strings.Trim(first, "[]"))
		return q, 1
	case len(first) > 4 && isBasicCode(first[:3]) && first[3] == '-' && isEnhanced(first[4:]):
		// "550-5.7.1": the first line of a multi-line reply.
		q.Basic, _ = strconv.Atoi(first[:3])
		q.Enhanced = canonicalEnhanced(first[4:])
	case len(first) == 4 && isBasicCode(first[:3]) && first[3] == '-':
		q.Basic, _ = strconv.Atoi(first[:3])
	case isBasicCode(first):
		q.Basic, _ = strconv.Atoi(first)
		if len(fields) > 1 && isEnhanced(fields[1]) {
			q.Enhanced = canonicalEnhanced(fields[1])
			n = 2
		}
	case isEnhanced(first):
		q.Enhanced = canonicalEnhanced(first)
	default:
		return Query{}, 0
	}
	// A provider tag in the text ("421 4.7.0 [TSS04] Messages from ...").
	for _, f := range fields[n:] {
		if t := strings.Trim(f, "[]():,"); isTag(t) {
			q.Tag = strings.ToUpper(t)
			break
		}
	}
	return q, n
}

// joinReplyLines joins the lines of a pasted multi-line reply into one,
// dropping each continuation line's code prefix: "550-5.7.1 a\n550 5.7.1 b"
// reads as "550-5.7.1 a b". Lines that do not repeat the first line's code
// are kept as they are, joined by a space.
func joinReplyLines(arg string) string {
	if !strings.Contains(arg, "\n") {
		return arg
	}
	lines := strings.Split(strings.ReplaceAll(arg, "\r", ""), "\n")
	first := strings.TrimSpace(lines[0])
	code, enh := "", ""
	if len(first) >= 4 && isBasicCode(first[:3]) && (first[3] == '-' || first[3] == ' ') {
		code = first[:3]
		if f := strings.Fields(first[4:]); len(f) > 0 && isEnhanced(f[0]) {
			enh = f[0]
		}
	}
	out := []string{first}
	for _, l := range lines[1:] {
		l = strings.TrimSpace(l)
		if code != "" && len(l) >= 3 && l[:3] == code && (len(l) == 3 || l[3] == '-' || l[3] == ' ') {
			l = strings.TrimSpace(l[min(4, len(l)):])
			if enh != "" && (l == enh || strings.HasPrefix(l, enh+" ")) {
				l = strings.TrimSpace(l[len(enh):])
			}
		}
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, " ")
}

// stripContinuations drops from a reply's text the code prefixes of the
// lines a log joined into one ("... detected 550-5.7.1 likely ... 550 5.7.1
// this message"), as RFC 5321 §4.2.1 makes every line repeat the code.
func stripContinuations(fields []string, basic int, enhanced string) []string {
	if basic == 0 {
		return fields
	}
	code := strconv.Itoa(basic)
	sameEnh := func(f string) bool {
		return enhanced != "" && isEnhanced(f) && canonicalEnhanced(f) == enhanced
	}
	out := make([]string, 0, len(fields))
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		switch {
		case f == code+"-":
			continue
		case strings.HasPrefix(f, code+"-"):
			rest := f[len(code)+1:]
			if sameEnh(rest) {
				continue
			}
			out = append(out, rest)
			continue
		case f == code && i+1 < len(fields) && sameEnh(fields[i+1]):
			i++
			continue
		}
		out = append(out, f)
	}
	return out
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// isBasicCode matches three digits; RFC 5321 §4.2 puts 1 to 5 first, and a
// well-formed number outside that is answered "no code", not "not a code".
func isBasicCode(s string) bool {
	return len(s) == 3 && s[0] >= '1' && s[0] <= '9' && isDigit(s[1]) && isDigit(s[2])
}

// isPattern matches a class or range: "5xx", "55x", "5XX".
func isPattern(s string) bool {
	if len(s) != 3 || s[0] < '2' || s[0] > '5' {
		return false
	}
	x := func(b byte) bool { return b == 'x' || b == 'X' }
	return (x(s[1]) && x(s[2])) || (isDigit(s[1]) && x(s[2]))
}

// isEnhanced matches RFC 3463's class "." subject "." detail, with 1 to 3
// digits in subject and detail, and X for "any" (X.1.1, X.7.XXX, 5.XXX.XXX).
func isEnhanced(s string) bool {
	p := strings.Split(s, ".")
	if len(p) != 3 {
		return false
	}
	if !(len(p[0]) == 1 && (isDigit(p[0][0]) || p[0] == "X" || p[0] == "x")) {
		return false
	}
	for _, part := range p[1:] {
		if !isNumber(part, 3) && !strings.EqualFold(part, "XXX") && !strings.EqualFold(part, "X") {
			return false
		}
	}
	return true
}

func isNumber(s string, max int) bool {
	if len(s) == 0 || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func canonicalEnhanced(s string) string {
	p := strings.Split(strings.ToUpper(s), ".")
	for i := 1; i < 3; i++ {
		if p[i] == "X" {
			p[i] = "XXX"
		} else if p[i] != "XXX" {
			n, _ := strconv.Atoi(p[i])
			p[i] = strconv.Itoa(n) // "5.01.001" is 5.1.1
		}
	}
	return strings.Join(p, ".")
}

// isTag matches a tag that the catalogue knows, "TSS04" or "[TSS04]".
func isTag(s string) bool {
	s = strings.Trim(s, "[]")
	if len(s) < 3 || len(s) > 12 {
		return false
	}
	for i := enhancedEnd; i < tagEnd; i++ {
		if strings.EqualFold(catalogue[i].Code, s) {
			return true
		}
	}
	return false
}

func syntaxError(tok string) *SyntaxError {
	e := &SyntaxError{Input: tok}
	digits := strings.Trim(tok, "0123456789") == ""
	parts := strings.Split(tok, ".")
	switch {
	case digits && len(tok) == 3:
		// 050, 000: three digits, but no class.
		e.Reason = "a reply code starts with 2, 3, 4 or 5 (RFC 5321 §4.2)"
	case digits:
		e.Reason = "a reply code has three digits"
	case len(tok) == 3 && (tok[0] == '0' || tok[0] == '1' || tok[0] > '5') && strings.Trim(strings.ToLower(tok[1:]), "x0123456789") == "":
		e.Reason = "the reply classes are 2xx, 3xx, 4xx and 5xx (RFC 5321 §4.2.1)"
	case len(parts) == 3 && isEnhancedShape(parts):
		e.Reason = enhancedReason(parts)
	case len(parts) == 2 && len(parts[0]) == 1 && isDigit(parts[0][0]) && isNumber(parts[1], 3):
		e.Reason = "an enhanced status code has three parts, class.subject.detail"
	case strings.Count(tok, ".") == 2:
		e.Reason = "an enhanced status code is class.subject.detail, such as 5.7.1"
	}
	if s := suggestFor(tok); len(s) > 0 {
		e.Hint = "did you mean " + strings.Join(s, ", ") + "?"
	} else if digits || len(tok) <= 4 && strings.ContainsAny(tok, "0123456789") {
		e.Hint = "give a code such as 550, 5.7.1 or \"550 5.7.1\", or a class such as 5xx"
	} else {
		e.Hint = "to search by words, run: smtpcode search " + strings.Join(strings.Fields(tok), " ")
		if len(e.Hint) > 80 {
			e.Hint = "give a code such as 550, 5.7.1 or \"550 5.7.1\", or search by words with smtpcode search"
		}
	}
	return e
}

// isEnhancedShape reports whether parts look like an enhanced code with
// a part of the wrong length: a digit class and digit subject and detail.
func isEnhancedShape(parts []string) bool {
	if len(parts[0]) != 1 || !(isDigit(parts[0][0]) || parts[0] == "X" || parts[0] == "x") {
		return false
	}
	for _, p := range parts[1:] {
		if !isNumber(p, 1<<20) {
			return false
		}
	}
	return true
}

// enhancedReason says which part of an enhanced code is out of shape.
func enhancedReason(parts []string) string {
	switch {
	case len(parts[1]) > 3:
		return fmt.Sprintf("the subject %s has more than three digits (RFC 3463 §2)", parts[1])
	case len(parts[2]) > 3:
		return fmt.Sprintf("the detail %s has more than three digits (RFC 3463 §2)", parts[2])
	}
	return "an enhanced status code is class.subject.detail, such as 5.7.1"
}
