// Command genlog writes a synthetic mail log for benchmarking smtpcode
// explain: Postfix-style lines with documentation addresses, one in N
// (-density, 10 by default) carrying an SMTP reply, the rest the
// connect/qmgr/cleanup chatter that surrounds them in a real
// /var/log/mail.log. A bounce-heavy relay logs a reply on one line in five.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
)

func main() {
	size := flag.Int64("size", 1<<30, "bytes to write, at least")
	out := flag.String("o", "-", "output file, - for stdout")
	seed := flag.Uint64("seed", 1, "random seed: the same seed writes the same log")
	density := flag.Int("density", 10, "one line in N carries a reply (N >= 2)")
	flag.Parse()
	if *density < 2 {
		fmt.Fprintln(os.Stderr, "genlog: -density must be 2 or more")
		os.Exit(2)
	}
	f := os.Stdout
	if *out != "-" {
		var err error
		if f, err = os.Create(*out); err != nil {
			fmt.Fprintln(os.Stderr, "genlog:", err)
			os.Exit(2)
		}
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(*seed, 42))
	var n int64
	var buf []byte
	for n < *size {
		buf = line(buf[:0], r, *density)
		w.Write(buf)
		n += int64(len(buf))
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "genlog:", err)
		os.Exit(2)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "genlog:", err)
		os.Exit(2)
	}
}

var months = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

var replies = []struct {
	weight int
	text   string
}{
	{40, "said: 550 5.1.1 <%s>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)"},
	{10, "said: 450 4.2.0 <%s>: Recipient address rejected: Greylisted, see http://postgrey.example.org/ (in reply to RCPT TO command)"},
	{10, "said: 552 5.2.2 <%s>: Mailbox full (in reply to end of DATA command)"},
	{8, "said: 550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si123.45 - gsmtp (in reply to RCPT TO command) <%s>"},
	{8, "said: 421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM command) <%s>"},
	{6, "said: 550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653 AS(3150) [DM6NAM12FT001.eop-nam12.prod.protection.outlook.com] (in reply to MAIL FROM command) <%s>"},
	{6, "said: 554 5.7.1 <%s>: Relay access denied (in reply to RCPT TO command)"},
}

// line writes one line: a reply with probability 1/density, half of them
// deliveries with the server's 250 and half bounces or deferrals, else
// chatter in the proportions of a real log.
func line(b []byte, r *rand.Rand, density int) []byte {
	ts := fmt.Sprintf("%s %2d %02d:%02d:%02d mail", months[r.IntN(12)], 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60))
	pid := 1000 + r.IntN(60000)
	qid := fmt.Sprintf("%010X", r.Uint64()&0xffffffffff)
	ip := fmt.Sprintf("198.51.100.%d", 1+r.IntN(254))
	rcpt := fmt.Sprintf("user%d@example.net", r.IntN(100000))
	k := 10 + r.IntN(90) // chatter
	if r.IntN(density) == 0 {
		k = r.IntN(10)
	}
	switch {
	case k < 5: // a delivery that succeeded, with the server's 250
		return fmt.Appendf(b, "%s postfix/smtp[%d]: %s: to=<%s>, relay=mx.example.net[192.0.2.%d]:25, delay=%.1f, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as %s)\n",
			ts, pid, qid, rcpt, 1+r.IntN(254), r.Float64()*9, qid)
	case k < 10: // a bounce or deferral
		tot := 0
		for _, x := range replies {
			tot += x.weight
		}
		n := r.IntN(tot)
		text := replies[0].text
		for _, x := range replies {
			if n < x.weight {
				text = x.text
				break
			}
			n -= x.weight
		}
		status := "bounced"
		if text[6] == '4' {
			status = "deferred"
		}
		return fmt.Appendf(b, "%s postfix/smtp[%d]: %s: to=<%s>, relay=mx.example.net[192.0.2.%d]:25, delay=%.2f, delays=0.1/0/0.5/0.6, dsn=%c.0.0, status=%s (host mx.example.net[192.0.2.%d] "+text+")\n",
			ts, pid, qid, rcpt, 1+r.IntN(254), r.Float64()*9, text[6], status, 1+r.IntN(254), rcpt)
	case k < 30:
		return fmt.Appendf(b, "%s postfix/smtpd[%d]: connect from unknown[%s]\n", ts, pid, ip)
	case k < 50:
		return fmt.Appendf(b, "%s postfix/smtpd[%d]: disconnect from unknown[%s] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5\n", ts, pid, ip)
	case k < 65:
		return fmt.Appendf(b, "%s postfix/qmgr[%d]: %s: from=<sender%d@example.com>, size=%d, nrcpt=1 (queue active)\n", ts, pid, qid, r.IntN(1000), 500+r.IntN(90000))
	case k < 78:
		return fmt.Appendf(b, "%s postfix/cleanup[%d]: %s: message-id=<%d.%s@example.com>\n", ts, pid, qid, r.Uint32(), qid)
	case k < 88:
		return fmt.Appendf(b, "%s postfix/smtpd[%d]: %s: client=unknown[%s], sasl_method=PLAIN, sasl_username=user%d@example.com\n", ts, pid, qid, ip, r.IntN(500))
	case k < 94:
		return fmt.Appendf(b, "%s dovecot: imap-login: Login: user=<user%d@example.com>, method=PLAIN, rip=%s, lip=192.0.2.1, mpid=%d, TLS, session=<%s>\n", ts, r.IntN(900), ip, pid, qid)
	default:
		return fmt.Appendf(b, "%s postfix/smtpd[%d]: Anonymous TLS connection established from unknown[%s]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256\n", ts, pid, ip)
	}
}
