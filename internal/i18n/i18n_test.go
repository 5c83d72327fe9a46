package i18n

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"ko", Korean, true},
		{"KO", Korean, true},
		{"ko-KR", Korean, true},
		{"ko_KR.UTF-8", Korean, true},
		{"ko_KR.eucKR", Korean, true},
		{"korean", Korean, true},
		{"en", English, true},
		{"en_US.UTF-8", English, true},
		{"C", English, true},
		{"C.UTF-8", English, true},
		{"POSIX", English, true},
		{"de_DE.UTF-8", English, false},
		{"kok_IN", English, false}, // Konkani, not Korean
		{"", English, false},
		{"x", English, false},
	} {
		got, ok := Parse(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("Parse(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestChoose(t *testing.T) {
	for _, c := range []struct {
		name string
		flag string
		env  map[string]string
		want Lang
	}{
		{"nothing set", "", nil, English},
		{"flag", "ko", nil, Korean},
		{"flag en beats a Korean locale", "en", map[string]string{"LANG": "ko_KR.UTF-8", "SMTPCODE_LANG": "ko"}, English},
		{"unknown flag is English", "fr", map[string]string{"LANG": "ko_KR.UTF-8"}, English},
		{"SMTPCODE_LANG", "", map[string]string{"SMTPCODE_LANG": "ko"}, Korean},
		{"SMTPCODE_LANG beats the locale", "", map[string]string{"SMTPCODE_LANG": "en", "LC_ALL": "ko_KR.UTF-8"}, English},
		{"LANG", "", map[string]string{"LANG": "ko_KR.UTF-8"}, Korean},
		{"LC_MESSAGES beats LANG", "", map[string]string{"LC_MESSAGES": "ko_KR.UTF-8", "LANG": "en_US.UTF-8"}, Korean},
		{"LC_ALL beats LC_MESSAGES", "", map[string]string{"LC_ALL": "C", "LC_MESSAGES": "ko_KR.UTF-8"}, English},
		{"LC_ALL Korean", "", map[string]string{"LC_ALL": "ko_KR.UTF-8", "LANG": "C"}, Korean},
		{"unknown locale", "", map[string]string{"LANG": "ja_JP.UTF-8"}, English},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Choose(c.flag, func(k string) string { return c.env[k] })
			if got != c.want {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	if s, ok := English.Lookup("Mailbox full"); !ok || s != "Mailbox full" {
		t.Errorf("English.Lookup = %q, %v", s, ok)
	}
	if s, ok := Korean.Lookup("Mailbox full"); !ok || s != "사서함 가득 참" {
		t.Errorf("Korean.Lookup(Mailbox full) = %q, %v", s, ok)
	}
	if s, ok := Korean.Lookup("no such text, ever"); ok || s != "no such text, ever" {
		t.Errorf("a missing text must come back in English and say so: %q, %v", s, ok)
	}
}

func TestTablesSorted(t *testing.T) {
	for i := 1; i < len(koKeys); i++ {
		if koKeys[i-1] >= koKeys[i] {
			t.Fatalf("koKeys is not sorted at %d", i)
		}
		if koEnds[i-1] > koEnds[i] {
			t.Fatalf("koEnds decreases at %d", i)
		}
	}
	if int(koEnds[len(koEnds)-1]) != len(koText) {
		t.Fatalf("koText is %d bytes, the table ends at %d", len(koText), koEnds[len(koEnds)-1])
	}
}

// TestEveryTranslationReadsBack: each pair of the language file comes back
// from Lookup exactly as written, through the hash, the offsets and the
// compact encoding.
func TestEveryTranslationReadsBack(t *testing.T) {
	for _, p := range readPairs(t, Korean) {
		got, ok := Korean.Lookup(p.en)
		if !ok || got != p.tr {
			t.Errorf("Lookup(%q) = %q, %v; want %q", p.en, got, ok, p.tr)
		}
	}
	for _, s := range []string{"", "a", "사", "힣", "가", "§…·—", "€ 사서함 \u00e9"} {
		if got := decode(string(encodeForTest(s))); got != s {
			t.Errorf("decode(encode(%q)) = %q", s, got)
		}
	}
}

// encodeForTest is the generator's Encode.
func encodeForTest(s string) []byte {
	var dst []byte
	for _, r := range s {
		if r >= 0xAC00 && r <= 0xD7A3 {
			n := int(r - 0xAC00)
			dst = append(dst, byte(0x80+n>>8), byte(n&0xff))
			continue
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// TestGeneratedIsFresh fails when tables_gen.go was not regenerated after an
// edit to codes/data/i18n: run go generate ./internal/i18n.
func TestGeneratedIsFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator with the go command")
	}
	out := filepath.Join(t.TempDir(), "tables_gen.go")
	cmd := exec.Command("go", "run", "./internal/gen", "-data", "../../codes/data/i18n", "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generator failed: %v\n%s", err, b)
	}
	for _, name := range []string{"tables_gen.go", "ko.bin"} {
		want, _ := os.ReadFile(filepath.Join(filepath.Dir(out), name))
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s is stale: run go generate ./internal/i18n", name)
		}
	}
}

// TestHangulWidth pins what the layout relies on: ansi.StringWidth, which
// the wrapping and the tables use, counts a Hangul syllable as two columns.
func TestHangulWidth(t *testing.T) {
	for s, w := range map[string]int{"사서함": 6, "550 사서함 가득 참": 18, "재시도…": 7, "\x1b[31m수신자\x1b[0m": 6} {
		if got := ansi.StringWidth(s); got != w {
			t.Errorf("StringWidth(%q) = %d, want %d", s, got, w)
		}
	}
}

// FuzzParse: any --lang, SMTPCODE_LANG or locale value gives a language,
// never a panic; what is not Korean is English.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"ko", "ko_KR.UTF-8", "en_US@euro", "C", "", "-", "ko-", "_ko", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, ok := Parse(s)
		if l != Korean && l != English {
			t.Fatalf("Parse(%q) = %v", s, l)
		}
		if l == Korean && !ok {
			t.Fatalf("Parse(%q): Korean but not ok", s)
		}
	})
}
