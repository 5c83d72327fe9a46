package explain

import "math/bits"

// phraseSet finds which of up to 64 phrases a text holds in one pass over
// it, where a loop of bytes.Index or lastIndexFold would read the text once
// for each phrase: the candidates at a position are the phrases whose first
// two bytes are there, a bit each in two tables.
type phraseSet struct {
	texts  []string
	fold   bool // ignore ASCII case (the texts are lower case)
	first  [256]uint64
	second [256]uint64
}

func newPhraseSet(fold bool, texts ...string) *phraseSet {
	if len(texts) > 64 {
		panic("explain: a phrase set holds at most 64 phrases")
	}
	p := &phraseSet{texts: texts, fold: fold}
	for i, s := range texts {
		if len(s) < 2 {
			panic("explain: a phrase has two bytes at least: " + s)
		}
		for k, t := range [...]*[256]uint64{&p.first, &p.second} {
			c := s[k]
			t[c] |= 1 << i
			if fold && c >= 'a' && c <= 'z' {
				t[c-'a'+'A'] |= 1 << i
			}
		}
	}
	return p
}

// at reports whether phrase i starts at t[j:].
func (p *phraseSet) at(t []byte, j, i int) bool {
	s := p.texts[i]
	if j+len(s) > len(t) {
		return false
	}
	if p.fold {
		return equalFold(t[j:j+len(s)], s)
	}
	return string(t[j:j+len(s)]) == s
}

// last returns the phrase that starts last in t (of those starting there,
// the first in the set's order), or -1: what a loop of lastIndexFold over
// the phrases keeping the greatest index finds.
func (p *phraseSet) last(t []byte) int {
	for j := len(t) - 2; j >= 0; j-- {
		for m := p.first[t[j]] & p.second[t[j+1]]; m != 0; m &= m - 1 {
			if i := bits.TrailingZeros64(m); p.at(t, j, i) {
				return i
			}
		}
	}
	return -1
}

// firstIn returns the first phrase, in the set's order, that t holds
// anywhere, or -1: what a loop of bytes.Contains over the phrases returning
// at the first hit finds.
func (p *phraseSet) firstIn(t []byte) int {
	var found uint64
	for j := 0; j+1 < len(t); j++ {
		for m := p.first[t[j]] & p.second[t[j+1]] &^ found; m != 0; m &= m - 1 {
			if i := bits.TrailingZeros64(m); p.at(t, j, i) {
				found |= 1 << i
			}
		}
	}
	if found == 0 {
		return -1
	}
	return bits.TrailingZeros64(found)
}

// any reports whether t holds one of the phrases.
func (p *phraseSet) any(t []byte) bool {
	for j := 0; j+1 < len(t); j++ {
		for m := p.first[t[j]] & p.second[t[j+1]]; m != 0; m &= m - 1 {
			if p.at(t, j, bits.TrailingZeros64(m)) {
				return true
			}
		}
	}
	return false
}
