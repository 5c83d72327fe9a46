package explain

import (
	"bytes"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestKnownTLDCoversHostProvider reads hostProvider's top-level domains
// from its source (the cases of its outer switch) and checks tldCode
// lets each through, in any case, and rejects others: a domain added to
// hostProvider and not to tldCode would never be looked up.
func TestKnownTLDCoversHostProvider(t *testing.T) {
	src, err := os.ReadFile("provider.go")
	if err != nil {
		t.Fatal(err)
	}
	body := regexp.MustCompile(`(?s)func hostProvider\(.*?\n}\n`).Find(src)
	cases := regexp.MustCompile(`(?m)^\tcase "([a-z]+)":$`).FindAllSubmatch(body, -1)
	if len(cases) < 5 {
		t.Fatalf("found %d top-level domains in hostProvider; the test no longer reads it", len(cases))
	}
	for _, m := range cases {
		tld := m[1]
		if tldCode(tld) == 0 {
			t.Errorf("tldCode(%q) = 0; hostProvider knows hosts under it", tld)
		}
		if !tldFirst[tld[0]] || !tldFirst[tld[0]-'a'+'A'] {
			t.Errorf("tldFirst lacks %q, the first letter of %q", tld[0], tld)
		}
		up := []byte(string(tld))
		for i := range up {
			up[i] -= 'a' - 'A'
		}
		if tldCode(up) == 0 {
			t.Errorf("tldCode(%q) = 0", up)
		}
	}
	for _, tld := range []string{"org", "io", "uk", "co", "edu", "nt", "cm", "om"} {
		if tldCode([]byte(tld)) != 0 {
			t.Errorf("tldCode(%q) != 0", tld)
		}
	}
}

func TestProviderIn(t *testing.T) {
	for _, c := range []struct{ win, want string }{
		{"host mx.example.net[192.0.2.1] said: 550 5.1.1 no", ""},
		{"host gmail-smtp-in.l.google.com[192.0.2.1] said: 550 5.1.1 no", "Gmail"},
		{"relay=MX1.HOTMAIL.COM[192.0.2.1]:25, 550 5.7.1", "Microsoft 365"},
		{"to=<bob@gmail.com>, relay=mx.example.net[192.0.2.1]:25", ""}, // an address names no server
		{"554-gmx.net (mxgmx016) Nemesis ESMTP", "GMX"},
		{"see https://postmaster.t-online.de/ for help", "T-Online"},
		{"RESOLVER.ADR.RecipNotFound; not found", "Microsoft 365"},
		{"mx.example.org 550 version 1.2.3 at 10.0.0.1", ""},
	} {
		if got := providerIn([]byte(c.win), nil); got != c.want {
			t.Errorf("providerIn(%q) = %q, want %q", c.win, got, c.want)
		}
	}
}

func TestLetterMask(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 8; pos++ {
			var b [8]byte
			for k := range b {
				b[k] = byte(c + 37*k) // neighbours of every kind
			}
			b[pos] = byte(c)
			m := letterMask(uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
				uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56)
			for k := range b {
				if got, want := m>>(8*k+7)&1 == 1, isLetter(b[k]); got != want {
					t.Fatalf("letterMask(% x) byte %d (%q): %v, want %v", b, k, b[k], got, want)
				}
			}
		}
	}
}

func BenchmarkProviderIn(b *testing.B) {
	wins := [][]byte{
		[]byte("Jun  5 18:31:56 mail postfix/smtp[54637]: F18B6DB985: to=<user94141@example.net>, relay=mx.example.net[192.0.2.168]:25, delay=2.57, delays=0.1/0/0.5/0.6, dsn=5.0.0, status=bounced (host mx.example.net[192.0.2.154] said: 552 5.2.2 <user94141@example.net>: Mailbox full"),
		[]byte("Jan 15 02:25:18 mail postfix/smtp[1314]: F43493B95F: to=<user69584@example.net>, relay=gmail-smtp-in.l.google.com[192.0.2.152]:25, delay=7.1, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as F43493B95F"),
	}
	for b.Loop() {
		for _, w := range wins {
			providerIn(w, nil)
		}
	}
}

// TestDotLetters compares dotLetters, fed as providerIn feeds it, with a
// byte-by-byte look, on random text dense in dots and letters.
func TestDotLetters(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	alphabet := []byte("..aZ@0-\x80{`[ ")
	for round := range 2000 {
		b := make([]byte, r.IntN(300))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		var want []int32
		for j := 0; j+1 < len(b); j++ {
			if b[j] == '.' && isLetter(b[j+1]) {
				want = append(want, int32(j))
			}
		}
		pos := make([]int32, 32+r.IntN(40))
		var got []int32
		i := 0
		for {
			n, next := dotLetters(b, i, pos)
			got = append(got, pos[:n]...)
			if next == i {
				break
			}
			i = next
		}
		for j := i; j+1 < len(b); j++ {
			if b[j] == '.' && isLetter(b[j+1]) {
				got = append(got, int32(j))
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("round %d (%q): %v, want %v", round, b, got, want)
		}
	}
}

// TestLabelEnds reads hostProvider's labels from its source, domain by
// domain, and checks labelEnds lets each through by its last byte.
func TestLabelEnds(t *testing.T) {
	src, err := os.ReadFile("provider.go")
	if err != nil {
		t.Fatal(err)
	}
	body := regexp.MustCompile(`(?s)func hostProvider\(.*?\n}\n`).Find(src)
	var tld []byte
	n := 0
	for _, line := range bytes.Split(body, []byte("\n")) {
		if m := regexp.MustCompile(`^\tcase "([a-z]+)":$`).FindSubmatch(line); m != nil {
			tld = m[1]
			continue
		}
		for _, m := range regexp.MustCompile(`"([a-z0-9-]+)"`).FindAllSubmatch(line, -1) {
			if !bytes.HasPrefix(bytes.TrimSpace(line), []byte("case")) && !bytes.Contains(line, []byte("string(l) ==")) {
				continue
			}
			label := m[1]
			n++
			if ends := labelEnds(tldCode(tld)); !strings.Contains(ends, string(label[len(label)-1])) {
				t.Errorf("labelEnds(%s) = %q lacks the end of %q", tld, ends, label)
			}
			if got := hostProvider(label, tld); got == "" {
				t.Errorf("hostProvider(%q, %q) = \"\"; the test reads the source wrong", label, tld)
			}
		}
	}
	if n < 40 {
		t.Fatalf("read %d labels; the test no longer reads hostProvider", n)
	}
}
