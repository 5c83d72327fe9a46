package iostreams

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// runPager runs the pager through the shell, as git does, with the page on
// its stdin and the terminal as its stdout. less gets LESS=FRX unless the
// user set LESS: quit when the page fits, pass colours, keep the screen.
func (s *IO) runPager(pager string, page []byte) error {
	cmd := exec.Command("/bin/sh", "-c", pager)
	cmd.Stdin = bytes.NewReader(page)
	cmd.Stdout = s.pageOut
	cmd.Stderr = os.Stderr
	cmd.Env = os.Environ()
	if _, ok := os.LookupEnv("LESS"); !ok {
		cmd.Env = append(cmd.Env, "LESS=FRX")
	}
	if _, ok := os.LookupEnv("LV"); !ok {
		cmd.Env = append(cmd.Env, "LV=-c")
	}
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syscall.EPIPE):
		// The user quit before the end: not an error.
		return nil
	case errors.As(err, &ee) && ee.ExitCode() != 127:
		// The pager's own status (q in some pagers exits non-zero) is not
		// smtpcode's failure; the page was shown.
		return nil
	}
	// No such pager (the shell's 127): show the page rather than nothing.
	_, werr := s.pageOut.Write(page)
	return werr
}
