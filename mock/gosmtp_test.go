package mock

import (
	"strings"
	"testing"

	gosmtp "github.com/emersion/go-smtp"
)

// TestGoSMTPClient drives the server with emersion/go-smtp's client: a
// plain delivery, greylisting across connections, and implicit TLS.
func TestGoSMTPClient(t *testing.T) {
	s := NewTestServer(t, "RCPT/1/each:*@grey.example=451 4.7.1 Greylisted")
	body := "Subject: go-smtp\r\n\r\nhello\r\n"
	// go-smtp's SendMail insists on STARTTLS; a plain server is dialled.
	send := func(to string) error {
		c, err := gosmtp.Dial(s.Addr)
		if err != nil {
			return err
		}
		defer c.Close()
		return c.SendMail("a@example.com", []string{to}, strings.NewReader(body))
	}
	if err := send("b@example.com"); err != nil {
		t.Fatal(err)
	}
	err := send("c@grey.example")
	if se, ok := err.(*gosmtp.SMTPError); !ok || se.Code != 451 || se.EnhancedCode != (gosmtp.EnhancedCode{4, 7, 1}) {
		t.Fatalf("first attempt: %v, want 451 4.7.1", err)
	}
	if err := send("c@grey.example"); err != nil {
		t.Fatalf("retry: %v", err)
	}

	ts := NewTLSServer()
	defer ts.Close()
	c, err := gosmtp.DialTLS(ts.TLSAddr, ts.TLSClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SendMail("a@example.com", []string{"b@example.com"}, strings.NewReader(body)); err != nil {
		t.Fatal(err)
	}
	c.Quit()
	if m := ts.Messages(); len(m) != 1 || !m[0].TLS || string(m[0].Data) != body {
		t.Errorf("messages %+v", m)
	}
}
