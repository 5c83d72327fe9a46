// Package i18n gives smtpcode's texts in the user's language: English, the
// language the code and the catalogue are written in, or Korean.
//
// A translation is looked up by its English text, as gettext does: the
// English stays in the code where it is used, and the language files in
// codes/data/i18n pair each English text with its translation. `go
// generate` compiles those files into tables_gen.go, so that a lookup is a
// binary search over static data and start-up decodes nothing.
//
// Placeholders: a format's verbs (%s, %d, %[2]s) must be the same in the
// translation as in the English; a test checks every text.
package i18n

//go:generate go run ./internal/gen -data ../../codes/data/i18n -out tables_gen.go

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Lang is a language smtpcode speaks.
type Lang uint8

const (
	// English is the default and the fallback: every text exists in it.
	English Lang = iota
	// Korean covers every prose text of the catalogue and the interface.
	Korean
)

// Langs are the languages, English first.
var Langs = [...]Lang{English, Korean}

// Code is the language's code, "en" or "ko", as --lang takes it and as the
// JSON output's "i18n" member names it.
func (l Lang) Code() string {
	if l == Korean {
		return "ko"
	}
	return "en"
}

// String is the language's code.
func (l Lang) String() string { return l.Code() }

// table is a language's compiled texts (tables_gen.go): the English
// texts' hashes, sorted, where each translation ends in text, and the
// formats among the English texts.
type table struct {
	keys    []uint64
	ends    []uint32
	text    string
	formats []string
}

func (l Lang) table() table {
	if l == Korean {
		return table{koKeys[:], koEnds[:], koText, koFormats[:]}
	}
	return table{}
}

// Lookup returns the translation of an English text, and whether the
// language has one. English has every text.
func (l Lang) Lookup(en string) (string, bool) {
	if l == English {
		return en, true
	}
	t := l.table()
	h := hash(en)
	i := sort.Search(len(t.keys), func(i int) bool { return t.keys[i] >= h })
	if i == len(t.keys) || t.keys[i] != h {
		return en, false
	}
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return decode(t.text[start:t.ends[i]]), true
}

// hash is FNV-1a, 64 bits, as the generator computes it; the generator
// refuses two texts with one hash.
func hash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// decode reads a translation as the generator wrote it: a byte from 0x80
// to 0xAB starts a Hangul syllable in two bytes (a byte UTF-8 never starts
// a rune with); everything else is UTF-8.
func decode(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c < 0x80:
			b.WriteByte(c)
			i++
		case c <= 0xAB && i+1 < len(s):
			b.WriteRune(rune(0xAC00 + int(c-0x80)<<8 + int(s[i+1])))
			i += 2
		default:
			_, n := utf8.DecodeRuneInString(s[i:])
			b.WriteString(s[i : i+n])
			i += n
		}
	}
	return b.String()
}

// T translates a text, or returns it as it is when the language lacks it:
// a missing translation shows English, never an empty line (a test keeps
// the tables complete).
func (l Lang) T(en string) string {
	s, _ := l.Lookup(en)
	return s
}

// F translates a format, then formats: l.F("%s is not in the IANA
// registry", code). The translation may reorder the operands with indexed
// verbs (%[2]s).
func (l Lang) F(format string, a ...any) string {
	return fmt.Sprintf(l.T(format), a...)
}

// Formats returns the English texts the language translates that are
// formats (they hold a verb: %s, %q, %d, %v, %w), so that a message built
// from one elsewhere can be matched and translated whole.
func (l Lang) Formats() []string { return l.table().formats }

// N marks a text for translation where it is defined, away from where it
// is translated (a flag's usage, a table of messages); it returns the text
// unchanged. The tests collect the texts passed to T, F and N.
func N(en string) string { return en }

// Parse reads a language name as --lang, SMTPCODE_LANG or a POSIX locale
// give it: "ko", "ko-KR", "ko_KR.UTF-8", "en_US@euro", "C". It reports
// false for a language smtpcode does not speak, which means English.
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, ".@"); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexAny(s, "_-"); i >= 0 {
		s = s[:i]
	}
	switch s {
	case "ko", "kor", "korean":
		return Korean, true
	case "en", "eng", "english", "c", "posix":
		return English, true
	}
	return English, false
}

// Choose decides the language: the --lang value when given, else
// SMTPCODE_LANG, else the locale, where the first of LC_ALL, LC_MESSAGES
// and LANG that is set decides, as POSIX orders them. A language smtpcode
// does not speak means English, never an error.
func Choose(flag string, getenv func(string) string) Lang {
	if flag != "" {
		l, _ := Parse(flag)
		return l
	}
	for _, name := range [...]string{"SMTPCODE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			l, _ := Parse(v)
			return l
		}
	}
	return English
}
