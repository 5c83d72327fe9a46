package snippets_test

import (
	"os"
	"testing"

	"github.com/smtpcode/smtpcode/snippets/internal/tokengen"
)

// TestTokensGenFresh fails when tokens_gen.go is stale (after a template,
// catalogue, lexer or chroma change): run go generate ./snippets.
func TestTokensGenFresh(t *testing.T) {
	want, err := tokengen.Source()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("tokens_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Error("tokens_gen.go is stale: run go generate ./snippets")
	}
}
