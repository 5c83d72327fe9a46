// Package lexergen writes the chroma lexers the snippets need as XML into
// snippets/internal/lexers, which the token generator and the tests load
// without linking chroma's lexer registry.
package lexergen

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// Languages are the snippets' languages, as chroma names them; the file is
// named after the first alias.
var Languages = []string{"go", "python", "javascript", "java", "c#", "ruby", "php", "rust"}

// Write writes every language's lexer into dir.
func Write(out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, name := range Languages {
		b, err := XML(name)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, FileName(name)), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// FileName is the XML file of a language: "c#" is csharp.xml.
func FileName(name string) string {
	if name == "c#" {
		return "csharp.xml"
	}
	return name + ".xml"
}

// XML serialises one lexer of chroma's registry.
func XML(name string) ([]byte, error) {
	l := lexers.Get(name)
	if l == nil {
		return nil, fmt.Errorf("no lexer %q", name)
	}
	rl, ok := l.(*chroma.RegexLexer)
	if !ok {
		return nil, fmt.Errorf("lexer %q is a %T, not a regex lexer", name, l)
	}
	b, err := chroma.Marshal(rl)
	if err == nil {
		return sortStates(b), nil
	}
	// Go's raw strings delegate to the Go template lexer through a function,
	// which XML cannot hold: make them plain strings, and keep the rest.
	rules, rerr := rl.Rules()
	if rerr != nil {
		return nil, rerr
	}
	rules = rules.Clone()
	for state, rs := range rules {
		for i, r := range rs {
			if _, isFunc := r.Type.(chroma.EmitterFunc); isFunc {
				rules[state][i].Type = chroma.LiteralString
			}
			if bg, ok := r.Type.(interface{ EmitterKind() string }); ok && bg.EmitterKind() == "bygroups" {
				if _, err := chroma.Marshal(chroma.MustNewLexer(rl.Config(), func() chroma.Rules { return chroma.Rules{"root": {r}} })); err != nil {
					rules[state][i].Type = chroma.LiteralString
				}
			}
		}
	}
	b, err = chroma.Marshal(chroma.MustNewLexer(rl.Config(), func() chroma.Rules { return rules }))
	return sortStates(b), err
}

// sortStates puts the states in name order: Marshal writes them in map
// order, and the checked-in files must not change from run to run.
func sortStates(b []byte) []byte {
	const open, end = "    <state name=", "    </state>\n"
	s := string(b)
	first := strings.Index(s, open)
	last := strings.LastIndex(s, end)
	if first < 0 || last < 0 {
		return b
	}
	body := s[first : last+len(end)]
	var states []string
	for body != "" {
		i := strings.Index(body, end)
		states = append(states, body[:i+len(end)])
		body = body[i+len(end):]
	}
	sort.Strings(states)
	return []byte(s[:first] + strings.Join(states, "") + s[last+len(end):])
}
