package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/smtpcode/smtpcode/internal/jsontext"
	"github.com/smtpcode/smtpcode/internal/ui"
	"github.com/smtpcode/smtpcode/mock"
)

type mockOptions struct {
	listen      string
	addr        *net.TCPAddr // listen, parsed
	replies     []string
	rules       []mock.Rule
	auth        []string
	users       map[string]string
	hostname    string
	tlsCert     string
	tlsKey      string
	noTLS       bool
	maxSize     int64
	maxSessions int
	maxRcpts    int
	idleTimeout time.Duration
	save        string
	addrFile    string
	command     []string
	json        bool
}

func newMockCmd(a *app, runF func(*mockOptions) error) *cobra.Command {
	opts := &mockOptions{}
	cmd := &cobra.Command{
		Use:   "mock [flags] [-- COMMAND [ARG...]]",
		Short: "Run an SMTP server that answers with the replies you choose",
		Long: `Run a well-behaved RFC 5321 server on loopback (127.0.0.1:2525) that accepts
mail, and answers differently where a --reply rule says so. It prints a live
transcript (C:/S: lines), or JSON Lines events with --json.

A rule is ` + strings.ReplaceAll(mock.RuleSyntax, "\n", "\n  ") + `

Rules are tried in order; the first that matches answers. A 421 reply closes
the connection. Rules answer commands that are otherwise valid: a RCPT before
MAIL still gets 503.

Without restarting, a client picks a reply by address (domain mock.test):
  RCPT TO:<550-5.1.1@mock.test>       that RCPT gets 550 5.1.1
  MAIL FROM:<451@mock.test>           that MAIL gets 451 (catalogue text)
  RCPT TO:<data-554-5.6.0@mock.test>  RCPT accepted, end of data gets 554 5.6.0

Given a COMMAND after --, it runs it with SMTPCODE_MOCK_ADDR (host:port),
SMTPCODE_MOCK_HOST and SMTPCODE_MOCK_PORT set, stops the server when it ends,
and exits with its status: a test suite against a mock in one line.`,
		Example: `  smtpcode mock --reply 'RCPT=452'
  smtpcode mock --reply 'VRFY=502'
  smtpcode mock --reply 'RCPT:*@full.example=452 4.2.2 Mailbox full'
  smtpcode mock --reply 'CONNECT=421' --reply 'RCPT/2=550 5.1.1 No such user'
  smtpcode mock --reply 'DATA-END/2s=451 4.3.0 Try again later'
  smtpcode mock --reply 'RCPT=550 5.7.1 Rejected\nSee https://example.com/why'
  smtpcode mock --auth user:secret --save ./mail --json
  smtpcode mock --listen 127.0.0.1:0 -- \
    sh -c 'swaks --server "$SMTPCODE_MOCK_ADDR" --to a@b.example'`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if n := cmd.ArgsLenAtDash(); n > 0 || n < 0 && len(args) > 0 {
				return usageErrorf("put the command to run after --: smtpcode mock -- COMMAND", "unexpected argument %q", args[0])
			}
			opts.command = args
			opts.json = a.opts.json
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return mockRun(a, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.listen, "listen", "127.0.0.1:2525", "address to listen on (port 0: any free port)")
	f.StringArrayVar(&opts.replies, "reply", nil, "a reply rule, STAGE[/MODIFIER...][:PATTERN]=REPLY (repeatable)")
	f.StringArrayVar(&opts.auth, "auth", nil, "accept AUTH PLAIN and LOGIN with these credentials, USER:PASSWORD (repeatable)")
	f.StringVar(&opts.hostname, "hostname", mock.DefaultHostname, "the name the server gives itself")
	f.StringVar(&opts.tlsCert, "tls-cert", "", "PEM certificate for STARTTLS (default: self-signed, made at start)")
	f.StringVar(&opts.tlsKey, "tls-key", "", "PEM private key of --tls-cert")
	f.BoolVar(&opts.noTLS, "no-tls", false, "do not offer STARTTLS")
	f.Int64Var(&opts.maxSize, "max-size", mock.DefaultMaxMessageSize, "largest message accepted, in octets (SIZE)")
	f.IntVar(&opts.maxSessions, "max-sessions", mock.DefaultMaxSessions, "concurrent sessions; more get 421 4.3.2")
	f.IntVar(&opts.maxRcpts, "max-recipients", mock.DefaultMaxRecipients, "recipients per message; more get 452 4.5.3")
	f.DurationVar(&opts.idleTimeout, "idle-timeout", mock.DefaultIdleTimeout, "close an idle session with 421 4.4.2 after this long")
	f.StringVar(&opts.save, "save", "", "write each accepted message to this directory as an .eml file")
	f.StringVar(&opts.addrFile, "addr-file", "", "once listening, write the address (host:port) to this file")
	_ = cmd.RegisterFlagCompletionFunc("reply", completeMockRule)
	return cmd
}

func completeMockRule(_ *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, st := range []string{"CONNECT=", "EHLO=", "HELO=", "MAIL=", "RCPT=", "DATA=", "DATA-END=", "BDAT=", "RSET=", "VRFY=", "EXPN=", "HELP=", "NOOP=", "QUIT=", "AUTH=", "STARTTLS="} {
		out = append(out, st)
	}
	return out, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
}

func (o *mockOptions) validate() error {
	for _, s := range o.replies {
		r, err := mock.ParseRule(s)
		if err != nil {
			return usageErrorf("a rule is STAGE[/MODIFIER...][:PATTERN]=REPLY, e.g. 'RCPT=550 5.1.1 No such user'; see smtpcode mock --help",
				"invalid --reply: %s", strings.TrimPrefix(err.Error(), "rule "))
		}
		o.rules = append(o.rules, r)
	}
	o.users = make(map[string]string)
	for _, s := range o.auth {
		user, pass, ok := strings.Cut(s, ":")
		if !ok || user == "" {
			return usageErrorf("use --auth USER:PASSWORD", "invalid --auth %q", s)
		}
		o.users[user] = pass
	}
	if (o.tlsCert == "") != (o.tlsKey == "") {
		return usageErrorf("give both --tls-cert and --tls-key, or neither for a self-signed certificate", "--tls-cert and --tls-key go together")
	}
	if o.noTLS && o.tlsCert != "" {
		return usageErrorf("drop --no-tls or the certificate", "--no-tls contradicts --tls-cert")
	}
	addr, err := listenAddr(o.listen)
	if err != nil {
		return usageErrorf("use IP:PORT or localhost:PORT, e.g. --listen 127.0.0.1:2525", "invalid --listen %q: %v", o.listen, err)
	}
	o.addr = addr
	switch {
	case o.maxSize < 1:
		return usageErrorf("give a size in octets, e.g. --max-size 1048576", "--max-size must be positive")
	case o.maxSessions < 1:
		return usageErrorf("", "--max-sessions must be positive")
	case o.maxRcpts < 1:
		return usageErrorf("", "--max-recipients must be positive")
	case o.idleTimeout <= 0:
		return usageErrorf("e.g. --idle-timeout 30s", "--idle-timeout must be positive")
	case strings.ContainsAny(o.hostname, " \t\r\n") || o.hostname == "":
		return usageErrorf("", "invalid --hostname %q", o.hostname)
	}
	return nil
}

// listenAddr reads --listen: an IP address or localhost, and a port
// number. Host names are not looked up: a test server binds a local
// address, and leaving out the DNS resolver keeps 0.2 MB out of the binary.
func listenAddr(s string) (*net.TCPAddr, error) {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return nil, errors.New("want HOST:PORT")
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	switch host {
	case "":
		return &net.TCPAddr{Port: int(p)}, nil
	case "localhost":
		host = "127.0.0.1"
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return nil, fmt.Errorf("%q is not an IP address or localhost (host names are not looked up)", host)
	}
	return net.TCPAddrFromAddrPort(netip.AddrPortFrom(ip, uint16(p))), nil
}

func mockRun(a *app, opts *mockOptions) error {
	cfg := &mock.Config{
		Hostname:       opts.hostname,
		Rules:          opts.rules,
		Users:          opts.users,
		DisableTLS:     opts.noTLS,
		MaxMessageSize: opts.maxSize,
		MaxSessions:    opts.maxSessions,
		MaxRecipients:  opts.maxRcpts,
		IdleTimeout:    opts.idleTimeout,
		// A server that runs for days keeps nothing; the events are
		// the record.
		NoRecording: true,
	}
	if opts.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(opts.tlsCert, opts.tlsKey)
		if err != nil {
			return fmt.Errorf("load the TLS certificate: %w", err)
		}
		cfg.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	if opts.save != "" {
		if err := os.MkdirAll(opts.save, 0o755); err != nil {
			return fmt.Errorf("--save: %w", err)
		}
	}
	ln, err := net.ListenTCP("tcp", opts.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", opts.listen, err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	if !addr.IP.IsLoopback() {
		fmt.Fprintf(a.io.ErrOut, "smtpcode: warning: %s\n", a.lang.F("listening on %s, reachable from other hosts", addr))
	}

	p := newMockPrinter(a, opts)
	cfg.OnEvent = p.event
	srv := &mock.Server{Config: cfg}
	if err := srv.Listen(ln); err != nil {
		ln.Close()
		return err
	}
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		p.close()
	}
	if opts.addrFile != "" {
		if err := writeFileAtomic(opts.addrFile, []byte(srv.Addr+"\n")); err != nil {
			stop()
			return fmt.Errorf("--addr-file: %w", err)
		}
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	if len(opts.command) > 0 {
		err := runWithMock(ctx, a, opts.command, srv.Addr)
		stop()
		return err
	}
	fmt.Fprintf(a.io.ErrOut, "smtpcode mock: %s\n", a.lang.F("listening on %s (Ctrl-C to stop)", srv.Addr))
	<-ctx.Done()
	stop()
	return nil
}

// runWithMock runs the user's command against the server and passes its
// exit status on. A signal stops the server (sessions get 421) but leaves
// the command to end by itself, as it shares the terminal's signals.
func runWithMock(ctx context.Context, a *app, argv []string, addr string) error {
	host, port, _ := net.SplitHostPort(addr)
	c := exec.Command(argv[0], argv[1:]...)
	c.Stdin, c.Stdout, c.Stderr = a.io.In, a.io.Out, a.io.ErrOut
	c.Env = append(os.Environ(), "SMTPCODE_MOCK_ADDR="+addr, "SMTPCODE_MOCK_HOST="+host, "SMTPCODE_MOCK_PORT="+port)
	if err := c.Start(); err != nil {
		return &exitError{code: 127, err: fmt.Errorf("run %s: %w", argv[0], err)}
	}
	err := c.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code := ee.ExitCode()
		if code < 0 {
			code = 128 + int(ee.Sys().(syscall.WaitStatus).Signal())
		}
		return &exitError{code: code}
	}
	return err
}

func writeFileAtomic(name string, data []byte) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

// mockPrinter writes the events, as a transcript or JSON Lines, through one
// buffer flushed often: a live view without a write per line under load.
type mockPrinter struct {
	a      *app
	opts   *mockOptions
	styled bool
	s      *ui.Styles

	mu      sync.Mutex
	w       *bufio.Writer
	saved   map[int64]int
	stopped chan struct{}
	done    chan struct{}
}

func newMockPrinter(a *app, opts *mockOptions) *mockPrinter {
	p := &mockPrinter{a: a, opts: opts, saved: make(map[int64]int), stopped: make(chan struct{}), done: make(chan struct{})}
	var out io.Writer = a.io.Out
	if !opts.json && a.io.Styled() {
		p.styled = true
		p.s = a.Styles()
		out = a.io.Stdout()
	}
	p.w = bufio.NewWriterSize(out, 64<<10)
	go p.flusher()
	return p
}

func (p *mockPrinter) flusher() {
	defer close(p.done)
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			p.mu.Lock()
			_ = p.w.Flush()
			p.mu.Unlock()
		case <-p.stopped:
			return
		}
	}
}

func (p *mockPrinter) close() {
	close(p.stopped)
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.w.Flush()
}

func (p *mockPrinter) event(e mock.Event) {
	saved := ""
	if e.Type == mock.EventMessage && e.Message.Accepted && p.opts.save != "" {
		saved = p.save(e.Message)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.opts.json {
		ev := exportMockEvent(e, saved)
		_ = writeJSON(p.w, &ev)
		return
	}
	p.transcript(e, saved)
}

// save writes an accepted message as NAME.eml; a failure is reported in
// the transcript rather than stopping the server.
func (p *mockPrinter) save(m *mock.Message) string {
	p.mu.Lock()
	p.saved[m.Session]++
	n := p.saved[m.Session]
	p.mu.Unlock()
	name := filepath.Join(p.opts.save, fmt.Sprintf("%s-%d-%d.eml", m.Time.UTC().Format("20060102T150405.000Z"), m.Session, n))
	if err := os.WriteFile(name, m.Data, 0o644); err != nil {
		fmt.Fprintf(p.a.io.ErrOut, "smtpcode: error: --save: %v\n", err)
		return ""
	}
	return name
}

func (p *mockPrinter) transcript(e mock.Event, saved string) {
	prefix := "[" + strconv.FormatInt(e.Session, 10) + "] "
	style := func(st func(string) string, s string) string {
		if p.styled {
			return st(s)
		}
		return s
	}
	muted := func(s string) string { return p.s.Muted.Render(s) }
	pre := style(muted, prefix)
	switch e.Type {
	case mock.EventConnect:
		fmt.Fprintf(p.w, "%s%s\n", pre, style(muted, "connect from "+e.Remote))
	case mock.EventCommand:
		fmt.Fprintf(p.w, "%s%s %s\n", pre, style(func(s string) string { return p.s.Client.Render(s) }, "C:"), e.Line)
	case mock.EventReply:
		wire := e.Reply.Wire()
		for i, l := range wire {
			text := l
			if p.styled {
				text = p.s.ClassText(e.Reply.Class()).Render(l[:3]) + l[3:]
			}
			note := ""
			if e.Rule != "" && i == len(wire)-1 {
				note = "  " + style(muted, "(rule "+strings.ReplaceAll(e.Rule, "\n", `\n`)+")")
			}
			fmt.Fprintf(p.w, "%s%s %s%s\n", pre, style(func(s string) string { return p.s.Server.Render(s) }, "S:"), text, note)
		}
	case mock.EventTLS:
		fmt.Fprintf(p.w, "%s%s\n", pre, style(muted, "TLS established: "+e.TLSVersion+" "+e.TLSCipher))
	case mock.EventMessage:
		m := e.Message
		what := "message rejected"
		if m.Accepted {
			what = "message accepted"
		}
		line := fmt.Sprintf("%s: from <%s> to <%s>, %d octets", what, m.From, strings.Join(m.To, ">, <"), m.Size)
		if saved != "" {
			line += ", saved as " + saved
		}
		fmt.Fprintf(p.w, "%s%s\n", pre, style(func(s string) string { return p.s.Accent.Render(s) }, line))
	case mock.EventDisconnect:
		fmt.Fprintf(p.w, "%s%s\n", pre, style(muted, fmt.Sprintf("disconnect (%s) after %s", e.Reason, e.Duration.Round(time.Millisecond))))
	}
	if p.styled {
		// A person is watching: show each line as it happens.
		_ = p.w.Flush()
	}
}

// mockEventJSON is one line of `smtpcode mock --json`; see docs/mock.md for
// the schema.
type mockEventJSON struct {
	SchemaVersion int      `json:"schema_version"`
	Object        string   `json:"object"`
	Type          string   `json:"type"`
	Session       int64    `json:"session"`
	Time          string   `json:"time"`
	Remote        string   `json:"remote,omitempty"`
	Local         string   `json:"local,omitempty"`
	Line          *string  `json:"line,omitempty"`
	Code          string   `json:"code,omitempty"`
	Enhanced      string   `json:"enhanced,omitempty"`
	Lines         []string `json:"lines,omitempty"`
	Rule          string   `json:"rule,omitempty"`
	From          *string  `json:"from,omitempty"`
	Recipients    []string `json:"recipients,omitempty"`
	Size          *int64   `json:"size,omitempty"`
	Accepted      *bool    `json:"accepted,omitempty"`
	TLS           *bool    `json:"tls,omitempty"`
	User          string   `json:"user,omitempty"`
	Saved         string   `json:"saved,omitempty"`
	TLSVersion    string   `json:"tls_version,omitempty"`
	TLSCipher     string   `json:"tls_cipher,omitempty"`
	Reason        string   `json:"reason,omitempty"`
	DurationMS    *float64 `json:"duration_ms,omitempty"`
}

func (j *mockEventJSON) appendJSON(b []byte) []byte {
	o := jsontext.Begin(b)
	o.Int("schema_version", int64(j.SchemaVersion))
	o.String("object", j.Object)
	o.String("type", j.Type)
	o.Int("session", j.Session)
	o.String("time", j.Time)
	o.StringOmit("remote", j.Remote)
	o.StringOmit("local", j.Local)
	if j.Line != nil {
		o.String("line", *j.Line)
	}
	o.StringOmit("code", j.Code)
	o.StringOmit("enhanced", j.Enhanced)
	o.StringsOmit("lines", j.Lines)
	o.StringOmit("rule", j.Rule)
	if j.From != nil {
		o.String("from", *j.From)
	}
	o.StringsOmit("recipients", j.Recipients)
	if j.Size != nil {
		o.Int("size", *j.Size)
	}
	if j.Accepted != nil {
		o.Bool("accepted", *j.Accepted)
	}
	if j.TLS != nil {
		o.Bool("tls", *j.TLS)
	}
	o.StringOmit("user", j.User)
	o.StringOmit("saved", j.Saved)
	o.StringOmit("tls_version", j.TLSVersion)
	o.StringOmit("tls_cipher", j.TLSCipher)
	o.StringOmit("reason", j.Reason)
	if j.DurationMS != nil {
		o.Float("duration_ms", *j.DurationMS)
	}
	return o.End()
}

func exportMockEvent(e mock.Event, saved string) mockEventJSON {
	j := mockEventJSON{
		SchemaVersion: schemaVersion,
		Object:        objectEvent,
		Type:          string(e.Type),
		Session:       e.Session,
		Time:          e.Time.UTC().Format(time.RFC3339Nano),
	}
	switch e.Type {
	case mock.EventConnect:
		j.Remote, j.Local = e.Remote, e.Local
	case mock.EventCommand:
		j.Line = &e.Line
	case mock.EventReply:
		j.Code, j.Enhanced, j.Lines, j.Rule = codeString(e.Reply.Code), e.Reply.Enhanced, e.Reply.Wire(), e.Rule
	case mock.EventMessage:
		m := e.Message
		from, size, accepted, tls := m.From, m.Size, m.Accepted, m.TLS
		j.From, j.Size, j.Accepted, j.TLS = &from, &size, &accepted, &tls
		j.Recipients, j.User, j.Saved = m.To, m.User, saved
		j.Code, j.Enhanced = codeString(m.Reply.Code), m.Reply.Enhanced
	case mock.EventTLS:
		j.TLSVersion, j.TLSCipher = e.TLSVersion, e.TLSCipher
	case mock.EventDisconnect:
		ms := float64(e.Duration.Microseconds()) / 1000
		j.Reason, j.DurationMS = e.Reason, &ms
	}
	return j
}
