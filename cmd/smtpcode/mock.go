package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
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
	listen       string
	addr         *net.TCPAddr // listen, parsed
	replies      []string
	allowVerbs   []string
	rules        []mock.Rule
	auth         []string
	users        map[string]string
	hostname     string
	tlsCert      string
	tlsKey       string
	noTLS        bool
	rejectBareLF bool
	seed         int64
	requireTLS   bool
	httpListen   string
	httpAddr     *net.TCPAddr
	requireAuth  bool
	authAny      bool
	noExt        map[string]*bool
	tlsListen    string
	tlsAddr      *net.TCPAddr
	tlsMin       string
	tlsMinVer    uint16
	tlsCertOut   string
	bandwidth    int64
	maxSize      int64
	maxSessions  int
	maxRcpts     int
	idleTimeout  time.Duration
	save         string
	addrFile     string
	command      []string
	killAfter    time.Duration
	json         bool
	quiet        bool
	events       string
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
and exits with its status: a test suite against a mock in one line. The
command's stdout goes to stderr, so that stdout carries only the events
(with --quiet, it keeps stdout).`,
		Example: `  smtpcode mock --reply 'RCPT=452'
  smtpcode mock --reply 'VRFY=502'
  smtpcode mock --reply 'RCPT:*@full.example=452 4.2.2 Mailbox full'
  smtpcode mock --reply 'CONNECT/1=421' --reply 'RCPT/2=550 5.1.1 No such user'
  smtpcode mock --reply 'RCPT/1/each=451 4.7.1 Greylisted, try again later'
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
	f.StringArrayVar(&opts.allowVerbs, "allow-verb", nil, "let --reply rules name this unknown verb (repeatable)")
	f.StringArrayVar(&opts.auth, "auth", nil, "accept AUTH PLAIN and LOGIN with these credentials, USER:PASSWORD (repeatable)")
	f.StringVar(&opts.hostname, "hostname", mock.DefaultHostname, "the name the server gives itself")
	f.StringVar(&opts.tlsCert, "tls-cert", "", "PEM certificate for STARTTLS (default: self-signed, made at start)")
	f.StringVar(&opts.tlsKey, "tls-key", "", "PEM private key of --tls-cert")
	f.BoolVar(&opts.noTLS, "no-tls", false, "do not offer STARTTLS")
	f.StringVar(&opts.tlsListen, "tls-listen", "", "also serve implicit TLS (SMTPS, port 465 style) on this address")
	f.StringVar(&opts.tlsMin, "tls-min", "", "oldest TLS version accepted: 1.0, 1.1, 1.2 or 1.3 (default 1.2)")
	f.StringVar(&opts.tlsCertOut, "tls-cert-out", "", "write the server's certificate (PEM) to this file, for clients to trust")
	f.Int64Var(&opts.seed, "seed", 0, "seed for p= rules and delay jitter, to repeat a run (default: random)")
	f.Int64Var(&opts.bandwidth, "bandwidth", 0, "limit each session to this many octets per second each way")
	f.StringVar(&opts.httpListen, "http", "", "serve /api/messages and /api/events as JSON on this address")
	f.BoolVar(&opts.requireTLS, "require-tls", false, "530 5.7.0 to MAIL and the rest until STARTTLS; AUTH only inside TLS")
	f.BoolVar(&opts.requireAuth, "require-auth", false, "answer MAIL with 530 5.7.0 until the client has authenticated")
	f.BoolVar(&opts.authAny, "auth-any", false, "offer AUTH, accept any password, record the user")
	// One call each, with the usage written out, so that it is translated.
	opts.noExt = map[string]*bool{
		"PIPELINING":          f.Bool("no-pipelining", false, "do not offer PIPELINING"),
		"CHUNKING":            f.Bool("no-chunking", false, "do not offer CHUNKING (BDAT)"),
		"8BITMIME":            f.Bool("no-8bitmime", false, "do not offer 8BITMIME"),
		"SMTPUTF8":            f.Bool("no-smtputf8", false, "do not offer SMTPUTF8"),
		"ENHANCEDSTATUSCODES": f.Bool("no-enhancedstatuscodes", false, "do not offer ENHANCEDSTATUSCODES, and send no enhanced codes"),
	}
	f.BoolVar(&opts.rejectBareLF, "reject-bare-lf", false, "refuse lines ending in a bare LF, as Postfix 3.9 with smtpd_forbid_bare_newline = reject")
	f.Int64Var(&opts.maxSize, "max-size", mock.DefaultMaxMessageSize, "largest message accepted, in octets (SIZE)")
	f.IntVar(&opts.maxSessions, "max-sessions", mock.DefaultMaxSessions, "concurrent sessions; more get 421 4.3.2")
	f.IntVar(&opts.maxRcpts, "max-recipients", mock.DefaultMaxRecipients, "recipients per message; more get 452 4.5.3")
	f.DurationVar(&opts.idleTimeout, "idle-timeout", mock.DefaultIdleTimeout, "close an idle session with 421 4.4.2 after this long")
	f.StringVar(&opts.save, "save", "", "write each accepted message to this directory as NAME.eml, with its envelope as NAME.json")
	f.StringVar(&opts.addrFile, "addr-file", "", "once listening, write the address (host:port) to this file")
	f.BoolVar(&opts.quiet, "quiet", false, "print no transcript or events on stdout")
	f.StringVar(&opts.events, "events", "", "write every event as JSON Lines to this file")
	f.DurationVar(&opts.killAfter, "kill-after", 5*time.Second, "on SIGINT/SIGTERM, how long COMMAND has to exit before it is killed")
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
		r, err := mock.ParseRule(s, o.allowVerbs...)
		if err != nil {
			hint := "a rule is STAGE[/MODIFIER...][:PATTERN]=REPLY, e.g. 'RCPT=550 5.1.1 No such user'; see smtpcode mock --help"
			if errors.Is(err, mock.ErrUnknownStage) {
				hint = "check the spelling; for a verb the mock does not know, add --allow-verb VERB (X- verbs need none)"
			}
			return usageErrorf(hint, "invalid --reply: %s", strings.TrimPrefix(err.Error(), "rule "))
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
	if o.noTLS && (o.tlsListen != "" || o.tlsMin != "" || o.tlsCertOut != "") {
		return usageErrorf("drop --no-tls or the TLS flags", "--no-tls contradicts --tls-listen, --tls-min and --tls-cert-out")
	}
	if o.noTLS && o.requireTLS {
		return usageErrorf("drop --no-tls or --require-tls", "--require-tls needs TLS, and --no-tls turns it off")
	}
	if o.requireAuth && len(o.auth) == 0 && !o.authAny && !slices.ContainsFunc(o.rules, func(r mock.Rule) bool { return r.Stage == "AUTH" }) {
		return usageErrorf("add --auth USER:PASSWORD or --auth-any", "--require-auth, but no way to authenticate")
	}
	if o.httpListen != "" {
		a, err := listenAddr(o.httpListen)
		if err != nil {
			return usageErrorf("use IP:PORT, e.g. --http 127.0.0.1:8025", "invalid --http %q: %v", o.httpListen, err)
		}
		o.httpAddr = a
	}
	if o.tlsListen != "" {
		a, err := listenAddr(o.tlsListen)
		if err != nil {
			return usageErrorf("use IP:PORT, e.g. --tls-listen 127.0.0.1:4650", "invalid --tls-listen %q: %v", o.tlsListen, err)
		}
		o.tlsAddr = a
	}
	if o.tlsMin != "" {
		v, ok := map[string]uint16{"1.0": tls.VersionTLS10, "1.1": tls.VersionTLS11, "1.2": tls.VersionTLS12, "1.3": tls.VersionTLS13}[o.tlsMin]
		if !ok {
			return usageErrorf("one of 1.0, 1.1, 1.2, 1.3", "invalid --tls-min %q", o.tlsMin)
		}
		o.tlsMinVer = v
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
	case o.bandwidth < 0:
		return usageErrorf("octets per second, e.g. --bandwidth 56000", "--bandwidth must not be negative")
	case o.killAfter < 0:
		return usageErrorf("e.g. --kill-after 10s", "--kill-after must not be negative")
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
		// mockListen binds ::1 too.
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
		TLSMinVersion:  opts.tlsMinVer,
		RejectBareLF:   opts.rejectBareLF,
		RequireTLS:     opts.requireTLS,
		RequireAuth:    opts.requireAuth,
		AuthAny:        opts.authAny,
		Seed:           opts.seed,
		Bandwidth:      opts.bandwidth,
		MaxMessageSize: opts.maxSize,
		MaxSessions:    opts.maxSessions,
		MaxRecipients:  opts.maxRcpts,
		IdleTimeout:    opts.idleTimeout,
		// A server that runs for days keeps nothing; the events are
		// the record. Big messages wait in a file in the --save
		// directory, so that saving one is a link.
		NoRecording: true,
		SpoolDir:    opts.save,
	}
	for ext, off := range opts.noExt {
		if *off {
			cfg.DisableExtensions = append(cfg.DisableExtensions, ext)
		}
	}
	if opts.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(opts.tlsCert, opts.tlsKey)
		if err != nil {
			return fmt.Errorf("load the TLS certificate: %w", err)
		}
		cfg.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	if opts.save != "" {
		if err := os.MkdirAll(opts.save, 0o700); err != nil {
			return fmt.Errorf("--save: %w", err)
		}
	}
	ln, ln6, err := mockListen(opts)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", opts.listen, err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	if !addr.IP.IsLoopback() {
		fmt.Fprintf(a.io.ErrOut, "smtpcode: warning: %s\n", a.lang.F("listening on %s, reachable from other hosts", addr))
	}

	p := newMockPrinter(a, opts)
	if opts.events != "" {
		if err := p.openEvents(opts.events); err != nil {
			ln.Close()
			p.close()
			return fmt.Errorf("--events: %w", err)
		}
	}
	var httpAddr string
	if opts.httpAddr != nil {
		hln, _, err := mockListen(&mockOptions{listen: opts.httpListen, addr: opts.httpAddr})
		if err != nil {
			ln.Close()
			p.close()
			return fmt.Errorf("--http %s: %w", opts.httpListen, err)
		}
		defer hln.Close()
		p.store = &mockStore{}
		go p.store.serveHTTP(hln)
		httpAddr = hln.Addr().String()
		fmt.Fprintf(a.io.ErrOut, "smtpcode mock: HTTP API on http://%s/api/messages and /api/events\n", httpAddr)
	}
	cfg.OnEvent = p.event
	srv := &mock.Server{Config: cfg}
	if err := srv.Listen(ln); err != nil {
		ln.Close()
		return err
	}
	if ln6 != nil {
		if err := srv.ListenAlso(ln6); err != nil {
			ln6.Close()
		}
	}
	var stopOnce sync.Once
	stop := func() {
		stopOnce.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = srv.Shutdown(ctx)
			p.close()
		})
	}
	if opts.tlsAddr != nil {
		tln, tln6, err := mockListen(&mockOptions{listen: opts.tlsListen, addr: opts.tlsAddr})
		if err == nil {
			err = srv.ListenTLS(tln)
		}
		if err == nil && tln6 != nil {
			err = srv.ListenTLS(tln6)
		}
		if err != nil {
			stop()
			return fmt.Errorf("--tls-listen %s: %w", opts.tlsListen, err)
		}
	}
	if opts.tlsCertOut != "" {
		cert := srv.Certificate()
		if err := writeFileAtomic(opts.tlsCertOut, certificatePEM(cert.Raw)); err != nil {
			stop()
			return fmt.Errorf("--tls-cert-out: %w", err)
		}
	}
	if opts.addrFile != "" {
		if err := writeFileAtomic(opts.addrFile, []byte(srv.Addr+"\n")); err != nil {
			stop()
			return fmt.Errorf("--addr-file: %w", err)
		}
	}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	if len(opts.command) > 0 {
		err := runWithMock(a, opts, srv.Addr, srv.TLSAddr, httpAddr, sigs, stop)
		stop()
		return err
	}
	if srv.TLSAddr != "" {
		fmt.Fprintf(a.io.ErrOut, "smtpcode mock: %s\n", a.lang.F("listening on %s, implicit TLS on %s (Ctrl-C to stop)", srv.Addr, srv.TLSAddr))
	} else {
		fmt.Fprintf(a.io.ErrOut, "smtpcode mock: %s\n", a.lang.F("listening on %s (Ctrl-C to stop)", srv.Addr))
	}
	<-sigs
	stop()
	return nil
}

// runWithMock runs the user's command against the server and passes its
// exit status on. SIGINT or SIGTERM (a Ctrl-C, docker stop, a CI runner
// cancelling the step) stops the server at once, so sessions in flight get
// 421, then passes the signal on to the command and gives it --kill-after
// to exit before killing it; a second signal kills it at once.
func runWithMock(a *app, opts *mockOptions, addr, tlsAddr, httpAddr string, sigs <-chan os.Signal, stopServer func()) error {
	argv := opts.command
	host, port, _ := net.SplitHostPort(addr)
	c := exec.Command(argv[0], argv[1:]...)
	// stdout carries the mock's events (JSON Lines with --json): the
	// command's output goes to stderr, unless --quiet leaves stdout free.
	c.Stdin, c.Stdout, c.Stderr = a.io.In, a.io.ErrOut, a.io.ErrOut
	if opts.quiet {
		c.Stdout = a.io.Out
	}
	c.Env = append(os.Environ(), "SMTPCODE_MOCK_ADDR="+addr, "SMTPCODE_MOCK_HOST="+host, "SMTPCODE_MOCK_PORT="+port)
	if httpAddr != "" {
		c.Env = append(c.Env, "SMTPCODE_MOCK_HTTP_ADDR="+httpAddr)
	}
	if tlsAddr != "" {
		_, tlsPort, _ := net.SplitHostPort(tlsAddr)
		c.Env = append(c.Env, "SMTPCODE_MOCK_TLS_ADDR="+tlsAddr, "SMTPCODE_MOCK_TLS_PORT="+tlsPort)
	}
	// A grandchild holding the output open must not keep the mock alive.
	c.WaitDelay = time.Second
	if err := c.Start(); err != nil {
		return &exitError{code: 127, err: fmt.Errorf("run %s: %w", argv[0], err)}
	}
	waited := make(chan error, 1)
	go func() { waited <- c.Wait() }()
	var err error
	select {
	case err = <-waited:
	case sig := <-sigs:
		stopServer()
		_ = c.Process.Signal(sig)
		grace := time.NewTimer(opts.killAfter)
		defer grace.Stop()
		select {
		case err = <-waited:
		case <-grace.C:
			fmt.Fprintf(a.io.ErrOut, "smtpcode: warning: %s did not exit within %s of %s: killed\n", argv[0], opts.killAfter, sig)
			_ = c.Process.Kill()
			err = <-waited
		case <-sigs:
			_ = c.Process.Kill()
			err = <-waited
		}
	}
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

// mockListen listens where --listen says. An IPv4 address means IPv4 only
// (Go's "tcp" would make 0.0.0.0 dual-stack). localhost means both
// loopbacks on one port, since clients resolve it to ::1 or 127.0.0.1
// first as their system likes: the ::1 listener is returned second, or nil
// where IPv6 is off.
func mockListen(opts *mockOptions) (net.Listener, net.Listener, error) {
	network := "tcp"
	switch {
	case opts.addr.IP.To4() != nil:
		network = "tcp4"
	case opts.addr.IP != nil && !opts.addr.IP.IsUnspecified():
		network = "tcp6"
	}
	host, _, _ := net.SplitHostPort(opts.listen)
	if host != "localhost" {
		ln, err := net.ListenTCP(network, opts.addr)
		if err != nil {
			return nil, nil, err
		}
		return ln, nil, nil
	}
	for try := 0; ; try++ {
		ln4, err := net.ListenTCP("tcp4", opts.addr)
		if err != nil {
			return nil, nil, err
		}
		port := ln4.Addr().(*net.TCPAddr).Port
		ln6, err := net.ListenTCP("tcp6", &net.TCPAddr{IP: net.IPv6loopback, Port: port})
		switch {
		case err == nil:
			return ln4, ln6, nil
		case errors.Is(err, syscall.EADDRINUSE) && opts.addr.Port == 0 && try < 10:
			// The free IPv4 port is taken on ::1: pick another.
			ln4.Close()
			continue
		case errors.Is(err, syscall.EADDRINUSE):
			ln4.Close()
			return nil, nil, err
		default:
			// No IPv6 here.
			return ln4, nil, nil
		}
	}
}

// certificatePEM encodes a DER certificate as PEM (RFC 7468), by hand:
// encoding/pem would cost the binary 3 kB for these few lines.
func certificatePEM(der []byte) []byte {
	b64 := base64.StdEncoding.EncodeToString(der)
	out := []byte("-----BEGIN CERTIFICATE-----\n")
	for len(b64) > 64 {
		out = append(append(out, b64[:64]...), '\n')
		b64 = b64[64:]
	}
	out = append(append(out, b64...), '\n')
	return append(out, "-----END CERTIFICATE-----\n"...)
}

func writeFileAtomic(name string, data []byte) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

// Bounds of the event buffers: past them events are dropped, never waited
// for. A file is written as fast as the disk goes; stdout may be a pipe
// nobody reads.
const (
	stdoutEventBuffer = 4 << 20
	fileEventBuffer   = 16 << 20
	stderrBuffer      = 256 << 10
)

// mockPrinter writes the events, as a transcript or JSON Lines on stdout
// and as JSON Lines to --events FILE, through sinks that never block the
// sessions.
type mockPrinter struct {
	a      *app
	opts   *mockOptions
	styled bool
	s      *ui.Styles

	store  *mockStore // --http; nil without
	out    *eventSink // stdout; nil with --quiet
	file   *eventSink // --events FILE; nil without
	errs   *eventSink // stderr, for the mock's own warnings
	closer io.Closer  // the --events file

	mu    sync.Mutex
	saved map[int64]int
}

func newMockPrinter(a *app, opts *mockOptions) *mockPrinter {
	p := &mockPrinter{a: a, opts: opts, saved: make(map[int64]int)}
	p.errs = newEventSink(a.io.ErrOut, stderrBuffer, nil)
	if !opts.quiet {
		var out io.Writer = a.io.Out
		if !opts.json && a.io.Styled() {
			p.styled = true
			p.s = a.Styles()
			out = a.io.Stdout()
		}
		p.out = newEventSink(out, stdoutEventBuffer, func() {
			p.warn("smtpcode: warning: stdout is not being read: events are dropped until it is (use --quiet or --events FILE)\n")
		})
	}
	return p
}

// openEvents opens --events FILE for the printer.
func (p *mockPrinter) openEvents(name string) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	p.closer = f
	p.file = newEventSink(f, fileEventBuffer, func() {
		p.warn("smtpcode: warning: --events: the file is not keeping up: events are dropped\n")
	})
	return nil
}

func (p *mockPrinter) warn(msg string) { p.errs.write([]byte(msg)) }

// close writes what is left, waiting a bounded time for outputs nobody
// reads, and says how many events were dropped.
func (p *mockPrinter) close() {
	if p.out != nil {
		if n := p.out.close(2 * time.Second); n > 0 {
			p.warn(fmt.Sprintf("smtpcode: warning: %d events were not written to stdout: it was not read\n", n))
		}
	}
	if p.file != nil {
		if n := p.file.close(10 * time.Second); n > 0 {
			p.warn(fmt.Sprintf("smtpcode: warning: %d events were not written to --events %s\n", n, p.opts.events))
		}
		if err := p.closer.Close(); err != nil {
			p.warn(fmt.Sprintf("smtpcode: error: --events: %v\n", err))
		}
	}
	p.errs.close(time.Second)
}

func (p *mockPrinter) event(e mock.Event) {
	saved := ""
	if e.Type == mock.EventMessage && e.Message.Accepted && p.opts.save != "" {
		saved = p.save(e.Message)
	}
	var js []byte
	if p.file != nil || p.store != nil || p.out != nil && p.opts.json {
		ev := exportMockEvent(e, saved)
		js = append(ev.appendJSON(make([]byte, 0, 512)), '\n')
	}
	if p.store != nil {
		p.store.addEvent(js)
		if e.Type == mock.EventMessage && e.Message.Accepted {
			p.store.addMessage(e.Message, saved)
		}
	}
	if p.file != nil {
		p.file.write(js)
	}
	if p.out == nil {
		return
	}
	if p.opts.json {
		p.out.write(js)
		return
	}
	var b bytes.Buffer
	p.transcript(&b, e, saved)
	p.out.write(b.Bytes())
}

// save writes an accepted message as NAME.eml and its envelope as
// NAME.json. The files are the mock's own: created new (O_EXCL, so never
// through a symlink or over another file), mode 0600, named by time,
// process and session so that two mocks can share a directory. A failure
// is reported on stderr rather than stopping the server.
func (p *mockPrinter) save(m *mock.Message) string {
	p.mu.Lock()
	p.saved[m.Session]++
	n := p.saved[m.Session]
	p.mu.Unlock()
	base := filepath.Join(p.opts.save, fmt.Sprintf("%s-%d-%d-%d", m.Time.UTC().Format("20060102T150405.000000Z"), os.Getpid(), m.Session, n))
	var name string
	var err error
	if m.DataFile != "" {
		// A big message the server kept in a file (in the --save
		// directory): linked to its name, not copied through memory.
		name, err = linkNew(base, ".eml", m.DataFile)
	} else {
		name, err = createNew(base, ".eml", m.Data)
	}
	if err != nil {
		p.warn(fmt.Sprintf("smtpcode: error: --save: %v\n", err))
		return ""
	}
	if _, err := createNew(strings.TrimSuffix(name, ".eml"), ".json", append(appendEnvelope(nil, m, filepath.Base(name)), '}', '\n')); err != nil {
		p.warn(fmt.Sprintf("smtpcode: error: --save: %v\n", err))
	}
	return name
}

// createNew writes data to base+ext, a file that must not exist yet, or
// to base-2+ext and so on when it does.
func createNew(base, ext string, data []byte) (string, error) {
	return newName(base, ext, func(name string) error {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	})
}

// linkNew gives the file src the name base+ext, or base-2+ext and so on,
// never replacing a file; src is left in place.
func linkNew(base, ext, src string) (string, error) {
	return newName(base, ext, func(name string) error { return os.Link(src, name) })
}

// newName calls create with base+ext, then base-2+ext and so on while the
// name exists, and returns the name created.
func newName(base, ext string, create func(string) error) (string, error) {
	for i := 1; ; i++ {
		name := base + ext
		if i > 1 {
			name = base + "-" + strconv.Itoa(i) + ext
		}
		err := create(name)
		if errors.Is(err, os.ErrExist) && i < 100 {
			continue
		}
		if err != nil {
			return "", err
		}
		return name, nil
	}
}

// appendEnvelope appends the NAME.json written beside each saved message:
// what the message file cannot say (Bcc recipients are in the envelope
// only). The object is left open, for --http to add the data.
func appendEnvelope(b []byte, m *mock.Message, eml string) []byte {
	params := m.MailParams
	if params == nil {
		params = []string{}
	}
	o := jsontext.Begin(b)
	o.Int("schema_version", schemaVersion)
	o.String("object", objectEnvelope)
	o.String("message", eml)
	o.Int("session", m.Session)
	o.String("time", m.Time.UTC().Format(time.RFC3339Nano))
	o.String("helo", m.Helo)
	o.String("from", m.From)
	o.Strings("mail_params", params)
	o.Strings("recipients", m.To)
	o.Int("size", m.Size)
	o.Bool("tls", m.TLS)
	o.StringOmit("user", m.User)
	o.String("code", codeString(m.Reply.Code))
	o.StringOmit("enhanced", m.Reply.Enhanced)
	return o.B
}

func (p *mockPrinter) transcript(w io.Writer, e mock.Event, saved string) {
	var st *ui.Styles
	if p.styled {
		st = p.s
	}
	// render styles s when a person is watching; piped, it is plain.
	render := func(style func(*ui.Styles) ui.Style, s string) string {
		if st == nil {
			return s
		}
		return style(st).Render(s)
	}
	muted := func(s *ui.Styles) ui.Style { return s.Muted }
	line := ""
	switch e.Type {
	case mock.EventConnect:
		line = render(muted, "connect from "+e.Remote)
	case mock.EventCommand:
		line = render(func(s *ui.Styles) ui.Style { return s.Client }, "C:") + " " + e.Line
	case mock.EventReply:
		wire := e.Reply.Wire()
		for i, l := range wire {
			if st != nil {
				l = st.ClassText(e.Reply.Class()).Render(l[:3]) + l[3:]
			}
			if e.Rule != "" && i == len(wire)-1 {
				l += "  " + render(muted, "(rule "+strings.ReplaceAll(e.Rule, "\n", `\n`)+")")
			}
			if i > 0 {
				line += "\n" + render(muted, "["+strconv.FormatInt(e.Session, 10)+"] ")
			}
			line += render(func(s *ui.Styles) ui.Style { return s.Server }, "S:") + " " + l
		}
	case mock.EventTLS:
		line = render(muted, "TLS established: "+e.TLSVersion+" "+e.TLSCipher)
	case mock.EventMessage:
		m := e.Message
		what := "message rejected"
		if m.Accepted {
			what = "message accepted"
		}
		// Addresses are the client's bytes: escaped, as command lines are.
		text := what + ": from <" + mock.Printable(m.From) + "> to <" + mock.Printable(strings.Join(m.To, ">, <")) + ">, " + strconv.FormatInt(m.Size, 10) + " octets"
		if saved != "" {
			text += ", saved as " + saved
		}
		line = render(func(s *ui.Styles) ui.Style { return s.Accent }, text)
	case mock.EventDisconnect:
		line = render(muted, "disconnect ("+e.Reason+") after "+e.Duration.Round(time.Millisecond).String())
	default:
		return
	}
	_, _ = io.WriteString(w, render(muted, "["+strconv.FormatInt(e.Session, 10)+"] ")+line+"\n")
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
		j.Code, j.Enhanced, j.Lines = codeString(m.Reply.Code), m.Reply.Enhanced, m.Reply.Wire()
	case mock.EventTLS:
		j.TLSVersion, j.TLSCipher = e.TLSVersion, e.TLSCipher
	case mock.EventDisconnect:
		ms := float64(e.Duration.Microseconds()) / 1000
		j.Reason, j.DurationMS = e.Reason, &ms
	}
	return j
}

// eventSink writes events to an output without ever blocking the SMTP
// sessions that produce them: a session appends to a bounded buffer and
// goes on, one goroutine writes the buffer out. When the output is not
// read (a test fixture's unread stdout=PIPE), the buffer fills and later
// events are dropped and counted.
type eventSink struct {
	w           io.Writer
	limit       int
	onFirstDrop func()

	mu       sync.Mutex
	pending  []byte
	events   int // events in pending
	inflight int // events being written
	dropped  int64
	closed   bool
	wake     chan struct{}
	done     chan struct{}
}

func newEventSink(w io.Writer, limit int, onFirstDrop func()) *eventSink {
	k := &eventSink{w: w, limit: limit, onFirstDrop: onFirstDrop, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go k.run()
	return k
}

// write queues one event's bytes; it reports false when they were dropped.
func (k *eventSink) write(b []byte) bool {
	k.mu.Lock()
	if k.closed || len(k.pending)+len(b) > k.limit && len(k.pending) > 0 {
		k.dropped++
		first := k.dropped == 1
		k.mu.Unlock()
		if first && k.onFirstDrop != nil {
			k.onFirstDrop()
		}
		return false
	}
	k.pending = append(k.pending, b...)
	k.events++
	k.mu.Unlock()
	select {
	case k.wake <- struct{}{}:
	default:
	}
	return true
}

func (k *eventSink) run() {
	defer close(k.done)
	var spare []byte
	for range k.wake {
		k.mu.Lock()
		buf, n, closed := k.pending, k.events, k.closed
		k.pending, k.events, k.inflight = spare[:0], 0, n
		k.mu.Unlock()
		if len(buf) > 0 {
			_, err := k.w.Write(buf)
			k.mu.Lock()
			if err != nil {
				k.dropped += int64(n)
			}
			k.inflight = 0
			k.mu.Unlock()
		}
		// Keep the spare only if it is not huge, so a burst does not pin
		// memory for the rest of the run.
		if cap(buf) <= 1<<20 {
			spare = buf
		} else {
			spare = nil
		}
		if closed {
			return
		}
	}
}

// close writes what is queued, waiting at most wait for an output that is
// not read, and returns how many events were dropped in all.
func (k *eventSink) close(wait time.Duration) int64 {
	k.mu.Lock()
	if !k.closed {
		k.closed = true
		// The final round: run sees closed and ends after writing.
		select {
		case k.wake <- struct{}{}:
		default:
		}
	}
	k.mu.Unlock()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-k.done:
	case <-t.C:
		k.mu.Lock()
		k.dropped += int64(k.events + k.inflight)
		k.events, k.inflight = 0, 0
		k.mu.Unlock()
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.dropped
}

// Bounds of what --http keeps: the oldest go first.
const (
	httpMaxMessages = 1000
	httpMaxEvents   = 20000
	httpMaxData     = 10 << 20 // a bigger message is listed without its data
)

// mockStore keeps the last messages and events, as JSON, for --http.
type mockStore struct {
	mu       sync.Mutex
	messages [][]byte
	events   [][]byte
}

func (st *mockStore) add(list *[][]byte, max int, v []byte) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(*list) >= max {
		*list = append((*list)[:0:0], (*list)[len(*list)-max+1:]...)
	}
	*list = append(*list, v)
}

func (st *mockStore) addEvent(js []byte) {
	st.add(&st.events, httpMaxEvents, bytes.TrimSuffix(js, []byte("\n")))
}

// addMessage keeps an accepted message: its envelope, as --save writes it,
// with the message itself as "data".
func (st *mockStore) addMessage(m *mock.Message, saved string) {
	data := m.Data
	if m.DataFile != "" {
		if fi, err := os.Stat(m.DataFile); err == nil && fi.Size() <= httpMaxData {
			data, _ = os.ReadFile(m.DataFile)
		}
	}
	name := ""
	if saved != "" {
		name = filepath.Base(saved)
	}
	b := appendEnvelope(nil, m, name)
	if data != nil || m.Size == 0 {
		b = append(b, `,"data":`...)
		b = jsontext.AppendString(b, data)
	}
	st.add(&st.messages, httpMaxMessages, append(b, '}'))
}

func (st *mockStore) list(list *[][]byte) []byte {
	st.mu.Lock()
	defer st.mu.Unlock()
	b := []byte{'['}
	for i, v := range *list {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, v...)
	}
	return append(b, ']', '\n')
}

func (st *mockStore) clear(list *[][]byte) {
	st.mu.Lock()
	defer st.mu.Unlock()
	*list = nil
}

// serveHTTP answers the --http API on ln: GET and DELETE on /api/messages
// and /api/events, one request per connection. A few lines of HTTP/1.1
// by hand, since net/http would add 1.5 MB to the binary for four routes.
func (st *mockStore) serveHTTP(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(10 * time.Millisecond)
			continue
		}
		go st.handleHTTP(conn)
	}
}

func (st *mockStore) handleHTTP(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReaderSize(conn, 4096)
	reply := func(status string, body []byte) {
		head := "HTTP/1.1 " + status + "\r\nConnection: close\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n"
		if len(body) > 0 {
			head += "Content-Type: application/json\r\n"
		}
		if strings.HasPrefix(status, "405") {
			head += "Allow: GET, DELETE\r\n"
		}
		_, _ = conn.Write(append([]byte(head+"\r\n"), body...))
	}
	line, err := br.ReadSlice('\n')
	if err != nil {
		reply("400 Bad Request", nil)
		return
	}
	method, rest, _ := strings.Cut(strings.TrimRight(string(line), "\r\n"), " ")
	target, proto, _ := strings.Cut(rest, " ")
	if !strings.HasPrefix(proto, "HTTP/1.") {
		reply("400 Bad Request", nil)
		return
	}
	// The headers, up to the blank line; a body is not wanted.
	for n := 0; ; n++ {
		h, err := br.ReadSlice('\n')
		if err != nil || n > 100 {
			reply("400 Bad Request", nil)
			return
		}
		if len(bytes.TrimRight(h, "\r\n")) == 0 {
			break
		}
	}
	path, _, _ := strings.Cut(target, "?")
	var list *[][]byte
	switch path {
	case "/api/messages":
		list = &st.messages
	case "/api/events":
		list = &st.events
	default:
		reply("404 Not Found", []byte(`{"error":"not found: use /api/messages or /api/events"}`+"\n"))
		return
	}
	switch method {
	case "GET":
		reply("200 OK", st.list(list))
	case "DELETE":
		st.clear(list)
		reply("204 No Content", nil)
	default:
		reply("405 Method Not Allowed", []byte(`{"error":"use GET or DELETE"}`+"\n"))
	}
}
