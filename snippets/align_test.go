package snippets

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"

	"github.com/smtpcode/smtpcode/snippets/internal/lexers"
)

// lexedTokens lexes a source with chroma, as smtpcode no longer does at
// run time: the tests' reference.
func lexedTokens(language, src string) ([]token, error) {
	toks, err := lexers.Tokens(language, src)
	if err != nil {
		return nil, err
	}
	out := make([]token, len(toks))
	for i, t := range toks {
		out[i] = token{tokenType(t.Type), t.Value}
	}
	return out, nil
}

// TestTokenTypes checks the token types smtpcode names against chroma's.
func TestTokenTypes(t *testing.T) {
	for _, tt := range []struct {
		local  tokenType
		chroma chroma.TokenType
	}{
		{tError, chroma.Error},
		{tKeyword, chroma.Keyword},
		{tKeywordConstant, chroma.KeywordConstant},
		{tKeywordType, chroma.KeywordType},
		{tNameAttribute, chroma.NameAttribute},
		{tNameClass, chroma.NameClass},
		{tNameDecorator, chroma.NameDecorator},
		{tNameBuiltin, chroma.NameBuiltin},
		{tNameFunction, chroma.NameFunction},
		{tLiteralString, chroma.LiteralString},
		{tLiteralStringRegex, chroma.LiteralStringRegex},
		{tLiteralNumber, chroma.LiteralNumber},
		{tOperator, chroma.Operator},
		{tComment, chroma.Comment},
		{tCommentSingle, chroma.CommentSingle},
		{tCommentPreproc, chroma.CommentPreproc},
		{tGenericError, chroma.GenericError},
		{tText, chroma.Text},
	} {
		if int(tt.local) != int(tt.chroma) {
			t.Errorf("%s is %d here, %d in chroma", tt.chroma, tt.local, tt.chroma)
		}
		for _, x := range []chroma.TokenType{tt.chroma, tt.chroma + 1, tt.chroma + 57} {
			l := tokenType(x)
			if int(l.category()) != int(x.Category()) || int(l.subCategory()) != int(x.SubCategory()) {
				t.Errorf("%s: categories differ from chroma's", x)
			}
		}
	}
}

// customReplies are replies given on the command line: texts that would
// end a literal, a comment or a tag, start an interpolation or an escape;
// other enhanced codes than the catalogue's; every class.
func customReplies(t *testing.T) []string {
	texts := []string{
		"No such user here",
		`it's "quoted" and 'single'`,
		`back\slash \n \" \\ \u00e9 \x41`,
		`#{x} ${y} {z} {{w}} %s %d %(name)s $var @var`,
		`end */ of /* comment // and # hash`,
		`?> <?php </script> <!-- --> ]]>`,
		`''' """ ` + "``` `tick`",
		"unicode: héllo wörld – “quotes” ✓ 日本語 🙂",
		strings.Repeat("a very long reply text that wraps ", 12),
		"x",
		"looks like 550 5.1.1, a code",
		`null None nil true false 0 -1 3.14`,
		"tab\tand  spaces   kept",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = `abc XYZ 019 '"\/*#{}$%@?<>!&|;:,.()[]` + "`~^=+-_é✓"
	runes := []rune(alphabet)
	for range 12 {
		n := 1 + rng.IntN(40)
		var b strings.Builder
		for range n {
			b.WriteRune(runes[rng.IntN(len(runes))])
		}
		texts = append(texts, b.String())
	}
	codes := []string{
		"250 2.0.0", "250 2.1.5", "251 2.1.5", "354",
		"421 4.7.0", "450 4.2.0", "451 4.3.0", "452 4.5.3", "454 4.7.0",
		"550 5.1.1", "550 5.7.1", "550 5.1.8", "552 5.2.2", "553 5.1.3", "554 5.7.1",
		"530 5.7.0", "535 5.7.8", "502 5.5.1", "503 5.5.1", "521 5.3.2",
	}
	var out []string
	for i, c := range codes {
		// Every code with its catalogue text (another enhanced code only)
		// and with a few of the texts, so that each text meets every family.
		out = append(out, c)
		for j := range 3 {
			out = append(out, c+" "+texts[(i*3+j)%len(texts)])
		}
	}
	return out
}

// TestHighlightReply checks the colours smtpcode carries over to a snippet
// whose tokens are not stored: every line it colours is byte for byte what
// lexing the snippet with chroma and formatting the tokens gives, in both
// themes; it may only leave lines without colours, and says how many.
func TestHighlightReply(t *testing.T) {
	inputs := customReplies(t)
	skipped := map[string]error{}
	var snippets, stored, full, partial, none, lines, declined int
	for _, f := range Frameworks() {
		t.Run(f.Name, func(t *testing.T) {
			for _, in := range inputs {
				r, err := Lookup(in)
				if err != nil {
					skipped[in] = err
					continue
				}
				if !f.Applies(r) {
					continue
				}
				src, err := RenderReply(r, f)
				if err != nil {
					t.Fatal(err)
				}
				snippets++
				lexed, err := lexedTokens(f.Language, src)
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := storedTokens(f.Language, src); ok {
					stored++
				}
				_, nDeclined := alignedTokens(r, f, src)
				srcLines := strings.SplitAfter(src, "\n")
				for _, theme := range []Theme{Dark, Light} {
					got, err := HighlightReply(r, f, src, theme)
					if err != nil {
						t.Fatal(err)
					}
					want := format(lexed, theme)
					gotLines := strings.SplitAfter(got, "\n")
					wantLines := strings.SplitAfter(want, "\n")
					if len(gotLines) != len(srcLines) || len(wantLines) != len(srcLines) {
						t.Fatalf("%s: %d lines highlighted, %d lexed, %d in the source", in, len(gotLines), len(wantLines), len(srcLines))
					}
					for i := range srcLines {
						if gotLines[i] == wantLines[i] || gotLines[i] == srcLines[i] {
							continue // as the lexer colours it, or uncoloured
						}
						t.Errorf("%s %s, theme %d, line %d:\n got %q\nwant %q", f.Name, in, theme, i+1, gotLines[i], wantLines[i])
					}
				}
				switch {
				case nDeclined == 0:
					full++
				case nDeclined < 0:
					none++
					lines += len(srcLines)
					declined += len(srcLines)
				default:
					partial++
					declined += nDeclined
				}
				if nDeclined >= 0 {
					lines += len(srcLines)
				}
			}
		})
	}
	t.Logf("%d snippets (%d stored); fully coloured %d, some lines uncoloured %d, uncoloured %d; %d of %d lines uncoloured",
		snippets, stored, full, partial, none, declined, lines)
	for in, err := range skipped {
		t.Logf("not a reply (the command line refuses it too): %s: %v", in, err)
	}
}
