package codes

import (
	"strings"
	"testing"
)

// FuzzDialectMatcher checks the one-pass matcher against the plain rule:
// the first candidate whose words the text holds, else the first with none.
func FuzzDialectMatcher(f *testing.F) {
	for _, s := range []string{
		"550 Envelope blocked - User Entry",
		"550 Rejected by header based Anti-Spoofing policy",
		"535 5.7.3 Authentication unsuccessful",
		"550 5.7.1 Unable to relay; Delivery not authorized",
		"", "A", "Anti-Spoofing polic",
	} {
		f.Add(s)
	}
	var sets [][]*Entry
	for _, code := range []string{"550", "554", "5.7.1", "5.7.3", "451", "5.4.1"} {
		for _, p := range []string{"", "Microsoft 365", "Gmail", "Mimecast", "T-Online"} {
			if c := DialectCandidates(p, code); len(c) > 0 {
				sets = append(sets, c)
			}
		}
	}
	if len(sets) == 0 {
		f.Fatal("no dialect candidates")
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, cands := range sets {
			got := NewDialectMatcher(cands).In([]byte(text))
			var want, loose *Entry
			for _, e := range cands {
				if e.Match() == "" {
					if loose == nil {
						loose = e
					}
				} else if want == nil && strings.Contains(text, e.Match()) {
					want = e
				}
			}
			if want == nil {
				want = loose
			}
			if got != want {
				t.Fatalf("In(%q) = %v, want %v", text, got, want)
			}
		}
	})
}

// FuzzTagIn checks that a tag found in a text is a catalogue tag written
// there as a word of its own.
func FuzzTagIn(f *testing.F) {
	for _, s := range []string{
		"421 RP-001 (BAY004-MC1F1) Unfortunately",
		"554 see http://postmaster.comcast.net/smtp-error-codes.php#BL000001",
		"550 SC-0011", "RP-00", "", "SC-001SC-002",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		e := TagIn([]byte(text), "")
		if e == nil {
			return
		}
		if e.Kind != Tag {
			t.Fatalf("TagIn(%q) = %s, not a tag", text, e.Code)
		}
		i := strings.Index(text, e.Code)
		for i >= 0 {
			before := i == 0 || !isTagByte(text[i-1])
			after := i+len(e.Code) == len(text) || !isTagByte(text[i+len(e.Code)])
			if before && after {
				return
			}
			j := strings.Index(text[i+1:], e.Code)
			if j < 0 {
				break
			}
			i += 1 + j
		}
		t.Fatalf("TagIn(%q) = %s, not written as a word there", text, e.Code)
	})
}
