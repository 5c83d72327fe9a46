package explain

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// scanAll collects what ScanBytes reports, Text and Excerpt copied.
func scanAll(t testing.TB, b []byte) ([]Reply, Stats) {
	t.Helper()
	var rs []Reply
	st, err := ScanBytes(b, false, func(r *Reply) error {
		c := *r
		c.Text = bytes.Clone(r.Text)
		rs = append(rs, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rs, st
}

func scanReader(t testing.TB, r io.Reader, opts Options) ([]Reply, Stats) {
	t.Helper()
	var rs []Reply
	st, err := Scan(r, opts, func(r *Reply) error {
		c := *r
		c.Text = bytes.Clone(r.Text)
		rs = append(rs, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rs, st
}

func corpusFiles(t testing.TB) []string {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	eml, _ := filepath.Glob("testdata/*.eml")
	return append(files, eml...)
}

// TestCorpusGolden scans each file of the corpus and compares the JSON
// Lines with testdata/NAME.golden.jsonl (go test ./explain -update rewrites
// them; review the diff).
func TestCorpusGolden(t *testing.T) {
	d := NewDescriber()
	for _, path := range corpusFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			rs, _ := scanAll(t, data)
			var got []byte
			for i := range rs {
				got = AppendJSON(got, filepath.Base(path), &rs[i], d.Describe(&rs[i]))
			}
			gpath := strings.TrimSuffix(path, filepath.Ext(path)) + ".golden.jsonl"
			if *update {
				if err := os.WriteFile(gpath, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(gpath)
			if err != nil {
				t.Fatalf("%v (run go test ./explain -run TestCorpusGolden -update)", err)
			}
			if !bytes.Equal(got, want) {
				gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
				for i := 0; i < max(len(gl), len(wl)); i++ {
					g, w := "", ""
					if i < len(gl) {
						g = gl[i]
					}
					if i < len(wl) {
						w = wl[i]
					}
					if g != w {
						t.Fatalf("%s differs at reply %d; rerun with -update if the change is meant\ngot:  %s\nwant: %s", gpath, i+1, g, w)
					}
				}
			}
		})
	}
}

// TestCorpusSize keeps the corpus at the hundred-odd lines it promises.
func TestCorpusSize(t *testing.T) {
	lines := 0
	for _, path := range corpusFiles(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines += bytes.Count(data, []byte("\n"))
	}
	if lines < 100 {
		t.Errorf("the corpus has %d lines, want at least 100", lines)
	}
}

func TestScanLines(t *testing.T) {
	type want struct {
		code                                int
		enhanced, command, provider, format string
	}
	tests := []struct {
		name string
		in   string
		want []want
	}{
		{"postfix bounce", "Jan 12 10:11:14 mail postfix/smtp[12347]: 4F1A2B3C4D: to=<bob@example.net>, relay=mx.example.net[192.0.2.1]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.1.1, status=bounced (host mx.example.net[192.0.2.1] said: 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown (in reply to RCPT TO command))",
			[]want{{550, "5.1.1", "RCPT", "", "postfix"}}},
		{"postfix sent", "Jan 12 mail postfix/smtp[1]: X: to=<a@example.net>, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9F8E)",
			[]want{{250, "2.0.0", "DATA-END", "", "postfix"}}},
		{"postfix dsn alone", "Jan 12 mail postfix/smtp[1]: X: to=<a@example.net>, relay=none, dsn=4.4.1, status=deferred (connect to mx.example.net[192.0.2.1]:25: Connection refused)",
			[]want{{0, "4.4.1", "", "", "postfix"}}},
		{"postfix greeting", "host mx.example.org[198.51.100.21] refused to talk to me: 554 5.7.1 Service unavailable",
			[]want{{554, "5.7.1", "CONNECT", "", "postfix"}}},
		{"postfix multi-line on one line", "said: 550-5.1.1 The email account 550-5.1.1 does not exist 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser - gsmtp (in reply to RCPT TO command)",
			[]want{{550, "5.1.1", "RCPT", "Gmail", "postfix"}}},
		{"exim after end of data", "** a@example.org R=dnslookup T=remote_smtp H=mx.example.org [198.51.100.20]: SMTP error from remote mail server after end of data: 552 5.3.4 Message size exceeds fixed limit",
			[]want{{552, "5.3.4", "DATA-END", "", "exim"}}},
		{"exim after MAIL FROM", "SMTP error from remote mail server after MAIL FROM:<a@example.com> SIZE=5500: 553 5.7.1 Sender address rejected",
			[]want{{553, "5.7.1", "MAIL", "", "exim"}}},
		{"sendmail", "Jan 12 mail sendmail[2346]: 40CA: to=<b@example.net>, delay=00:00:01, mailer=esmtp, pri=125500, relay=mx.example.net. [192.0.2.1], dsn=5.1.1, stat=User unknown",
			[]want{{0, "5.1.1", "", "", "sendmail"}}},
		{"sendmail deferred", "dsn=4.0.0, stat=Deferred: 451 4.7.1 Please try again later",
			[]want{{451, "4.7.1", "", "", "sendmail"}}},
		{"dsn", "Final-Recipient: rfc822; b@example.net\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n",
			[]want{{550, "5.1.1", "", "", "dsn"}}},
		{"dsn status alone", "Action: delayed\nStatus: 4.4.1\nDiagnostic-Code: X-Postfix; connect to mx.example.org[198.51.100.20]:25: Connection timed out\n",
			[]want{{0, "4.4.1", "", "", "dsn"}}},
		{"transcript", "C: RCPT TO:<a@example.net>\nS: 550-5.7.1 first\nS: 550-5.7.1 second\nS: 550 5.7.1 third\n",
			[]want{{550, "5.7.1", "RCPT", "", "transcript"}}},
		{"swaks", " -> RCPT TO:<a@example.net>\n<** 550 5.1.1 <a@example.net>: User unknown\n",
			[]want{{550, "5.1.1", "RCPT", "", "transcript"}}},
		{"curl greeting", "* Connected to mx.example.com (192.0.2.5) port 25\n< 220 mx.example.com ESMTP\n",
			[]want{{220, "", "CONNECT", "", "transcript"}}},
		{"smtplib", "smtplib.SMTPRecipientsRefused: {'a@example.com': (550, b'5.1.1 User unknown')}",
			[]want{{550, "5.1.1", "RCPT", "", "smtplib"}}},
		{"nodemailer", "Error: Can't send mail - all recipients were rejected: 550 5.1.1 <a@example.net>: User unknown",
			[]want{{550, "5.1.1", "RCPT", "", "nodemailer"}}},
		{"jakarta", "com.sun.mail.smtp.SMTPAddressFailedException: 550 5.1.1 <a@example.net>: User unknown",
			[]want{{550, "5.1.1", "RCPT", "", "jakarta"}}},
		{"dotnet", "System.Net.Mail.SmtpException: Mailbox unavailable. The server response was: 5.7.1 Unable to relay",
			[]want{{550, "5.7.1", "", "", "dotnet"}}},
		{"dotnet transient", "System.Net.Mail.SmtpException: Mailbox unavailable. The server response was: 4.2.1 Try later",
			[]want{{450, "4.2.1", "", "", "dotnet"}}},
		{"go", "send welcome mail: 550 5.1.1 <a@example.net>: User unknown", []want{{550, "5.1.1", "", "", "text"}}},
		{"yahoo tag", "said: 421 4.7.0 [TSS04] Messages from 203.0.113.10 temporarily deferred - 4.16.55.1 (in reply to MAIL FROM command)",
			[]want{{421, "4.7.0", "MAIL", "Yahoo", "postfix"}}},
		{"microsoft", "said: 550 5.7.708 Access denied [DM6NAM12FT001.eop-nam12.prod.protection.outlook.com]",
			[]want{{550, "5.7.708", "", "Microsoft 365", "postfix"}}},
		{"leading zeros", "said: 550 5.01.001 no", []want{{550, "5.1.1", "", "", "postfix"}}},
		{"exim debug, process ids", "  308   SMTP>> RCPT TO:<a@example.net>\n  308   SMTP<< 451 Internal resource temporarily unavailable\n  308 LOG: MAIN\n",
			[]want{{451, "", "RCPT", "", "transcript"}}},
		{"exim debug, log line after", "  308   SMTP<< 220 mx.example.net ESMTP\n  308   SMTP<< 451 Try later\n  308   H=mx.example.net [192.0.2.1]: SMTP error from remote mail server after RCPT TO:<a@example.net>: 451 Try later\n",
			[]want{{220, "", "CONNECT", "", "transcript"}, {451, "", "RCPT", "", "transcript"}, {451, "", "RCPT", "", "exim"}}},
		{"logcat transcript", "01-15 15:44:06.136  9975 13041 D SmtpTransport: SMTP >>> EHLO [127.0.0.1]\n01-15 15:44:06.166  9975 13041 V SmtpTransport: SMTP <<< 250-mx.example.fr\n01-15 15:44:06.166  9975 13041 V SmtpTransport: SMTP <<< 250 SIZE 25000000\n",
			[]want{{250, "", "EHLO", "", "transcript"}}},
		{"bare S and C marks", "C MAIL FROM:<a@example.com>\nC RCPT TO:<b@example.net>\nS 250 2.1.0 Ok\nS 554 5.7.1 <b@example.net>: Relay access denied\n",
			[]want{{250, "2.1.0", "MAIL", "", "transcript"}, {554, "5.7.1", "RCPT", "", "transcript"}}},
		{"double-spaced transcript", "CLIENT -> SERVER: AUTH LOGIN\n\nSERVER -> CLIENT: 334 VXNlcm5hbWU6\n\nCLIENT -> SERVER: ----------\n\nSERVER -> CLIENT: 235 Granted\n\nCLIENT -> SERVER: MAIL FROM:<a@example.com>\n\nSERVER -> CLIENT: 250 OK\n",
			[]want{{334, "", "AUTH", "", "transcript"}, {235, "", "AUTH", "", "transcript"}, {250, "", "MAIL", "", "transcript"}}},
		{"log prefix on each line of a reply", "07.07.19 17:23:12 smtp: EHLO [192.0.2.152]\n07.07.19 17:23:12 smtp: 250-Hello [192.0.2.152]\n07.07.19 17:23:12 smtp: 250-PIPELINING\n07.07.19 17:23:12 smtp: 250-ENHANCEDSTATUSCODES\n07.07.19 17:23:12 smtp: 250 SIZE 33554432\n07.07.19 17:23:12 smtp: DATA\n07.07.19 17:23:12 smtp: 354 2.0.0 Go ahead\n",
			[]want{{250, "", "EHLO", "", "transcript"}, {354, "2.0.0", "DATA", "", "transcript"}}},
		{"gmail names the command", "Server terminates connection. response=421 4.7.0 Try again later, closing connection. (EHLO) a1si123 - gsmtp",
			[]want{{421, "4.7.0", "EHLO", "Gmail", "text"}}},
		{"thunderbird", "An error occurred while sending mail. The mail server responded:\n4.3.5 <a@example.net>: Recipient address rejected: Server configuration problem.\nPlease check the message recipient \"a@example.net\" and try again.\n",
			[]want{{0, "4.3.5", "RCPT", "", "transcript"}}},
		{"class after the message", `{"error_message":"530 5.7.0 Must issue a STARTTLS command first\n","error_class":"Net::SMTPAuthenticationError"}`,
			[]want{{530, "5.7.0", "AUTH", "", "text"}}},
		{"responded with", "message: 'Server responded with 550 esmtp: protocol deviation'", []want{{550, "", "", "", "text"}}},
		{"key was", "Exception message was: 5.7.1 refused by local policy", []want{{0, "5.7.1", "", "", "text"}}},
		{"wrapped said", "<bob@aol.com>: host mx-aol.mail.gm0.yahoodns.net[ip] said:\n    550 Action not taken (in reply to end of DATA command)\n",
			[]want{{550, "", "DATA-END", "Yahoo", "transcript"}}},
		{"mdaemon arrows", "Thu 2022-09-15 10:38:04: --> 220 mail.example.com ESMTP MDaemon\nThu 2022-09-15 10:38:04: <-- EHLO localhost\nThu 2022-09-15 10:38:04: --> 250-mail.example.com Hello localhost\nThu 2022-09-15 10:38:04: --> 250 SIZE\n",
			[]want{{220, "", "CONNECT", "", "transcript"}, {250, "", "EHLO", "", "transcript"}}},
		{"bracketed prefix with blanks", "flutter: [2021-11-01 19:28:46.237776 | Connection | FINE] > AUTH LOGIN\nflutter: [2021-11-01 19:28:46.413829 | Connection | FINE] < 334 VXNlcm5hbWU6\n",
			[]want{{334, "", "AUTH", "", "transcript"}}},
		{"code span in a list", "* `421 Error: too many unrecognized commands`", []want{{421, "", "", "", "text"}}},
		{"rails", "Net::SMTPFatalError (550 Request failed; Mailbox unavailable\n):", []want{{550, "", "", "", "ruby"}}},
		{"in reply to wrapped in its middle", "a@yahoo.fr: host mx1.mail.eu.yahoo.com[192.0.2.9] said: 554\ndelivery error: dd This user doesn't have a yahoo.fr account\n(a@yahoo.fr) [0] - mta1064.mail.ird.yahoo.com (in reply to end of\nDATA command)\n",
			[]want{{554, "", "DATA-END", "Yahoo", "postfix"}}},
		{"exim not advertised", "another smtp server failed with `cannot connect to server: 503 STARTTLS command used when not advertised`", []want{{503, "", "STARTTLS", "", "text"}}},

		{"port", "connect to mx.example.net[192.0.2.1]:25 port 587 using port 465", nil},
		{"size", "from=<a@example.com>, size=5500, nrcpt=1 (queue active)", nil},
		{"delay", "delay=4.5, delays=0.1/0/2.5/1.9", nil},
		{"version", "OpenSSL 3.0.11 19 Sep 2023", nil},
		{"http", "HTTP/1.1 502 Bad Gateway", nil},
		{"http in access log", `192.0.2.1 - - [12/Jan/2024:10:11:12 +0000] "POST /send HTTP/1.1" 502 550 "-"`, nil},
		{"pid", "postfix/smtpd[550]: connect from unknown[198.51.100.250]", nil},
		{"timestamp", "time=2024-01-12T10:11:12.550Z", nil},
		{"ip", "198.51.100.7:25 250.2.0.0 5.1.1.1 4.16.55.1", nil},
		{"a code that answers one command alone", `Expected response code 250 but got code "354", with message "354 Enter mail, end with "." on a line by itself`,
			[]want{{354, "", "DATA", "", "text"}}},
		{"smtplib debug transcript", "send: 'ehlo [192.0.2.1]\\r\\n'\nreply: b'250-mx.example.net Hello\\r\\n'\nreply: b'250 SMTPUTF8\\r\\n'\nsend: 'AUTH PLAIN AGZvbw==\\r\\n'\nreply: b'535 5.7.8 Username and Password not accepted\\r\\n'",
			[]want{{250, "", "EHLO", "", "transcript"}, {535, "5.7.8", "AUTH", "", "transcript"}}},
		{"padded markdown code span", "**Error message:** `` 451 Authentication failed: Could not authenticate ``", []want{{451, "", "", "", "text"}}},
		{"a sentence that receives a code", "At FROM, for some servers, I get 550 Command Rejected even though MAIL FROM says Ok.", []want{{550, "", "", "", "text"}}},
		{"django's error page", "SMTPSenderRefused at /password_reset/\n\n(530, b'5.5.1 Authentication Required.', 'a@example.com')\n\nException Value:\n\n(530, b'5.5.1 Authentication Required.', 'a@example.com')",
			[]want{{530, "5.5.1", "MAIL", "", "smtplib"}, {530, "5.5.1", "", "", "smtplib"}}},
		{"rainloop", "[11:22:02.990][2fff2f7c] SMTP[DATA]: > RCPT TO:<b@example.net>\\r\\n\n[11:22:02.990][2fff2f7c] SMTP[DATA]: < 554 5.7.1 <b@example.net>: Recipient address rejected: Access denied\\r\\n",
			[]want{{554, "5.7.1", "RCPT", "", "transcript"}}},
		{"symfony mailer's authenticators", `Failed to authenticate on SMTP server with username "u" using the following authenticators: "LOGIN", "PLAIN". Authenticator "LOGIN" returned "Expected response code "235" but got code "535", with message "535 5.7.8 Error: authentication failed".". Authenticator "PLAIN" returned "Expected response code "235" but got code "535", with message "535 5.7.8 Error: authentication failed".".`,
			[]want{{535, "5.7.8", "AUTH", "", "text"}, {535, "5.7.8", "AUTH", "", "text"}}},
		{"a semicolon after a reply key", "Failed to send some messages ; Negative SMTP reply: 501; sometimes with an invalid email address", []want{{501, "", "", "", "text"}}},
		{"a comma and text starting its line", "421, Unexpected failure, please try later", []want{{421, "", "", "", "transcript"}}},
		{"an EHLO reply written without dashes", "[19:28:46 | Connection | FINE] > EHLO a.local\n[19:28:46 | Connection | FINE] < 250 mx.example.net Hello a.local [192.0.2.99]\n< 250 SIZE 52428800\n< 250 8BITMIME\n< 250 AUTH CRAM-MD5 PLAIN LOGIN\n< 250 HELP",
			[]want{{250, "", "EHLO", "", "transcript"}}},
		{"phpmailer's get_lines echo", "SMTP -> get_lines(): $data was \"\"\nSMTP -> get_lines(): $str is \"220 mx.example.net Microsoft ESMTP MAIL Service ready at Tue, 30 Jun 2020 \"\nSMTP -> get_lines(): $data is \"220 mx.example.net Microsoft ESMTP MAIL Service ready at Tue, 30 Jun 2020 \"\nSMTP -> FROM SERVER:220 mx.example.net Microsoft ESMTP MAIL Service ready at Tue, 30 Jun 2020\nSMTP -> get_lines(): $str is \"250-mx.example.net Hello [192.0.2.5] \"\nSMTP -> get_lines(): $data is \"250-mx.example.net Hello [192.0.2.5] \"\nSMTP -> get_lines(): $data was \"250-mx.example.net Hello [192.0.2.5] \"\nSMTP -> get_lines(): $str is \"250 SIZE \"\nSMTP -> get_lines(): $data is \"250-mx.example.net Hello [192.0.2.5] 250 SIZE \"",
			[]want{{220, "", "CONNECT", "", "transcript"}, {220, "", "CONNECT", "", "transcript"}, {250, "", "", "", "transcript"}, {250, "", "", "", "transcript"}}},
		{"css is no reply", "font-weight: 400; letter-spacing: normal; z-index: 250; margin: 0", nil},
		{"queue id", "550A2B3C4D: removed", nil},
		{"glued", "ID550 A550 550B x550 5501 1550", nil},
		{"body text", "C: 250 boxes were shipped today.", nil},
		{"process id at a line's start", "  308 Connecting to mx.example.net [192.0.2.242]:25 ... connected\n  308 LOG: MAIN", nil},
		{"vsftpd", `when we try to connect it says "500 OOPS: failed to open xferlog log file:/var/log/vsftpd/vsftpd.log".`, nil},
		{"http redirect", "302 Found", nil},
		{"prose about http", "The API responded with 429 Too Many Requests\nthe response is 200 OK\nthe response is 401 Unauthorized when calling the endpoint\nThe error was: 404 page missing", nil},
		{"a bare S before http's code", "S 200 OK", nil},
		{"http in a code span", "resulted in a `400 Bad Request` response", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, _ := scanAll(t, []byte(tt.in))
			var got []want
			for _, r := range rs {
				got = append(got, want{r.Code, r.Enhanced, r.Command, r.Provider, r.Format})
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("reply %d: got %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// A proxy that logs each server line as it came and as it went logs one
// reply twice: the second is a repeat.
func TestProxyLogsTwice(t *testing.T) {
	in := "SMTP (127.0.0.1:52448->smtp.example.net:587)     <-- b'535 5.7.3 Authentication unsuccessful [DB6P18901CA0015.EURP189.PROD]\\r\\n'\n" +
		"SMTP (127.0.0.1:52448->smtp.example.net:587) <-- b'535 5.7.3 Authentication unsuccessful [DB6P18901CA0015.EURP189.PROD]\\r\\n'\n" +
		"SMTP (127.0.0.1:52448->smtp.example.net:587)     <-- b'250 2.1.5 Ok\\r\\n'\n" +
		"SMTP (127.0.0.1:52448->smtp.example.net:587)     <-- b'250 2.1.5 Ok\\r\\n'\n"
	rs, _ := scanAll(t, []byte(in))
	var got []bool
	for _, r := range rs {
		got = append(got, r.Repeat)
	}
	// Short replies may be a server's answers to pipelined commands.
	if want := []bool{false, true, false, false}; !slices.Equal(got, want) {
		t.Fatalf("repeats: got %v, want %v", got, want)
	}
}

// onlyReader hides ReadAt, so that Scan reads in sequence.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// oneByteReader returns a byte a Read, the worst a pipe can do.
type oneByteReader struct{ b []byte }

func (o *oneByteReader) Read(p []byte) (int, error) {
	if len(o.b) == 0 {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	p[0] = o.b[0]
	o.b = o.b[1:]
	return 1, nil
}

// checkBlockwise scans data whole and in blocks of several sizes, read at
// offsets and in sequence, and requires the same replies and counts.
func checkBlockwise(t *testing.T, data []byte, sizes []int) {
	t.Helper()
	want, wst := scanAll(t, data)
	for _, bs := range sizes {
		for _, workers := range []int{1, 3} {
			for _, mode := range []string{"at", "stream"} {
				var r io.Reader = bytes.NewReader(data)
				if mode == "stream" {
					r = onlyReader{r}
				}
				got, st := scanReader(t, r, Options{BlockSize: bs, Workers: workers})
				if st != wst {
					t.Fatalf("block %d %s: stats %+v, want %+v", bs, mode, st, wst)
				}
				if len(got) != len(want) {
					t.Fatalf("block %d %s workers %d: %d replies, want %d", bs, mode, workers, len(got), len(want))
				}
				for i := range got {
					if !sameReply(&got[i], &want[i]) {
						t.Fatalf("block %d %s: reply %d is %+v, want %+v", bs, mode, i, got[i], want[i])
					}
				}
			}
		}
	}
}

func sameReply(a, b *Reply) bool {
	return a.Line == b.Line && a.Lines == b.Lines && a.Offset == b.Offset && a.Code == b.Code &&
		a.Enhanced == b.Enhanced && a.Command == b.Command && a.Provider == b.Provider &&
		a.Tag == b.Tag && a.Format == b.Format && a.DSNAction == b.DSNAction && a.Repeat == b.Repeat && bytes.Equal(a.Text, b.Text)
}

// TestBlockwiseMatchesWhole: where the blocks are cut changes nothing.
func TestBlockwiseMatchesWhole(t *testing.T) {
	var all []byte
	for _, path := range corpusFiles(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, data...)
	}
	checkBlockwise(t, all, []int{1, 7, 100, 1000, 4096})
	// Long lines straddle blocks and windows.
	long := bytes.Repeat(append(bytes.Repeat([]byte("x "), 9000), "said: 550 5.1.1 far (in reply to RCPT TO command)\n"...), 3)
	checkBlockwise(t, long, []int{333, 8192, 20000})
}

func TestSequentialReaderOneByteAtATime(t *testing.T) {
	data, err := os.ReadFile("testdata/transcripts.txt")
	if err != nil {
		t.Fatal(err)
	}
	want, wst := scanAll(t, data)
	got, st := scanReader(t, &oneByteReader{data}, Options{BlockSize: 64})
	if st != wst || len(got) != len(want) {
		t.Fatalf("got %d replies %+v, want %d %+v", len(got), st, len(want), wst)
	}
}

func TestScanFile(t *testing.T) {
	f, err := os.Open("testdata/postfix.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, _ := os.ReadFile("testdata/postfix.txt")
	want, wst := scanAll(t, data)
	got, st := scanReader(t, f, Options{BlockSize: 512})
	if st != wst || len(got) != len(want) {
		t.Fatalf("got %d replies %+v, want %d %+v", len(got), st, len(want), wst)
	}
}

func TestRobustInputs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	binary := make([]byte, 1<<16)
	for i := range binary {
		binary[i] = byte(r.Uint32())
	}
	tests := []struct {
		name    string
		in      []byte
		replies int
		lines   int64
	}{
		{"empty", nil, 0, 0},
		{"newline", []byte("\n"), 0, 1},
		{"no final newline", []byte("S: 250 Ok"), 1, 1},
		{"nul bytes", []byte("\x00\x00said: 550 5.1.1 a\x00b\n\x00"), 1, 2},
		{"invalid utf-8", []byte("\xff\xfe said: 550 5.1.1 \xc3\x28 user\n"), 1, 1},
		{"escape sequences", []byte("said: 550 5.1.1 \x1b]0;pwned\x07\x1b[2J gone\n"), 1, 1},
		{"code at the very end", []byte("x\nS: 421"), 1, 2},
		{"crlf", []byte("S: 250-a\r\nS: 250 b\r\n"), 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, st := scanAll(t, tt.in)
			if len(rs) != tt.replies || st.Lines != tt.lines {
				t.Errorf("%d replies in %d lines, want %d in %d: %+v", len(rs), st.Lines, tt.replies, tt.lines, rs)
			}
			checkBlockwise(t, tt.in, []int{1, 3})
		})
	}
	t.Run("binary", func(t *testing.T) {
		scanAll(t, binary)
		checkBlockwise(t, binary, []int{1000})
	})
}

// endless writes n bytes of one long line, then a reply, without holding
// them: the input never is in memory, so what Scan allocates shows.
type endless struct{ n int }

func (e *endless) Read(p []byte) (int, error) {
	if e.n <= 0 {
		return 0, io.EOF
	}
	tail := []byte(" said: 550 5.1.1 at the end\n")
	if e.n <= len(tail) {
		k := copy(p, tail[len(tail)-e.n:])
		e.n -= k
		return k, nil
	}
	k := min(len(p), e.n-len(tail))
	for i := range p[:k] {
		p[i] = 'x'
		if i%101 == 0 {
			p[i] = ' '
		}
	}
	e.n -= k
	return k, nil
}

// TestHugeLineBoundedMemory reads a 100 MB line from a reader and checks
// that the reply at its end is found and that Scan allocated a bounded
// amount, whatever the line's length.
func TestHugeLineBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 100 MB")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rs, st := scanReader(t, onlyReader{&endless{n: 100 << 20}}, Options{})
	runtime.ReadMemStats(&after)
	if len(rs) != 1 || rs[0].Code != 550 || st.Lines != 1 || st.Bytes != 100<<20 {
		t.Fatalf("got %+v, %+v", rs, st)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("scanning a 100 MB line allocated %d MB", alloc>>20)
	}
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	d := NewDescriber()
	texts := []string{"plain", "quote \" back \\ slash", "ctl \x00\x01\x1b[31m\t\r\n", "bad \xff\xfe utf-8 \xc3", "wide é ü 日本 \u2028 \u2029", ""}
	for i := range 200 {
		rp := Reply{Line: int64(i + 1), Lines: 1 + r.IntN(3), Offset: r.Int64N(1 << 40), Code: []int{0, 250, 550}[r.IntN(3)],
			Enhanced: []string{"", "5.1.1", "5.7.708"}[r.IntN(3)], Command: []string{"", "RCPT"}[r.IntN(2)],
			Provider: []string{"", "Gmail"}[r.IntN(2)], Tag: []string{"", "TSS04"}[r.IntN(2)], Format: "postfix",
			DSNAction: []string{"", "failed"}[r.IntN(2)], Text: []byte(texts[r.IntN(len(texts))]), Truncated: r.IntN(2) == 0, Repeat: r.IntN(2) == 0}
		if rp.Code == 0 && rp.Enhanced == "" {
			rp.Enhanced = "4.4.1"
		}
		desc := d.Describe(&rp)
		file := texts[r.IntN(len(texts))]
		got := AppendJSON(nil, file, &rp, desc)
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(toJSON(file, &rp, desc)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, buf.Bytes()) {
			t.Fatalf("AppendJSON:\n%s\nencoding/json:\n%s", got, buf.Bytes())
		}
	}
}

func toJSON(file string, r *Reply, d *Description) ReplyJSON {
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	j := ReplyJSON{SchemaVersion: SchemaVersion, Object: "reply", File: file, Line: r.Line, Enhanced: opt(r.Enhanced), Command: opt(r.Command),
		Provider: opt(r.Provider), Tag: opt(r.Tag), Class: d.Class, Title: d.Title, Entry: opt(d.Entry), Standard: d.Standard,
		Action: string(d.Action), Retry: d.Retry(), Actor: opt(string(d.Actor)), Format: r.Format, DSNAction: opt(r.DSNAction),
		Lines: r.Lines, Offset: r.Offset, Text: string(r.Text), Truncated: r.Truncated, Repeat: r.Repeat}
	j.ClassName = map[int]string{2: "success", 3: "intermediate", 4: "transient", 5: "permanent"}[d.Class]
	if r.Code != 0 {
		c := strconv.Itoa(r.Code)
		j.Code = &c
	}
	return j
}

func TestDescribe(t *testing.T) {
	d := NewDescriber()
	tests := []struct {
		r     Reply
		entry string
		class int
		retry bool
	}{
		{Reply{Code: 550, Enhanced: "5.1.1"}, "5.1.1", 5, false},
		{Reply{Code: 421, Enhanced: "4.7.0", Tag: "TSS04"}, "TSS04", 4, true},
		{Reply{Code: 550, Enhanced: "5.7.708"}, "5.7.708", 5, false},
		{Reply{Code: 250, Enhanced: "2.0.0"}, "250", 2, false},
		{Reply{Enhanced: "4.4.1"}, "4.4.1", 4, true},
	}
	for _, tt := range tests {
		x := d.Describe(&tt.r)
		if x.Entry != tt.entry || x.Class != tt.class || x.Retry() != tt.retry {
			t.Errorf("%s: entry %q class %d retry %v, want %q %d %v", tt.r.Key(), x.Entry, x.Class, x.Retry(), tt.entry, tt.class, tt.retry)
		}
	}
}

// FuzzScan: no input makes Scan panic, every reply it reports is well
// formed, and cutting the input into blocks changes nothing.
func FuzzScan(f *testing.F) {
	for _, path := range corpusFiles(f) {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	// The real-text corpus, case by case: every shape the recogniser reads.
	for _, dir := range []string{"testdata/corpus", "testdata/corpus/heldout"} {
		for _, c := range loadCorpus(f, dir) {
			f.Add(c.text)
		}
	}
	f.Add([]byte("S: 550-5.7.1 a\nS: 550 5.7.1 b\n"))
	f.Add([]byte("(550, b'5.1.1 x')"))
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wst := scanAll(t, data)
		lines := int64(bytes.Count(data, []byte("\n")))
		if len(data) > 0 && data[len(data)-1] != '\n' {
			lines++
		}
		if wst.Lines != lines || wst.Bytes != int64(len(data)) || wst.Replies != int64(len(want)) {
			t.Fatalf("stats %+v for %d bytes, %d lines, %d replies", wst, len(data), lines, len(want))
		}
		for _, r := range want {
			if r.Line < 1 || r.Line > lines || (r.Code != 0 && (r.Code < 200 || r.Code > 599)) || (r.Code == 0 && r.Enhanced == "") {
				t.Fatalf("bad reply %+v", r)
			}
			if r.Offset < 0 || r.Offset >= int64(len(data)) || len(r.Text) > MaxText+4 {
				t.Fatalf("bad reply %+v", r)
			}
		}
		got, st := scanReader(t, onlyReader{bytes.NewReader(data)}, Options{BlockSize: 17, Workers: 2})
		if st != wst || len(got) != len(want) {
			t.Fatalf("in blocks: %d replies %+v, whole: %d %+v", len(got), st, len(want), wst)
		}
		for i := range got {
			if !sameReply(&got[i], &want[i]) {
				t.Fatalf("in blocks reply %d is %+v, whole %+v", i, got[i], want[i])
			}
		}
	})
}

// TestJSONRendererMatchesAppendJSON: the cached parts change nothing.
func TestJSONRendererMatchesAppendJSON(t *testing.T) {
	data, err := os.ReadFile("testdata/postfix.txt")
	if err != nil {
		t.Fatal(err)
	}
	// Replies whose description hangs on their words (Microsoft's three
	// 550 5.7.1, a provider's tags) in turn, twice over, as well.
	dialects := []byte("host mail.protection.outlook.com[192.0.2.1] said: 550 5.7.1 Unable to relay for bob@example.org\n" +
		"host mail.protection.outlook.com[192.0.2.1] said: 550 5.7.1 Client was not authenticated\n" +
		"host mail.protection.outlook.com[192.0.2.1] said: 550 5.7.1 Denied\n" +
		"host mx1.hotmail.com[192.0.2.2] said: 550 SC-001 (BAY0-MC1-F21) Unfortunately, messages from 192.0.2.9 weren't sent.\n" +
		"host mx1.hotmail.com[192.0.2.2] said: 550 SC-002 (BAY0-MC1-F21) Unfortunately, messages from 192.0.2.9 weren't sent.\n")
	data = append(data, bytes.Repeat(dialects, 2)...)
	rs, _ := scanAll(t, bytes.Repeat(data, 2))
	jr := NewJSONRenderer()
	d := NewDescriber()
	for i := range rs {
		got := jr.AppendTail(AppendJSONHead(nil, "f", rs[i].Line), &rs[i])
		want := AppendJSON(nil, "f", &rs[i], d.Describe(&rs[i]))
		if !bytes.Equal(got, want) {
			t.Fatalf("renderer:\n%s\nAppendJSON:\n%s", got, want)
		}
	}
}
