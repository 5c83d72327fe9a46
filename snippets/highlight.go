package snippets

//go:generate go run ./internal/genlexers -out lexers

import (
	"embed"
	"fmt"
	"strings"

	"github.com/alecthomas/chroma/v2"
)

// lexerFS holds chroma's lexers for the snippets' languages, as XML written
// by go generate: loading one of them costs only its own regexps, while
// importing chroma's lexers package would cost every smtpcode command the
// init of its whole registry.
//
//go:embed lexers/*.xml
var lexerFS embed.FS

// lexerFile is the XML file of a language.
func lexerFile(language string) string {
	if language == "c#" {
		return "lexers/csharp.xml"
	}
	return "lexers/" + language + ".xml"
}

// Lexer loads the chroma lexer of one of the snippets' languages.
func Lexer(language string) (chroma.Lexer, error) {
	l, err := chroma.NewXMLLexer(lexerFS, lexerFile(language))
	if err != nil {
		return nil, fmt.Errorf("no lexer for %s: %w", language, err)
	}
	return l, nil
}

// Tokens tokenises a snippet's source.
func Tokens(language, src string) ([]chroma.Token, error) {
	l, err := Lexer(language)
	if err != nil {
		return nil, err
	}
	it, err := l.Tokenise(nil, src)
	if err != nil {
		return nil, err
	}
	return it.Tokens(), nil
}

// Theme is the terminal background a highlighted snippet is drawn for.
type Theme int

const (
	Dark Theme = iota
	Light
)

// style is smtpcode's own: the terminal's 16 ANSI colours, so a snippet
// follows the user's terminal theme; the theme only swaps the tones that
// read badly on one background (bright yellow and bright black on white).
type style map[chroma.TokenType]string

// darkStyle and lightStyle are built when a snippet is highlighted, not at
// start-up: the lookup path must not pay for the snippets.
func darkStyle() style {
	return style{
		chroma.Comment:            "90",   // bright black
		chroma.CommentPreproc:     "90",   //
		chroma.Keyword:            "35",   // magenta
		chroma.KeywordType:        "36",   // cyan
		chroma.KeywordConstant:    "33",   // yellow
		chroma.NameBuiltin:        "36",   //
		chroma.NameFunction:       "34",   // blue
		chroma.NameClass:          "1;34", //
		chroma.NameDecorator:      "33",   //
		chroma.NameAttribute:      "34",   //
		chroma.LiteralString:      "32",   // green
		chroma.LiteralStringRegex: "31",   // red
		chroma.LiteralNumber:      "33",   //
		chroma.Operator:           "35",   //
		chroma.GenericError:       "31",
		chroma.Error:              "31",
	}
}

func lightStyle() style {
	s := darkStyle()
	// Bright black fades out on light backgrounds; yellow is unreadable.
	s[chroma.Comment] = "2"
	s[chroma.CommentPreproc] = "2"
	s[chroma.KeywordConstant] = "31"
	s[chroma.NameDecorator] = "31"
	s[chroma.LiteralNumber] = "31"
	return s
}

// sgr finds the SGR parameters of a token type: its own, else its
// category's, else its super-category's.
func (s style) sgr(t chroma.TokenType) string {
	if v, ok := s[t]; ok {
		return v
	}
	if v, ok := s[t.SubCategory()]; ok {
		return v
	}
	return s[t.Category()]
}

// Highlight returns the source with ANSI colours, each line closing its
// colours so that nothing bleeds past a line or the snippet. The tokens of
// a snippet rendered from the catalogue were stored at build time; any
// other source is lexed.
func Highlight(language, src string, theme Theme) (string, error) {
	toks, ok := storedTokens(language, src)
	if !ok {
		var err error
		if toks, err = Tokens(language, src); err != nil {
			return "", err
		}
	}
	return Format(toks, theme), nil
}

// Format writes tokens with ANSI colours. Neighbours of one colour share
// one escape, so the output depends on the colours alone, not on how the
// lexer split the text.
func Format(toks []chroma.Token, theme Theme) string {
	s := darkStyle()
	if theme == Light {
		s = lightStyle()
	}
	var b strings.Builder
	open := "" // the SGR parameters in effect on this line
	for _, t := range toks {
		code := s.sgr(t.Type)
		for _, line := range strings.SplitAfter(t.Value, "\n") {
			if line == "" {
				continue
			}
			text, nl := strings.CutSuffix(line, "\n")
			if text != "" && code != open {
				if open != "" {
					b.WriteString("\x1b[0m")
				}
				if code != "" {
					b.WriteString("\x1b[" + code + "m")
				}
				open = code
			}
			b.WriteString(text)
			if nl {
				if open != "" {
					b.WriteString("\x1b[0m")
					open = ""
				}
				b.WriteByte('\n')
			}
		}
	}
	if open != "" {
		b.WriteString("\x1b[0m")
	}
	return b.String()
}
