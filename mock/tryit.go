package mock

import (
	"strconv"
	"strings"
)

// DefaultAddr is where smtpcode mock listens unless told otherwise.
const DefaultAddr = "127.0.0.1:2525"

// TryIt is a pair of commands that shows a reply code for real: the mock
// answering with it, and a real client (curl or swaks) that gets it. The
// "try it" section of a code page prints it; a test runs it.
type TryIt struct {
	Rule   string   // the --reply rule, e.g. "VRFY=502"
	Mock   []string // smtpcode's arguments: mock --reply VRFY=502
	Client []string // the client's argv
}

// MockLine is the mock command as a user pastes it.
func (t TryIt) MockLine() string { return shellJoin(append([]string{"smtpcode"}, t.Mock...)) }

// ClientLine is the client command as a user pastes it.
func (t TryIt) ClientLine() string { return shellJoin(t.Client) }

// TryItFor returns the commands for a reply code, with the client aimed at
// addr (DefaultAddr on a code page). It returns false for replies that only
// make sense as a server's own success (250, 354, ...).
func TryItFor(code int, addr string) (TryIt, bool) {
	if code < 200 || code > 599 || code%100 > 59 {
		return TryIt{}, false
	}
	stage := "RCPT"
	client := "swaks"
	switch {
	case code == 421 || code == 521:
		stage = StageConnect
	case code == 552 || code == 554:
		stage = StageDataEnd
	case code == 530 || code == 455 || code == 555:
		stage = "MAIL"
	case code == 432 || code == 454 || code == 534 || code == 535 || code == 538:
		stage = "AUTH"
	case code >= 500 && code <= 504:
		stage, client = "VRFY", "curl"
	case code == 252:
		stage, client = "VRFY", "curl"
	case code == 211 || code == 214:
		stage, client = "HELP", "curl"
	case code == 251:
	case code < 400:
		return TryIt{}, false
	}
	rule := stage + "=" + strconv.Itoa(code)
	t := TryIt{Rule: rule, Mock: []string{"mock", "--reply", rule}}
	switch {
	case client == "curl" && stage == "HELP":
		t.Client = []string{"curl", "-v", "smtp://" + addr, "-X", "HELP"}
	case client == "curl":
		t.Client = []string{"curl", "-v", "smtp://" + addr, "-X", "VRFY postmaster"}
	case stage == "AUTH":
		t.Client = []string{"swaks", "--server", addr, "--to", "user@example.com", "--auth", "PLAIN", "--auth-user", "user", "--auth-password", "secret"}
	default:
		t.Client = []string{"swaks", "--server", addr, "--to", "user@example.com"}
	}
	return t, true
}

// shellJoin quotes for a POSIX shell only what needs it.
func shellJoin(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@,+") == "" {
			out[i] = a
		} else {
			out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(out, " ")
}
