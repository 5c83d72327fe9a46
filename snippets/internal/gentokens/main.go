// Command gentokens writes snippets/tokens_gen.go, the build-time tokens of
// every snippet (go generate ./snippets runs it).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/smtpcode/smtpcode/snippets/internal/tokengen"
)

func main() {
	out := flag.String("out", "tokens_gen.go", "the Go file to write")
	flag.Parse()
	src, err := tokengen.Source()
	if err == nil {
		err = os.WriteFile(*out, src, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gentokens:", err)
		os.Exit(1)
	}
}
