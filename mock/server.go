package mock

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of Config's zero values.
const (
	DefaultMaxMessageSize = 10 << 20
	DefaultMaxSessions    = 100
	DefaultMaxRecipients  = 100 // the minimum RFC 5321 §4.5.3.1.8 asks for
	DefaultIdleTimeout    = 5 * time.Minute
	DefaultHostname       = "mock.test"
)

// Config is how a Server behaves. It is read at Start: change it before;
// afterwards the rules change through Server.AddRule and ResetRules.
type Config struct {
	// Hostname is the name the server gives itself in its greeting and
	// EHLO reply.
	Hostname string
	// Rules script the replies; the first rule that matches a command
	// answers it.
	Rules []Rule
	// Users are the AUTH credentials, user name to password. AUTH PLAIN
	// and LOGIN are offered only when there is at least one.
	Users map[string]string
	// TLSConfig serves STARTTLS. Nil means a self-signed certificate
	// generated at Start for the hostname, localhost and the loopback
	// addresses.
	TLSConfig *tls.Config
	// RejectBareLF refuses a line that ends in a bare LF, as Postfix 3.9
	// does with smtpd_forbid_bare_newline = reject: a command gets
	// "550 5.5.2 HOST Error: bare <LF> received" and the connection is
	// closed; a message gets that reply at its end. Without it, bare LFs
	// are accepted and kept in Message.Data as received.
	RejectBareLF bool
	// RequireTLS answers every command but EHLO, HELO, STARTTLS, NOOP,
	// QUIT, HELP and XCLIENT with Postfix's "530 5.7.0 Must issue a
	// STARTTLS command first" until TLS is on, and offers AUTH only then.
	RequireTLS bool
	// RequireAuth answers MAIL with "530 5.7.0 Authentication required"
	// (RFC 4954 §6) until the client has authenticated.
	RequireAuth bool
	// AuthAny accepts any user name and password with AUTH PLAIN or
	// LOGIN, recording the user name, as mailpit's
	// --smtp-auth-accept-any does.
	AuthAny bool
	// DisableExtensions withdraws extensions from the EHLO reply, and so
	// their commands and parameters: "PIPELINING", "CHUNKING",
	// "8BITMIME", "SMTPUTF8" or "SIZE". "ENHANCEDSTATUSCODES" makes a
	// server without enhanced codes: its replies carry none, after EHLO
	// or HELO (an enhanced code a rule writes out is still sent).
	DisableExtensions []string
	// TLSMinVersion is the oldest TLS version accepted, e.g.
	// tls.VersionTLS10 for old clients (default: Go's, TLS 1.2).
	TLSMinVersion uint16
	// DisableTLS turns STARTTLS off.
	DisableTLS bool
	// MaxMessageSize is the SIZE limit in octets (default 10 MiB).
	MaxMessageSize int64
	// MaxSessions caps concurrent sessions; the one over the cap gets
	// 421 4.3.2 and is closed (default 100).
	MaxSessions int
	// MaxRecipients caps RCPT per message; the one over gets 452 4.5.3.
	MaxRecipients int
	// IdleTimeout is how long the server waits for the client before
	// sending 421 4.4.2 and closing (default 5 minutes, RFC 5321 §4.5.3.2.7).
	IdleTimeout time.Duration
	// OnEvent, if set, is called for every event, from the session's
	// goroutine: events of one session arrive in order, events of
	// different sessions concurrently. It must not block for long.
	OnEvent func(Event)
	// NoRecording stops the server from keeping sessions and messages in
	// memory, for long runs that only watch OnEvent.
	NoRecording bool
	// SpoolThreshold, with NoRecording, is the size above which a message
	// body is kept in a temporary file in SpoolDir (default the system's
	// temporary directory) rather than in memory, and handed to OnEvent as
	// Message.DataFile (default DefaultSpoolThreshold; negative: never).
	SpoolThreshold int64
	SpoolDir       string
	// Bandwidth, when above 0, limits each session to this many octets
	// per second each way, as a slow link would.
	Bandwidth int64
	// Seed seeds the draws of rules with a probability and of delays with
	// jitter, so that a run can be repeated; 0 picks a random seed.
	Seed int64
}

// extensionDisabled reports whether DisableExtensions names the keyword.
func (c *Config) extensionDisabled(keyword string) bool {
	return slices.ContainsFunc(c.DisableExtensions, func(d string) bool { return strings.EqualFold(d, keyword) })
}

// Server is an SMTP server answering on loopback as its rules say, for
// tests: the net/http/httptest of SMTP.
type Server struct {
	// Addr is the address the server listens on, "127.0.0.1:PORT", once
	// started.
	Addr string
	// TLSAddr is the address of the first ListenTLS listener, if any.
	TLSAddr string
	Config  *Config

	ln        net.Listener
	moreLns   []net.Listener // ListenAlso and ListenTLS, under mu
	tlsConfig *tls.Config
	closing   atomic.Bool
	done      chan struct{} // closed when shutdown begins
	sessionWG sync.WaitGroup
	serveWG   sync.WaitGroup
	nextID    atomic.Int64
	active    atomic.Int64

	mu    sync.Mutex
	rules []*Rule // copies, whose addresses key the counters
	// Occurrence counters of rules counting across the server, kept
	// until ResetRules.
	ruleCounts map[*Rule]int
	eachCounts map[eachKey]int
	rng        *rand.Rand // for Probability and Jitter, under mu
	live       map[int64]*session
	sessions   []*Session
	messages   []Message
	msgAdded   chan struct{} // closed when a message is added, for WaitMessages
	started    configSnapshot
	shutDown   chan struct{} // closed when Shutdown has finished
}

// configSnapshot is what Config held at Start, to catch changes made
// after it, which have no effect.
type configSnapshot struct {
	hostname, spoolDir                       string
	rules, users, disabled                   int
	firstRule                                *Rule
	tlsConfig                                *tls.Config
	disableTLS, noRecording, rejectBareLF    bool
	requireTLS, requireAuth, authAny         bool
	maxSize, spoolThreshold, seed, bandwidth int64
	maxSessions, maxRecipients               int
	idleTimeout                              time.Duration
	tlsMin                                   uint16
}

func snapshot(c *Config) configSnapshot {
	cs := configSnapshot{
		hostname: c.Hostname, spoolDir: c.SpoolDir, rules: len(c.Rules), users: len(c.Users), disabled: len(c.DisableExtensions),
		tlsConfig: c.TLSConfig, disableTLS: c.DisableTLS, noRecording: c.NoRecording, rejectBareLF: c.RejectBareLF,
		requireTLS: c.RequireTLS, requireAuth: c.RequireAuth, authAny: c.AuthAny,
		maxSize: c.MaxMessageSize, spoolThreshold: c.SpoolThreshold, seed: c.Seed, bandwidth: c.Bandwidth,
		maxSessions: c.MaxSessions, maxRecipients: c.MaxRecipients, idleTimeout: c.IdleTimeout, tlsMin: c.TLSMinVersion,
	}
	if len(c.Rules) > 0 {
		cs.firstRule = &c.Rules[0]
	}
	return cs
}

// diff names a field that differs, or is "".
func (a configSnapshot) diff(b configSnapshot) string {
	switch {
	case a.rules != b.rules || a.firstRule != b.firstRule:
		return "Rules"
	case a.users != b.users:
		return "Users"
	case a.disabled != b.disabled:
		return "DisableExtensions"
	case a != b:
		return "fields"
	}
	return ""
}

// NewServer starts a plain server (no STARTTLS, so that net/smtp.SendMail
// works against it) on a free loopback port with the given rules (see
// ParseRule). Like httptest.NewServer it panics when it cannot, which in a
// test is a failure worth a stack trace. Close it when done, or use
// NewTestServer.
func NewServer(rules ...string) *Server {
	s := NewUnstartedServer()
	s.Config.DisableTLS = true
	for _, r := range rules {
		s.Config.Rules = append(s.Config.Rules, MustParseRule(r))
	}
	s.Start()
	return s
}

// NewTLSServer is NewServer with TLS, as httptest.NewTLSServer: STARTTLS
// offered on Addr, and implicit TLS (SMTPS) on TLSAddr, both with a
// self-signed certificate that TLSClientConfig trusts.
func NewTLSServer(rules ...string) *Server {
	s := NewUnstartedServer()
	for _, r := range rules {
		s.Config.Rules = append(s.Config.Rules, MustParseRule(r))
	}
	s.StartTLS()
	return s
}

// TB is the part of testing.TB that NewTestServer uses; a *testing.T or
// *testing.B is one. (Taking testing.TB itself would link the testing
// package into every program that uses this one.)
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// NewTestServer is NewServer for a test: a bad rule fails the test, and
// the server is closed when the test ends.
func NewTestServer(tb TB, rules ...string) *Server {
	tb.Helper()
	s := NewUnstartedServer()
	s.Config.DisableTLS = true
	for _, src := range rules {
		r, err := ParseRule(src)
		if err != nil {
			tb.Fatalf("mock: %v", err)
		}
		s.Config.Rules = append(s.Config.Rules, r)
	}
	s.Start()
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("%v", err)
		}
	})
	return s
}

// NewUnstartedServer returns a server to configure, then Start.
func NewUnstartedServer() *Server {
	return &Server{Config: &Config{}}
}

// Start listens on a free loopback port and serves. It panics on failure,
// like httptest.Server.Start.
func (s *Server) Start() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("mock: listen on loopback: " + err.Error())
	}
	if err := s.Listen(ln); err != nil {
		ln.Close()
		panic("mock: " + err.Error())
	}
}

// StartTLS is Start with STARTTLS offered and an implicit TLS listener on
// a second free loopback port (TLSAddr).
func (s *Server) StartTLS() {
	if s.Config == nil {
		s.Config = &Config{}
	}
	s.Config.DisableTLS = false
	s.Start()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("mock: listen on loopback: " + err.Error())
	}
	if err := s.ListenTLS(ln); err != nil {
		ln.Close()
		panic("mock: " + err.Error())
	}
}

// Listen serves on ln in the background; Close stops it. It is for callers
// that choose their own listener (the smtpcode mock command).
func (s *Server) Listen(ln net.Listener) error {
	if s.ln != nil {
		return errors.New("server already started")
	}
	c := s.Config
	if c == nil {
		c = &Config{}
		s.Config = c
	}
	if c.Hostname == "" {
		c.Hostname = DefaultHostname
	}
	if c.MaxMessageSize <= 0 {
		c.MaxMessageSize = DefaultMaxMessageSize
	}
	if c.MaxSessions <= 0 {
		c.MaxSessions = DefaultMaxSessions
	}
	if c.MaxRecipients <= 0 {
		c.MaxRecipients = DefaultMaxRecipients
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	if !c.DisableTLS {
		s.tlsConfig = c.TLSConfig
		if s.tlsConfig == nil {
			cert, err := selfSignedCertificate(c.Hostname)
			if err != nil {
				return fmt.Errorf("generate a certificate for STARTTLS: %w", err)
			}
			s.tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		}
		if c.TLSMinVersion != 0 {
			s.tlsConfig = s.tlsConfig.Clone()
			s.tlsConfig.MinVersion = c.TLSMinVersion
		}
	}
	s.rules = ruleCopies(c.Rules)
	s.started = snapshot(c)
	seed := uint64(c.Seed)
	if seed == 0 {
		seed = rand.Uint64()
	}
	s.rng = rand.New(rand.NewPCG(seed, seed>>32|1))
	s.live = make(map[int64]*session)
	s.done = make(chan struct{})
	s.shutDown = make(chan struct{})
	s.ln = ln
	s.Addr = ln.Addr().String()
	s.serveWG.Add(1)
	go s.serve(ln, false)
	return nil
}

// ListenTLS serves implicit TLS (SMTPS, the port 465 way of RFC 8314) on
// ln as well, with the STARTTLS certificate: clients start the TLS
// handshake at once. Call it after Listen or Start.
func (s *Server) ListenTLS(ln net.Listener) error {
	if s.tlsConfig == nil {
		return errors.New("implicit TLS needs TLS: DisableTLS is set")
	}
	return s.listenMore(ln, true)
}

// ListenAlso serves plain SMTP on ln as well as on the first listener: the
// mock command listens on 127.0.0.1 and ::1 for "localhost".
func (s *Server) ListenAlso(ln net.Listener) error { return s.listenMore(ln, false) }

func (s *Server) listenMore(ln net.Listener, implicitTLS bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.ln == nil:
		return errors.New("a second listener before Listen")
	case s.closing.Load():
		return errors.New("server closed")
	}
	s.moreLns = append(s.moreLns, ln)
	if implicitTLS && s.TLSAddr == "" {
		s.TLSAddr = ln.Addr().String()
	}
	s.serveWG.Add(1)
	go s.serve(ln, implicitTLS)
	return nil
}

func (s *Server) serve(ln net.Listener, implicitTLS bool) {
	defer s.serveWG.Done()
	var backoff time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if s.closing.Load() {
				return
			}
			// Out of file descriptors and the like: wait and retry, as
			// net/http does, rather than spin or give up.
			var ne net.Error
			if errors.As(err, &ne) && !errors.Is(err, net.ErrClosed) {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				time.Sleep(backoff)
				continue
			}
			return
		}
		backoff = 0
		s.sessionWG.Add(1)
		go s.handle(conn, implicitTLS)
	}
}

func (s *Server) handle(conn net.Conn, implicitTLS bool) {
	defer s.sessionWG.Done()
	over := s.active.Add(1) > int64(s.Config.MaxSessions)
	defer s.active.Add(-1)
	sess := newSession(s, conn)
	sess.implicitTLS = implicitTLS
	if !s.track(sess) {
		sess.refuse(shutdownReply, "shutdown")
		return
	}
	defer s.untrack(sess)
	if over {
		sess.refuse(Reply{Code: 421, Enhanced: "4.3.2", Lines: []string{s.Config.Hostname + " Too many sessions, try again later"}}, "too many sessions")
		return
	}
	sess.run()
}

func (s *Server) track(sess *session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing.Load() {
		return false
	}
	s.live[sess.id] = sess
	if !s.Config.NoRecording {
		s.sessions = append(s.sessions, sess.rec)
	}
	return true
}

func (s *Server) untrack(sess *session) {
	s.mu.Lock()
	delete(s.live, sess.id)
	s.mu.Unlock()
}

// AddRule adds rules, written as for NewServer (see ParseRule), while the
// server runs; they apply from the next command on, after the rules
// already there. When one does not parse, none is added.
func (s *Server) AddRule(rules ...string) error {
	parsed := make([]Rule, len(rules))
	for i, src := range rules {
		r, err := ParseRule(src)
		if err != nil {
			return err
		}
		parsed[i] = r
	}
	s.AddParsedRule(parsed...)
	return nil
}

// AddParsedRule is AddRule for rules already parsed or built in code.
func (s *Server) AddParsedRule(rules ...Rule) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = append(s.rules, ruleCopies(rules)...)
}

func ruleCopies(rules []Rule) []*Rule {
	out := make([]*Rule, len(rules))
	for i, r := range rules {
		out[i] = &r
	}
	return out
}

// ResetRules drops every rule: the server answers as a plain, well-behaved
// server again.
func (s *Server) ResetRules() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules, s.ruleCounts, s.eachCounts = nil, nil, nil
}

// counts are the occurrence of a command in the session and in the
// message, as the session counted them.
type counts struct{ session, message int }

// findRule returns the first rule that answers a command. Rules counting
// across the server count every command their stage and pattern match,
// whichever rule answers it.
func (s *Server) findRule(stage, arg string, n counts, args []string) (Rule, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var found *Rule
	for _, r := range s.rules {
		if !r.matchesArg(stage, arg, args) {
			continue
		}
		nth := n.session
		switch {
		case r.Scope == ScopeMessage:
			nth = n.message
		case r.Scope == ScopeServer, r.Scope == ScopeSession && stage == StageConnect:
			if s.ruleCounts == nil {
				s.ruleCounts = make(map[*Rule]int)
			}
			s.ruleCounts[r]++
			nth = s.ruleCounts[r]
		case r.Scope == ScopeEach:
			key := eachKey{r, strings.ToLower(arg)}
			if args != nil {
				key.arg = strings.ToLower(strings.Join(slices.Sorted(slices.Values(args)), ","))
			}
			if s.eachCounts == nil {
				s.eachCounts = make(map[eachKey]int)
			}
			s.eachCounts[key]++
			nth = s.eachCounts[key]
		}
		if found == nil && r.occurs(nth) && (r.Probability == 0 || s.rng.Float64() < r.Probability) {
			found = r
		}
	}
	if found == nil {
		return Rule{}, false
	}
	out := *found
	if out.Jitter > 0 {
		out.Delay += time.Duration(s.rng.Int64N(int64(2*out.Jitter)+1)) - out.Jitter
		out.Delay, out.Jitter = max(out.Delay, 0), 0
	}
	return out, true
}

// eachKey counts a ScopeEach rule's commands per argument.
type eachKey struct {
	rule *Rule
	arg  string
}

// authOffered: AUTH is offered when there are credentials to check, or
// rules to answer it.
func (s *Server) authOffered() bool {
	if len(s.Config.Users) > 0 || s.Config.AuthAny {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.rules {
		if r.Stage == "AUTH" {
			return true
		}
	}
	return false
}

// Sessions returns a snapshot of every session so far, finished or not,
// in the order they connected.
func (s *Server) Sessions() []Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Session, len(s.sessions))
	for i, r := range s.sessions {
		out[i] = r.clone()
	}
	return out
}

// ClearMessages forgets the messages and sessions recorded so far, so that
// a test can check what comes next.
func (s *Server) ClearMessages() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages, s.sessions = nil, nil
	for _, sess := range s.live {
		// Sessions still open go on being recorded, from now on.
		if !s.Config.NoRecording {
			s.sessions = append(s.sessions, sess.rec)
		}
	}
}

// Reset is ResetRules and ClearMessages: the server as it was started,
// without rules, and with the counters of /server and /each rules at 0.
func (s *Server) Reset() {
	s.ResetRules()
	s.ClearMessages()
}

// WaitMessages waits until at least n messages have been accepted (since
// the start or the last ClearMessages) and returns them, or returns ctx's
// error with the messages so far, as GreenMail's waitForIncomingEmail.
func (s *Server) WaitMessages(ctx context.Context, n int) ([]Message, error) {
	for {
		s.mu.Lock()
		if len(s.messages) >= n {
			out := slices.Clone(s.messages)
			s.mu.Unlock()
			return out, nil
		}
		if s.msgAdded == nil {
			s.msgAdded = make(chan struct{})
		}
		added := s.msgAdded
		s.mu.Unlock()
		select {
		case <-added:
		case <-ctx.Done():
			return s.Messages(), ctx.Err()
		}
	}
}

// addMessage records an accepted message and wakes WaitMessages.
func (s *Server) addMessage(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
	if s.msgAdded != nil {
		close(s.msgAdded)
		s.msgAdded = nil
	}
}

// Messages returns every accepted message so far, in the order accepted.
// A message is recorded after a rule's delay and just before the reply
// accepting it is written: one refused by a shutdown during the delay is
// recorded in its Session with the 421 it got, not here.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.messages)
}

var shutdownReply = Reply{Code: 421, Enhanced: "4.3.2", Lines: []string{"Service shutting down, closing connection"}}

// Close shuts the server down: it stops listening, sends every session in
// flight 421 4.3.2 and waits for them to end.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.Shutdown(ctx)
}

// Shutdown is Close with a deadline: sessions still open when ctx ends are
// cut off.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.ln == nil {
		return nil
	}
	if !s.closing.CompareAndSwap(false, true) {
		// Another Shutdown is under way: wait for it, as a second Close
		// must not return before the server has stopped.
		select {
		case <-s.shutDown:
		case <-ctx.Done():
			return ctx.Err()
		}
		return nil
	}
	defer close(s.shutDown)
	close(s.done)
	err := s.ln.Close()
	s.mu.Lock()
	for _, ln := range s.moreLns {
		_ = ln.Close()
	}
	for _, sess := range s.live {
		sess.wake()
	}
	s.mu.Unlock()
	s.serveWG.Wait()
	finished := make(chan struct{})
	go func() { s.sessionWG.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-ctx.Done():
		s.mu.Lock()
		for _, sess := range s.live {
			sess.abort()
		}
		s.mu.Unlock()
		<-finished
	}
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	if changed := s.started.diff(snapshot(s.Config)); changed != "" && err == nil {
		// Rejected, not silently ignored: the test that did it hears.
		err = fmt.Errorf("mock: Config.%s was changed after Start, which has no effect (rules change through AddRule)", changed)
	}
	return err
}
