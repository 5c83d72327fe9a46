package codes

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// All returns every entry in catalogue order: basic codes by number, then
// the enhanced registry (classes, subjects, details), then non-standard
// details and provider tags.
func All() []Entry { return catalogue[:] }

// Find returns the entry with exactly this catalogue code ("550", "X.1.1",
// "TSS04"), or nil.
func Find(code string) *Entry {
	for i := range catalogue {
		if strings.EqualFold(catalogue[i].Code, code) {
			return &catalogue[i]
		}
	}
	return nil
}

// FindBasic returns the basic code's entry, or nil.
func FindBasic(code int) *Entry {
	s := strconv.Itoa(code)
	i := sort.Search(basicEnd, func(i int) bool { return catalogue[i].Code >= s })
	if i < basicEnd && catalogue[i].Code == s {
		return &catalogue[i]
	}
	return nil
}

// Match is an entry as it answers a query: X.1.1 asked as 5.1.1 is shown
// as 5.1.1, with class 5.
type Match struct {
	Entry *Entry
	As    string
}

// Class is the class the match stands for, or 0 when it stands for all.
func (m Match) Class() int {
	if m.As != "" && m.As[0] >= '2' && m.As[0] <= '5' {
		return int(m.As[0] - '0')
	}
	return m.Entry.Class()
}

// Code is the code as shown: As when set, else the entry's code.
func (m Match) Code() string {
	if m.As != "" {
		return m.As
	}
	return m.Entry.Code
}

// Result is what the catalogue knows about one query.
type Result struct {
	Query   Query
	Matches []Match
	Notes   []string
}

// NotFoundError is a well-formed code the catalogue does not have.
type NotFoundError struct {
	Code        string
	Reason      string
	Suggestions []string
	// Advice is the hint when there is no code to suggest.
	Advice string
}

func (e *NotFoundError) Error() string {
	if e.Reason != "" {
		return "no code " + e.Code + ": " + e.Reason
	}
	return "no code " + e.Code
}

// Hint is the "did you mean" line, or "".
func (e *NotFoundError) Hint() string {
	if len(e.Suggestions) == 0 {
		return e.Advice
	}
	return "did you mean " + strings.Join(e.Suggestions, ", ") + "?"
}

// FlatSource writes a source that has its own parenthesis so that it reads
// well inside parentheses: "Gmail (Google's reply text, as quoted in ...)"
// becomes "Gmail: Google's reply text, as quoted in ...", never "((...))".
func FlatSource(src string) string {
	if head, rest, ok := strings.Cut(src, " ("); ok && strings.HasSuffix(rest, ")") && !strings.Contains(head, "(") {
		return head + ": " + strings.TrimSuffix(rest, ")")
	}
	return src
}

// Resolve finds the entries that answer a query.
func Resolve(q Query) (Result, error) {
	r := Result{Query: q}
	if q.Pattern != "" {
		prefix := strings.TrimRight(q.Pattern, "x")
		for i := 0; i < basicEnd; i++ {
			if strings.HasPrefix(catalogue[i].Code, prefix) {
				r.Matches = append(r.Matches, Match{Entry: &catalogue[i]})
			}
		}
		if len(r.Matches) == 0 {
			return r, &NotFoundError{Code: q.Pattern, Reason: "no reply code in that range"}
		}
		return r, nil
	}
	if q.Basic != 0 {
		e := FindBasic(q.Basic)
		if e == nil {
			return r, unknownBasic(q.Basic)
		}
		r.Matches = append(r.Matches, Match{Entry: e})
	}
	if q.Enhanced != "" {
		ms, notes, err := resolveEnhanced(q.Enhanced)
		if err != nil {
			return r, err
		}
		r.Matches = append(r.Matches, ms...)
		r.Notes = append(r.Notes, notes...)
		if q.Basic != 0 && q.Enhanced[0] != 'X' && int(q.Enhanced[0]-'0') != q.Basic/100 {
			r.Notes = append(r.Notes, fmt.Sprintf("%d and %s disagree: an enhanced code's class (RFC 3463 §2) is expected to match the reply's first digit", q.Basic, q.Enhanced))
		}
	}
	if q.Tag != "" {
		if e := Find(q.Tag); e != nil && e.Kind == Tag {
			r.Matches = append(r.Matches, Match{Entry: e})
		}
	}
	return r, nil
}

// unknownBasic is the error for a well-formed code no standard defines:
// what its first digit still says, or why it cannot be a reply.
func unknownBasic(code int) *NotFoundError {
	s := strconv.Itoa(code)
	e := &NotFoundError{Code: s, Suggestions: suggestBasic(s)}
	switch class := code / 100; {
	case class == 1:
		e.Reason = "RFC 5321 defines no 1yz reply, and SMTP has none in use"
		e.Advice = "the reply classes are 2xx, 3xx, 4xx and 5xx: smtpcode list"
	case class > 5:
		e.Reason = "a reply code starts with 2, 3, 4 or 5 (RFC 5321 §4.2.1)"
		e.Advice = "the reply classes are 2xx, 3xx, 4xx and 5xx: smtpcode list"
	case len(e.Suggestions) > 0:
		// Most likely a typo: the suggestions say it.
	default:
		e.Reason = "no RFC or extension defines it; it is the server's own"
		what, _, _ := strings.Cut(ClassMeaning(class), ":")
		e.Advice = fmt.Sprintf("a %dxx reply means %s whatever its last digits; the defined ones: smtpcode %dxx", class, what, class)
	}
	return e
}

func resolveEnhanced(code string) ([]Match, []string, error) {
	p := strings.Split(code, ".")
	class, subject, detail := p[0], p[1], p[2]
	if class != "X" && class != "2" && class != "4" && class != "5" {
		return nil, nil, &NotFoundError{Code: code, Reason: "an enhanced status code's class is 2, 4 or 5 (RFC 3463 §2)", Suggestions: enhancedClassSuggestions(subject, detail)}
	}
	// Class entry: "5.XXX.XXX".
	if subject == "XXX" {
		if detail != "XXX" {
			return nil, nil, &NotFoundError{Code: code, Reason: "write a class alone as " + class + ".XXX.XXX"}
		}
		if e := Find(code); e != nil {
			return []Match{{Entry: e}}, nil, nil
		}
		return nil, nil, &NotFoundError{Code: code}
	}
	subj := Find("X." + subject + ".XXX")
	if subj == nil {
		return nil, nil, &NotFoundError{Code: code, Reason: "the subjects run from X.0.XXX to X.7.XXX (RFC 3463 §2)"}
	}
	as := func(e *Entry) Match {
		if class == "X" {
			return Match{Entry: e}
		}
		// Show X.1.1 as asked, 5.1.1; X.7.XXX as 5.7.XXX.
		return Match{Entry: e, As: class + e.Code[1:]}
	}
	if detail == "XXX" {
		return []Match{as(subj)}, nil, nil
	}
	if e := Find("X." + subject + "." + detail); e != nil {
		ms := []Match{as(e)}
		var notes []string
		// A provider may give a registered code its own meaning (Microsoft's
		// 5.1.10 is "recipient not found", the registry's is null MX).
		if class != "X" {
			if ns := Find(code); ns != nil && !ns.Standard {
				ms = append(ms, Match{Entry: ns})
				notes = append(notes, fmt.Sprintf("%s is in the IANA registry, and %s also uses it with a meaning of its own: both follow", code, ns.Source))
			}
		}
		return ms, notes, nil
	}
	// Not in the registry: a provider's detail, or explained by its parts.
	var ms []Match
	var notes []string
	if e := findNonStandard(class, subject, detail); e != nil {
		ms = append(ms, Match{Entry: e, As: code})
		notes = append(notes, fmt.Sprintf("%s is not in the IANA registry; it is a provider's own detail (%s)", code, FlatSource(e.Source)))
	} else {
		notes = append(notes, fmt.Sprintf("%s is not in the IANA registry: what follows is what its class and subject say; the detail %s is the server's own", code, detail))
	}
	ms = append(ms, as(subj))
	return ms, notes, nil
}

// findNonStandard finds a non-standard detail, exact ("5.7.708") or in a
// range ("4.7.500-699").
func findNonStandard(class, subject, detail string) *Entry {
	d, err := strconv.Atoi(detail)
	if err != nil {
		return nil
	}
	for i := basicEnd; i < enhancedEnd; i++ {
		e := &catalogue[i]
		if e.Standard {
			continue
		}
		p := strings.Split(e.Code, ".")
		if len(p) != 3 || (p[0] != class && p[0] != "X") || p[1] != subject {
			continue
		}
		lo, hi, ok := strings.Cut(p[2], "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			continue
		}
		b := a
		if ok {
			if b, err = strconv.Atoi(hi); err != nil {
				continue
			}
		}
		if d >= a && d <= b {
			return e
		}
	}
	return nil
}

func enhancedClassSuggestions(subject, detail string) []string {
	var s []string
	for _, c := range []string{"4", "5"} {
		if subject != "XXX" {
			if Find("X."+subject+"."+detail) != nil {
				s = append(s, c+"."+subject+"."+detail)
			}
		}
	}
	return s
}

// suggestBasic returns up to three basic codes one digit away from s, the
// better-documented first.
func suggestBasic(s string) []string {
	type cand struct {
		code  string
		dist  int
		known int
	}
	var cs []cand
	for i := 0; i < basicEnd; i++ {
		e := &catalogue[i]
		d := editDistance(s, e.Code)
		if d <= 1 || (len(s) == 3 && d == 2 && s[0] == e.Code[0] && s[2] == e.Code[2]) {
			cs = append(cs, cand{e.Code, d, len(e.Causes) + len(e.Aliases)})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].dist != cs[j].dist {
			return cs[i].dist < cs[j].dist
		}
		if cs[i].known != cs[j].known {
			return cs[i].known > cs[j].known
		}
		return cs[i].code < cs[j].code
	})
	var out []string
	for i := 0; i < len(cs) && i < 3; i++ {
		out = append(out, cs[i].code)
	}
	sort.Strings(out)
	return out
}

// suggestFor offers codes for a token that is not a code, the one a
// person most likely meant: "5500" → 550, "5.71" → 5.7.1, "5O2" → 502,
// "550x" → 550, "4x" → 4xx, "5.7" → 5.7.XXX, "5.1.1000" → 5.1.1.
func suggestFor(tok string) []string {
	if len(tok) > 12 {
		return nil
	}
	if strings.Trim(tok, "0123456789") == "" {
		switch len(tok) {
		case 2, 4:
			return suggestBasic(tok)
		case 3:
			if tok[0] == '0' {
				return suggestBasic(tok)
			}
		}
		return nil
	}
	// Letters that look like digits: 5O2, 55l, 4S1.
	if len(tok) == 3 {
		fixed := strings.Map(func(r rune) rune {
			switch r {
			case 'O', 'o':
				return '0'
			case 'l', 'I', 'i':
				return '1'
			case 'S', 's':
				return '5'
			}
			return r
		}, tok)
		if fixed != tok && isBasicCode(fixed) && FindBasic(atoi(fixed)) != nil {
			return []string{fixed}
		}
	}
	// A class with one x too few or too many: 4x, 5xxx.
	if len(tok) >= 2 && tok[0] >= '2' && tok[0] <= '5' && strings.Trim(strings.ToLower(tok[1:]), "x") == "" {
		return []string{tok[:1] + "xx"}
	}
	// A code with something stuck to it: 550x, 550:, 5.7.1;.
	for _, end := range []int{3, 5, 6, 7} {
		if len(tok) > end && isDigit(tok[end-1]) && !isDigit(tok[end]) {
			head := tok[:end]
			if isBasicCode(head) && FindBasic(atoi(head)) != nil {
				return []string{head}
			}
			if isEnhanced(head) && tok[end] != '.' {
				return []string{canonicalEnhanced(head)}
			}
		}
	}
	parts := strings.Split(tok, ".")
	// A subject alone: 5.7 is the subject 5.7.XXX.
	if len(parts) == 2 && len(parts[0]) == 1 && isNumber(parts[1], 3) {
		if c := parts[0]; c == "2" || c == "4" || c == "5" || c == "X" || c == "x" {
			if Find("X."+parts[1]+".XXX") != nil {
				return []string{strings.ToUpper(c) + "." + parts[1] + ".XXX"}
			}
		}
	}
	// A detail with digits too many: 5.1.1000 → 5.1.1, 5.1.10.
	if len(parts) == 3 && isNumber(parts[2], 12) && len(parts[2]) > 3 && len(parts[0]) == 1 {
		var out []string
		for n := 3; n >= 1; n-- {
			if Find("X."+parts[1]+"."+strings.TrimLeft(parts[2][:n], "0")) != nil {
				out = append(out, parts[0]+"."+parts[1]+"."+parts[2][:n])
			}
		}
		return out
	}
	digits := strings.ReplaceAll(tok, ".", "")
	if strings.Trim(digits, "0123456789") == "" && len(digits) == 3 && strings.Contains(tok, ".") {
		c := digits[:1] + "." + digits[1:2] + "." + digits[2:]
		if _, err := Parse(c); err == nil {
			return []string{c}
		}
	}
	return nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Action is what to do about the match: an X.s.d entry asked as 4.s.d is
// transient whatever its usual action, and as 5.s.d is never "retry".
func (m Match) Action() Action {
	a := m.Entry.Action
	if m.Entry.Class() != 0 || m.Entry.Kind != Enhanced {
		return a
	}
	switch m.Class() {
	case 2:
		return ActionNone
	case 4:
		return ActionRetry
	case 5:
		if a == ActionRetry || a == ActionNone {
			return ActionGiveUp
		}
	}
	return a
}
