package explain

import (
	"strings"
	"testing"

	"github.com/smtpcode/smtpcode/codes"
)

// dialectHosts are MX hosts of the providers, as a Postfix log names them in
// front of a reply: explain knows the provider from them.
var dialectHosts = map[string]string{
	"Microsoft 365": "example-com.mail.protection.outlook.com",
	"Gmail":         "gmail-smtp-in.l.google.com",
	"Yahoo":         "mta5.am0.yahoodns.net",
	"T-Online":      "mx00.t-online.de",
	"GMX":           "mx00.gmx.net",
	"Mail.ru":       "mxs.mail.ru",
	"Yandex":        "mx.yandex.ru",
	"Mimecast":      "eu-smtp-inbound-1.mimecast.com",
	"iCloud":        "mx01.mail.icloud.com",
}

// TestDialectExamplesExplained runs explain on every example reply of every
// provider's entry in the catalogue (dialects, tags, unregistered details) and checks that it is described by that
// dialect: a reply from the provider's host as a Postfix log shows it, and
// an enhanced-only example as a DSN's Diagnostic-Code.
func TestDialectExamplesExplained(t *testing.T) {
	n := 0
	for _, e := range codes.All() {
		if len(e.Providers()) == 0 || !hasExample(&e) {
			continue
		}
		n++
		explained := 0
		for _, c := range e.Causes {
			if c.Example == "" {
				continue
			}
			host := dialectHosts[e.Providers()[0]]
			var in string
			if len(c.Example) > 3 && (c.Example[3] == ' ' || c.Example[3] == '-') {
				in = "postfix/smtp[1]: 1A2B3C: to=<bob@example.net>, relay=" + host + "[192.0.2.7]:25, status=bounced (host " + host + "[192.0.2.7] said: " + c.Example + " (in reply to end of DATA command))\n"
			} else {
				in = "Action: failed\nDiagnostic-Code: smtp; " + c.Example + "\n"
			}
			d := NewDescriber()
			var got []*Description
			ScanBytes([]byte(in), false, func(r *Reply) error {
				got = append(got, d.Describe(r))
				return nil
			})
			for _, x := range got {
				if x.Title == e.Title && (!e.IsDialect() || e.UsedBy(x.Provider)) {
					explained++
					break
				}
			}
			if len(got) > 0 && explained == 0 {
				t.Logf("%s (%s): %q explained as %q", e.Code, strings.Join(e.Providers(), ", "), c.Example, got[len(got)-1].Title)
			}
		}
		if explained == 0 {
			t.Errorf("%s at %s: no example reply is explained with this dialect", e.Code, strings.Join(e.Providers(), ", "))
		}
	}
	if n < 40 {
		t.Fatalf("only %d provider entries with examples: the test reads the wrong data", n)
	}
}

func hasExample(e *codes.Entry) bool {
	for _, c := range e.Causes {
		if c.Example != "" {
			return true
		}
	}
	return false
}

// An unregistered detail with no entry is described by its class and
// subject, never by the basic code's title.
func TestUnregisteredDetailFallsBackToSubject(t *testing.T) {
	d := NewDescriber()
	var got *Description
	ScanBytes([]byte("550 5.7.999 Access denied by local policy\n"), false, func(r *Reply) error {
		got = d.Describe(r)
		return nil
	})
	if got == nil {
		t.Fatal("no reply found")
	}
	if got.Entry != "5.7.XXX" || !got.Unregistered || !strings.Contains(got.Title, "not in the IANA registry") {
		t.Errorf("got %+v, want the X.7.XXX subject, marked unregistered", got)
	}
}

// A provider's tag without brackets is found in its reply.
func TestProviderTagWithoutBrackets(t *testing.T) {
	d := NewDescriber()
	var got *Description
	in := "host hotmail-com.olc.protection.outlook.com[192.0.2.7] said: 421 RP-001 (BAY004-MC1F1) Unfortunately, some messages from 192.0.2.1 weren't sent. Please try again.\n"
	ScanBytes([]byte(in), false, func(r *Reply) error {
		got = d.Describe(r)
		return nil
	})
	if got == nil || got.Entry != "RP-001" {
		t.Fatalf("got %+v, want RP-001", got)
	}
}

// A reply Postfix wrapped in a bounce's readable part is read over its
// indented lines to "(in reply to": its words, there, pick the dialect,
// and the status on the next line is not a reply of its own. From
// sisimai's set-of-emails, maildir/bsd/lhost-postfix-30.eml and -02.eml
// (BSD-2-Clause).
func TestWrappedSaidReadToItsEnd(t *testing.T) {
	for _, c := range []struct {
		in, text, entry string
		lines           int
	}{
		{"<kijitora@example.br>: host\n" +
			"    here-redacted-br.mail.protection.outlook.com[207.46.163.74] said: 550 5.4.1\n" +
			"    <kijitora@example.br>: Recipient address rejected: Access denied\n" +
			"    [BL2NAM02FT061.eop-nam02.prod.protection.outlook.com] (in reply to RCPT TO\n" +
			"    command)\n",
			"550 5.4.1 <kijitora@example.br>: Recipient address rejected: Access denied [BL2NAM02FT061.eop-nam02.prod.protection.outlook.com]",
			"5.4.1", 3},
		{"<userunknown@example.co.jp>: host mx.example.co.jp[192.0.2.153] said: 550\n" +
			"    5.1.1 <userunknown@example.co.jp>... User Unknown (in reply to RCPT TO\n" +
			"    command)\n",
			"550 5.1.1 <userunknown@example.co.jp>... User Unknown", "5.1.1", 2},
	} {
		var got []Reply
		d := NewDescriber()
		var desc *Description
		ScanBytes([]byte(c.in), false, func(r *Reply) error {
			rr := *r
			rr.Text = append([]byte(nil), r.Text...)
			got = append(got, rr)
			if desc == nil {
				desc = d.Describe(r)
			}
			return nil
		})
		if len(got) != 1 {
			t.Fatalf("%d replies in %q, want 1: %+v", len(got), c.in, got)
		}
		if string(got[0].Text) != c.text || got[0].Lines != c.lines {
			t.Errorf("text %q over %d lines, want %q over %d", got[0].Text, got[0].Lines, c.text, c.lines)
		}
		if desc.Entry != c.entry {
			t.Errorf("described by %s (%s), want %s", desc.Entry, desc.Title, c.entry)
		}
	}
	// Microsoft's dialect of 5.4.1 for the first: its words are on the wrapped line.
	var desc *Description
	ScanBytes([]byte("host x.mail.protection.outlook.com[192.0.2.1] said: 550 5.4.1\n    <a@example.br>: Recipient address rejected: Access denied (in reply to RCPT TO command)\n"), false, func(r *Reply) error {
		desc = NewDescriber().Describe(r)
		return nil
	})
	if desc == nil || desc.Provider != "Microsoft 365" {
		t.Errorf("got %+v, want Microsoft 365's dialect of 5.4.1", desc)
	}
}
