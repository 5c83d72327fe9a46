// Command smtpcode explains SMTP replies: smtpcode 550 5.7.1.
package main

import (
	"os"

	"github.com/smtpcode/smtpcode/internal/iostreams"
)

func main() {
	os.Exit(run(os.Args[1:], iostreams.System()))
}
