//go:build mangen

package main

import (
	"fmt"
	"os"

	"github.com/smtpcode/smtpcode/internal/iostreams"
	"github.com/smtpcode/smtpcode/internal/mangen"
)

// With the mangen tag, "smtpcode __mangen DIR" writes the man pages into DIR
// (go generate ./cmd/smtpcode).
func init() {
	if len(os.Args) != 3 || os.Args[1] != "__mangen" {
		return
	}
	s, _, _, _ := iostreams.Test()
	if err := mangen.Write(newRootCmd(s, []string{"help"}), os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "mangen:", err)
		os.Exit(1)
	}
	os.Exit(0)
}
