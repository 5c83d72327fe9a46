package snippets

import (
	"bufio"
	"encoding/base64"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// serverRunners start a rendered server snippet on a port.
var serverRunners = map[string]func(t *testing.T, src string, port int, v variant) *process{
	"go-smtp": func(t *testing.T, src string, port int, v variant) *process {
		bin := goBuild(t, "main.go", src)
		return start(t, filepath.Dir(bin), []string{"ADDR=127.0.0.1:" + strconv.Itoa(port)}, bin)
	},
	"aiosmtpd": func(t *testing.T, src string, port int, v variant) *process {
		python := needPython(t, v.prog, "aiosmtpd")
		dir := writeSource(t, "server.py", src)
		return start(t, dir, []string{"PORT=" + strconv.Itoa(port)}, python, "server.py")
	},
	"smtp-server": func(t *testing.T, src string, port int, v variant) *process {
		node := need(t, "node", "-e", "require('smtp-server')")
		dir := writeSource(t, "server.js", src)
		return start(t, dir, []string{"PORT=" + strconv.Itoa(port)}, node, "server.js")
	},
}

// wantServerStage is where each library must answer the replies that
// belong to a command outside the transaction.
var wantServerStage = map[string]map[int]string{
	"go-smtp":     {421: StageEHLO, 535: StageAuth, 502: StageEHLO},
	"aiosmtpd":    {421: StageEHLO, 535: StageAuth, 502: StageVRFY},
	"smtp-server": {421: StageConnect, 535: StageAuth, 502: StageMail},
}

// TestServerSnippetsRun runs every server snippet, rendered for each
// representative reply, and drives it with a raw SMTP client up to the
// stage the reply belongs to: the reply line there must be exactly the
// reply.
func TestServerSnippetsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the snippets in their runtimes")
	}
	for _, f := range Frameworks() {
		if f.Family != Server || f.Level != Executed {
			continue
		}
		run := serverRunners[f.Name]
		if run == nil {
			t.Errorf("%s: marked executed, but no runner", f.Name)
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			runVariants(t, f, func(t *testing.T, v variant) {
				for _, c := range cases {
					r := c.reply()
					// Each reply at its stage: 421 at the greeting, 535 at AUTH,
					// the transaction codes at theirs; 502 on VRFY, which only
					// aiosmtpd lets an application answer (go-smtp answers it
					// at EHLO, smtp-server at MAIL FROM).
					switch c.stage {
					case "DATA", "DATA-END":
						r.Commands = []string{"DATA"}
					case "MAIL":
						if c.code == 502 {
							r.Commands = []string{"EHLO", "VRFY"}
						}
					}
					stage, _ := r.ServerStage(f)
					if want := wantServerStage[f.Name][c.code]; want != "" && stage != want {
						t.Errorf("%s: answers %d at %s, want %s", f.Name, c.code, stage, want)
					}
					t.Run(c.name(), func(t *testing.T) {
						src, err := RenderReply(r, f)
						if err != nil {
							t.Fatal(err)
						}
						port := freePort(t)
						p := run(t, src, port, v)
						waitPort(t, port, p)
						got, transcript := converse(t, port, stage)
						if got != r.Line() {
							t.Errorf("at %s got %q, want %q\n%s", stage, got, r.Line(), transcript)
						}
					})
				}
			})
		})
	}
}

// converse speaks SMTP up to stage and returns the reply line there.
func converse(t *testing.T, port int, stage string) (string, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	r := bufio.NewReader(conn)
	var log strings.Builder
	read := func() string {
		var last string
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("reading: %v\n%s", err, log.String())
			}
			line = strings.TrimRight(line, "\r\n")
			log.WriteString("S: " + line + "\n")
			if len(line) < 4 || line[3] != '-' {
				return line
			}
			last = line
			_ = last
		}
	}
	send := func(s string) string {
		log.WriteString("C: " + s + "\n")
		conn.Write([]byte(s + "\r\n"))
		return read()
	}
	if got := read(); stage == StageConnect { // the greeting
		return got, log.String()
	}
	if got := send("EHLO client.example.com"); stage == StageEHLO {
		return got, log.String()
	}
	switch stage {
	case StageAuth:
		// PLAIN with the initial response: authzid, user, password.
		return send("AUTH PLAIN " + base64.StdEncoding.EncodeToString([]byte("\x00user\x00password"))), log.String()
	case StageVRFY:
		return send("VRFY postmaster"), log.String()
	}
	if got := send("MAIL FROM:<sender@example.com>"); stage == StageMail {
		return got, log.String()
	}
	if got := send("RCPT TO:<rcpt@example.org>"); stage == StageRcpt {
		return got, log.String()
	}
	send("DATA")
	log.WriteString("C: <message>\n")
	got := send("Subject: test\r\n\r\nHello.\r\n.")
	send("QUIT")
	return got, log.String()
}
