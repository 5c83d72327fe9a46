package codes

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// particles are the Korean particles (조사) and endings that attach to a
// word, longest first: a search for 사서함이 finds 사서함을, as 사서함
// does. A text's words need no stripping, since a term matches a word it
// starts.
var particles = [...]string{
	"에서는", "으로는", "에게서",
	"에서", "으로", "에게", "까지", "부터", "처럼", "보다", "이나", "이란", "라는", "하는", "되는", "했음", "됨",
	"은", "는", "이", "가", "을", "를", "의", "에", "로", "와", "과", "도", "만", "나",
}

// stemHangul strips a Korean word's particle when at least two syllables
// remain; a word with no Hangul comes back as it is.
func stemHangul(t string) string {
	if !hasHangul(t) {
		return t
	}
	for _, p := range particles {
		if strings.HasSuffix(t, p) && utf8.RuneCountInString(t)-utf8.RuneCountInString(p) >= 2 {
			return t[:len(t)-len(p)]
		}
	}
	return t
}

func hasHangul(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Hangul, r) {
			return true
		}
	}
	return false
}
