package mock

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// client is a raw SMTP client: it sends lines as given and reads replies
// whole, so tests can send what no polite client would.
type client struct {
	t    *testing.T
	conn net.Conn
	tp   *textproto.Conn
}

func dial(t *testing.T, s *Server) *client {
	t.Helper()
	conn, err := net.DialTimeout("tcp", s.Addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { conn.Close() })
	return &client{t: t, conn: conn, tp: textproto.NewConn(conn)}
}

// reply reads one reply and returns its lines as on the wire.
func (c *client) reply() string {
	c.t.Helper()
	var lines []string
	for {
		l, err := c.tp.ReadLine()
		if err != nil {
			c.t.Fatalf("reading reply: %v (so far %q)", err, lines)
		}
		lines = append(lines, l)
		if len(l) < 4 || l[3] != '-' {
			return strings.Join(lines, "\n")
		}
	}
}

func (c *client) send(line string) string {
	c.t.Helper()
	if _, err := io.WriteString(c.conn, line+"\r\n"); err != nil {
		c.t.Fatal(err)
	}
	return c.reply()
}

// expectClosed checks that the server closed the connection.
func (c *client) expectClosed() {
	c.t.Helper()
	_ = c.conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	if l, err := c.tp.ReadLine(); err == nil {
		c.t.Fatalf("connection still open, read %q", l)
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		c.t.Fatal("connection still open after 3s")
	}
}

type step struct{ send, want string }

func TestConversations(t *testing.T) {
	tests := []struct {
		name  string
		rules []string
		steps []step // send "" reads the greeting
	}{
		{"plain delivery", nil, []step{
			{"", "220 mock.test ESMTP"},
			{"EHLO client.example", "250-mock.test greets client.example"},
			{"MAIL FROM:<a@example.com> SIZE=100", "250 2.1.0"},
			{"RCPT TO:<b@example.com>", "250 2.1.5"},
			{"DATA", "354 "},
			{"Subject: hi\r\n\r\nhello\r\n..dot\r\n.", "250 2.0.0 OK: message"},
			{"QUIT", "221 2.0.0"},
		}},
		{"EHLO lists the extensions", nil, []step{
			{"", "220 "},
			{"EHLO c", "250-mock.test greets c\n250-PIPELINING\n250-SIZE 10485760\n250-8BITMIME\n250-SMTPUTF8\n250-ENHANCEDSTATUSCODES\n250-CHUNKING\n250-STARTTLS\n250 HELP"},
		}},
		{"VRFY default and scripted", []string{"VRFY:nobody=550 5.1.1 No such user"}, []step{
			{"", "220 "},
			{"VRFY postmaster", "252 2.5.0"},
			{"VRFY nobody", "550 5.1.1 No such user"},
			{"VRFY <NoBody>", "550 5.1.1 No such user"},
		}},
		{"VRFY=502 filled from the catalogue", []string{"VRFY=502"}, []step{
			{"", "220 "},
			{"VRFY postmaster", "502 5."},
		}},
		{"RCPT glob", []string{"RCPT:*@full.example=452 4.2.2 Mailbox full"}, []step{
			{"", "220 "},
			{"EHLO c", "250-"},
			{"MAIL FROM:<>", "250 2.1.0"},
			{"RCPT TO:<x@FULL.example>", "452 4.2.2 Mailbox full"},
			{"RCPT TO:<x@ok.example>", "250 2.1.5"},
			{"DATA", "354 "},
		}},
		{"nth occurrence and later", []string{"RCPT/3+=452 4.5.3 Too many recipients"}, []step{
			{"", "220 "},
			{"HELO c", "250 mock.test"},
			{"MAIL FROM:<a@b.c>", "250 "},
			{"RCPT TO:<1@b.c>", "250 "},
			{"RCPT TO:<2@b.c>", "250 "},
			{"RCPT TO:<3@b.c>", "452 4.5.3"},
			{"RCPT TO:<4@b.c>", "452 4.5.3"},
		}},
		{"only the second MAIL", []string{"MAIL/2=451 4.3.0 Try later"}, []step{
			{"", "220 "},
			{"EHLO c", "250-"},
			{"MAIL FROM:<a@b.c>", "250 "},
			{"RSET", "250 "},
			{"MAIL FROM:<a@b.c>", "451 4.3.0 Try later"},
			{"MAIL FROM:<a@b.c>", "250 "},
		}},
		{"multi-line reply", []string{`RCPT=550 5.7.1 first line\nsecond line`}, []step{
			{"", "220 "},
			{"EHLO c", "250-"},
			{"MAIL FROM:<a@b.c>", "250 "},
			{"RCPT TO:<x@y.z>", "550-5.7.1 first line\n550 5.7.1 second line"},
		}},
		{"address convention", nil, []step{
			{"", "220 "},
			{"EHLO c", "250-"},
			{"MAIL FROM:<a@b.c>", "250 "},
			{"RCPT TO:<550-5.1.1@mock.test>", "550 5.1.1"},
			{"RCPT TO:<452@mock.test>", "452 4."},
			{"RCPT TO:<data-554-5.6.0@mock.test>", "250 2.1.5"},
			{"DATA", "354 "},
			{"hi\r\n.", "554 5.6.0"},
			{"MAIL FROM:<530-5.7.0@MOCK.TEST>", "530 5.7.0"},
		}},
		{"end of data rule", []string{"DATA-END=554 5.7.1 Spam"}, []step{
			{"", "220 "},
			{"EHLO c", "250-"},
			{"MAIL FROM:<a@b.c>", "250 "},
			{"RCPT TO:<x@y.z>", "250 "},
			{"DATA", "354 "},
			{"hi\r\n.", "554 5.7.1 Spam"},
			{"NOOP", "250 2.0.0"},
		}},
		{"out of sequence", nil, []step{
			{"", "220 "},
			{"MAIL FROM:<a@b.c>", "503 5.5.1"},
			{"EHLO c", "250-"},
			{"RCPT TO:<a@b.c>", "503 5.5.1"},
			{"DATA", "503 5.5.1"},
			{"MAIL FROM:<a@b.c>", "250 "},
			{"DATA", "503 5.5.1"},
			{"MAIL FROM:<a@b.c>", "503 5.5.1"},
		}},
		{"syntax errors", nil, []step{
			{"", "220 "},
			{"EHLO", "501 5.5.4"},
			{"EHLO c", "250-"},
			{"MAIL FROM:a@b.c", "501 5.5.4"},
			{"MAIL FROM:<a@b.c> FOO=1", "555 5.5.4"},
			{"MAIL FROM:<a@b.c> SIZE=99999999999", "552 5.3.4"},
			{"MAIL TO:<a@b.c>", "501 5.5.4"},
			{"XYZZY", "500 5.5.1"},
			{"+++", "500 5.5.2"},
			{"EXPN list", "502 5.5.1"},
			{"HELP", "214-2.0.0"},
			{"AUTH PLAIN AGFAYg==", "502 5.5.1"},
		}},
		{"rules on any verb", []string{"XCLIENT=250 2.0.0 Fine", "NOOP/close=250 2.0.0 Bye now"}, []step{
			{"", "220 "},
			{"XCLIENT NAME=x", "250 2.0.0 Fine"},
			{"NOOP", "250 2.0.0 Bye now"},
		}},
		{"EHLO=250 keeps the extensions, written text replaces them", []string{"EHLO/1=250", "EHLO/2=250 only this"}, []step{
			{"", "220 "},
			{"EHLO c", "250-mock.test greets c\n250-PIPELINING"},
			{"EHLO c", "250 only this"},
		}},
		{"refusal at the greeting waits for QUIT", []string{"CONNECT=554 No SMTP service here"}, []step{
			{"", "554 No SMTP service here"},
			{"EHLO c", "503 5.5.1"},
			{"QUIT", "221 2.0.0"},
		}},
		{"long command line", nil, []step{
			{"", "220 "},
			{"NOOP " + strings.Repeat("x", 600), "500 5.5.6"},
			{"NOOP", "250 "},
			{"MAIL FROM:<a@b.c> AUTH=<>" + strings.Repeat(" ", 600), "503 5.5.1"},
			{"NOOP " + strings.Repeat("x", 20000), "500 5.5.6"},
			{"NOOP", "250 "},
		}},
		{"long text line", nil, []step{
			{"", "220 "},
			{"EHLO c", "250-"},
			{"MAIL FROM:<a@b.c>", "250 "},
			{"RCPT TO:<x@y.z>", "250 "},
			{"DATA", "354 "},
			{strings.Repeat("y", 1200) + "\r\nok\r\n.", "500 5.5.6"},
			{"MAIL FROM:<a@b.c>", "250 "},
		}},
		{"bare LF does not end the data", nil, []step{
			{"", "220 "},
			{"EHLO c", "250-"},
			{"MAIL FROM:<a@b.c>", "250 "},
			{"RCPT TO:<x@y.z>", "250 "},
			{"DATA", "354 "},
			{"a\n.\nb\r\n.", "250 2.0.0"},
		}},
		{"BDAT", nil, []step{
			{"", "220 "},
			{"EHLO c", "250-"},
			{"MAIL FROM:<a@b.c>", "250 "},
			{"RCPT TO:<x@y.z>", "250 "},
			{"BDAT 7\r\nhello", "250 2.0.0 7 octets"},
			{"BDAT 4 LAST\r\nok", "250 2.0.0 OK"},
			{"BDAT 3 LAST\r\na", "503 5.5.1"},
		}},
		{"AUTH immediately scripted", []string{"AUTH=454 4.7.0 Temporary authentication failure"}, []step{
			{"", "220 "},
			{"EHLO c", "250-"},
			{"AUTH PLAIN AHUAcA==", "454 4.7.0"},
		}},
		{"delay", []string{"NOOP/50ms=250 2.0.0 slowly"}, []step{
			{"", "220 "},
			{"NOOP", "250 2.0.0 slowly"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewUnstartedServer()
			s.Config.Users = nil
			for _, r := range tt.rules {
				s.Config.Rules = append(s.Config.Rules, MustParseRule(r))
			}
			s.Start()
			defer s.Close()
			c := dial(t, s)
			for _, st := range tt.steps {
				var got string
				if st.send == "" {
					got = c.reply()
				} else {
					got = c.send(st.send)
				}
				if !strings.HasPrefix(got, st.want) {
					t.Fatalf("after %q: got %q, want prefix %q", trim(st.send), got, st.want)
				}
			}
		})
	}
}

func trim(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

func TestMessageIsRecordedUnstuffed(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := dial(t, s)
	c.reply()
	c.send("EHLO c")
	c.send("MAIL FROM:<a@b.c>")
	c.send("RCPT TO:<x@y.z>")
	c.send("RCPT TO:<w@y.z>")
	c.send("DATA")
	c.send("Subject: t\r\n\r\n..leading dot\r\nend\r\n.")
	msgs := s.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if want := "Subject: t\r\n\r\n.leading dot\r\nend\r\n"; string(m.Data) != want {
		t.Errorf("data %q, want %q", m.Data, want)
	}
	if m.From != "a@b.c" || strings.Join(m.To, ",") != "x@y.z,w@y.z" || m.Size != int64(len(m.Data)) {
		t.Errorf("envelope %q -> %q size %d", m.From, m.To, m.Size)
	}
}

func TestSizeLimitDuringData(t *testing.T) {
	s := NewUnstartedServer()
	s.Config.MaxMessageSize = 100
	s.Start()
	defer s.Close()
	c := dial(t, s)
	c.reply()
	if got := c.send("EHLO c"); !strings.Contains(got, "SIZE 100\n") {
		t.Fatalf("EHLO does not advertise the limit: %q", got)
	}
	c.send("MAIL FROM:<a@b.c>")
	c.send("RCPT TO:<x@y.z>")
	c.send("DATA")
	if got := c.send(strings.Repeat("0123456789\r\n", 20) + "."); !strings.HasPrefix(got, "552 5.3.4") {
		t.Fatalf("got %q, want 552 5.3.4", got)
	}
	if len(s.Messages()) != 0 {
		t.Fatal("an oversized message was recorded")
	}
}

// A text line over 1000 octets right before the final dot: the dot still
// ends the message, and 500 5.5.6 comes at once (a one-line HTML body from
// smtplib or curl does this).
func TestLongLineThenDot(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for _, between := range []string{"", "ok\r\n", strings.Repeat("b", 5000) + "\r\n"} {
		c := dial(t, s)
		_ = c.conn.SetDeadline(time.Now().Add(3 * time.Second))
		c.reply()
		c.send("EHLO c")
		c.send("MAIL FROM:<a@b.c>")
		c.send("RCPT TO:<x@y.z>")
		c.send("DATA")
		if got := c.send(strings.Repeat("y", 1200) + "\r\n" + between + "."); !strings.HasPrefix(got, "500 5.5.6") {
			t.Errorf("between %.10q: got %q, want 500 5.5.6", between, got)
		}
		if got := c.send("NOOP"); !strings.HasPrefix(got, "250") {
			t.Errorf("after the refused message: %q", got)
		}
	}
	if n := len(s.Messages()); n != 0 {
		t.Errorf("%d messages recorded", n)
	}
}

func TestGreeting421Closes(t *testing.T) {
	s := NewServer("CONNECT/1=421")
	defer s.Close()
	c := dial(t, s)
	if got := c.reply(); !strings.HasPrefix(got, "421 mock.test ") {
		t.Fatalf("greeting %q", got)
	}
	c.expectClosed()
	// Only the first connection: the retry gets in.
	c = dial(t, s)
	if got := c.reply(); !strings.HasPrefix(got, "220 ") {
		t.Fatalf("second greeting %q", got)
	}
}

func TestIdleTimeout(t *testing.T) {
	s := NewUnstartedServer()
	s.Config.IdleTimeout = 100 * time.Millisecond
	s.Start()
	defer s.Close()
	c := dial(t, s)
	c.reply()
	if got := c.reply(); !strings.HasPrefix(got, "421 4.4.2") {
		t.Fatalf("got %q, want 421 4.4.2", got)
	}
	c.expectClosed()
	if r := s.Sessions()[0].Reason; r != "idle timeout" {
		t.Errorf("reason %q", r)
	}
}

func TestMaxSessions(t *testing.T) {
	s := NewUnstartedServer()
	s.Config.MaxSessions = 1
	s.Start()
	defer s.Close()
	first := dial(t, s)
	first.reply()
	second := dial(t, s)
	if got := second.reply(); !strings.HasPrefix(got, "421 4.3.2") {
		t.Fatalf("got %q, want 421 4.3.2", got)
	}
	second.expectClosed()
	first.send("QUIT")
}

func TestCloseSends421ToSessionsInFlight(t *testing.T) {
	s := NewServer()
	c := dial(t, s)
	c.reply()
	c.send("EHLO c")
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	if got := c.reply(); !strings.HasPrefix(got, "421 4.3.2") {
		t.Fatalf("got %q, want 421 4.3.2", got)
	}
	c.expectClosed()
	<-done
	if r := s.Sessions()[0].Reason; r != "shutdown" {
		t.Errorf("reason %q", r)
	}
}

func TestEventsOfOneSessionInOrder(t *testing.T) {
	var mu sync.Mutex
	var types []string
	s := NewUnstartedServer()
	s.Config.OnEvent = func(e Event) {
		mu.Lock()
		defer mu.Unlock()
		types = append(types, string(e.Type))
	}
	s.Start()
	c := dial(t, s)
	c.reply()
	c.send("HELO c")
	c.send("MAIL FROM:<a@b.c>")
	c.send("RCPT TO:<x@y.z>")
	c.send("DATA")
	c.send("x\r\n.")
	c.send("QUIT")
	s.Close()
	got := strings.Join(types, " ")
	want := "connect reply command reply command reply command reply command reply message reply command reply disconnect"
	if got != want {
		t.Errorf("events\n got %s\nwant %s", got, want)
	}
}

func TestPipelining(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := dial(t, s)
	c.reply()
	c.send("EHLO c")
	io.WriteString(c.conn, "MAIL FROM:<a@b.c>\r\nRCPT TO:<x@y.z>\r\nRCPT TO:<550@mock.test>\r\nDATA\r\n")
	for _, want := range []string{"250 2.1.0", "250 2.1.5", "550 5.", "354 "} {
		if got := c.reply(); !strings.HasPrefix(got, want) {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}

// TestNetSMTP drives the server with Go's net/smtp: STARTTLS, then AUTH
// PLAIN, then a message; and wrong credentials.
func TestNetSMTP(t *testing.T) {
	s := NewUnstartedServer()
	s.Config.Users = map[string]string{"user": "secret"}
	s.Start()
	defer s.Close()
	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())

	send := func(pass string) error {
		c, err := smtp.Dial(s.Addr)
		if err != nil {
			return err
		}
		defer c.Close()
		if err := c.StartTLS(&tls.Config{ServerName: "127.0.0.1", RootCAs: pool}); err != nil {
			return fmt.Errorf("starttls: %w", err)
		}
		if err := c.Auth(smtp.PlainAuth("", "user", pass, "127.0.0.1")); err != nil {
			return err
		}
		if err := c.Mail("a@example.com"); err != nil {
			return err
		}
		if err := c.Rcpt("b@example.com"); err != nil {
			return err
		}
		w, err := c.Data()
		if err != nil {
			return err
		}
		io.WriteString(w, "Subject: net/smtp\r\n\r\nhello\r\n")
		if err := w.Close(); err != nil {
			return err
		}
		return c.Quit()
	}
	if err := send("secret"); err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages()
	if len(msgs) != 1 || !msgs[0].TLS || msgs[0].User != "user" {
		t.Fatalf("messages %+v", msgs)
	}
	err := send("wrong")
	var te *textproto.Error
	if !asTextproto(err, &te) || te.Code != 535 || !strings.HasPrefix(te.Msg, "5.7.8") {
		t.Fatalf("wrong password gave %v, want 535 5.7.8", err)
	}
}

func asTextproto(err error, te **textproto.Error) bool {
	for err != nil {
		if e, ok := err.(*textproto.Error); ok {
			*te = e
			return true
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		err = u.Unwrap()
	}
	return false
}

func TestAuthLogin(t *testing.T) {
	s := NewUnstartedServer()
	s.Config.Users = map[string]string{"u": "p"}
	s.Start()
	defer s.Close()
	c := dial(t, s)
	c.reply()
	c.send("EHLO c")
	for _, st := range []step{
		{"AUTH LOGIN", "334 VXNlcm5hbWU6"},
		{"dQ==", "334 UGFzc3dvcmQ6"},
		{"eA==", "535 5.7.8"},
		{"AUTH LOGIN dQ==", "334 UGFzc3dvcmQ6"},
		{"cA==", "235 2.7.0"},
		{"AUTH LOGIN", "503 5.5.1"},
	} {
		if got := c.send(st.send); !strings.HasPrefix(got, st.want) {
			t.Fatalf("after %q: got %q, want %q", st.send, got, st.want)
		}
	}
	for _, l := range s.Sessions()[0].Transcript {
		if strings.Contains(l.Text, "cA==") || strings.Contains(l.Text, "dQ==") {
			t.Errorf("transcript shows a secret: %q", l)
		}
	}
}

func TestManyConcurrentSessions(t *testing.T) {
	// smtp.SendMail takes STARTTLS whenever offered and verifies the
	// certificate against the system roots, which a test certificate is
	// not in.
	s := NewUnstartedServer()
	s.Config.DisableTLS = true
	s.Start()
	defer s.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- smtp.SendMail(s.Addr, nil, "a@example.com", []string{fmt.Sprintf("r%d@example.com", i)}, []byte("Subject: x\r\n\r\nbody\r\n"))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := len(s.Messages()); n != 50 {
		t.Fatalf("%d messages, want 50", n)
	}
}

func TestShutdownDeadlineCutsOff(t *testing.T) {
	s := NewServer("NOOP/1h=250")
	c := dial(t, s)
	c.reply()
	io.WriteString(c.conn, "NOOP\r\n")
	time.Sleep(50 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	s.Shutdown(ctx)
	if time.Since(start) > 3*time.Second {
		t.Fatal("shutdown waited for the delay")
	}
	r := bufio.NewReader(c.conn)
	l, _ := r.ReadString('\n')
	if !strings.HasPrefix(l, "421 4.3.2") {
		t.Fatalf("got %q, want 421 4.3.2", l)
	}
}

// A shutdown during a DATA-END rule's delay: the client gets 421, and the
// message is recorded as refused with that 421, in the events too.
func TestDelayedAcceptanceRecordsWhatWasSent(t *testing.T) {
	s := NewUnstartedServer()
	s.Config.Rules = []Rule{MustParseRule("DATA-END/3s=250 2.0.0 Slowly queued")}
	var mu sync.Mutex
	var events []Message
	s.Config.OnEvent = func(e Event) {
		if e.Type == EventMessage {
			mu.Lock()
			events = append(events, *e.Message)
			mu.Unlock()
		}
	}
	s.Start()
	c := dial(t, s)
	c.reply()
	c.send("EHLO c")
	c.send("MAIL FROM:<a@b.c>")
	c.send("RCPT TO:<x@y.z>")
	c.send("DATA")
	if _, err := io.WriteString(c.conn, "Subject: x\r\n\r\nbody\r\n.\r\n"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	go s.Close()
	if got := c.reply(); !strings.HasPrefix(got, "421 4.3.2") {
		t.Fatalf("got %q, want 421 4.3.2", got)
	}
	s.Close()
	if n := len(s.Messages()); n != 0 {
		t.Errorf("%d messages recorded as accepted", n)
	}
	ss := s.Sessions()
	if len(ss) != 1 || len(ss[0].Messages) != 1 || ss[0].Messages[0].Accepted || ss[0].Messages[0].Reply.Code != 421 {
		t.Errorf("session messages %+v", ss[0].Messages)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(events) != 1 || events[0].Accepted || events[0].Reply.Code != 421 {
		t.Errorf("message events %+v", events)
	}
}

// A pattern written with angle brackets matches the address, and an
// allowed verb the mock does not know is answered by its rule.
// Control characters in an address are a syntax error (RFC 5321 §4.1.2).
func TestAddressWithControlCharacters(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := dial(t, s)
	c.reply()
	c.send("EHLO c")
	if got := c.send("MAIL FROM:<a\x1b[31m@b.c>"); !strings.HasPrefix(got, "553 5.1.7") {
		t.Errorf("MAIL: %q", got)
	}
	c.send("MAIL FROM:<a@b.c>")
	if got := c.send("RCPT TO:<b\x07@b.c>"); !strings.HasPrefix(got, "553 5.1.3") {
		t.Errorf("RCPT: %q", got)
	}
}

func TestRulesAsWrittenFire(t *testing.T) {
	s := NewUnstartedServer()
	for _, r := range []string{"RCPT:<bob@example.com>=550 5.1.1 No such user", "FOO=250 2.0.0 Fine"} {
		rule, err := ParseRule(r, "FOO")
		if err != nil {
			t.Fatal(err)
		}
		s.Config.Rules = append(s.Config.Rules, rule)
	}
	s.Start()
	defer s.Close()
	c := dial(t, s)
	c.reply()
	c.send("EHLO c")
	c.send("MAIL FROM:<a@b.c>")
	if got := c.send("RCPT TO:<Bob@Example.com>"); got != "550 5.1.1 No such user" {
		t.Errorf("RCPT: %q", got)
	}
	if got := c.send("FOO bar"); got != "250 2.0.0 Fine" {
		t.Errorf("FOO: %q", got)
	}
}

// TestOccurrenceScopes: "fail, then succeed on retry" across connections
// (greylisting), and counts within the message on a reused connection.
func TestOccurrenceScopes(t *testing.T) {
	send := func(s *Server, to ...string) error {
		return smtp.SendMail(s.Addr, nil, "a@example.com", to, []byte("Subject: x\r\n\r\nx\r\n"))
	}
	code := func(err error) int {
		var te *textproto.Error
		if asTextproto(err, &te) {
			return te.Code
		}
		if err != nil {
			t.Fatalf("not an SMTP error: %v", err)
		}
		return 250
	}

	t.Run("each: greylisting per recipient", func(t *testing.T) {
		s := NewUnstartedServer()
		s.Config.DisableTLS = true
		s.Config.Rules = []Rule{MustParseRule("RCPT/1/each:*@grey.example=451 4.7.1 Greylisted, try again later")}
		s.Start()
		defer s.Close()
		for i, want := range []struct {
			to   string
			code int
		}{{"bob@grey.example", 451}, {"bob@grey.example", 250}, {"ann@grey.example", 451}, {"BOB@grey.example", 250}, {"ann@grey.example", 250}, {"c@other.example", 250}} {
			if got := code(send(s, want.to)); got != want.code {
				t.Errorf("attempt %d to %s: %d, want %d", i+1, want.to, got, want.code)
			}
		}
		if n := len(s.Messages()); n != 4 {
			t.Errorf("%d messages, want 4", n)
		}
	})

	t.Run("server: the first attempt only", func(t *testing.T) {
		s := NewUnstartedServer()
		s.Config.DisableTLS = true
		s.Config.Rules = []Rule{MustParseRule("DATA-END/1/server=451 4.3.0 Try again later")}
		s.Start()
		defer s.Close()
		for i, want := range []int{451, 250, 250} {
			if got := code(send(s, "b@example.com")); got != want {
				t.Errorf("attempt %d: %d, want %d", i+1, got, want)
			}
		}
	})

	t.Run("message: per transaction on a reused connection", func(t *testing.T) {
		s := NewServer("RCPT/3+/message=452 4.5.3 Too many recipients")
		defer s.Close()
		c := dial(t, s)
		c.reply()
		c.send("EHLO c")
		for msg := 1; msg <= 2; msg++ {
			c.send("MAIL FROM:<a@b.c>")
			for i, want := range []string{"250", "250", "452"} {
				if got := c.send(fmt.Sprintf("RCPT TO:<r%d@y.z>", i)); !strings.HasPrefix(got, want) {
					t.Errorf("message %d RCPT %d: %q, want %s", msg, i+1, got, want)
				}
			}
			c.send("DATA")
			if got := c.send("x\r\n."); !strings.HasPrefix(got, "250") {
				t.Errorf("message %d: %q", msg, got)
			}
		}
	})

	t.Run("session: the default", func(t *testing.T) {
		s := NewServer("RCPT/2=550 5.1.1 Second")
		defer s.Close()
		c := dial(t, s)
		c.reply()
		c.send("EHLO c")
		c.send("MAIL FROM:<a@b.c>")
		c.send("RCPT TO:<x@y.z>")
		c.send("RSET")
		c.send("MAIL FROM:<a@b.c>")
		if got := c.send("RCPT TO:<x@y.z>"); got != "550 5.1.1 Second" {
			t.Errorf("second RCPT of the session: %q", got)
		}
	})
}

// TestStrictLikeARealServer: the mock refuses what a real server refuses,
// so a client's bug shows in its test.
func TestStrictLikeARealServer(t *testing.T) {
	t.Run("an over-long SASL response gets one reply", func(t *testing.T) {
		s := NewUnstartedServer()
		s.Config.Users = map[string]string{"u": "p"}
		s.Start()
		defer s.Close()
		c := dial(t, s)
		c.reply()
		c.send("EHLO c")
		if got := c.send("AUTH PLAIN"); got != "334" {
			t.Fatalf("AUTH PLAIN: %q", got)
		}
		if got := c.send(strings.Repeat("A", 13000)); !strings.HasPrefix(got, "500 5.5.6") {
			t.Errorf("long response: %q", got)
		}
		if got := c.send("NOOP"); !strings.HasPrefix(got, "250") {
			t.Errorf("NOOP after: %q (replies off by one?)", got)
		}
	})

	t.Run("STARTTLS forgets AUTH", func(t *testing.T) {
		s := NewUnstartedServer()
		s.Config.Users = map[string]string{"u": "p"}
		s.Start()
		defer s.Close()
		c := dial(t, s)
		c.reply()
		c.send("EHLO c")
		if got := c.send("AUTH PLAIN AHUAcA=="); !strings.HasPrefix(got, "235") {
			t.Fatalf("AUTH: %q", got)
		}
		if got := c.send("STARTTLS"); !strings.HasPrefix(got, "220") {
			t.Fatalf("STARTTLS: %q", got)
		}
		tc := tls.Client(c.conn, s.TLSClientConfig())
		if err := tc.Handshake(); err != nil {
			t.Fatal(err)
		}
		c.conn, c.tp = tc, textproto.NewConn(tc)
		c.send("EHLO c")
		if got := c.send("AUTH PLAIN AHUAcA=="); !strings.HasPrefix(got, "235") {
			t.Errorf("AUTH after STARTTLS: %q, want 235 (RFC 3207 §4.2)", got)
		}
		if ss := s.Sessions(); ss[0].User != "u" || !ss[0].TLS {
			t.Errorf("session %+v", ss[0])
		}
	})

	t.Run("unicode addresses need SMTPUTF8", func(t *testing.T) {
		s := NewServer()
		defer s.Close()
		c := dial(t, s)
		c.reply()
		c.send("EHLO c")
		if got := c.send("MAIL FROM:<jösé@example.com>"); got != "553 5.6.7 Must declare SMTPUTF8 to send unicode address" {
			t.Errorf("MAIL: %q", got)
		}
		c.send("MAIL FROM:<a@example.com>")
		if got := c.send("RCPT TO:<δοκιμή@example.com>"); !strings.HasPrefix(got, "553 5.6.7") {
			t.Errorf("RCPT: %q", got)
		}
		c.send("RSET")
		c.send("MAIL FROM:<jösé@example.com> SMTPUTF8")
		if got := c.send("RCPT TO:<δοκιμή@example.com>"); !strings.HasPrefix(got, "250") {
			t.Errorf("RCPT with SMTPUTF8: %q", got)
		}
	})

	t.Run("parameters need EHLO", func(t *testing.T) {
		s := NewServer()
		defer s.Close()
		c := dial(t, s)
		c.reply()
		c.send("HELO c")
		for _, p := range []string{"SIZE=10", "BODY=8BITMIME", "SMTPUTF8", "FOO=1"} {
			if got := c.send("MAIL FROM:<a@b.c> " + p); !strings.HasPrefix(got, "555 5.5.4") {
				t.Errorf("%s after HELO: %q", p, got)
			}
		}
	})

	t.Run("a custom EHLO reply withdraws what it leaves out", func(t *testing.T) {
		// ENHANCEDSTATUSCODES kept, so that the replies below have
		// their enhanced codes (TestEnhancedCodesFollowTheServer).
		s := NewServer("EHLO=250 mock.test\nPIPELINING\nSIZE 1000\nENHANCEDSTATUSCODES")
		defer s.Close()
		c := dial(t, s)
		c.reply()
		c.send("EHLO c")
		if got := c.send("STARTTLS"); !strings.HasPrefix(got, "502 5.5.1") {
			t.Errorf("STARTTLS: %q", got)
		}
		if got := c.send("MAIL FROM:<a@b.c> BODY=8BITMIME"); !strings.HasPrefix(got, "555 5.5.4") {
			t.Errorf("BODY without 8BITMIME: %q", got)
		}
		if got := c.send("MAIL FROM:<a@b.c> SIZE=2000"); !strings.HasPrefix(got, "552 5.3.4") {
			t.Errorf("SIZE over the offered 1000: %q", got)
		}
		c.send("MAIL FROM:<a@b.c>")
		c.send("RCPT TO:<x@y.z>")
		if _, err := io.WriteString(c.conn, "BDAT 5 LAST\r\nhello"); err != nil {
			t.Fatal(err)
		}
		if got := c.reply(); !strings.HasPrefix(got, "502 5.5.1") {
			t.Errorf("BDAT without CHUNKING: %q", got)
		}
		c.send("DATA")
		if got := c.send(strings.Repeat("0123456789\r\n", 100) + "."); !strings.HasPrefix(got, "552 5.3.4") {
			t.Errorf("1200 octets with SIZE 1000 offered: %q", got)
		}
	})
}

// Bare LFs are kept as received, and a dot after one is not unstuffed;
// RejectBareLF answers as Postfix 3.9 with smtpd_forbid_bare_newline =
// reject does.
func TestBareLF(t *testing.T) {
	t.Run("kept as received", func(t *testing.T) {
		s := NewServer()
		defer s.Close()
		c := dial(t, s)
		c.reply()
		c.send("EHLO c")
		c.send("MAIL FROM:<a@b.c>")
		c.send("RCPT TO:<x@y.z>")
		c.send("DATA")
		if got := c.send("line1\nline2\r\n..dot\r\nx\n.y\r\n."); !strings.HasPrefix(got, "250") {
			t.Fatalf("end of data: %q", got)
		}
		if m := s.Messages(); len(m) != 1 || string(m[0].Data) != "line1\nline2\r\n.dot\r\nx\n.y\r\n" {
			t.Errorf("data %q", m[0].Data)
		}
	})
	t.Run("rejected", func(t *testing.T) {
		s := NewUnstartedServer()
		s.Config.RejectBareLF = true
		s.Start()
		defer s.Close()
		c := dial(t, s)
		c.reply()
		c.send("EHLO c")
		c.send("MAIL FROM:<a@b.c>")
		c.send("RCPT TO:<x@y.z>")
		c.send("DATA")
		if got := c.send("line1\nline2\r\n."); got != "550 5.5.2 mock.test Error: bare <LF> received" {
			t.Errorf("DATA: %q", got)
		}
		c.send("MAIL FROM:<a@b.c>")
		c.send("RCPT TO:<x@y.z>")
		if _, err := io.WriteString(c.conn, "BDAT 4 LAST\r\na\nb\r"); err != nil {
			t.Fatal(err)
		}
		if got := c.reply(); got != "550 5.5.2 mock.test Error: bare <LF> received" {
			t.Errorf("BDAT: %q", got)
		}
		if got := c.send("NOOP"); !strings.HasPrefix(got, "250") {
			t.Errorf("NOOP: %q", got)
		}
		if _, err := io.WriteString(c.conn, "NOOP\n"); err != nil {
			t.Fatal(err)
		}
		if got := c.reply(); got != "550 5.5.2 mock.test Error: bare <LF> received" {
			t.Errorf("command: %q", got)
		}
		c.expectClosed()
		if n := len(s.Messages()); n != 0 {
			t.Errorf("%d messages", n)
		}
	})
}

// A 421 closes after reading what the client had already sent: the client
// reads the 421 and then EOF, not a connection reset.
func TestCloseAfter421Drains(t *testing.T) {
	for _, rule := range []string{"RCPT/1=421 4.7.0 Go away", "CONNECT=421 4.3.2 Busy"} {
		t.Run(rule, func(t *testing.T) {
			s := NewServer(rule)
			defer s.Close()
			conn, err := net.Dial("tcp", s.Addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			var b strings.Builder
			b.WriteString("EHLO c\r\nMAIL FROM:<a@b.c>\r\n")
			for i := range 300 {
				fmt.Fprintf(&b, "RCPT TO:<user%04d@example.com>\r\n", i)
			}
			b.WriteString("DATA\r\n")
			if _, err := io.WriteString(conn, b.String()); err != nil {
				t.Fatal(err)
			}
			time.Sleep(200 * time.Millisecond)
			_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			got, err := io.ReadAll(conn)
			if err != nil {
				t.Fatalf("after %q: %v, want EOF", got, err)
			}
			if !strings.Contains(string(got), "421 4.") {
				t.Errorf("no 421 in %q", got)
			}
		})
	}
}

// A BDAT chunk has one deadline: a byte now and then does not hold the
// session past the idle timeout (plus the chunk at 10 KiB/s).
func TestBDATTrickleTimesOut(t *testing.T) {
	s := NewUnstartedServer()
	s.Config.IdleTimeout = 300 * time.Millisecond
	s.Start()
	defer s.Close()
	c := dial(t, s)
	c.reply()
	c.send("EHLO c")
	c.send("MAIL FROM:<a@b.c>")
	c.send("RCPT TO:<x@y.z>")
	if _, err := io.WriteString(c.conn, "BDAT 100 LAST\r\n"); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				if _, err := c.conn.Write([]byte("x")); err != nil {
					return
				}
			}
		}
	}()
	start := time.Now()
	_ = c.conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	if got := c.reply(); !strings.HasPrefix(got, "421 4.4.2") {
		t.Errorf("got %q, want 421 4.4.2", got)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("421 after %s", d)
	}
}

// With NoRecording, a body over SpoolThreshold is in a file while OnEvent
// runs, by DATA and by BDAT, and the file is gone afterwards.
func TestSpoolBigMessages(t *testing.T) {
	dir := t.TempDir()
	s := NewUnstartedServer()
	s.Config.NoRecording = true
	s.Config.SpoolThreshold = 1024
	s.Config.SpoolDir = dir
	type seen struct {
		file string
		data []byte
		size int64
	}
	got := make(chan seen, 4)
	s.Config.OnEvent = func(e Event) {
		if e.Type == EventMessage {
			b, _ := os.ReadFile(e.Message.DataFile)
			got <- seen{e.Message.DataFile, append(b, e.Message.Data...), e.Message.Size}
		}
	}
	s.Start()
	defer s.Close()
	body := strings.Repeat("0123456789abcdef\r\n", 200) // 3600 octets
	c := dial(t, s)
	c.reply()
	c.send("EHLO c")
	c.send("MAIL FROM:<a@b.c>")
	c.send("RCPT TO:<x@y.z>")
	c.send("DATA")
	if r := c.send(body + "."); !strings.HasPrefix(r, "250") {
		t.Fatal(r)
	}
	c.send("MAIL FROM:<a@b.c>")
	c.send("RCPT TO:<x@y.z>")
	if _, err := fmt.Fprintf(c.conn, "BDAT %d\r\n%sBDAT 3 LAST\r\nend", len(body), body); err != nil {
		t.Fatal(err)
	}
	c.reply()
	if r := c.reply(); !strings.HasPrefix(r, "250") {
		t.Fatal(r)
	}
	c.send("MAIL FROM:<a@b.c>")
	c.send("RCPT TO:<x@y.z>")
	c.send("DATA")
	if r := c.send("small\r\n."); !strings.HasPrefix(r, "250") {
		t.Fatal(r)
	}
	for i, want := range []string{body, body + "end", "small\r\n"} {
		m := <-got
		if string(m.data) != want || m.size != int64(len(want)) {
			t.Errorf("message %d: %d octets (size %d), want %d", i+1, len(m.data), m.size, len(want))
		}
		if (m.file != "") != (len(want) > 1024) || m.file != "" && filepath.Dir(m.file) != dir {
			t.Errorf("message %d: file %q", i+1, m.file)
		}
	}
	c.send("QUIT")
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("files left: %v", left)
	}
}

// TestFaults: a dropped connection, a probability with a seed, jitter and
// a bandwidth limit.
func TestFaults(t *testing.T) {
	t.Run("drop after the final dot", func(t *testing.T) {
		s := NewServer("DATA-END/drop")
		defer s.Close()
		c := dial(t, s)
		c.reply()
		c.send("EHLO c")
		c.send("MAIL FROM:<a@b.c>")
		c.send("RCPT TO:<x@y.z>")
		c.send("DATA")
		if _, err := io.WriteString(c.conn, "x\r\n.\r\n"); err != nil {
			t.Fatal(err)
		}
		c.expectClosed()
		ss := s.Sessions()
		if ss[0].Reason != "dropped by rule" || len(ss[0].Messages) != 1 || ss[0].Messages[0].Accepted || ss[0].Messages[0].Reply.Code != 0 {
			t.Errorf("session %+v", ss[0])
		}
		if n := len(s.Messages()); n != 0 {
			t.Errorf("%d messages accepted", n)
		}
	})

	t.Run("probability, repeatable with a seed", func(t *testing.T) {
		run := func(seed int64) string {
			s := NewUnstartedServer()
			s.Config.Seed = seed
			s.Config.Rules = []Rule{MustParseRule("RCPT/p=0.5=451 4.3.0 Sometimes")}
			s.Start()
			defer s.Close()
			c := dial(t, s)
			c.reply()
			c.send("EHLO c")
			c.send("MAIL FROM:<a@b.c>")
			var b strings.Builder
			for i := range 40 {
				b.WriteString(c.send(fmt.Sprintf("RCPT TO:<r%d@y.z>", i))[:1])
			}
			return b.String()
		}
		a, b := run(7), run(7)
		if a != b {
			t.Errorf("seed 7 gave %s then %s", a, b)
		}
		if n := strings.Count(a, "4"); n < 8 || n > 32 {
			t.Errorf("%d of 40 refused with p=0.5: %s", n, a)
		}
		if run(8) == a && run(9) == a {
			t.Errorf("seeds 7, 8, 9 all gave %s", a)
		}
	})

	t.Run("jitter", func(t *testing.T) {
		s := NewUnstartedServer()
		s.Config.Rules = []Rule{MustParseRule("NOOP/100ms~50ms=250 2.0.0 OK")}
		s.Start()
		defer s.Close()
		seen := map[time.Duration]bool{}
		for range 50 {
			r, ok := s.findRule("NOOP", "", counts{}, nil)
			if !ok || r.Delay < 50*time.Millisecond || r.Delay > 150*time.Millisecond {
				t.Fatalf("delay %s", r.Delay)
			}
			seen[r.Delay] = true
		}
		if len(seen) < 10 {
			t.Errorf("only %d distinct delays in 50", len(seen))
		}
	})

	t.Run("bandwidth", func(t *testing.T) {
		s := NewUnstartedServer()
		s.Config.Bandwidth = 10000
		s.Start()
		defer s.Close()
		c := dial(t, s)
		c.reply()
		c.send("EHLO c")
		c.send("MAIL FROM:<a@b.c>")
		c.send("RCPT TO:<x@y.z>")
		c.send("DATA")
		start := time.Now()
		if got := c.send(strings.Repeat("0123456789abcdef\r\n", 1200) + "."); !strings.HasPrefix(got, "250") {
			t.Fatal(got)
		}
		// 21,600 octets at 10,000 a second: at least 2 s, whatever the machine.
		if d := time.Since(start); d < 2*time.Second {
			t.Errorf("21,600 octets in %s at 10,000 octets/s", d)
		}
	})
}

// TestGoAPI: the httptest-like constructors, ClearMessages/Reset,
// WaitMessages and a second Close that waits.
func TestGoAPI(t *testing.T) {
	msg := []byte("Subject: x\r\n\r\nx\r\n")
	t.Run("NewServer works with smtp.SendMail", func(t *testing.T) {
		s := NewServer()
		defer s.Close()
		if err := smtp.SendMail(s.Addr, nil, "a@example.com", []string{"b@example.com"}, msg); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("NewTLSServer: STARTTLS and implicit TLS", func(t *testing.T) {
		s := NewTLSServer()
		defer s.Close()
		c, err := smtp.Dial(s.Addr)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.StartTLS(s.TLSClientConfig()); err != nil {
			t.Fatal(err)
		}
		if err := c.Quit(); err != nil {
			t.Fatal(err)
		}
		conn, err := tls.Dial("tcp", s.TLSAddr, s.TLSClientConfig())
		if err != nil {
			t.Fatal(err)
		}
		c, err = smtp.NewClient(conn, "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := c.Extension("STARTTLS"); ok {
			t.Error("STARTTLS offered inside TLS")
		}
		if err := c.Mail("a@example.com"); err != nil {
			t.Fatal(err)
		}
		if err := c.Rcpt("b@example.com"); err != nil {
			t.Fatal(err)
		}
		w, err := c.Data()
		if err != nil {
			t.Fatal(err)
		}
		w.Write(msg)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		c.Quit()
		if m := s.Messages(); len(m) != 1 || !m[0].TLS {
			t.Errorf("messages %+v", m)
		}
	})

	t.Run("NewTestServer closes at cleanup", func(t *testing.T) {
		var s *Server
		t.Run("inner", func(t *testing.T) {
			s = NewTestServer(t, "RCPT=550 5.1.1 No")
			err := smtp.SendMail(s.Addr, nil, "a@example.com", []string{"b@example.com"}, msg)
			var te *textproto.Error
			if !asTextproto(err, &te) || te.Code != 550 {
				t.Errorf("err %v", err)
			}
		})
		if conn, err := net.DialTimeout("tcp", s.Addr, time.Second); err == nil {
			conn.Close()
			t.Error("server still listening after the test")
		}
	})

	t.Run("WaitMessages, ClearMessages, Reset", func(t *testing.T) {
		s := NewServer("RCPT/1/server=451 4.7.1 Greylisted")
		defer s.Close()
		go func() {
			for range 4 {
				_ = smtp.SendMail(s.Addr, nil, "a@example.com", []string{"b@example.com"}, msg)
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		got, err := s.WaitMessages(ctx, 3)
		if err != nil || len(got) < 3 {
			t.Fatalf("WaitMessages: %d, %v", len(got), err)
		}
		short, cancel2 := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel2()
		if _, err := s.WaitMessages(short, 100); err != context.DeadlineExceeded {
			t.Errorf("WaitMessages(100): %v", err)
		}
		s.ClearMessages()
		if len(s.Messages()) != 0 || len(s.Sessions()) != 0 {
			t.Error("ClearMessages kept messages")
		}
		s.Reset() // the rule and its /server counter go
		if err := smtp.SendMail(s.Addr, nil, "a@example.com", []string{"b@example.com"}, msg); err != nil {
			t.Errorf("after Reset: %v", err)
		}
	})

	t.Run("a second Close waits", func(t *testing.T) {
		var mu sync.Mutex
		disconnected := false
		s := NewUnstartedServer()
		s.Config.OnEvent = func(e Event) {
			if e.Type == EventDisconnect {
				mu.Lock()
				disconnected = true
				mu.Unlock()
			}
		}
		s.Start()
		c := dial(t, s)
		c.reply()
		go s.Close()
		for !s.closing.Load() {
			time.Sleep(time.Millisecond)
		}
		s.Close()
		mu.Lock()
		defer mu.Unlock()
		if !disconnected {
			t.Error("the second Close returned before the session ended")
		}
	})
}

// TestSessionPolicy: STARTTLS required, AUTH required, any credentials,
// and extensions turned off.
func TestSessionPolicy(t *testing.T) {
	t.Run("require TLS", func(t *testing.T) {
		s := NewUnstartedServer()
		s.Config.RequireTLS, s.Config.AuthAny = true, true
		s.Start()
		defer s.Close()
		c := dial(t, s)
		c.reply()
		if got := c.send("EHLO c"); strings.Contains(got, "AUTH") || !strings.Contains(got, "STARTTLS") {
			t.Errorf("EHLO before TLS: %q", got)
		}
		for _, cmd := range []string{"MAIL FROM:<a@b.c>", "AUTH PLAIN AHUAcA==", "RSET", "VRFY x"} {
			if got := c.send(cmd); got != "530 5.7.0 Must issue a STARTTLS command first" {
				t.Errorf("%s: %q", cmd, got)
			}
		}
		if got := c.send("NOOP"); !strings.HasPrefix(got, "250") {
			t.Errorf("NOOP: %q", got)
		}
		c.send("STARTTLS")
		tc := tls.Client(c.conn, s.TLSClientConfig())
		if err := tc.Handshake(); err != nil {
			t.Fatal(err)
		}
		c.conn, c.tp = tc, textproto.NewConn(tc)
		if got := c.send("EHLO c"); !strings.Contains(got, "AUTH PLAIN LOGIN") {
			t.Errorf("EHLO in TLS: %q", got)
		}
		if got := c.send("MAIL FROM:<a@b.c>"); !strings.HasPrefix(got, "250") {
			t.Errorf("MAIL in TLS: %q", got)
		}
	})

	t.Run("require AUTH, accept any", func(t *testing.T) {
		s := NewUnstartedServer()
		s.Config.RequireAuth, s.Config.AuthAny, s.Config.DisableTLS = true, true, true
		s.Start()
		defer s.Close()
		c := dial(t, s)
		c.reply()
		c.send("EHLO c")
		if got := c.send("MAIL FROM:<a@b.c>"); got != "530 5.7.0 Authentication required" {
			t.Errorf("MAIL before AUTH: %q", got)
		}
		// \0anyone\0whatever
		if got := c.send("AUTH PLAIN AGFueW9uZQB3aGF0ZXZlcg=="); !strings.HasPrefix(got, "235") {
			t.Errorf("AUTH: %q", got)
		}
		if got := c.send("MAIL FROM:<a@b.c>"); !strings.HasPrefix(got, "250") {
			t.Errorf("MAIL after AUTH: %q", got)
		}
		if ss := s.Sessions(); ss[0].User != "anyone" {
			t.Errorf("user %q", ss[0].User)
		}
	})

	t.Run("extensions off", func(t *testing.T) {
		s := NewUnstartedServer()
		s.Config.DisableExtensions = []string{"pipelining", "CHUNKING", "8BITMIME", "SMTPUTF8"}
		s.Start()
		defer s.Close()
		c := dial(t, s)
		c.reply()
		got := c.send("EHLO c")
		for _, ext := range []string{"PIPELINING", "CHUNKING", "8BITMIME", "SMTPUTF8"} {
			if strings.Contains(got, ext) {
				t.Errorf("EHLO offers %s: %q", ext, got)
			}
		}
		if got := c.send("MAIL FROM:<a@b.c> BODY=8BITMIME"); !strings.HasPrefix(got, "555") {
			t.Errorf("BODY: %q", got)
		}
		if got := c.send("MAIL FROM:<jösé@b.c> SMTPUTF8"); !strings.HasPrefix(got, "555") {
			t.Errorf("SMTPUTF8: %q", got)
		}
	})
}

// AddRule takes rules written as NewServer's, and adds none when one is
// wrong.
func TestAddRule(t *testing.T) {
	s := NewServer()
	defer s.Close()
	if err := s.AddRule("VRFY=550 5.1.1 No", "RCTP=550"); err == nil || !errors.Is(err, ErrUnknownStage) {
		t.Errorf("err %v, want ErrUnknownStage", err)
	}
	c := dial(t, s)
	c.reply()
	if got := c.send("VRFY x"); !strings.HasPrefix(got, "252") {
		t.Errorf("a rule was added from a failed AddRule: %q", got)
	}
	if err := s.AddRule("VRFY=550 5.1.1 No"); err != nil {
		t.Fatal(err)
	}
	if got := c.send("VRFY x"); got != "550 5.1.1 No" {
		t.Errorf("after AddRule: %q", got)
	}
	s.ResetRules()
	if got := c.send("VRFY x"); !strings.HasPrefix(got, "252") {
		t.Errorf("after ResetRules: %q", got)
	}
}

// A Config change after Start has no effect, and Close says so rather than
// letting the test believe it took.
func TestConfigChangeAfterStartRejected(t *testing.T) {
	s := NewServer()
	s.Config.Rules = append(s.Config.Rules, MustParseRule("RCPT=550"))
	if err := s.Close(); err == nil || !strings.Contains(err.Error(), "Config.Rules was changed after Start") {
		t.Errorf("Close: %v", err)
	}
	s = NewServer()
	s.Config.MaxRecipients = 5
	if err := s.Close(); err == nil {
		t.Error("Close: no error for MaxRecipients changed")
	}
	s = NewServer("RCPT=550")
	if err := s.AddRule("VRFY=502"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close after AddRule: %v", err)
	}
}

// Without PIPELINING offered, a client that sends on without waiting gets
// Postfix 3.9's 554 5.5.0 and is disconnected.
func TestPipeliningNotOffered(t *testing.T) {
	s := NewUnstartedServer()
	s.Config.DisableExtensions = []string{"PIPELINING"}
	s.Start()
	defer s.Close()
	c := dial(t, s)
	c.reply()
	c.send("EHLO c")
	if got := c.send("MAIL FROM:<a@b.c>"); !strings.HasPrefix(got, "250") {
		t.Fatalf("MAIL alone: %q", got)
	}
	if got := c.send("RCPT TO:<x@y.z>"); !strings.HasPrefix(got, "250") {
		t.Fatalf("RCPT alone: %q", got)
	}
	// A BDAT chunk follows its command at once: that is no pipelining.
	if _, err := io.WriteString(c.conn, "BDAT 3\r\nabc"); err != nil {
		t.Fatal(err)
	}
	if got := c.reply(); !strings.HasPrefix(got, "250") {
		t.Fatalf("BDAT: %q", got)
	}
	if got := c.send("RSET\r\nNOOP"); got != "554 5.5.0 Error: SMTP protocol synchronization" {
		t.Errorf("pipelined: %q", got)
	}
	c.expectClosed()
	if ss := s.Sessions(); ss[0].Reason != "improper pipelining" {
		t.Errorf("reason %q", ss[0].Reason)
	}
}

// Enhanced codes are the server's, not negotiated (RFC 2034 §4, §5): a
// server with ENHANCEDSTATUSCODES sends them after HELO as after EHLO, as
// Postfix does; one without (DisableExtensions, or a rule's EHLO reply that
// leaves the keyword out) sends none of its own. An enhanced code written
// in a rule or an address is sent as written.
func TestEnhancedCodesFollowTheServer(t *testing.T) {
	type step struct{ send, want string }
	tests := []struct {
		name     string
		disabled bool
		rules    []string
		steps    []step
	}{
		{"HELO: codes all the same", false, nil, []step{
			{"HELO c", "250 mock.test greets c"},
			{"MAIL FROM:<a@example.com>", "250 2.1.0 Sender <a@example.com> OK"},
			{"RCPT TO:<550@mock.test>", "550 5.1.1 Requested action not taken: mailbox unavailable"},
			{"NOOP", "250 2.0.0 OK"},
		}},
		{"EHLO", false, nil, []step{
			{"MAIL FROM:<a@example.com>", "503 5.5.1 Send EHLO or HELO first"},
			{"EHLO c", ""},
			{"MAIL FROM:<a@example.com>", "250 2.1.0 Sender <a@example.com> OK"},
		}},
		{"no ENHANCEDSTATUSCODES: none, after EHLO or HELO", true, []string{"RCPT:*@explicit.example=550 5.7.1 Denied"}, []step{
			{"MAIL FROM:<a@example.com>", "503 Send EHLO or HELO first"},
			{"HELO c", "250 mock.test greets c"},
			{"MAIL FROM:<a@example.com>", "250 Sender <a@example.com> OK"},
			{"RCPT TO:<550@mock.test>", "550 Requested action not taken: mailbox unavailable"},
			{"RCPT TO:<550-5.1.2@mock.test>", "550 5.1.2 Bad destination system address"},
			{"RCPT TO:<x@explicit.example>", "550 5.7.1 Denied"},
			{"RSET", "250 OK"},
			{"EHLO c", "250-mock.test greets c\n250-PIPELINING\n250-SIZE 10485760\n250-8BITMIME\n250-SMTPUTF8\n250-CHUNKING\n250 HELP"},
			{"VRFY x", "252 Cannot VRFY user, but will accept message and attempt delivery"},
			{"FOO", "500 Command unrecognized: FOO"},
		}},
		{"a rule's EHLO reply without it, then HELO", false, []string{"EHLO=250 mock.test\nPIPELINING", "RCPT:*@bare.example=550"}, []step{
			{"EHLO c", "250-mock.test\n250 PIPELINING"},
			{"MAIL FROM:<a@example.com>", "250 Sender <a@example.com> OK"},
			{"RCPT TO:<x@bare.example>", "550 Requested action not taken: mailbox unavailable"},
			{"RCPT TO:<x@example.com>", "250 Recipient <x@example.com> OK"},
			{"DATA", "354 End data with <CR><LF>.<CR><LF>"},
			{"Subject: x\r\n\r\nhi\r\n.", "250 OK: message 1.1 queued"},
			{"HELO c", "250 mock.test greets c"},
			{"NOOP", "250 2.0.0 OK"},
			{"RCPT TO:<x@bare.example>", "503 5.5.1 Send MAIL first"},
		}},
		{"a rule's EHLO reply with it, though disabled", true, []string{"EHLO=250 mock.test\nENHANCEDSTATUSCODES"}, []step{
			{"EHLO c", "250-mock.test\n250 ENHANCEDSTATUSCODES"},
			{"NOOP", "250 2.0.0 OK"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewUnstartedServer()
			s.Config.DisableTLS = true
			if tt.disabled {
				s.Config.DisableExtensions = []string{"enhancedstatuscodes"}
			}
			for _, r := range tt.rules {
				s.Config.Rules = append(s.Config.Rules, MustParseRule(r))
			}
			s.Start()
			defer s.Close()
			c := dial(t, s)
			c.reply()
			for _, st := range tt.steps {
				if got := c.send(st.send); st.want != "" && got != st.want {
					t.Errorf("%s: got %q, want %q", st.send, got, st.want)
				}
			}
			c.send("QUIT")
			// What is recorded is what was sent.
			for _, m := range s.Messages() {
				if m.Reply.Enhanced != "" {
					t.Errorf("message recorded with %q, sent without", m.Reply.String())
				}
			}
		})
	}
}
