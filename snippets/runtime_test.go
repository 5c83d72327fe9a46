package snippets

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// need returns the path of a runtime's program, or skips the test with the
// reason; under CI (CI=true) a missing runtime fails the test instead, so
// that a green CI means the snippets really ran.
func need(t *testing.T, prog string, check ...string) string {
	t.Helper()
	path, err := exec.LookPath(prog)
	if err == nil && len(check) > 0 {
		// A module, package or file the runtime must also have.
		cmd := exec.Command(path, check...)
		cmd.Env = runtimeEnv()
		if out, cerr := cmd.CombinedOutput(); cerr != nil {
			err = fmt.Errorf("%s %s: %v: %s", prog, strings.Join(check, " "), cerr, lastLine(out))
		}
	}
	if err != nil {
		missing(t, fmt.Sprintf("runtime %s is missing (%v); see the README's test command for what to install", prog, err))
	}
	return path
}

func missing(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(why)
	}
	t.Skip(why)
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

// runtimeEnv is the environment for snippet processes: Node finds the
// modules the test command installed through SMTPCODE_NODE_PATH.
func runtimeEnv(extra ...string) []string {
	env := os.Environ()
	if p := os.Getenv("SMTPCODE_NODE_PATH"); p != "" {
		env = append(env, "NODE_PATH="+p)
	} else if p, err := filepath.Abs("../.cache/node/node_modules"); err == nil {
		if _, err := os.Stat(p); err == nil {
			env = append(env, "NODE_PATH="+p)
		}
	}
	return append(env, extra...)
}

// freePort finds a loopback port for a snippet's own listener.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitPort waits until something listens on the port, or the process dies.
func waitPort(t *testing.T, port int, p *process) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		if p.exited() {
			t.Fatalf("%s exited before listening:\n%s", p.name, p.output())
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never listened on %d:\n%s", p.name, port, p.output())
}

// process is a snippet running in its runtime.
type process struct {
	name string
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  strings.Builder
	done chan struct{}
}

func (p *process) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Write(b)
}

func (p *process) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// start runs a long-lived process (a server snippet) until the test ends.
func start(t *testing.T, dir string, env []string, name string, args ...string) *process {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = runtimeEnv(env...)
	p := &process{name: filepath.Base(name) + " " + strings.Join(args, " "), cmd: cmd, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p, p
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	go func() { cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		cancel()
		<-p.done
		if t.Failed() {
			t.Logf("%s output:\n%s", p.name, p.output())
		}
	})
	return p
}

// runOnce runs a short-lived process (a client snippet) and returns its
// output.
func runOnce(t *testing.T, dir string, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = runtimeEnv(env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// smtpCase is an SMTP failure to meet: the reply and the stage it comes at.
type smtpCase struct {
	code     int
	enhanced string
	text     string
	stage    string // CONNECT, AUTH, MAIL, RCPT, DATA, DATA-END; "" for success
}

func (c smtpCase) reply() Reply {
	return Reply{Code: c.code, Enhanced: c.enhanced, Text: c.text, Title: c.text, Commands: commandsFor(c.stage)}
}

func (c smtpCase) line() string { return c.reply().Line() }

func (c smtpCase) name() string {
	if c.stage == "" {
		return strconv.Itoa(c.code)
	}
	return strconv.Itoa(c.code) + "_" + c.stage
}

func commandsFor(stage string) []string {
	switch stage {
	case "":
		return []string{"ANY"}
	case "DATA":
		return []string{"DATA"}
	}
	return []string{stage}
}

// cases is the representative set the runtimes execute: a reply per stage
// and per branch of the HTTP mapping.
var cases = []smtpCase{
	{421, "4.7.0", "mx.example.net Service not available, closing transmission channel", "CONNECT"},
	{450, "4.2.1", "<rcpt@example.org>: Recipient address rejected: try again later", "RCPT"},
	{452, "4.5.3", "Too many recipients", "RCPT"},
	{502, "5.5.1", "Command not implemented", "MAIL"},
	{503, "5.5.1", "Bad sequence of commands", "DATA"},
	{530, "5.7.0", "Authentication required", "MAIL"},
	{535, "5.7.8", "Authentication credentials invalid", "AUTH"},
	{550, "5.1.1", "<rcpt@example.org>: Recipient address rejected: User unknown in virtual mailbox table", "RCPT"},
	{552, "5.3.4", "Message size exceeds fixed limit", "DATA-END"},
	{554, "5.7.1", "Message rejected as spam", "DATA-END"},
}

// smtpServer is a tiny SMTP server for the client and web snippets: it
// accepts everything, except that it answers the case's reply at the case's
// stage. It logs what the client sent.
type smtpServer struct {
	t    *testing.T
	l    net.Listener
	mu   sync.Mutex
	c    smtpCase
	seen []string
}

func newSMTPServer(t *testing.T, c smtpCase) *smtpServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{t: t, l: l, c: c}
	go s.serve()
	t.Cleanup(func() { l.Close() })
	return s
}

func (s *smtpServer) port() int { return s.l.Addr().(*net.TCPAddr).Port }

func (s *smtpServer) serve() {
	for {
		conn, err := s.l.Accept()
		if err != nil {
			return
		}
		go s.session(conn)
	}
}

func (s *smtpServer) log(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = append(s.seen, line)
}

func (s *smtpServer) transcript() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.seen, "\n")
}

func (s *smtpServer) session(conn net.Conn) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	r := bufio.NewReader(conn)
	w := bufio.NewWriter(conn)
	c := s.c
	say := func(line string) {
		s.log("S: " + line)
		w.WriteString(line + "\r\n")
		w.Flush()
	}
	fail := func(stage string) bool {
		if c.stage != stage {
			return false
		}
		say(c.line())
		return true
	}
	if fail("CONNECT") {
		return
	}
	say("220 mx.example.net ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		s.log("C: " + line)
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch verb {
		case "EHLO":
			say("250-mx.example.net")
			say("250-AUTH PLAIN LOGIN")
			say("250-ENHANCEDSTATUSCODES")
			say("250 8BITMIME")
		case "HELO":
			say("250 mx.example.net")
		case "AUTH":
			f := strings.Fields(line)
			if len(f) == 2 && strings.EqualFold(f[1], "LOGIN") {
				say("334 VXNlcm5hbWU6")
				r.ReadString('\n')
				say("334 UGFzc3dvcmQ6")
				r.ReadString('\n')
			} else if len(f) == 2 {
				say("334 ")
				r.ReadString('\n')
			}
			if !fail("AUTH") {
				say("235 2.7.0 Authentication successful")
			}
		case "MAIL":
			if !fail("MAIL") {
				say("250 2.1.0 Ok")
			}
		case "RCPT":
			if !fail("RCPT") {
				say("250 2.1.5 Ok")
			}
		case "DATA":
			if fail("DATA") {
				continue
			}
			say("354 End data with <CR><LF>.<CR><LF>")
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if strings.TrimRight(l, "\r\n") == "." {
					break
				}
			}
			s.log("C: <message>")
			if !fail("DATA-END") {
				say("250 2.0.0 Ok: queued as 4BRq1Z3dQlz9vJp")
			}
		case "RSET", "NOOP":
			say("250 2.0.0 Ok")
		case "QUIT":
			say("221 2.0.0 Bye")
			return
		default:
			say("502 5.5.2 Error: command not recognized")
		}
		if c.code == 421 && strings.Contains(s.transcript(), "S: "+c.line()) {
			return
		}
	}
}
