package mock

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// FuzzParseRule: any string is a rule or an error, never a panic, and a
// rule's reply is valid on the wire.
func FuzzParseRule(f *testing.F) {
	for _, s := range []string{
		"RCPT=550 5.1.1 No such user", "VRFY=502", "RCPT:*@full.example=452",
		"RCPT/2+/1s/close:x=421", `DATA-END=554 5.7.1 a\nb`, "CONNECT=554", "RCPT=550-5.7.1 a\n550 b",
		"X=2", "A:=5=5", "EHLO=250 \x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRule(s)
		if err != nil {
			return
		}
		for _, l := range r.Reply.Wire() {
			if len(l) < 3 || strings.ContainsAny(l, "\r\n") || l[:3] != strings.TrimSpace(l[:3]) {
				t.Fatalf("rule %q gives the wire line %q", s, l)
			}
			if len(l)+2 > 512 {
				t.Fatalf("rule %q gives a line of %d octets", s, len(l)+2)
			}
		}
	})
}

// FuzzReadLine: the line reader returns lines no longer than its limit,
// whatever the input, and every byte of input is consumed.
func FuzzReadLine(f *testing.F) {
	f.Add([]byte("EHLO x\r\nMAIL FROM:<a@b>\r\n"), 16)
	f.Add([]byte(strings.Repeat("a", 5000)+"\nb\r\n"), 512)
	f.Add([]byte("\r\r\n\n"), 1)
	f.Fuzz(func(t *testing.T, in []byte, max int) {
		if max < 1 || max > 20000 {
			return
		}
		lr := newLineReader(bufio.NewReaderSize(bytes.NewReader(in), 16))
		for {
			line, _, err := lr.readLine(max)
			if errors.Is(err, errLineTooLong) {
				continue
			}
			if err != nil {
				return
			}
			if len(line)+1 > max {
				t.Fatalf("line of %d octets with limit %d", len(line), max)
			}
			_, _ = parseCommand(line)
		}
	})
}

// FuzzSession feeds a whole session of arbitrary bytes to the server: it
// must answer or close, never panic or hang.
func FuzzSession(f *testing.F) {
	f.Add([]byte("EHLO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\nhi\r\n.\r\nQUIT\r\n"))
	f.Add([]byte("EHLO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nBDAT 99999999999 LAST\r\n"))
	f.Add([]byte("EHLO x\r\nAUTH LOGIN\r\n*\r\nAUTH PLAIN\r\n!!!\r\nSTARTTLS\r\n\x16\x03\x01"))
	f.Add([]byte("HELO \xff\r\nVRFY <550@mock.test>\r\nRCPT TO:<>\r\n"))
	s := NewUnstartedServer()
	s.Config.Users = map[string]string{"u": "p"}
	s.Config.IdleTimeout = 200 * time.Millisecond
	s.Config.NoRecording = true
	s.Config.Rules = []Rule{MustParseRule("RCPT:*@x=452"), MustParseRule("NOOP/2=421")}
	s.Start()
	f.Cleanup(func() { s.Close() })
	f.Fuzz(func(t *testing.T, in []byte) {
		conn, err := net.Dial("tcp", s.Addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
		go func() {
			conn.Write(in)
			conn.(*net.TCPConn).CloseWrite()
		}()
		if _, err := io.Copy(io.Discard, conn); err != nil {
			t.Fatalf("the server neither answered nor closed: %v", err)
		}
	})
}
