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
)

var stopwords = map[string]bool{
	"a": true, "an": true, "the": true, "to": true, "of": true, "is": true, "in": true,
	"on": true, "for": true, "and": true, "or": true, "it": true, "be": true, "was": true,
	"my": true, "smtp": true, "error": true, "code": true,
}

// Search ranks entries by how well they match the words. Every word must
// match somewhere; entries are ordered by score, then catalogue order.
func Search(words string) []Hit {
	terms := terms(words)
	if len(terms) == 0 {
		return nil
	}
	phrase := strings.Join(tokens(words), " ")
	var hits []Hit
	for i := range catalogue {
		e := &catalogue[i]
		if s := score(e, terms, phrase); s > 0 {
			hits = append(hits, Hit{Entry: e, Score: s})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
	return hits
}

func score(e *Entry, terms []string, phrase string) float64 {
	type field struct {
		w     float64
		texts []string
	}
	var causes []string
	for _, c := range e.Causes {
		causes = append(causes, c.Cause, c.Example, c.Source)
	}
	var ext []string
	for _, x := range e.Extensions {
		ext = append(ext, x.Meaning)
	}
	fields := []field{
		{wCode, []string{e.Code, e.Enhanced}},
		{wAlias, e.Aliases},
		{wTitle, []string{e.Title}},
		{wMeaning, []string{e.Meaning, e.Description}},
		{wCause, causes},
		{wOther, append([]string{e.When, e.Text, e.Source}, ext...)},
	}
	total := 0.0
	for _, t := range terms {
		best := 0.0
		for _, f := range fields {
			if f.w <= best {
				continue
			}
			for _, text := range f.texts {
				if containsTerm(text, t) {
					best = f.w
					break
				}
			}
		}
		if best == 0 {
			return 0
		}
		total += best
	}
	if len(terms) > 1 {
		for _, a := range e.Aliases {
			if strings.Contains(strings.Join(tokens(a), " "), phrase) {
				total += wPhrase
				break
			}
		}
		if strings.Contains(strings.Join(tokens(e.Title), " "), phrase) {
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
	for _, suf := range []string{"ing", "ed", "es", "s"} {
		if strings.HasSuffix(t, suf) && len(t)-len(suf) >= 4 {
			return t[:len(t)-len(suf)]
		}
	}
	return t
}
