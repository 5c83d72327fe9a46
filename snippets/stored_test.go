package snippets

import (
	"strings"
	"testing"

	"github.com/smtpcode/smtpcode/codes"
)

// TestStoredTokens checks the build-time tokens of every framework's
// snippet for every catalogue code: each is found, and highlights exactly
// as lexing the source at run time does, in both themes.
func TestStoredTokens(t *testing.T) {
	for _, f := range Frameworks() {
		t.Run(f.Name, func(t *testing.T) {
			for _, e := range codes.All() {
				if e.Kind != codes.Basic {
					continue
				}
				r, err := Lookup(e.Code)
				if err != nil {
					t.Fatal(err)
				}
				if !f.Applies(r) {
					continue
				}
				src, err := RenderReply(r, f)
				if err != nil {
					t.Fatal(err)
				}
				stored, ok := storedTokens(f.Language, src)
				if !ok {
					t.Errorf("%s: no stored tokens: run go generate ./snippets", r)
					continue
				}
				lexed, err := lexedTokens(f.Language, src)
				if err != nil {
					t.Fatal(err)
				}
				for _, theme := range []Theme{Dark, Light} {
					if got, want := format(stored, theme), format(lexed, theme); got != want {
						t.Errorf("%s: stored tokens highlight differently from the lexer: run go generate ./snippets", r)
					}
				}
			}
		})
	}
}

// TestStoredTokensFallBack checks that a source the store lacks, or one
// that differs from a stored one by a byte, is not coloured with another
// snippet's tokens: Highlight leaves it without colours.
func TestStoredTokensFallBack(t *testing.T) {
	f, _ := Find("flask")
	src, err := Render("550", f.Name)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := storedTokens(f.Language, src); !ok {
		t.Fatal("flask 550 is not stored: run go generate ./snippets")
	}
	// Same length, one quote moved: the stored lengths would colour
	// the wrong bytes.
	i := strings.Index(src, `"`)
	edited := src[:i] + "x" + src[i+1:]
	custom, err := Render("550 5.1.1 No such user here", f.Name)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]string{"edited": edited, "custom": custom} {
		if _, ok := storedTokens(f.Language, s); ok {
			t.Errorf("%s: stored tokens used for a source the store lacks", name)
		}
		for _, theme := range []Theme{Dark, Light} {
			got, err := Highlight(f.Language, s, theme)
			if err != nil {
				t.Fatal(err)
			}
			if got != s {
				t.Errorf("%s: Highlight coloured a source the store lacks", name)
			}
		}
	}
}
