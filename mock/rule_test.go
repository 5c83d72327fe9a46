package mock

import (
	"bufio"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/smtpcode/smtpcode/codes"
)

func TestParseRule(t *testing.T) {
	tests := []struct {
		in      string
		stage   string
		pattern string
		nth     int
		later   bool
		delay   time.Duration
		close   bool
		wire    string
	}{
		{in: "RCPT=550 5.1.1 No such user", stage: "RCPT", wire: "550 5.1.1 No such user"},
		{in: "rcpt:*@full.example=452 4.2.2 Mailbox full", stage: "RCPT", pattern: "*@full.example", wire: "452 4.2.2 Mailbox full"},
		{in: "RCPT/2=451 4.7.1 Greylisted", stage: "RCPT", nth: 2, wire: "451 4.7.1 Greylisted"},
		{in: "RCPT/3+=452 4.5.3 Too many recipients", stage: "RCPT", nth: 3, later: true, wire: "452 4.5.3 Too many recipients"},
		{in: "DATA-END/1500ms=451 4.3.0 Try later", stage: StageDataEnd, delay: 1500 * time.Millisecond, wire: "451 4.3.0 Try later"},
		{in: "end=554 5.7.1 Spam", stage: StageDataEnd, wire: "554 5.7.1 Spam"},
		{in: "MAIL/close=550 5.7.1 Go away", stage: "MAIL", close: true, wire: "550 5.7.1 Go away"},
		{in: "greeting=554 No service", stage: StageConnect, wire: "554 No service"},
		{in: "RCPT=550 Unknown user", stage: "RCPT", wire: "550 Unknown user"},
		{in: `RCPT=550 5.7.1 one\ntwo`, stage: "RCPT", wire: "550-5.7.1 one\n550 5.7.1 two"},
		{in: "RCPT=550-5.7.1 one\n550 5.7.1 two", stage: "RCPT", wire: "550-5.7.1 one\n550 5.7.1 two"},
		{in: "EHLO=250 mock\nSIZE 10", stage: "EHLO", wire: "250-mock\n250 SIZE 10"},
		{in: "RCPT:SRS0=ab=x@y=550 5.1.1 x", stage: "RCPT", pattern: "SRS0=ab=x@y", wire: "550 5.1.1 x"},
		{in: "XCLIENT=250 2.0.0 OK", stage: "XCLIENT", wire: "250 2.0.0 OK"},
		{in: "DATA=354 Go ahead", stage: "DATA", wire: "354 Go ahead"},
		// Addresses match with or without their brackets.
		{in: "RCPT:<bob@example.com>=550 5.1.1 x", stage: "RCPT", pattern: "bob@example.com", wire: "550 5.1.1 x"},
		// BATV and SRS addresses hold '=' followed by digits.
		{in: "RCPT:prvs=1234567890=bob@x.example=550 5.1.1 x", stage: "RCPT", pattern: "prvs=1234567890=bob@x.example", wire: "550 5.1.1 x"},
		{in: "RCPT:SRS0=3abc=TT=example.com=bob@fwd.example=550 5.1.1 x", stage: "RCPT", pattern: "SRS0=3abc=TT=example.com=bob@fwd.example", wire: "550 5.1.1 x"},
		{in: "RCPT:SRS0=123=45=example.com=bob@fwd.example=550 5.1.1 x", stage: "RCPT", pattern: "SRS0=123=45=example.com=bob@fwd.example", wire: "550 5.1.1 x"},
		{in: "RCPT=550 5.7.1 score=100 too high", stage: "RCPT", wire: "550 5.7.1 score=100 too high"},
		{in: "DATA-END/2s:*@slow.example=451 4.3.0 x", stage: StageDataEnd, pattern: "*@slow.example", delay: 2 * time.Second, wire: "451 4.3.0 x"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := ParseRule(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if r.Stage != tt.stage || r.Pattern != tt.pattern || r.Nth != tt.nth || r.OrLater != tt.later || r.Delay != tt.delay || r.Close != tt.close {
				t.Errorf("got %+v", r)
			}
			if got := r.Reply.String(); got != tt.wire {
				t.Errorf("wire %q, want %q", got, tt.wire)
			}
		})
	}
}

func TestParseRuleErrors(t *testing.T) {
	for _, in := range []string{
		"", "RCPT", "RCPT=", "RCPT=abc", "=550", "RCPT=650", "RCPT=199", "RCPT=570",
		"RCPT=550 4.1.1 wrong class", "R CPT=550", "RCPT/0=550", "RCPT/soon=550",
		"RCPT/=550", "RCPT:=550", "RCPT=5501", "1RCPT=550",
		"RCPT=550-5.1.1 a\n550 5.1.2 b",
		// A modifier after the pattern would become part of it.
		"DATA-END:*@x.example/2s=451", "RCPT:*@x.example/2=451", "RCPT:*@x.example/close=451",
		// Misspelled stages would never fire.
		"RCTP=550", "END-DATA=554", "DATA_END=554",
		// Repeated modifiers: which one wins?
		"RCPT/2/3=550", "RCPT/1s/2s=550", "RCPT/close/close=550",
		// Mixed codes, empty lines.
		"RCPT=550 5.1.1 a\n551 5.1.1 b", `RCPT=550 5.1.1 a\n551 5.1.1 b`, `RCPT=550\n`, "RCPT=550\n", `RCPT=550 a\n\nb`,
		"RCPT:<>=550", "RCPT:bob@example.com =550", "RCPT/1/each/server=451",
		"RCPT/p=0=451", "RCPT/p=1.5=451", "RCPT/p=x=451", "NOOP/1s~x=250", "RCPT/drop/drop", "RCPT/close",
	} {
		if r, err := ParseRule(in); err == nil {
			t.Errorf("ParseRule(%q) = %+v, want an error", in, r)
		}
	}
}

// TestFilledFromCatalogue checks the text of a bare code against the
// catalogue as it stands, whatever it says.
func TestParseRuleFaults(t *testing.T) {
	r, err := ParseRule("DATA-END/1/server/drop")
	if err != nil || !r.Drop || r.Nth != 1 || r.Scope != ScopeServer {
		t.Errorf("drop: %+v %v", r, err)
	}
	r, err = ParseRule("RCPT/p=0.25/2s~500ms:*@x.example=451 4.3.0 Flaky")
	if err != nil || r.Probability != 0.25 || r.Delay != 2*time.Second || r.Jitter != 500*time.Millisecond || r.Pattern != "*@x.example" {
		t.Errorf("p and jitter: %+v %v", r, err)
	}
}

func TestParseProbability(t *testing.T) {
	for in, want := range map[string]float64{"0.1": 0.1, ".25": 0.25, "1": 1, "1.0": 1, "0.001": 0.001} {
		if p, ok := parseProbability(in); !ok || p < want-1e-12 || p > want+1e-12 {
			t.Errorf("%q: %v %v, want %v", in, p, ok, want)
		}
	}
	for _, in := range []string{"0", "0.0", "", ".", "1.5", "2", "-0.1", "0.1x", "1e-1", "0,5"} {
		if p, ok := parseProbability(in); ok {
			t.Errorf("%q: %v, want an error", in, p)
		}
	}
}

func TestParseRuleScope(t *testing.T) {
	for in, want := range map[string]Scope{"RCPT/1=451": ScopeSession, "RCPT/1/session=451": ScopeSession, "RCPT/1/Message=451": ScopeMessage,
		"DATA-END/1/server=451": ScopeServer, "RCPT/each/1:*@grey.example=451": ScopeEach} {
		if r, err := ParseRule(in); err != nil || r.Scope != want {
			t.Errorf("%s: scope %q, %v; want %q", in, r.Scope, err, want)
		}
	}
}

func TestParseRuleAllowVerb(t *testing.T) {
	if _, err := ParseRule("FOO=250"); !errors.Is(err, ErrUnknownStage) {
		t.Errorf("FOO: err %v, want ErrUnknownStage", err)
	}
	if r, err := ParseRule("foo=250", "FOO"); err != nil || r.Stage != "FOO" {
		t.Errorf("FOO allowed: %+v %v", r, err)
	}
	if r, err := ParseRule("XCLIENT=250"); err != nil || r.Stage != "XCLIENT" {
		t.Errorf("XCLIENT: %+v %v", r, err)
	}
}

func TestFilledFromCatalogue(t *testing.T) {
	for _, code := range []int{502, 550, 421, 452, 554} {
		r, err := ParseReply(strings.TrimSpace(strings.Repeat(" ", 0) + itoa(code)))
		if err != nil {
			t.Fatal(err)
		}
		if !r.Filled || len(r.Lines) != 1 || r.Lines[0] == "" {
			t.Fatalf("%d: %+v", code, r)
		}
		if e := codes.FindBasic(code); e != nil && e.Enhanced != "" && r.Enhanced != e.Enhanced {
			t.Errorf("%d: enhanced %q, catalogue says %q", code, r.Enhanced, e.Enhanced)
		}
		if r.Enhanced == "" || r.Enhanced[0] != byte('0'+code/100) {
			t.Errorf("%d: enhanced %q", code, r.Enhanced)
		}
	}
	r := MustParseRule("CONNECT=421")
	if r.Reply.Enhanced != "" {
		t.Errorf("a greeting carries no enhanced code (RFC 2034): %q", r.Reply.String())
	}
}

func itoa(n int) string {
	return string(rune('0'+n/100)) + string(rune('0'+n/10%10)) + string(rune('0'+n%10))
}

func TestGlob(t *testing.T) {
	tests := []struct {
		p, s string
		want bool
	}{
		{"*@full.example", "bob@FULL.example", true},
		{"*@full.example", "bob@full.example.org", false},
		{"b?b@*", "bob@x", true},
		{"*", "", true},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"", "x", false},
		{"ünï*", "ÜNÏcode", true},
	}
	for _, tt := range tests {
		if got := Glob(tt.p, tt.s); got != tt.want {
			t.Errorf("Glob(%q, %q) = %v", tt.p, tt.s, got)
		}
	}
}

func TestAddressReply(t *testing.T) {
	tests := []struct {
		addr    string
		forData bool
		want    string
	}{
		{"550-5.1.1@mock.test", false, "550 5.1.1"},
		{"452@MOCK.TEST", false, "452 "},
		{"data-554-5.6.0@mock.test", true, "554 5.6.0"},
		{"data-554@mock.test", false, ""},
		{"550@mock.example", false, ""},
		{"bob@mock.test", false, ""},
		{"550-4.1.1@mock.test", false, ""},
		{"999@mock.test", false, ""},
	}
	for _, tt := range tests {
		r, ok := addressReply(tt.addr, tt.forData)
		got := ""
		if ok {
			got = r.String()
		}
		if tt.want == "" && ok || tt.want != "" && !strings.HasPrefix(got, tt.want) {
			t.Errorf("addressReply(%q) = %q, %v; want %q", tt.addr, got, ok, tt.want)
		}
	}
}

func TestReadLine(t *testing.T) {
	// The CR of the fifth line ends a full 64-octet buffer, its LF starts
	// the next: a line too long must still report that it ended in CRLF.
	in := strings.Repeat("y", 64*10-1) + "\r\n" + "short\r\nbare\n" + strings.Repeat("x", 600) + "\r\nafter\r\n" +
		strings.Repeat("z", 600) + "\n.\r\n"
	lr := newLineReader(bufio.NewReaderSize(strings.NewReader(in), 64))
	for _, want := range []struct {
		line string
		crlf bool
		err  error
	}{
		{"", true, errLineTooLong}, {"short", true, nil}, {"bare", false, nil}, {"", true, errLineTooLong}, {"after", true, nil},
		{"", false, errLineTooLong}, {".", true, nil},
	} {
		line, crlf, err := lr.readLine(512)
		if string(line) != want.line || crlf != want.crlf || !errors.Is(err, want.err) {
			t.Errorf("got %q %v %v, want %q %v %v", line, crlf, err, want.line, want.crlf, want.err)
		}
	}
}

func TestParsePath(t *testing.T) {
	tests := []struct {
		arg, kw, addr string
		params        int
		ok            bool
	}{
		{"FROM:<a@b.c>", "FROM", "a@b.c", 0, true},
		{"from: <a@b.c> SIZE=10 BODY=8BITMIME", "FROM", "a@b.c", 2, true},
		{"FROM:<>", "FROM", "", 0, true},
		{"TO:<@relay.example:bob@b.c>", "TO", "bob@b.c", 0, true},
		{"TO:bob@b.c", "TO", "", 0, false},
		{"TO:<bob@b.c", "TO", "", 0, false},
		{"TO:<bob@b.c>x", "TO", "", 0, false},
		{"FROM<a@b.c>", "FROM", "", 0, false},
	}
	for _, tt := range tests {
		addr, params, ok := parsePath(tt.arg, tt.kw)
		if addr != tt.addr || len(params) != tt.params || ok != tt.ok {
			t.Errorf("parsePath(%q) = %q %q %v", tt.arg, addr, params, ok)
		}
	}
}
