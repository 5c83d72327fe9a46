package codes

import (
	"sort"
	"strings"
	"unicode"
)

// Hit is a search result.
type Hit struct {
	Entry *Entry
	Score float64
}

// field weights: what a word matching there says about relevance.
const (
	wCode    = 10
	wAlias   = 6
	wTitle   = 5
	wMeaning = 2
	wCause   = 1.5
	wOther   = 1
	// a phrase found whole in an alias or title says more than its words
	wPhrase = 8
	// each further field a word is found in, up to three
	wAlso = 0.5
	// a word in the title, divided by the title's length in words
	wFocus = 2
)

var stopwords = map[string]bool{
	"a": true, "an": true, "the": true, "to": true, "of": true, "is": true, "in": true,
	"on": true, "for": true, "and": true, "or": true, "it": true, "be": true, "was": true,
	"my": true, "smtp": true, "error": true, "code": true,
}

// Search ranks entries by how well they match the words. Every word must
// match somewhere; entries are ordered by score, then catalogue order.
func Search(words string) []Hit { return SearchIn(words, nil) }

// SearchIn is Search over the entries' texts and, when tr is given, their
// translations by tr too (tr returns a text unchanged when it has none):
// smtpcode search 사서함 가득.
func SearchIn(words string, tr func(string) string) []Hit {
	terms := terms(words)
	if len(terms) == 0 {
		return nil
	}
	phrase := strings.Join(tokens(words), " ")
	var hits []Hit
	for i := range catalogue {
		e := &catalogue[i]
		if s := score(e, terms, phrase, tr); s > 0 {
			hits = append(hits, Hit{Entry: e, Score: s})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
	return hits
}

func score(e *Entry, terms []string, phrase string, tr func(string) string) float64 {
	type field struct {
		w     float64
		texts []string
	}
	// The prose in the reader's language too, as the page shows it.
	both := func(texts ...string) []string {
		if tr == nil {
			return texts
		}
		for _, t := range texts {
			if t != "" {
				if x := tr(t); x != t {
					texts = append(texts, x)
				}
			}
		}
		return texts
	}
	var causes []string
	for _, c := range e.Causes {
		causes = append(causes, c.Cause, c.Example, c.Source)
		if tr != nil {
			causes = append(causes, tr(c.Cause))
		}
	}
	var ext []string
	for _, x := range e.Extensions {
		ext = append(ext, both(x.Meaning)...)
	}
	title := e.Title
	if tr != nil {
		title += " " + tr(e.Title)
	}
	fields := []field{
		{wCode, []string{e.Code, e.Enhanced}},
		{wAlias, e.Aliases},
		{wTitle, []string{title}},
		{wMeaning, both(e.Meaning, e.Description)},
		{wCause, causes},
		{wOther, append(both(e.When, e.Text, e.Source), ext...)},
	}
	titleTokens := len(tokens(e.Title))
	total := 0.0
	for _, t := range terms {
		best, also := 0.0, 0
		for _, f := range fields {
			for _, text := range f.texts {
				if containsTerm(text, t) {
					// Further fields count when they say what the entry
					// is (title, aliases, meaning, when it is sent), not
					// its examples.
					switch {
					case f.w > best:
						if best > 0 && best != wCause {
							also++
						}
						best = f.w
					case f.w != wCause:
						also++
					}
					break
				}
			}
		}
		if best == 0 {
			return 0
		}
		// An entry about the word says it in several places (title,
		// meaning, causes), and its title is short: "SPF validation
		// failed" is about SPF, where 550 only lists SPF among its many
		// causes.
		total += best + wAlso*float64(min(also, 3))
		if titleTokens > 0 && containsTerm(title, t) {
			total += wFocus / float64(titleTokens)
		}
		// Likewise the aliases that name the word: how many (three for
		// X.7.26 and "dmarc", one for 550) and what share of them.
		if n := len(e.Aliases); n > 0 {
			k := 0
			for _, a := range e.Aliases {
				if containsTerm(a, t) {
					k++
				}
			}
			if k > 0 {
				total += wAlso * (float64(min(k-1, 3)) + float64(k)/float64(n))
			}
		}
	}
	if len(terms) > 1 {
		for _, a := range e.Aliases {
			if strings.Contains(strings.Join(tokens(a), " "), phrase) {
				total += wPhrase
				break
			}
		}
		if strings.Contains(strings.Join(tokens(title), " "), phrase) {
			total += wPhrase / 2
		}
	}
	if !e.Standard {
		total *= 0.9 // the standard entry first when both fit equally
	}
	return total
}

// containsTerm reports whether a token of text starts with the term's stem.
func containsTerm(text, term string) bool {
	if text == "" {
		return false
	}
	for _, tok := range tokens(text) {
		if strings.HasPrefix(tok, term) || stem(tok) == term {
			return true
		}
	}
	return false
}

func terms(s string) []string {
	var out []string
	for _, t := range tokens(s) {
		if stopwords[t] {
			continue
		}
		out = append(out, stem(t))
	}
	return out
}

func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.')
	})
}

// stem strips the common English endings so that "greylisting" finds
// "greylisted" and "recipients" finds "recipient".
func stem(t string) string {
	t = strings.Trim(t, ".")
	if t != "" && t[0] >= 0x80 {
		return stemHangul(t)
	}
	for _, suf := range []string{"ing", "ed", "es", "s"} {
		if strings.HasSuffix(t, suf) && len(t)-len(suf) >= 4 {
			return t[:len(t)-len(suf)]
		}
	}
	return t
}
