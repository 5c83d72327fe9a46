// Package lexers loads the chroma lexers of the snippets' languages from
// the XML that go generate ./snippets writes here. Only the generator of
// the stored tokens and the tests lex: smtpcode itself never links chroma,
// whose regexp engine (regexp2) and XML loading cost every command at
// start-up.
package lexers

import (
	"embed"
	"fmt"

	"github.com/alecthomas/chroma/v2"
)

//go:embed *.xml
var fs embed.FS

// file is the XML file of a language.
func file(language string) string {
	if language == "c#" {
		return "csharp.xml"
	}
	return language + ".xml"
}

// Lexer loads the chroma lexer of one of the snippets' languages.
func Lexer(language string) (chroma.Lexer, error) {
	l, err := chroma.NewXMLLexer(fs, file(language))
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
