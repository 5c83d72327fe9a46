package codes

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseArgs(t *testing.T) {
	tests := []struct {
		args []string
		want []Query
	}{
		{[]string{"550"}, []Query{{Input: "550", Basic: 550}}},
		{[]string{"5.7.1"}, []Query{{Input: "5.7.1", Enhanced: "5.7.1"}}},
		{[]string{"550 5.7.1"}, []Query{{Input: "550 5.7.1", Basic: 550, Enhanced: "5.7.1"}}},
		{[]string{"550", "5.7.1"}, []Query{{Input: "550 5.7.1", Basic: 550, Enhanced: "5.7.1"}}},
		{[]string{"550-5.7.1"}, []Query{{Input: "550-5.7.1", Basic: 550, Enhanced: "5.7.1"}}},
		{[]string{"550 5.7.1 Message rejected"}, []Query{{Input: "550 5.7.1 Message rejected", Basic: 550, Enhanced: "5.7.1", Text: "Message rejected"}}},
		{[]string{"550", "5.7.1", "Message", "rejected"}, []Query{{Input: "550 5.7.1 Message rejected", Basic: 550, Enhanced: "5.7.1", Text: "Message rejected"}}},
		{[]string{"550-5.7.1 The user or domain that you are sending to"}, []Query{{Input: "550-5.7.1 The user or domain that you are sending to", Basic: 550, Enhanced: "5.7.1", Text: "The user or domain that you are sending to"}}},
		{[]string{"x.7.1"}, []Query{{Input: "x.7.1", Enhanced: "X.7.1"}}},
		{[]string{"X.7.X"}, []Query{{Input: "X.7.X", Enhanced: "X.7.XXX"}}},
		{[]string{"5xx"}, []Query{{Input: "5xx", Pattern: "5xx"}}},
		{[]string{"55X"}, []Query{{Input: "55X", Pattern: "55x"}}},
		{[]string{"5.7.708"}, []Query{{Input: "5.7.708", Enhanced: "5.7.708"}}},
		{[]string{"5.01.001"}, []Query{{Input: "5.01.001", Enhanced: "5.1.1"}}},
		{[]string{"421", "450"}, []Query{{Input: "421", Basic: 421}, {Input: "450", Basic: 450}}},
		{[]string{"421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred"}, []Query{{Input: "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred", Basic: 421, Enhanced: "4.7.0", Tag: "TSS04", Text: "[TSS04] Messages from 192.0.2.1 temporarily deferred"}}},
		{[]string{"tss04"}, []Query{{Input: "tss04", Tag: "TSS04"}}},
		{[]string{"  550  "}, []Query{{Input: "550", Basic: 550}}},
	}
	for _, tt := range tests {
		got, err := ParseArgs(tt.args)
		if err != nil {
			t.Errorf("ParseArgs(%q): %v", tt.args, err)
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("ParseArgs(%q) = %+v, want %+v", tt.args, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("ParseArgs(%q)[%d] = %+v, want %+v", tt.args, i, got[i], tt.want[i])
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in       string
		wantHint string
	}{
		{"", "give a code"},
		{"abc", "smtpcode search abc"},
		{"99", ""},
		{"5500", "550"},
		{"5.71", ""},
		{"hello world", "smtpcode search hello"},
		{strings.Repeat("9", 1<<20), ""},
	}
	for _, tt := range tests {
		_, err := ParseArgs([]string{tt.in})
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseArgs(%.20q): error %v, want a SyntaxError", tt.in, err)
			continue
		}
		if !strings.Contains(se.Hint, tt.wantHint) {
			t.Errorf("ParseArgs(%.20q): hint %q, want it to contain %q", tt.in, se.Hint, tt.wantHint)
		}
		if len(se.Error()) > 200 {
			t.Errorf("ParseArgs(%.20q): message of %d bytes; long input must be cut short", tt.in, len(se.Error()))
		}
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		in        string
		codes     []string // the codes shown, in order
		notes     int
		wantError string
	}{
		{in: "550", codes: []string{"550"}},
		{in: "550 5.7.1", codes: []string{"550", "5.7.1"}},
		{in: "5.1.1", codes: []string{"5.1.1"}},
		{in: "X.1.1", codes: []string{"X.1.1"}},
		{in: "4.XXX.XXX", codes: []string{"4.XXX.XXX"}},
		{in: "5.7.XXX", codes: []string{"5.7.XXX"}},
		{in: "5.7.708", codes: []string{"5.7.708", "5.7.XXX"}, notes: 1},
		{in: "4.7.550", codes: []string{"4.7.550", "4.7.XXX"}, notes: 1},
		{in: "5.7.999", codes: []string{"5.7.XXX"}, notes: 1},
		// A provider's own meaning of a registered code is a dialect under
		// the registry's page, not a page of its own...
		{in: "5.1.10", codes: []string{"5.1.10"}},
		// ...unless the pasted reply carries the provider's words.
		{in: "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found", codes: []string{"5.1.10", "550", "5.1.10"}, notes: 1},
		{in: "550 4.7.1", codes: []string{"550", "4.7.1"}, notes: 1},
		{in: "TSS04", codes: []string{"TSS04"}},
		{in: "421 4.7.0 [TSS04] deferred", codes: []string{"421", "4.7.0", "TSS04"}},
		{in: "559", wantError: "no code 559"},
		{in: "5.99.1", wantError: "no code 5.99.1"},
		{in: "3.1.1", wantError: "no code 3.1.1"},
		{in: "6xx", wantError: ""}, // not a pattern: a syntax error below
	}
	for _, tt := range tests {
		q, err := Parse(tt.in)
		if err != nil {
			if tt.in == "6xx" {
				continue
			}
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		r, err := Resolve(q)
		if tt.wantError != "" {
			var nf *NotFoundError
			if !errors.As(err, &nf) || !strings.HasPrefix(err.Error(), tt.wantError) {
				t.Errorf("Resolve(%q): error %v, want %q", tt.in, err, tt.wantError)
			}
			continue
		}
		if err != nil {
			t.Errorf("Resolve(%q): %v", tt.in, err)
			continue
		}
		var got []string
		for _, m := range r.Matches {
			got = append(got, m.Code())
		}
		if strings.Join(got, " ") != strings.Join(tt.codes, " ") {
			t.Errorf("Resolve(%q) shows %v, want %v", tt.in, got, tt.codes)
		}
		if len(r.Notes) != tt.notes {
			t.Errorf("Resolve(%q) notes %q, want %d", tt.in, r.Notes, tt.notes)
		}
	}
}

func TestPatternLists(t *testing.T) {
	for _, p := range []string{"5xx", "55x", "2xx", "4xx"} {
		q, _ := Parse(p)
		r, err := Resolve(q)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		prefix := strings.TrimRight(p, "x")
		for _, m := range r.Matches {
			if !strings.HasPrefix(m.Code(), prefix) || m.Entry.Kind != Basic {
				t.Errorf("%s lists %s", p, m.Code())
			}
		}
		if len(r.Matches) < 2 {
			t.Errorf("%s lists only %d codes", p, len(r.Matches))
		}
	}
}

func TestNotFoundSuggests(t *testing.T) {
	q, _ := Parse("559")
	_, err := Resolve(q)
	var nf *NotFoundError
	if !errors.As(err, &nf) {
		t.Fatalf("559: %v", err)
	}
	if len(nf.Suggestions) == 0 || len(nf.Suggestions) > 3 {
		t.Fatalf("559: suggestions %v", nf.Suggestions)
	}
	for _, s := range nf.Suggestions {
		if !strings.HasPrefix(s, "55") {
			t.Errorf("559: suggests %s", s)
		}
	}
}

func TestMatchAction(t *testing.T) {
	for in, want := range map[string]Action{"4.2.2": ActionRetry, "5.2.2": ActionGiveUp, "421": ActionRetry, "250": ActionNone, "354": ActionContinue} {
		q, _ := Parse(in)
		r, err := Resolve(q)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Matches[0].Action(); got != want && !(want == ActionGiveUp && got == ActionFix) {
			t.Errorf("%s: action %s, want %s", in, got, want)
		}
	}
}

func TestSearch(t *testing.T) {
	tests := []struct {
		words string
		want  string // must be among the first three hits
	}{
		{"mailbox full", "X.2.2"},
		{"mailbox full", "552"},
		{"greylisting", "450"},
		{"greylisted", "450"},
		{"greylisted", "X.7.1"}, // 451 4.7.1 is the greylisting reply of many servers
		{"too many recipients", "X.5.3"},
		{"too many recipients", "452"},
		{"dmarc", "X.7.26"},
		{"tls required", "530"},
		{"user unknown", "X.1.1"},
		{"wrong password", "535"},
		{"tss04", "TSS04"},
		{"message too large", "552"},
	}
	for _, tt := range tests {
		hits := Search(tt.words)
		found := false
		for i := 0; i < len(hits) && i < 3; i++ {
			if hits[i].Entry.Code == tt.want {
				found = true
			}
		}
		if !found {
			var top []string
			for i := 0; i < len(hits) && i < 5; i++ {
				top = append(top, hits[i].Entry.Code)
			}
			t.Errorf("Search(%q): %s not in the first three of %v", tt.words, tt.want, top)
		}
	}
	// An entry about the word ranks above one that lists it among many
	// (issue 13, item 20): SPF's and DMARC's own codes above 550.
	for _, tt := range []struct{ words, above, below string }{
		{"spf", "X.7.23", "550"},
		{"spf", "X.7.26", "550"},
		{"dmarc", "X.7.26", "550"},
		{"dkim", "X.7.20", "550"},
		{"mailbox full", "X.2.2", "550"},
	} {
		rank := map[string]int{}
		for i, h := range Search(tt.words) {
			if _, ok := rank[h.Entry.Code]; !ok {
				rank[h.Entry.Code] = i
			}
		}
		a, okA := rank[tt.above]
		b, okB := rank[tt.below]
		if !okA || okB && a > b {
			t.Errorf("Search(%q): %s at %d, want it above %s at %d", tt.words, tt.above, a, tt.below, b)
		}
	}
	if hits := Search("zzzqqq"); len(hits) != 0 {
		t.Errorf("Search(nonsense) = %d hits", len(hits))
	}
	if hits := Search("the of"); len(hits) != 0 {
		t.Errorf("Search(stopwords) = %d hits", len(hits))
	}
}

// FuzzParse: the grammar never panics, never accepts the empty line, and
// what it accepts resolves or fails cleanly.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"550", "5.7.1", "550 5.7.1", "550-5.7.1 text", "X.7.1", "5xx", "55x", "5.7.708", "TSS04", "", "abc", "5.99.1", "4.7.500", "550\x00", "５５０"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		qs, err := ParseArgs([]string{s})
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("ParseArgs(%q): error of type %T", s, err)
			}
			if !utf8.ValidString(se.Error()) {
				t.Fatalf("ParseArgs(%q): message is not valid UTF-8", s)
			}
			return
		}
		if strings.TrimSpace(s) == "" {
			t.Fatalf("ParseArgs(%q) accepted a blank line", s)
		}
		for _, q := range qs {
			if q.Basic == 0 && q.Enhanced == "" && q.Pattern == "" && q.Tag == "" {
				t.Fatalf("ParseArgs(%q) = %+v: a query without a code", s, q)
			}
			r, err := Resolve(q)
			if err == nil && len(r.Matches) == 0 {
				t.Fatalf("Resolve(%+v): no error and no match", q)
			}
			if err != nil {
				var nf *NotFoundError
				if !errors.As(err, &nf) {
					t.Fatalf("Resolve(%+v): error of type %T", q, err)
				}
			}
		}
	})
}

// TestTypos checks the suggestion a person means for the typos people make
// (issue 13, item 8).
func TestTypos(t *testing.T) {
	tests := []struct {
		in, reason, hint string
	}{
		{"050", "starts with 2, 3, 4 or 5", "did you mean"},
		{"000", "starts with 2, 3, 4 or 5", "did you mean 500?"},
		{"5.1.1000", "the detail 1000 has more than three digits", "did you mean 5.1.1"},
		{"5.1111.1", "the subject 1111 has more than three digits", ""},
		{"5O2", "", "did you mean 502?"},
		{"550x", "", "did you mean 550?"},
		{"4x", "", "did you mean 4xx?"},
		{"5xxx", "", "did you mean 5xx?"},
		{"5.7", "three parts", "did you mean 5.7.XXX?"},
		{"1xx", "the reply classes are 2xx, 3xx, 4xx and 5xx", "give a code"},
		{"5.7.1;", "", "did you mean 5.7.1?"},
	}
	for _, tt := range tests {
		_, err := ParseArgs([]string{tt.in})
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseArgs(%q): error %v, want a SyntaxError", tt.in, err)
			continue
		}
		if !strings.Contains(se.Reason, tt.reason) {
			t.Errorf("ParseArgs(%q): reason %q, want it to contain %q", tt.in, se.Reason, tt.reason)
		}
		if !strings.Contains(se.Hint, tt.hint) {
			t.Errorf("ParseArgs(%q): hint %q, want it to contain %q", tt.in, se.Hint, tt.hint)
		}
	}
}

// TestContinuationsStripped checks that a pasted multi-line reply, on
// several lines or joined into one by a log, keeps its text only (item 3).
func TestContinuationsStripped(t *testing.T) {
	const want = "[192.0.2.1] Our system has detected likely unsolicited mail this message has been blocked"
	for _, in := range []string{
		"550-5.7.1 [192.0.2.1] Our system has detected\n550-5.7.1 likely unsolicited mail\n550 5.7.1 this message has been blocked",
		"550-5.7.1 [192.0.2.1] Our system has detected\r\n550-5.7.1 likely unsolicited mail\r\n550 5.7.1 this message has been blocked\r\n",
		"550-5.7.1 [192.0.2.1] Our system has detected 550-5.7.1 likely unsolicited mail 550 5.7.1 this message has been blocked",
	} {
		q, err := Parse(in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		if q.Basic != 550 || q.Enhanced != "5.7.1" || q.Text != want {
			t.Errorf("Parse(%q) = %d %s %q, want 550 5.7.1 %q", in, q.Basic, q.Enhanced, q.Text, want)
		}
		if strings.Contains(q.Input, "550-") && !strings.HasPrefix(q.Input, "550-5.7.1 [") {
			t.Errorf("Parse(%q).Input = %q keeps a continuation prefix", in, q.Input)
		}
	}
	// Without an enhanced code, and a line that is not a continuation.
	q, _ := Parse("452-Too many recipients\n452 try again later")
	if q.Text != "Too many recipients try again later" {
		t.Errorf("452 text %q", q.Text)
	}
}

func TestDialectMatcher(t *testing.T) {
	cands := DialectCandidates("Mimecast", "550")
	if len(cands) < 2 {
		t.Fatalf("Mimecast's 550 dialects: %d, want 2", len(cands))
	}
	by := map[string]*Entry{}
	for _, e := range cands {
		by[e.Match()] = e
	}
	spoof, blocked := by["Anti-Spoofing policy"], by["Envelope blocked - User Entry"]
	if spoof == nil || blocked == nil {
		t.Fatalf("Mimecast's 550 dialects: %v", by)
	}
	m := NewDialectMatcher(cands)
	for _, tt := range []struct {
		text string
		want *Entry
	}{
		{"550 Envelope blocked - User Entry", blocked},
		{"550 Rejected by header based Anti-Spoofing policy", spoof},
		{"550 Envelope blocked - User Entr", nil},
		{"Anti-Spoofing polic", nil},
		{"", nil},
		// Both: the first candidate in order wins.
		{"Anti-Spoofing policy; Envelope blocked - User Entry", cands[0]},
	} {
		if got := m.In([]byte(tt.text)); got != tt.want {
			t.Errorf("In(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
	// A provider with no dialect of the code gets none.
	if d := DialectFor("Yahoo", "5.7.3", "535 5.7.3 anything"); d != nil {
		t.Errorf("a provider with no dialect of the code: %v", d)
	}
	if NewDialectMatcher(nil).In([]byte("x")) != nil {
		t.Error("no candidates: want nil")
	}
}
