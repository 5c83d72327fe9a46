// Command genlexers writes the chroma lexers the snippets need as XML into
// snippets/internal/lexers (go generate ./snippets runs it).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/smtpcode/smtpcode/snippets/internal/lexergen"
)

func main() {
	out := flag.String("out", "lexers", "directory to write the XML into")
	flag.Parse()
	if err := lexergen.Write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "genlexers:", err)
		os.Exit(1)
	}
}
