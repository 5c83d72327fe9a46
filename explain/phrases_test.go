package explain

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestPhraseSet compares a phrase set's answers with the loops it
// replaces (lastIndexFold keeping the greatest index, bytes.Contains
// returning at the first hit) on random texts made of pieces of the
// phrases, in random case, with other bytes between.
func TestPhraseSet(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, fold := range []bool{true, false} {
		set := commandPhraseSet()
		phrases := texts(commandPhrases[:])
		if !fold {
			set = laterPhraseSet()
			phrases = texts(laterPhrases[:])
		}
		for round := range 3000 {
			var b []byte
			for range r.IntN(6) {
				p := phrases[r.IntN(len(phrases))]
				if r.IntN(3) == 0 {
					p = p[:r.IntN(len(p)+1)] // a piece only
				}
				if fold && r.IntN(2) == 0 {
					p = strings.ToUpper(p)
				}
				b = append(b, p...)
				b = append(b, " xX.\n"[:r.IntN(5)]...)
			}
			wantLast, at := -1, -1
			wantFirst := -1
			for i, p := range phrases {
				k := lastIndexFold(b, p)
				if !fold {
					k = bytes.LastIndex(b, []byte(p))
				}
				if k > at {
					wantLast, at = i, k
				}
				if k >= 0 && wantFirst < 0 {
					wantFirst = i
				}
			}
			if got := set.last(b); got != wantLast {
				t.Fatalf("fold %v, round %d: last(%q) = %d, want %d", fold, round, b, got, wantLast)
			}
			if got := set.firstIn(b); got != wantFirst {
				t.Fatalf("fold %v, round %d: firstIn(%q) = %d, want %d", fold, round, b, got, wantFirst)
			}
			if got := set.any(b); got != (wantFirst >= 0) {
				t.Fatalf("fold %v, round %d: any(%q) = %v", fold, round, b, got)
			}
		}
	}
}
