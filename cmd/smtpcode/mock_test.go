package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/smtpcode/smtpcode/internal/iostreams"
	"github.com/smtpcode/smtpcode/mock"
)

func TestMockOptions(t *testing.T) {
	tests := []struct {
		args    []string
		check   func(*mockOptions) bool
		errPart string
	}{
		{args: nil, check: func(o *mockOptions) bool {
			return o.listen == "127.0.0.1:2525" && len(o.rules) == 0 && o.idleTimeout == 5*time.Minute
		}},
		{args: []string{"--reply", "VRFY=502", "--reply", "RCPT:*@full.example=452"}, check: func(o *mockOptions) bool {
			return len(o.rules) == 2 && o.rules[0].Stage == "VRFY" && o.rules[1].Pattern == "*@full.example"
		}},
		{args: []string{"--auth", "u:p:q", "--auth", "v:"}, check: func(o *mockOptions) bool { return o.users["u"] == "p:q" && o.users["v"] == "" }},
		{args: []string{"--", "sh", "-c", "true"}, check: func(o *mockOptions) bool { return strings.Join(o.command, " ") == "sh -c true" }},
		{args: []string{"--reply", "RCPT"}, errPart: "invalid --reply"},
		{args: []string{"--auth", ":p"}, errPart: "invalid --auth"},
		{args: []string{"--max-size", "0"}, errPart: "--max-size must be positive"},
		{args: []string{"--idle-timeout", "0s"}, errPart: "--idle-timeout"},
		{args: []string{"--no-tls", "--tls-cert", "c", "--tls-key", "k"}, errPart: "--no-tls"},
		{args: []string{"--listen", "localhost:0"}, check: func(o *mockOptions) bool { return o.addr.String() == "127.0.0.1:0" }},
		{args: []string{"--listen", ":2525"}, check: func(o *mockOptions) bool { return o.addr.IP == nil && o.addr.Port == 2525 }},
		{args: []string{"--listen", "[::1]:25"}, check: func(o *mockOptions) bool { return o.addr.String() == "[::1]:25" }},
		{args: []string{"--listen", "[fe80::1%lo]:25"}, check: func(o *mockOptions) bool { return o.addr.Zone == "lo" }},
		{args: []string{"--listen", "10.1.2.3:65535"}, check: func(o *mockOptions) bool { return o.addr.String() == "10.1.2.3:65535" }},
		{args: []string{"--listen", "127.0.0.1"}, errPart: "want HOST:PORT"},
		{args: []string{"--listen", "127.0.0.1:smtp"}, errPart: `port "smtp" is not a number`},
		{args: []string{"--listen", "127.0.0.1:65536"}, errPart: "from 0 to 65535"},
		{args: []string{"--listen", "mail.example:25"}, errPart: "host names are not looked up"},
		{args: []string{"--listen", "300.1.1.1:25"}, errPart: "not an IP address"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			s, _, _, _ := iostreams.Test()
			a := &app{io: s, opts: &globalOptions{}}
			var got *mockOptions
			cmd := newMockCmd(a, func(o *mockOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.Execute()
			if tt.errPart != "" {
				var ee *exitError
				if !errors.As(err, &ee) || ee.code != exitUsage || !strings.Contains(err.Error(), tt.errPart) || ee.hint == "" {
					t.Fatalf("err %v, want a usage error with a hint containing %q", err, tt.errPart)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(got) {
				t.Errorf("options %+v", got)
			}
		})
	}
}

func TestExportMockEvent(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	msg := &mock.Message{From: "", To: []string{"b@example.com"}, Size: 12, Accepted: true, Reply: mock.Reply{Code: 250, Enhanced: "2.0.0"}}
	tests := []struct {
		e    mock.Event
		want string
	}{
		{mock.Event{Type: mock.EventMessage, Session: 3, Time: at, Message: msg}, `{"schema_version":2,"object":"event","type":"message","session":3,"time":"2026-01-02T03:04:05Z","code":"250","enhanced":"2.0.0","from":"","recipients":["b@example.com"],"size":12,"accepted":true,"tls":false}`},
		{mock.Event{Type: mock.EventCommand, Session: 1, Time: at, Line: ""}, `{"schema_version":2,"object":"event","type":"command","session":1,"time":"2026-01-02T03:04:05Z","line":""}`},
		{mock.Event{Type: mock.EventDisconnect, Session: 1, Time: at, Reason: "quit", Duration: 1500 * time.Microsecond}, `{"schema_version":2,"object":"event","type":"disconnect","session":1,"time":"2026-01-02T03:04:05Z","reason":"quit","duration_ms":1.5}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(exportMockEvent(tt.e, ""))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("got  %s\nwant %s", b, tt.want)
		}
	}
}

func TestMockTranscriptStyledOnlyOnATerminal(t *testing.T) {
	reply := &mock.Reply{Code: 550, Enhanced: "5.1.1", Lines: []string{"No such user"}}
	for _, tty := range []bool{false, true} {
		s, _, out, _ := iostreams.Test()
		if tty {
			s.SetStdoutTTY(true, 80)
			s.Color = iostreams.ColorAlways
		}
		a := &app{io: s, opts: &globalOptions{theme: "dark"}}
		p := newMockPrinter(a, &mockOptions{})
		p.event(mock.Event{Type: mock.EventCommand, Session: 1, Line: "RCPT TO:<a@b.c>"})
		p.event(mock.Event{Type: mock.EventReply, Session: 1, Reply: reply, Rule: "RCPT=550 5.1.1 No such user"})
		p.close()
		got := out.String()
		if strings.Contains(got, "\x1b[") != tty {
			t.Errorf("tty=%v: escapes present=%v:\n%q", tty, !tty, got)
		}
		if !tty && got != "[1] C: RCPT TO:<a@b.c>\n[1] S: 550 5.1.1 No such user  (rule RCPT=550 5.1.1 No such user)\n" {
			t.Errorf("plain transcript %q", got)
		}
	}
}
