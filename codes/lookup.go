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
		if e := FindTag(q.Tag); e != nil {
			r.Matches = append(r.Matches, Match{Entry: e})
		}
	}
	// A pasted reply from a provider, or with a provider's own words, is
	// read in that provider's dialect first.
	if q.Provider != "" || q.Text != "" {
		for _, code := range []string{q.Enhanced, q.basicString()} {
			if code == "" || code[0] == 'X' {
				continue
			}
			if d := DialectFor(q.Provider, code, q.Text); d != nil {
				p := q.Provider
				if p == "" {
					p = d.Providers()[0]
				}
				r.Matches = append([]Match{{Entry: d}}, r.Matches...)
				r.Notes = append(r.Notes, fmt.Sprintf("at %s, %s means something of its own: that comes first, then the standard meaning", p, code))
				break
			}
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

func (q Query) basicString() string {
	if q.Basic == 0 {
		return ""
	}
	return strconv.Itoa(q.Basic)
}

// FindTag returns the provider tag's entry ("TSS04", "RP-001"), or nil.
func FindTag(tag string) *Entry {
	for i := enhancedEnd; i < tagEnd; i++ {
		if strings.EqualFold(catalogue[i].Code, tag) {
			return &catalogue[i]
		}
	}
	return nil
}

// Dialects returns the provider dialects of a code: "5.7.3" and "535" give
// what those exact codes mean at providers, "X.7.3" gives them for every
// class.
func Dialects(code string) []*Entry {
	var out []*Entry
	for i := tagEnd; i < len(catalogue); i++ {
		if e := &catalogue[i]; dialectCovers(e.Code, code) {
			out = append(out, e)
		}
	}
	return out
}

func dialectCovers(ecode, code string) bool {
	if strings.EqualFold(ecode, code) {
		return true
	}
	return len(code) > 2 && code[0] == 'X' && len(ecode) > 2 && ecode[1] == '.' && ecode[2:] == code[2:]
}

// DialectFor returns what code ("5.7.3", "550") means at provider, for a
// reply with this text (compared without case: a user may retype it): the
// provider's dialect whose match words the reply holds, else its dialect
// with no match words. With no provider known, a dialect whose match words
// the reply holds is taken: those words are the provider's mark. It
// returns nil when no dialect applies.
func DialectFor(provider, code, text string) *Entry {
	var loose *Entry
	for _, e := range DialectCandidates(provider, code) {
		switch {
		case e.Match() == "":
			if loose == nil {
				loose = e
			}
		case ContainsFold(text, e.Match()):
			return e
		}
	}
	return loose
}

// DialectCandidates returns the dialects of code ("5.7.3", "550") that may
// apply to a reply from provider, in the order DialectFor tries them: with
// a provider, its dialects; with none, those whose match words are a
// provider's mark (not a standard title). DialectIn picks among them.
func DialectCandidates(provider, code string) []*Entry {
	var out []*Entry
	for i := tagEnd; i < len(catalogue); i++ {
		e := &catalogue[i]
		if e.Code != code {
			continue
		}
		if provider != "" && !e.UsedBy(provider) {
			continue
		}
		if provider == "" && (e.Match() == "" || standardTitleHolds(code, e.Match())) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// DialectMatcher picks, among a reply's dialect candidates, the one its
// text calls for. Build it once per kind of reply (NewDialectMatcher) and
// use it on each: it reads the text once, however many candidates there
// are.
type DialectMatcher struct {
	cands   []*Entry
	loose   *Entry     // the first candidate with no match words
	anchor  []int      // per candidate: the index of its rarest byte
	bySet   [256]bool  // the anchor bytes
	byBytes [256][]int // anchor byte -> candidates, in order
}

// NewDialectMatcher prepares the candidates (from DialectCandidates).
func NewDialectMatcher(cands []*Entry) *DialectMatcher {
	m := &DialectMatcher{cands: cands, anchor: make([]int, len(cands))}
	for i, e := range cands {
		if e.Match() == "" {
			if m.loose == nil {
				m.loose = e
			}
			continue
		}
		a := rarestByte(e.Match())
		m.anchor[i] = a
		c := e.Match()[a]
		for _, c := range [...]byte{c, swapCase(c)} {
			if !m.bySet[c] || m.byBytes[c][len(m.byBytes[c])-1] != i {
				m.bySet[c] = true
				m.byBytes[c] = append(m.byBytes[c], i)
			}
		}
	}
	return m
}

// swapCase turns an ASCII letter's case, and leaves other bytes.
func swapCase(c byte) byte {
	if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
		return c ^ 0x20
	}
	return c
}

// equalFoldASCII compares a and b ignoring ASCII case.
func equalFoldASCII(a []byte, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range len(a) {
		x, y := a[i], b[i]
		if x != y && (x|0x20 != y|0x20 || x|0x20 < 'a' || x|0x20 > 'z') {
			return false
		}
	}
	return true
}

// Len is how many candidates the matcher holds.
func (m *DialectMatcher) Len() int { return len(m.cands) }

// In returns the dialect for a reply's text: the first candidate whose
// match words it holds, in any ASCII case (a provider's servers do not all
// write its words alike: Mimecast's "Email rejected due to security
// policies" comes in lower case too), else the first with none, else nil.
func (m *DialectMatcher) In(text []byte) *Entry {
	best := len(m.cands)
	for i, c := range text {
		if !m.bySet[c] {
			continue
		}
		for _, k := range m.byBytes[c] {
			if k >= best {
				break
			}
			sub, a := m.cands[k].Match(), m.anchor[k]
			if i >= a && i-a+len(sub) <= len(text) && equalFoldASCII(text[i-a:i-a+len(sub)], sub) {
				best = k
				break
			}
		}
		if best == 0 {
			break
		}
	}
	if best < len(m.cands) {
		return m.cands[best]
	}
	return m.loose
}

func rarestByte(sub string) int {
	a := 0
	for i := 1; i < len(sub); i++ {
		if byteRarity(sub[i]) > byteRarity(sub[a]) {
			a = i
		}
	}
	return a
}

func byteRarity(c byte) int {
	switch {
	case c >= 'a' && c <= 'z', c == ' ':
		return 0
	case c >= 'A' && c <= 'Z':
		return 2
	case c == '.' || c == ',':
		return 1
	}
	return 3
}

// ContainsFold reports whether s holds sub, ASCII letters compared without
// case.
func ContainsFold(s, sub string) bool {
	n := len(sub)
	if n == 0 {
		return true
	}
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], sub) {
			return true
		}
	}
	return false
}

// DialectsOf returns the provider dialects to show under a match's page:
// those of the code as shown, minus any the result already shows as a page.
func (r Result) DialectsOf(m Match) []*Entry {
	e := m.Entry
	if !e.Standard || e.IsClassEntry() || e.IsSubjectEntry() {
		return nil
	}
	var out []*Entry
	for _, d := range Dialects(m.Code()) {
		shown := false
		for _, o := range r.Matches {
			shown = shown || o.Entry == d
		}
		if !shown {
			out = append(out, d)
		}
	}
	return out
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
		// A provider's own meaning of a registered code (Microsoft's 5.1.10
		// is "recipient not found", the registry's is null MX) is one of
		// the page's dialects: see Result.DialectsOf.
		return []Match{as(e)}, nil, nil
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

// Actor is who must act on the match: no one for a success, whoever the
// entry names otherwise.
func (m Match) Actor() Actor {
	if m.Class() == 2 || m.Action() == ActionNone {
		return ActorNone
	}
	return m.Entry.Actor
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

// HasDialects reports whether some provider gives code ("5.7.3", "550") a
// meaning of its own.
func HasDialects(code string) bool {
	if code == "" {
		return false
	}
	for i := tagEnd; i < len(catalogue); i++ {
		if catalogue[i].Code == code {
			return true
		}
	}
	return false
}

// HasTags reports whether the provider labels its replies with tags the
// catalogue knows.
func HasTags(provider string) bool {
	for i := enhancedEnd; i < tagEnd; i++ {
		if catalogue[i].UsedBy(provider) {
			return true
		}
	}
	return false
}

// TagIn finds in a reply's text a tag of the provider's that the catalogue
// knows, written as a word of its own ("550 SC-001 ...", "#BL000001"), or
// returns nil.
func TagIn(text []byte, provider string) *Entry {
	for i := 0; i < len(text); {
		for i < len(text) && !isTagByte(text[i]) {
			i++
		}
		j := i
		digit, letter := false, false
		for j < len(text) && isTagByte(text[j]) {
			digit = digit || text[j] >= '0' && text[j] <= '9'
			letter = letter || text[j] >= 'A' && text[j] <= 'Z'
			j++
		}
		// Every tag has letters and digits: "SC-001", "BL000001", "CS01".
		if n := j - i; n >= 3 && n <= 12 && digit && letter {
			if e := findTagExact(text[i:j]); e != nil && (provider == "" || e.UsedBy(provider)) {
				return e
			}
		}
		i = j
	}
	return nil
}

// findTagExact finds a tag written in capitals, by binary search: the
// generator sorts the tags by code.
func findTagExact(w []byte) *Entry {
	lo, hi := enhancedEnd, tagEnd
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if catalogue[m].Code < string(w) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < tagEnd && catalogue[lo].Code == string(w) {
		return &catalogue[lo]
	}
	return nil
}

func isTagByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

func standardTitleHolds(code, words string) bool {
	var std *Entry
	if len(code) == 3 {
		std = FindBasic(atoi(code))
	} else if p := strings.SplitN(code, ".", 2); len(p) == 2 {
		std = Find("X." + p[1])
	}
	if std != nil && ContainsFold(std.Title, words) {
		return true
	}
	// RFC 5321's reply texts ("Requested action not taken: mailbox
	// unavailable") are every server's words, no provider's mark.
	for i := 0; i < basicEnd; i++ {
		if catalogue[i].Standard && ContainsFold(catalogue[i].Title, words) {
			return true
		}
	}
	return false
}
