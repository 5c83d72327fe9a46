package main

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/smtpcode/smtpcode/internal/i18n"
)

func TestMessage(t *testing.T) {
	for in, want := range map[string]string{
		"no code 599":              "코드 599 없음",
		"did you mean 550, 551?":   "혹시 550, 551?",
		"invalid --color \"blue\"": "--color 값 \"blue\"이(가) 잘못되었습니다",
		// An operand that is itself a message is translated in turn.
		"no code 5.9.1: the subjects run from X.0.XXX to X.7.XXX (RFC 3463 §2)": "코드 5.9.1 없음: 주제는 X.0.XXX부터 X.7.XXX까지입니다(RFC 3463 §2)",
		// What no format fits stays as it is.
		"open /x: permission denied": "open /x: permission denied",
	} {
		if got := message(i18n.Korean, in); got != want {
			t.Errorf("message(%q) = %q, want %q", in, got, want)
		}
		if got := message(i18n.English, in); got != in {
			t.Errorf("English message(%q) = %q", in, got)
		}
	}
}

// FuzzMessage: any text (an error quotes the user's input) comes back
// translated or as it was, never a panic, and without growing without end.
func FuzzMessage(f *testing.F) {
	for _, s := range []string{"no code 599: no code 599: no code 1", "did you mean %s?", "%s: %w", "invalid --color %q", "", "\xff\xfe", "no code : "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := message(i18n.Korean, s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Errorf("message(%q) = %q is not UTF-8", s, got)
		}
		if len(got) > 8*len(s)+4096 {
			t.Errorf("message(%q) grew to %d bytes", s, len(got))
		}
	})
}

func TestLangArg(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--lang", "ko", "550"}, "ko"},
		{[]string{"550", "--lang=ko"}, "ko"},
		{[]string{"550", "--lang"}, ""},
		{[]string{"--", "--lang", "ko"}, ""},
		{[]string{"550"}, ""},
	} {
		if got := langArg(c.args); got != c.want {
			t.Errorf("langArg(%q) = %q, want %q", strings.Join(c.args, " "), got, c.want)
		}
	}
	// The value of --lang is not taken for a code.
	if !lookupOnly([]string{"--lang", "ko", "550"}) || lookupOnly([]string{"--lang", "ko"}) {
		t.Error("lookupOnly misreads --lang's value")
	}
}
