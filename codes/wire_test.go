package codes

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestWireExamples checks every "on the wire" exchange of the catalogue: that
// it is a valid SMTP session excerpt (C:/S: lines, complete multi-line
// replies, one reply per command, a reply code the command may get, the
// transaction order), that enhanced status codes follow RFC 2034 (none after
// an EHLO whose reply did not advertise ENHANCEDSTATUSCODES, on every 2xx,
// 4xx and 5xx reply after one that did; after HELO, or before any EHLO, a
// server that supports the extension sends them and one that does not sends
// none, so either is right, §4; the greeting and the EHLO/HELO replies
// themselves are exempt), and that AUTH comes only after STARTTLS (RFC 4954
// §4) unless the entry is about that.
func TestWireExamples(t *testing.T) {
	n := 0
	for _, e := range All() {
		if len(e.Wire) == 0 {
			continue
		}
		n++
		if err := checkWire(e.Wire, authWithoutTLS[e.Code]); err != nil {
			t.Errorf("%s: wire: %v", e.Code, err)
		}
	}
	if n < 30 {
		t.Fatalf("only %d wire examples: the test reads the wrong data", n)
	}
}

// authWithoutTLS are the entries whose example is about AUTH on a session
// without TLS.
var authWithoutTLS = map[string]bool{"538": true}

// The checker must refuse what it is meant to refuse.
func TestWireCheckerRejects(t *testing.T) {
	bad := map[string][]string{
		"enhanced code after an EHLO without the keyword": {"C: EHLO c.example.com", "S: 250-mx.example.net", "S: 250 SIZE 1000", "C: MAIL FROM:<a@example.com>", "S: 250 2.1.0 Ok"},
		"no enhanced code after the keyword":              {"C: EHLO c.example.com", "S: 250-mx.example.net", "S: 250 ENHANCEDSTATUSCODES", "C: MAIL FROM:<a@example.com>", "S: 250 Ok"},
		"AUTH before STARTTLS":                            {"C: EHLO c.example.com", "S: 250-mx.example.net", "S: 250 AUTH PLAIN", "C: AUTH PLAIN AGEAYg==", "S: 235 Authentication successful"},
		"multi-line reply left open":                      {"C: EHLO c.example.com", "S: 250-mx.example.net", "C: QUIT", "S: 221 Bye"},
		"two replies to one command":                      {"C: NOOP", "S: 250 Ok", "S: 250 Ok"},
		"a code the command never gets":                   {"C: QUIT", "S: 354 Go ahead"},
		"codes changing inside a multi-line reply":        {"C: EHLO c.example.com", "S: 250-mx.example.net", "S: 251 SIZE"},
		"RCPT before MAIL accepted":                       {"C: EHLO c.example.com", "S: 250 mx.example.net", "C: RCPT TO:<b@example.net>", "S: 250 Ok"},
		"a command after the connection closed":           {"C: QUIT", "S: 221 Bye", "C: NOOP", "S: 250 Ok"},
		"no EHLO after TLS starts":                        {"C: STARTTLS", "S: 220 Ready to start TLS", "C: MAIL FROM:<a@example.com>", "S: 250 Ok"},
		"enhanced class unlike the reply's":               {"C: NOOP", "S: 250 5.0.0 Ok"},
	}
	for name, w := range bad {
		if err := checkWire(w, false); err == nil {
			t.Errorf("%s: accepted %q", name, w)
		}
	}
	good := []string{"S: 220 mx.example.net ESMTP", "C: EHLO c.example.com", "S: 250-mx.example.net", "S: 250-STARTTLS", "S: 250 ENHANCEDSTATUSCODES",
		"C: STARTTLS", "S: 220 2.0.0 Ready", "C: EHLO c.example.com", "S: 250-mx.example.net", "S: 250-AUTH PLAIN", "S: 250 ENHANCEDSTATUSCODES",
		"C: AUTH PLAIN AGEAYg==", "S: 235 2.7.0 Ok", "C: MAIL FROM:<a@example.com>", "S: 250 2.1.0 Ok", "C: RCPT TO:<b@example.net>", "S: 250 2.1.5 Ok",
		"C: DATA", "S: 354 Go ahead", "C: Subject: x", "C: ", "C: .", "S: 250 2.0.0 Ok", "C: QUIT", "S: 221 2.0.0 Bye"}
	if err := checkWire(good, false); err != nil {
		t.Errorf("a valid session refused: %v", err)
	}
	// RFC 2034 §4: "Servers supporting this extension must attach enhanced
	// status codes to their responses regardless of whether or not EHLO is
	// employed by the client"; one that does not support it sends none.
	for name, w := range map[string][]string{
		"enhanced code after HELO":     {"C: HELO c.example.com", "S: 250 mx.example.net", "C: MAIL FROM:<a@example.com>", "S: 250 2.1.0 Ok"},
		"no enhanced code after HELO":  {"C: HELO c.example.com", "S: 250 mx.example.net", "C: MAIL FROM:<a@example.com>", "S: 250 Ok"},
		"enhanced code before EHLO":    {"S: 220 mx.example.net ESMTP", "C: NOOP", "S: 250 2.0.0 Ok"},
		"no enhanced code before EHLO": {"S: 220 mx.example.net ESMTP", "C: NOOP", "S: 250 Ok"},
	} {
		if err := checkWire(w, false); err != nil {
			t.Errorf("%s: refused: %v", name, err)
		}
	}
}

var (
	wireReplyRe = regexp.MustCompile(`^([2-5][0-9][0-9])([ -]|$)(.*)$`)
	wireEnhRe   = regexp.MustCompile(`^([245])\.[0-9]{1,3}\.[0-9]{1,3}( |$)`)
)

// checkWire checks one exchange; see TestWireExamples.
func checkWire(wire []string, authWithoutTLS bool) error {
	type state struct {
		fromStart  bool // the excerpt starts at the greeting
		ehloSeen   bool // an EHLO or HELO exchange is shown
		enhanced   bool // the shown EHLO advertised ENHANCEDSTATUSCODES
		declined   bool // the shown EHLO did not
		tls        bool // STARTTLS succeeded in the excerpt
		needEHLO   bool // TLS just started: EHLO must come next
		inMail     int  // -1 unknown (excerpt), 0 no transaction, 1 MAIL accepted, 2 a RCPT accepted
		closed     bool
		data       bool // the client is sending message content
		authChal   bool // the server sent 334: the next C line answers it
		advertised []string
	}
	st := state{inMail: -1}
	cmd := ""          // the command waiting for its reply, "CONNECT" for the greeting
	var reply []string // lines of the reply being read
	if len(wire) > 0 && strings.HasPrefix(wire[0], "S:") {
		st.fromStart = true
		cmd = "CONNECT"
	}
	finish := func(code int, lines []string) error {
		c := cmd
		cmd = ""
		// A code the command may get, by the catalogue's own lists.
		if e := FindBasic(code); e != nil && e.Standard && c != "" && !commandMayGet(e, c) {
			return fmt.Errorf("%d is not a reply to %s", code, c)
		}
		// Enhanced codes (RFC 2034 §4): on every 2xx, 4xx and 5xx reply
		// of a server that advertised the extension, on none of one whose
		// EHLO reply did not; the greeting and EHLO/HELO replies are
		// exempt.
		exempt := c == "CONNECT" || c == "EHLO" || c == "HELO" || code/100 == 3
		for _, l := range lines {
			text := l[4:]
			m := wireEnhRe.FindStringSubmatch(text)
			if m != nil && int(m[1][0]-'0') != code/100 {
				return fmt.Errorf("%q: the enhanced code's class is not the reply's", l)
			}
			switch {
			case exempt:
			case m != nil && st.declined:
				return fmt.Errorf("%q: enhanced code from a server whose EHLO reply did not advertise ENHANCEDSTATUSCODES (RFC 2034)", l)
			case m == nil && st.enhanced:
				return fmt.Errorf("%q: no enhanced code from a server that advertised ENHANCEDSTATUSCODES (RFC 2034 §4)", l)
			}
		}
		switch c {
		case "EHLO", "HELO":
			st.ehloSeen = true
			st.enhanced, st.declined = false, false
			st.advertised = nil
			st.inMail = 0
			if c == "EHLO" && code == 250 {
				for _, l := range lines[1:] {
					kw := strings.ToUpper(strings.Fields(l[4:] + " x")[0])
					st.advertised = append(st.advertised, kw)
					st.enhanced = st.enhanced || kw == "ENHANCEDSTATUSCODES"
				}
				st.declined = !st.enhanced
			}
		case "STARTTLS":
			if code == 220 {
				st.tls, st.needEHLO = true, true
				st.enhanced, st.declined, st.advertised = false, false, nil
			}
		case "MAIL":
			if code == 250 {
				st.inMail = 1
			}
		case "RCPT":
			if code == 250 || code == 251 {
				if st.inMail == 0 {
					return fmt.Errorf("RCPT accepted with no MAIL transaction")
				}
				st.inMail = 2
			}
		case "DATA":
			if code == 354 {
				if st.inMail == 0 || st.inMail == 1 {
					return fmt.Errorf("DATA accepted before any recipient")
				}
				st.data = true
			}
		case "DATA-END":
			st.inMail = 0
		case "AUTH":
			st.authChal = code == 334
		}
		if code == 221 || code == 421 {
			st.closed = true
		}
		return nil
	}
	for i, l := range wire {
		switch {
		case strings.HasPrefix(l, "C:"):
			if len(reply) > 0 {
				return fmt.Errorf("line %d: the client speaks inside a multi-line reply", i+1)
			}
			if st.closed {
				return fmt.Errorf("line %d: a command after the connection was closed", i+1)
			}
			line := strings.TrimPrefix(strings.TrimPrefix(l, "C:"), " ")
			if st.data {
				if line == "." {
					st.data = false
					cmd = "DATA-END"
				}
				continue
			}
			if cmd != "" && cmd != "CONNECT" {
				return fmt.Errorf("line %d: %q sent before %s got its reply", i+1, line, cmd)
			}
			if st.authChal {
				st.authChal = false
				cmd = "AUTH"
				continue
			}
			verb := strings.ToUpper(strings.Fields(line + " ")[0])
			if i := strings.IndexByte(verb, ':'); i >= 0 {
				verb = verb[:i]
			}
			if st.needEHLO && verb != "EHLO" && verb != "QUIT" {
				return fmt.Errorf("line %d: after STARTTLS the client must send EHLO again (RFC 3207 §4.2)", i+1)
			}
			st.needEHLO = false
			if verb == "AUTH" && !st.tls && !authWithoutTLS && (st.fromStart || st.ehloSeen) {
				return fmt.Errorf("line %d: AUTH on a session without STARTTLS (RFC 4954 §4)", i+1)
			}
			cmd = verb
		case strings.HasPrefix(l, "S:"):
			line := strings.TrimPrefix(l, "S: ")
			m := wireReplyRe.FindStringSubmatch(line)
			if m == nil {
				return fmt.Errorf("line %d: %q is not a reply line", i+1, line)
			}
			if cmd == "" {
				return fmt.Errorf("line %d: a reply no command asked for", i+1)
			}
			code, _ := strconv.Atoi(m[1])
			if len(reply) > 0 && reply[0][:3] != m[1] {
				return fmt.Errorf("line %d: the code changes inside a multi-line reply", i+1)
			}
			reply = append(reply, line+strings.Repeat(" ", max(0, 4-len(line))))
			if m[2] == "-" {
				continue
			}
			if (cmd == "RCPT" || cmd == "DATA") && st.inMail == 0 && code < 400 {
				return fmt.Errorf("line %d: %s accepted outside a transaction", i+1, cmd)
			}
			if err := finish(code, reply); err != nil {
				return fmt.Errorf("line %d: %v", i+1, err)
			}
			reply = nil
		default:
			return fmt.Errorf("line %d: %q is neither C: nor S:", i+1, l)
		}
	}
	if len(reply) > 0 {
		return fmt.Errorf("the last reply is left open (its last line has a hyphen)")
	}
	return nil
}

func commandMayGet(e *Entry, cmd string) bool {
	known := false
	for _, k := range []string{"CONNECT", "EHLO", "HELO", "MAIL", "RCPT", "DATA", "DATA-END", "BDAT", "RSET", "VRFY", "EXPN", "HELP", "NOOP", "QUIT", "AUTH", "STARTTLS", "ETRN", "ATRN"} {
		known = known || k == cmd
	}
	if !known {
		// An unknown command gets 500 (or 502 from older servers).
		return e.Code == "500" || e.Code == "502" || e.Code == "421"
	}
	for _, c := range e.Commands {
		if c == cmd || c == "ANY" {
			return true
		}
	}
	return false
}
