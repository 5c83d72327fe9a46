package mock

import (
	"bufio"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// session is one client connection: a state machine over RFC 5321's
// commands, with the rules consulted wherever a reply is decided.
type session struct {
	srv   *Server
	id    int64
	rec   *Session
	cfg   *Config
	mu    sync.Mutex // guards conn against Shutdown swapping deadlines
	conn  net.Conn
	br    *bufio.Reader
	bw    *bufio.Writer
	lr    *lineReader
	start time.Time

	implicitTLS bool   // the connection starts with the TLS handshake (SMTPS)
	rejected    bool   // the greeting was a refusal: only QUIT is allowed
	helo        string // the client's EHLO/HELO name, "" before either
	esmtp       bool
	tls         bool
	user        string
	counts      map[string]int
	msgCounts   map[string]int    // as counts, within the mail transaction
	ext         map[string]string // extensions of the EHLO reply sent: keyword to parameters
	enhanced    bool              // the server's replies carry enhanced codes (RFC 2034)
	sent        Reply             // the last reply sent

	inTx       bool
	smtputf8   bool // MAIL declared SMTPUTF8
	mailParams []string
	from       string
	size       int64 // the SIZE= the client declared
	rcpts      []string
	dataRule   []Reply // replies asked for the end of the message by data-CODE@mock.test recipients

	bdat        *spool // the message so far, during BDAT
	bdatTooBig  bool
	messageSeen int
}

func newSession(s *Server, conn net.Conn) *session {
	id := s.nextID.Add(1)
	now := time.Now()
	remote := conn.RemoteAddr().String()
	if s.Config.Bandwidth > 0 {
		conn = &throttledConn{Conn: conn, rate: s.Config.Bandwidth}
	}
	sess := &session{
		srv:    s,
		id:     id,
		cfg:    s.Config,
		conn:   conn,
		br:     bufio.NewReaderSize(conn, 4096),
		bw:     bufio.NewWriterSize(conn, 4096),
		start:  now,
		counts: make(map[string]int), msgCounts: make(map[string]int),
		rec: &Session{ID: id, Remote: remote, Start: now},
		// RFC 2034 §4: a server with the extension puts enhanced codes on
		// its replies from the start, whatever the client says.
		enhanced: !s.Config.extensionDisabled("ENHANCEDSTATUSCODES"),
	}
	sess.lr = newLineReader(sess.br)
	return sess
}

// errClose ends a session after a reply that closes the connection.
var errClose = errors.New("closed by reply")

// errDrop ends a session with no reply, for a rule's /drop.
var errDrop = errors.New("dropped by rule")

func (c *session) emit(e Event) {
	e.Session = c.id
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	if c.srv.Config.OnEvent != nil {
		c.srv.Config.OnEvent(e)
	}
}

func (c *session) record(f func(*Session)) {
	if c.cfg.NoRecording {
		return
	}
	c.srv.mu.Lock()
	f(c.rec)
	c.srv.mu.Unlock()
}

// refuse answers a connection the server will not serve, and closes it.
func (c *session) refuse(r Reply, reason string) {
	c.emit(Event{Type: EventConnect, Remote: c.rec.Remote, Local: c.conn.LocalAddr().String()})
	if c.implicitTLS {
		_ = c.conn.SetDeadline(time.Now().Add(5 * time.Second))
		if err := c.handshake(); err != nil {
			c.finish("error: TLS handshake: " + err.Error())
			return
		}
	}
	_ = c.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_ = c.reply(c.asSent(rule{Reply: r}), "")
	_ = c.bw.Flush()
	c.finish(reason)
}

func (c *session) finish(reason string) {
	end := time.Now()
	// Recorded before the close, so a client that sees the connection end
	// finds the reason in Sessions.
	c.record(func(s *Session) { s.End, s.Reason = end, reason })
	switch reason {
	case "quit", "client closed", "dropped by rule":
	default:
		if !strings.HasPrefix(reason, "error") {
			// At shutdown only what is already on its way matters, and
			// Close should not wait.
			d := lingerTime
			if c.srv.closing.Load() {
				d = lingerTime / 10
			}
			c.linger(d)
		}
	}
	c.mu.Lock()
	_ = c.conn.Close()
	c.mu.Unlock()
	c.emit(Event{Type: EventDisconnect, Time: end, Reason: reason, Duration: end.Sub(c.start)})
}

// Lingering close: how long and how much a session closed by the server
// reads of what the client had already sent.
const (
	lingerTime  = 250 * time.Millisecond
	lingerBytes = 1 << 20
)

// linger half-closes the connection and reads what the client already
// sent, for at most d: closing with unread data makes the kernel send
// a TCP RST, and the client may get ECONNRESET instead of the 421 before
// it (the lingering close of HTTP servers).
func (c *session) linger(d time.Duration) {
	c.mu.Lock()
	conn := c.conn
	c.mu.Unlock()
	cw, ok := conn.(interface{ CloseWrite() error })
	if !ok || cw.CloseWrite() != nil {
		return
	}
	c.mu.Lock()
	_ = conn.SetReadDeadline(time.Now().Add(d))
	c.mu.Unlock()
	_, _ = io.CopyN(io.Discard, conn, lingerBytes)
}

// wake interrupts a blocked read so the session notices the shutdown.
func (c *session) wake() {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.conn.SetReadDeadline(time.Now())
}

// abort cuts the connection off, for a shutdown past its deadline.
func (c *session) abort() {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.conn.Close()
}

func (c *session) run() {
	c.emit(Event{Type: EventConnect, Remote: c.rec.Remote, Local: c.conn.LocalAddr().String()})
	if c.implicitTLS {
		if err := c.handshake(); err != nil {
			c.finish("error: TLS handshake: " + err.Error())
			return
		}
	}
	reason := c.loop()
	c.finish(reason)
}

func (c *session) loop() (reason string) {
	greeting := Reply{Code: 220, Lines: []string{c.cfg.Hostname + " ESMTP smtpcode mock ready"}}
	host, _, _ := net.SplitHostPort(c.rec.Remote)
	if r, src, ok := c.scripted(StageConnect, host, counts{}, nil); ok {
		if r.Reply.Filled {
			// RFC 5321 §4.2: a greeting names the server.
			r.Reply.Lines = []string{c.cfg.Hostname + " " + r.Reply.Lines[0]}
		}
		greeting = r.Reply
		if err := c.send(r, src); err != nil {
			return c.endReason(err)
		}
		// RFC 5321 §3.1: after a 554 greeting (or any refusal that does not
		// close), the server waits for QUIT and answers 503 to the rest.
		c.rejected = greeting.Class() != 2
	} else if err := c.send(rule{Reply: greeting}, ""); err != nil {
		return c.endReason(err)
	}
	for {
		line, crlf, err := c.readCommand()
		if err == nil && !crlf && c.cfg.RejectBareLF {
			// Postfix 3.9 with smtpd_forbid_bare_newline = reject: the
			// reply, then the connection is closed.
			c.transcript(FromClient, Printable(string(line)))
			c.emit(Event{Type: EventCommand, Line: Printable(string(line))})
			_ = c.send(rule{Reply: c.bareLFReply()}, "")
			_ = c.flush()
			return "bare LF"
		}
		if err != nil {
			if errors.Is(err, errLineTooLong) {
				c.transcript(FromClient, "(line too long)")
				c.emit(Event{Type: EventCommand, Line: "(line too long)"})
				if err := c.send(rule{Reply: Reply{Code: 500, Enhanced: "5.5.6", Lines: []string{"Line too long"}}}, ""); err != nil {
					return c.endReason(err)
				}
				continue
			}
			return c.endReason(err)
		}
		if c.esmtp && !c.offered("PIPELINING") && c.br.Buffered() > 0 && !isBDAT(line) {
			// The client sent on without waiting for the reply, though
			// PIPELINING was not offered: Postfix 3.9's
			// smtpd_forbid_unauth_pipelining answer, then the close. (A
			// BDAT chunk follows its command at once.)
			c.transcript(FromClient, Printable(string(line)))
			c.emit(Event{Type: EventCommand, Line: Printable(string(line))})
			_ = c.send(c.ok(554, "5.5.0", "Error: SMTP protocol synchronization"), "")
			_ = c.flush()
			return "improper pipelining"
		}
		if err := c.dispatch(line); err != nil {
			return c.endReason(err)
		}
	}
}

func isBDAT(line []byte) bool {
	return len(line) >= 4 && strings.EqualFold(string(line[:4]), "BDAT")
}

// endReason turns the error that ended the loop into the disconnect
// reason, sending 421 first when the server shuts down or the client idled.
func (c *session) endReason(err error) string {
	switch {
	case errors.Is(err, errQuit):
		return "quit"
	case errors.Is(err, errClose):
		return "closed by reply"
	case errors.Is(err, errDrop):
		return "dropped by rule"
	case c.srv.closing.Load():
		_ = c.conn.SetWriteDeadline(time.Now().Add(2 * time.Second))
		_ = c.send(rule{Reply: shutdownReply}, "")
		return "shutdown"
	case errors.Is(err, os.ErrDeadlineExceeded):
		_ = c.conn.SetWriteDeadline(time.Now().Add(2 * time.Second))
		_ = c.send(rule{Reply: Reply{Code: 421, Enhanced: "4.4.2", Lines: []string{c.cfg.Hostname + " Idle timeout, closing connection"}}}, "")
		return "idle timeout"
	case errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed), errors.Is(err, io.ErrUnexpectedEOF):
		return "client closed"
	}
	var ne *net.OpError
	if errors.As(err, &ne) {
		return "client closed"
	}
	return "error: " + err.Error()
}

var errQuit = errors.New("quit")

// errAuthEnded ends an AUTH exchange that has had its reply already.
var errAuthEnded = errors.New("authentication exchange ended")

// readLine reads one line with the idle timeout, flushing pending replies
// first: replies to pipelined commands go out together (RFC 2920), and a
// client waiting for one is never kept waiting.
func (c *session) readLine(max int) ([]byte, bool, error) {
	if c.br.Buffered() == 0 {
		if err := c.flush(); err != nil {
			return nil, false, err
		}
	}
	c.mu.Lock()
	err := c.conn.SetReadDeadline(time.Now().Add(c.cfg.IdleTimeout))
	c.mu.Unlock()
	if err != nil {
		return nil, false, err
	}
	if c.srv.closing.Load() {
		return nil, false, net.ErrClosed
	}
	return c.lr.readLine(max)
}

func (c *session) flush() error {
	if c.bw.Buffered() == 0 {
		return nil
	}
	_ = c.conn.SetWriteDeadline(time.Now().Add(c.cfg.IdleTimeout))
	return c.bw.Flush()
}

// readCommand reads a command line. The limit is decided after the verb
// is seen: AUTH and MAIL may be longer than other commands.
func (c *session) readCommand() ([]byte, bool, error) {
	line, crlf, err := c.readLine(maxAuthLine)
	if err != nil {
		return nil, false, err
	}
	limit := maxCommandLine
	if len(line) >= 4 {
		switch strings.ToUpper(string(line[:4])) {
		case "AUTH":
			limit = maxAuthLine
		case "MAIL":
			limit = maxMailLine
		}
	}
	if len(line)+2 > limit {
		return nil, false, errLineTooLong
	}
	return line, crlf, nil
}

// bareLFReply is Postfix's reply to a bare LF with
// smtpd_forbid_bare_newline = reject (smtpd.c, Postfix 3.9; the code is
// smtpd_forbid_bare_newline_reject_code, default 550).
func (c *session) bareLFReply() Reply {
	return Reply{Code: 550, Enhanced: "5.5.2", Lines: []string{c.cfg.Hostname + " Error: bare <LF> received"}}
}

// rule is the reply chosen for a command, with the rule's modifiers.
type rule struct {
	Reply Reply
	Delay time.Duration
	Close bool
	Drop  bool // close with no reply

	Scripted bool // the reply is a rule's or an address's, not the server's own
}

// scripted finds the reply the rules, or failing them the mock.test
// address convention, ask for.
func (c *session) scripted(stage, arg string, n counts, args []string) (rule, string, bool) {
	if r, ok := c.srv.findRule(stage, arg, n, args); ok {
		return rule{Reply: r.Reply, Delay: r.Delay, Close: r.Close, Drop: r.Drop, Scripted: true}, r.Source, true
	}
	switch stage {
	case "MAIL", "RCPT", "VRFY", "EXPN":
		if r, ok := addressReply(arg, false); ok {
			return rule{Reply: r, Scripted: true}, "address", true
		}
	}
	return rule{}, "", false
}

// count counts a command of a stage and returns its occurrence in the
// session and in the message.
func (c *session) count(stage string) counts {
	c.counts[stage]++
	c.msgCounts[stage]++
	return counts{session: c.counts[stage], message: c.msgCounts[stage]}
}

func (c *session) transcript(d Direction, text string) {
	c.record(func(s *Session) { s.Transcript = append(s.Transcript, Line{From: d, Text: text}) })
}

// send writes a reply (after the rule's delay), records it, and returns
// errClose when the connection is to be closed after it.
func (c *session) send(r rule, source string) error {
	if err := c.delay(r.Delay); err != nil {
		return err
	}
	if r.Drop {
		return errDrop
	}
	if err := c.reply(c.asSent(r), source); err != nil {
		return err
	}
	if r.Close || r.Reply.Closes() {
		_ = c.flush()
		return errClose
	}
	return nil
}

// delay waits d with the replies so far sent, unless the server shuts down.
func (c *session) delay(d time.Duration) error {
	if d <= 0 {
		return nil
	}
	if err := c.flush(); err != nil {
		return err
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-c.srv.done:
		return net.ErrClosed
	}
}

// asSent is the reply as it goes on the wire. A server without
// ENHANCEDSTATUSCODES sends no enhanced codes (RFC 2034 §4 asks them of a
// server that has the extension): its own replies lose theirs, and so do a
// rule's whose code came from the catalogue. An enhanced code written in a
// rule or an address is sent as written, since a test may need a server
// that sends codes it did not announce (Postfix does, with
// smtpd_discard_ehlo_keywords = enhancedstatuscodes).
func (c *session) asSent(r rule) Reply {
	if c.enhanced || r.Reply.Enhanced == "" || r.Scripted && !r.Reply.enhancedFilled {
		return r.Reply
	}
	r.Reply.Enhanced = ""
	return r.Reply
}

func (c *session) reply(r Reply, source string) error {
	wire := r.Wire()
	for _, l := range wire {
		c.bw.WriteString(l)
		c.bw.WriteString("\r\n")
	}
	c.record(func(s *Session) {
		for _, l := range wire {
			s.Transcript = append(s.Transcript, Line{From: FromServer, Text: l})
		}
	})
	c.sent = r
	rr := r
	c.emit(Event{Type: EventReply, Reply: &rr, Rule: source})
	return nil
}

func (c *session) ok(code int, enh, text string) rule {
	return rule{Reply: Reply{Code: code, Enhanced: enh, Lines: []string{text}}}
}

// answer sends the server's own reply def unless a rule (or the address
// convention) chose another; it reports whether the reply sent is of the
// same class as def, i.e. whether the command succeeded.
func (c *session) answer(stage, arg string, args []string, def Reply) (bool, error) {
	r, src, ok := c.scripted(stage, arg, c.count(stage), args)
	if !ok {
		return true, c.send(rule{Reply: def}, "")
	}
	if (stage == "EHLO" || stage == "HELO") && r.Reply.Filled && r.Reply.Class() == def.Class() {
		// "EHLO=250" keeps the extension list; only a reply written out
		// replaces it.
		r.Reply = Reply{Code: r.Reply.Code, Lines: def.Lines}
	}
	return r.Reply.Class() == def.Class(), c.send(r, src)
}

func (c *session) dispatch(line []byte) error {
	cmd, ok := parseCommand(line)
	shown := string(line)
	if ok && cmd.verb == "AUTH" {
		shown = maskAuth(cmd.arg)
	}
	shown = Printable(shown)
	c.transcript(FromClient, shown)
	c.emit(Event{Type: EventCommand, Line: shown})
	if !ok {
		return c.send(c.ok(500, "5.5.2", "Syntax error, command unrecognized"), "")
	}
	if c.rejected && cmd.verb != "QUIT" {
		return c.send(c.ok(503, "5.5.1", "Bad sequence of commands: this server refused the session, send QUIT"), "")
	}
	if c.cfg.RequireTLS && !c.tls && c.srv.tlsConfig != nil {
		switch cmd.verb {
		case "EHLO", "HELO", "STARTTLS", "NOOP", "QUIT", "HELP", "XCLIENT":
			// Postfix's commands allowed before TLS (smtpd.c,
			// SMTPD_CMD_FLAG_PRE_TLS).
		default:
			return c.send(c.ok(530, "5.7.0", "Must issue a STARTTLS command first"), "")
		}
	}
	switch cmd.verb {
	case "EHLO", "HELO":
		return c.hello(cmd)
	case "MAIL":
		return c.mail(cmd)
	case "RCPT":
		return c.rcpt(cmd)
	case "DATA":
		return c.data(cmd)
	case "BDAT":
		return c.bdatCmd(cmd)
	case "RSET":
		if cmd.arg != "" {
			return c.send(c.ok(501, "5.5.4", "RSET takes no argument"), "")
		}
		if ok, err := c.answer("RSET", cmd.arg, nil, c.ok(250, "2.0.0", "OK").Reply); err != nil || !ok {
			return err
		}
		c.reset()
		return nil
	case "NOOP":
		_, err := c.answer("NOOP", cmd.arg, nil, c.ok(250, "2.0.0", "OK").Reply)
		return err
	case "QUIT":
		if cmd.arg != "" {
			return c.send(c.ok(501, "5.5.4", "QUIT takes no argument"), "")
		}
		_, err := c.answer("QUIT", cmd.arg, nil, c.ok(221, "2.0.0", c.cfg.Hostname+" Bye").Reply)
		if err != nil {
			return err
		}
		_ = c.flush()
		return errQuit
	case "VRFY":
		if cmd.arg == "" {
			return c.send(c.ok(501, "5.5.4", "VRFY needs an argument"), "")
		}
		// RFC 5321 §3.5.3: 252 when the server will not verify, but will
		// accept mail for the address.
		_, err := c.answer("VRFY", unbracket(cmd.arg), nil, c.ok(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery").Reply)
		return err
	case "EXPN":
		_, err := c.answer("EXPN", unbracket(cmd.arg), nil, c.ok(502, "5.5.1", "EXPN command not implemented").Reply)
		return err
	case "HELP":
		_, err := c.answer("HELP", cmd.arg, nil, Reply{Code: 214, Enhanced: "2.0.0", Lines: []string{
			"smtpcode mock: a scriptable SMTP server for tests",
			"Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP AUTH STARTTLS",
			"End of HELP info",
		}})
		return err
	case "AUTH":
		return c.auth(cmd)
	case "STARTTLS":
		return c.startTLS(cmd)
	case "TURN", "ETRN", "ATRN", "SEND", "SOML", "SAML":
		// Known to RFC 5321 or its extensions, not offered here.
		_, err := c.answer(cmd.verb, cmd.arg, nil, c.ok(502, "5.5.1", "Command not implemented").Reply)
		return err
	}
	_, err := c.answer(cmd.verb, cmd.arg, nil, c.ok(500, "5.5.1", "Command unrecognized: "+cmd.verb).Reply)
	return err
}

func unbracket(s string) string {
	if len(s) >= 2 && s[0] == '<' && s[len(s)-1] == '>' {
		return s[1 : len(s)-1]
	}
	return s
}

// Printable keeps control characters a client sent (C0, DEL, C1 such as
// the one-byte CSI) and invalid UTF-8 out of transcripts and terminals:
// each becomes '?'.
func Printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' || r >= 0x7f && r < 0xa0 || r == 0xfffd {
			return '?'
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
}

func maskAuth(arg string) string {
	mech, rest, _ := strings.Cut(arg, " ")
	if rest != "" {
		return "AUTH " + mech + " ****"
	}
	return "AUTH " + mech
}

func (c *session) reset() {
	clear(c.msgCounts)
	c.inTx, c.from, c.size, c.rcpts, c.dataRule, c.smtputf8, c.mailParams = false, "", 0, nil, nil, false, nil
	if c.bdat != nil {
		c.bdat.reset()
	}
	c.bdat, c.bdatTooBig = nil, false
}

func (c *session) extensions() []string {
	var ext []string
	for _, e := range []string{
		"PIPELINING",
		"SIZE " + strconv.FormatInt(c.cfg.MaxMessageSize, 10),
		"8BITMIME",
		"SMTPUTF8",
		"ENHANCEDSTATUSCODES",
		"CHUNKING",
	} {
		kw, _, _ := strings.Cut(e, " ")
		if !c.cfg.extensionDisabled(kw) {
			ext = append(ext, e)
		}
	}
	if c.srv.tlsConfig != nil && !c.tls {
		ext = append(ext, "STARTTLS")
	}
	// With RequireTLS, AUTH is offered only inside TLS, as mailpit's
	// --smtp-require-starttls and Postfix's smtpd_tls_auth_only do.
	if c.srv.authOffered() && (c.tls || !c.cfg.RequireTLS) {
		ext = append(ext, "AUTH PLAIN LOGIN")
	}
	return append(ext, "HELP")
}

// offered reports whether the EHLO reply the client got offered an
// extension.
func (c *session) offered(keyword string) bool {
	_, ok := c.ext[keyword]
	return ok
}

// sizeLimit is the SIZE the client was offered (a rule's EHLO reply may
// offer another), or the configured limit.
func (c *session) sizeLimit() int64 {
	if v, ok := c.ext["SIZE"]; ok {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			return n
		}
	}
	return c.cfg.MaxMessageSize
}

func (c *session) hello(cmd command) error {
	if cmd.arg == "" || strings.ContainsAny(cmd.arg, " \t") && !strings.HasPrefix(cmd.arg, "[") {
		return c.send(c.ok(501, "5.5.4", "Syntax: "+cmd.verb+" hostname"), "")
	}
	def := Reply{Code: 250, Lines: []string{c.cfg.Hostname + " greets " + Printable(cmd.arg)}}
	if cmd.verb == "EHLO" {
		def.Lines = append(def.Lines, c.extensions()...)
	}
	ok, err := c.answer(cmd.verb, cmd.arg, nil, def)
	if err != nil || !ok {
		return err
	}
	// RFC 5321 §4.1.4: EHLO or HELO resets the session as RSET does.
	c.reset()
	c.helo, c.esmtp = cmd.arg, cmd.verb == "EHLO"
	c.record(func(s *Session) { s.Helo = cmd.arg })
	// What the client may use is what the reply it got offered: a rule
	// that rewrites the EHLO reply withdraws the extensions it leaves out.
	c.ext = nil
	// Enhanced codes follow what the server says it is (RFC 2034 §4, §5:
	// they are not negotiated): after HELO, those of the configured
	// server; after EHLO, those of the reply sent, so that a rule whose
	// EHLO reply leaves ENHANCEDSTATUSCODES out makes a server without it.
	c.enhanced = !c.cfg.extensionDisabled("ENHANCEDSTATUSCODES")
	if c.esmtp {
		c.ext = make(map[string]string)
		for _, l := range c.sent.Lines[1:] {
			kw, params, _ := strings.Cut(l, " ")
			c.ext[strings.ToUpper(kw)] = params
		}
		c.enhanced = c.offered("ENHANCEDSTATUSCODES")
	}
	return nil
}

func (c *session) mail(cmd command) error {
	switch {
	case c.helo == "":
		return c.send(c.ok(503, "5.5.1", "Send EHLO or HELO first"), "")
	case c.cfg.RequireAuth && c.user == "":
		// RFC 4954 §6.
		return c.send(c.ok(530, "5.7.0", "Authentication required"), "")
	case c.inTx:
		return c.send(c.ok(503, "5.5.1", "Sender already given"), "")
	}
	addr, params, ok := parsePath(cmd.arg, "FROM")
	if !ok {
		return c.send(c.ok(501, "5.5.4", "Syntax: MAIL FROM:<address>"), "")
	}
	if addr != "" && !validMailbox(addr) {
		return c.send(c.ok(553, "5.1.7", "Bad sender address syntax"), "")
	}
	var size int64
	utf8Declared := false
	for _, p := range params {
		k, v, _ := strings.Cut(p, "=")
		kw := strings.ToUpper(k)
		// A parameter belongs to an extension the EHLO reply offered
		// (RFC 5321 §4.1.1.11): none after HELO.
		ext := kw
		switch kw {
		case "BODY":
			ext = "8BITMIME"
		case "SIZE", "SMTPUTF8", "AUTH":
		default:
			ext = ""
		}
		if ext == "" || !c.offered(ext) {
			if !c.esmtp {
				return c.send(c.ok(555, "5.5.4", "MAIL parameters need EHLO"), "")
			}
			return c.send(c.ok(555, "5.5.4", "MAIL parameter "+Printable(k)+" not recognized"), "")
		}
		switch kw {
		case "SIZE":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return c.send(c.ok(501, "5.5.4", "Bad SIZE parameter"), "")
			}
			if n > c.sizeLimit() {
				return c.send(c.ok(552, "5.3.4", "Message size exceeds fixed maximum message size"), "")
			}
			size = n
		case "BODY":
			if !strings.EqualFold(v, "7BIT") && !strings.EqualFold(v, "8BITMIME") {
				return c.send(c.ok(501, "5.5.4", "Bad BODY parameter: 7BIT or 8BITMIME"), "")
			}
		case "SMTPUTF8":
			if v != "" {
				return c.send(c.ok(501, "5.5.4", "SMTPUTF8 takes no value"), "")
			}
			utf8Declared = true
		case "AUTH":
			// RFC 4954 §5: accepted and, coming from an untrusted
			// client, ignored.
		}
	}
	// Postfix's reply (smtpd.c) to an address that is not ASCII.
	if !utf8Declared && !isASCII(addr) {
		return c.send(c.ok(553, "5.6.7", "Must declare SMTPUTF8 to send unicode address"), "")
	}
	ok, err := c.answer("MAIL", addr, nil, c.ok(250, "2.1.0", "Sender <"+Printable(addr)+"> OK").Reply)
	if err != nil || !ok {
		return err
	}
	c.inTx, c.from, c.size, c.rcpts, c.dataRule = true, addr, size, nil, nil
	c.smtputf8, c.mailParams = utf8Declared, params
	return nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func (c *session) rcpt(cmd command) error {
	if !c.inTx {
		return c.send(c.ok(503, "5.5.1", "Send MAIL first"), "")
	}
	addr, params, ok := parsePath(cmd.arg, "TO")
	if !ok {
		return c.send(c.ok(501, "5.5.4", "Syntax: RCPT TO:<address>"), "")
	}
	if !validMailbox(addr) {
		return c.send(c.ok(553, "5.1.3", "Bad recipient address syntax"), "")
	}
	if len(params) > 0 {
		return c.send(c.ok(555, "5.5.4", "RCPT parameters not recognized"), "")
	}
	if !c.smtputf8 && !isASCII(addr) {
		return c.send(c.ok(553, "5.6.7", "Must declare SMTPUTF8 to send unicode address"), "")
	}
	if len(c.rcpts) >= c.cfg.MaxRecipients {
		return c.send(c.ok(452, "4.5.3", "Too many recipients"), "")
	}
	ok, err := c.answer("RCPT", addr, nil, c.ok(250, "2.1.5", "Recipient <"+Printable(addr)+"> OK").Reply)
	if err != nil || !ok {
		return err
	}
	c.rcpts = append(c.rcpts, addr)
	if r, ok := addressReply(addr, true); ok {
		c.dataRule = append(c.dataRule, r)
	}
	return nil
}

func (c *session) data(cmd command) error {
	switch {
	case cmd.arg != "":
		return c.send(c.ok(501, "5.5.4", "DATA takes no argument"), "")
	case !c.inTx:
		return c.send(c.ok(503, "5.5.1", "Send MAIL first"), "")
	case len(c.rcpts) == 0:
		return c.send(c.ok(503, "5.5.1", "Send RCPT first: no valid recipients"), "")
	case c.bdat != nil:
		return c.send(c.ok(503, "5.5.1", "DATA cannot follow BDAT"), "")
	}
	ok, err := c.answer("DATA", "", nil, Reply{Code: 354, Lines: []string{"End data with <CR><LF>.<CR><LF>"}})
	if err != nil || !ok {
		return err
	}
	if err := c.flush(); err != nil {
		return err
	}
	body, tooBig, tooLong, err := c.readData()
	if err != nil {
		return err
	}
	switch {
	case body.bareLF && c.cfg.RejectBareLF:
		// Postfix's "delayed reject": the reply comes at the end.
		c.reset()
		return c.send(rule{Reply: c.bareLFReply()}, "")
	case tooLong:
		c.reset()
		return c.send(c.ok(500, "5.5.6", "Line too long: a text line is limited to 1000 octets (RFC 5321 4.5.3.1.6)"), "")
	case tooBig:
		c.reset()
		return c.send(c.ok(552, "5.3.4", "Message size exceeds fixed maximum message size"), "")
	}
	return c.endOfMessage(body)
}

// readData reads the message up to <CRLF>.<CRLF>, unstuffing dots and
// keeping at most MaxMessageSize octets: past the limit, or past a line
// longer than RFC 5321 allows, it reads on to the end and discards. The
// bytes are kept as received: a line that ended in a bare LF keeps it, and
// a dot after a bare LF (not at the start of a line) is not unstuffed, so
// a test sees what its client sent.
func (c *session) readData() (body *spool, tooBig, tooLong bool, err error) {
	buf := c.newSpool()
	defer func() {
		if err != nil || tooBig || tooLong {
			buf.reset()
		}
	}()
	limit := c.sizeLimit()
	prevCRLF := true
	for {
		line, crlf, err := c.readLine(maxTextLine)
		if errors.Is(err, errLineTooLong) {
			// A line too long is still a line: if it ended in CRLF, a
			// "." next ends the message.
			tooLong, prevCRLF = true, crlf
			buf.bareLF = buf.bareLF || !crlf
			continue
		}
		if err != nil {
			return buf, false, false, err
		}
		// Only <CRLF>.<CRLF> ends the message: a bare LF around the dot
		// does not (the SMTP smuggling lesson of 2023).
		if crlf && prevCRLF && len(line) == 1 && line[0] == '.' {
			break
		}
		if prevCRLF && len(line) > 0 && line[0] == '.' {
			line = line[1:]
		}
		prevCRLF = crlf
		if tooBig || tooLong {
			buf.bareLF = buf.bareLF || !crlf
			continue
		}
		if buf.Len()+int64(len(line)+2) > limit {
			tooBig = true
			buf.reset()
			continue
		}
		// The line and its end in one write: the spool's bare LF check
		// sees the CR before the LF.
		line = line[:len(line):len(line)]
		if crlf {
			line = append(line, '\r', '\n')
		} else {
			line = append(line, '\n')
		}
		if _, err := buf.Write(line); err != nil {
			return buf, false, false, err
		}
	}
	return buf, tooBig, tooLong, nil
}

// newSpool returns a spool for a message body. A server that records
// messages keeps them in memory anyway; one that does not (the smtpcode
// mock command) keeps big ones in a temporary file.
func (c *session) newSpool() *spool {
	sp := &spool{dir: c.cfg.SpoolDir}
	if c.cfg.NoRecording {
		sp.threshold = c.cfg.SpoolThreshold
		if sp.threshold == 0 {
			sp.threshold = DefaultSpoolThreshold
		}
	}
	return sp
}

// endOfMessage answers the end of a message (DATA's dot or BDAT LAST) and
// records it.
func (c *session) endOfMessage(body *spool) error {
	c.messageSeen++
	size := body.Len()
	data, file, err := body.finish()
	if file != "" {
		// The consumer of the message event may take the file (rename
		// it); what is left is removed.
		defer os.Remove(file)
	}
	if err != nil {
		c.reset()
		return c.send(c.ok(451, "4.3.0", "Error: cannot keep the message: "+err.Error()), "")
	}
	msg := Message{
		Session: c.id, Time: time.Now(), Helo: c.helo, From: c.from, MailParams: c.mailParams, To: c.rcpts,
		Data: data, DataFile: file, Size: size, TLS: c.tls, User: c.user,
	}
	def := c.ok(250, "2.0.0", fmt.Sprintf("OK: message %d.%d queued", c.id, c.messageSeen))
	r, src, ok := c.scripted(StageDataEnd, "", c.count(StageDataEnd), c.rcpts)
	if !ok && len(c.dataRule) > 0 {
		r, src, ok = rule{Reply: c.dataRule[0], Scripted: true}, "address", true
	}
	if !ok {
		r = def
	}
	// The rule's delay comes first, so that what is recorded is what the
	// client was sent: a shutdown during the delay sends 421, not 250.
	delayErr := c.delay(r.Delay)
	r.Delay = 0
	if delayErr != nil {
		r, src = rule{Reply: shutdownReply}, ""
	}
	msg.Reply = c.asSent(r)
	if r.Drop {
		// The client got no reply at all.
		msg.Reply = Reply{}
	}
	msg.Accepted = msg.Reply.Class() == 2
	c.record(func(s *Session) { s.Messages = append(s.Messages, msg) })
	if msg.Accepted && !c.cfg.NoRecording {
		c.srv.addMessage(msg)
	}
	c.emit(Event{Type: EventMessage, Message: &msg})
	c.reset()
	if delayErr != nil {
		// endReason sends the 421.
		return delayErr
	}
	return c.send(r, src)
}

// bdatCmd handles BDAT (RFC 3030): the chunk is read whatever the state,
// since the client sends it without waiting, and only then answered.
func (c *session) bdatCmd(cmd command) error {
	f := strings.Fields(cmd.arg)
	if len(f) == 0 || len(f) > 2 || len(f) == 2 && !strings.EqualFold(f[1], "LAST") {
		return c.send(c.ok(501, "5.5.4", "Syntax: BDAT size [LAST]"), "")
	}
	n, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || n < 0 {
		return c.send(c.ok(501, "5.5.4", "Syntax: BDAT size [LAST]"), "")
	}
	last := len(f) == 2
	if !c.offered("CHUNKING") {
		// The chunk is read all the same, so that its bytes are not taken
		// for commands.
		if err := c.discard(n); err != nil {
			return err
		}
		return c.send(c.ok(502, "5.5.1", "BDAT not offered: no CHUNKING in the EHLO reply"), "")
	}
	usable := c.inTx && len(c.rcpts) > 0
	if usable && c.bdat == nil {
		c.bdat = c.newSpool()
	}
	room := int64(0)
	if usable && !c.bdatTooBig {
		room = c.sizeLimit() - c.bdat.Len()
	}
	if n > room {
		if usable {
			c.bdatTooBig = true
			c.bdat.reset()
		}
		err = c.discard(n)
	} else {
		err = c.readChunk(n)
	}
	if err != nil {
		return err
	}
	switch {
	case !c.inTx:
		return c.send(c.ok(503, "5.5.1", "Send MAIL first"), "")
	case len(c.rcpts) == 0:
		return c.send(c.ok(503, "5.5.1", "Send RCPT first: no valid recipients"), "")
	case c.bdatTooBig:
		c.reset()
		return c.send(c.ok(552, "5.3.4", "Message size exceeds fixed maximum message size"), "")
	}
	if !last {
		ok, err := c.answer("BDAT", cmd.arg, nil, c.ok(250, "2.0.0", fmt.Sprintf("%d octets received", n)).Reply)
		if err != nil {
			return err
		}
		if !ok {
			c.reset()
		}
		return nil
	}
	body := c.bdat
	c.bdat = nil // endOfMessage's reset must not remove it
	if c.cfg.RejectBareLF && body.bareLF {
		body.reset()
		c.reset()
		return c.send(rule{Reply: c.bareLFReply()}, "")
	}
	return c.endOfMessage(body)
}

func (c *session) readChunk(n int64) error {
	if n == 0 {
		return nil
	}
	if err := c.flush(); err != nil {
		return err
	}
	_, err := io.CopyN(c.bdat, c.chunkReader(n), n)
	return err
}

func (c *session) discard(n int64) error {
	_, err := io.CopyN(io.Discard, c.chunkReader(n), n)
	return err
}

// minChunkRate is the slowest a BDAT chunk may arrive: a chunk has the idle
// timeout plus the time it takes at this rate, one deadline for the whole
// chunk, so that a client sending a byte now and then cannot hold a
// session forever.
const minChunkRate = 10 << 10 // octets per second

// chunkReader reads a chunk of n octets under one deadline.
func (c *session) chunkReader(n int64) io.Reader {
	d := c.cfg.IdleTimeout + time.Duration(n/minChunkRate)*time.Second
	c.mu.Lock()
	_ = c.conn.SetReadDeadline(time.Now().Add(d))
	c.mu.Unlock()
	return &shutdownReader{c}
}

// shutdownReader stops reading a chunk when the server shuts down.
type shutdownReader struct{ c *session }

func (d *shutdownReader) Read(p []byte) (int, error) {
	if d.c.br.Buffered() == 0 && d.c.srv.closing.Load() {
		return 0, net.ErrClosed
	}
	return d.c.br.Read(p)
}

func (c *session) auth(cmd command) error {
	if err := c.authExchange(cmd); !errors.Is(err, errAuthEnded) {
		return err
	}
	return nil
}

func (c *session) authExchange(cmd command) error {
	switch {
	case !c.srv.authOffered():
		return c.send(c.ok(502, "5.5.1", "AUTH not offered: start the server with credentials"), "")
	case !c.esmtp:
		return c.send(c.ok(503, "5.5.1", "Send EHLO first"), "")
	case !c.offered("AUTH"):
		// Postfix's words when AUTH is not offered.
		return c.send(c.ok(503, "5.5.1", "Error: authentication not enabled"), "")
	case c.user != "":
		return c.send(c.ok(503, "5.5.1", "Already authenticated"), "")
	case c.inTx:
		return c.send(c.ok(503, "5.5.1", "AUTH not allowed during a mail transaction"), "")
	}
	mech, initial, hasInitial := strings.Cut(cmd.arg, " ")
	mech = strings.ToUpper(mech)
	if mech != "PLAIN" && mech != "LOGIN" {
		return c.send(c.ok(504, "5.5.4", "Unrecognized authentication mechanism: PLAIN or LOGIN"), "")
	}
	// A rule on AUTH answers the command at once: "AUTH=454" is a server
	// whose authentication back end is down.
	if r, src, ok := c.scripted("AUTH", cmd.arg, c.count("AUTH"), nil); ok {
		if r.Reply.Class() == 2 {
			c.user = "(scripted)"
			c.record(func(s *Session) { s.User = c.user })
		}
		return c.send(r, src)
	}
	var user, pass string
	switch mech {
	case "PLAIN":
		resp := initial
		if !hasInitial {
			var err error
			if resp, err = c.challenge(""); err != nil {
				return err
			}
		}
		if resp == "*" {
			return c.send(c.ok(501, "5.7.0", "Authentication cancelled"), "")
		}
		raw, err := decode64(resp)
		if err != nil {
			return c.send(c.ok(501, "5.5.2", "Invalid base64 data"), "")
		}
		parts := strings.Split(string(raw), "\x00")
		if len(parts) != 3 {
			return c.send(c.ok(501, "5.5.2", "Invalid PLAIN response"), "")
		}
		user, pass = parts[1], parts[2]
	case "LOGIN":
		var resp string
		var err error
		if hasInitial {
			resp = initial
		} else if resp, err = c.challenge("VXNlcm5hbWU6"); err != nil {
			return err
		}
		if resp == "*" {
			return c.send(c.ok(501, "5.7.0", "Authentication cancelled"), "")
		}
		u, err := decode64(resp)
		if err != nil {
			return c.send(c.ok(501, "5.5.2", "Invalid base64 data"), "")
		}
		if resp, err = c.challenge("UGFzc3dvcmQ6"); err != nil {
			return err
		}
		if resp == "*" {
			return c.send(c.ok(501, "5.7.0", "Authentication cancelled"), "")
		}
		p, err := decode64(resp)
		if err != nil {
			return c.send(c.ok(501, "5.5.2", "Invalid base64 data"), "")
		}
		user, pass = string(u), string(p)
	}
	want, known := c.cfg.Users[user]
	if !c.cfg.AuthAny && (!known || want != pass) {
		return c.send(c.ok(535, "5.7.8", "Authentication credentials invalid"), "")
	}
	c.user = user
	c.record(func(s *Session) { s.User = user })
	return c.send(c.ok(235, "2.7.0", "Authentication successful"), "")
}

// challenge sends a 334 and reads the client's answer, masked in the
// transcript.
func (c *session) challenge(text string) (string, error) {
	if err := c.send(rule{Reply: Reply{Code: 334, Lines: []string{text}}}, ""); err != nil {
		return "", err
	}
	line, _, err := c.readLine(maxAuthLine)
	if errors.Is(err, errLineTooLong) {
		// RFC 4954 §4: 500 5.5.6, and the exchange is over.
		if err := c.send(c.ok(500, "5.5.6", "Authentication exchange line is too long"), ""); err != nil {
			return "", err
		}
		return "", errAuthEnded
	}
	if err != nil {
		return "", err
	}
	c.transcript(FromClient, "****")
	c.emit(Event{Type: EventCommand, Line: "****"})
	return string(line), nil
}

func decode64(s string) ([]byte, error) {
	if s == "=" {
		return nil, nil
	}
	return base64.StdEncoding.DecodeString(s)
}

// handshake turns the connection into TLS, for STARTTLS or implicit TLS.
func (c *session) handshake() error {
	tc := tls.Server(c.conn, c.srv.tlsConfig)
	_ = tc.SetDeadline(time.Now().Add(c.cfg.IdleTimeout))
	if err := tc.Handshake(); err != nil {
		return err
	}
	_ = tc.SetDeadline(time.Time{})
	c.mu.Lock()
	c.conn = tc
	c.mu.Unlock()
	c.br.Reset(tc)
	c.bw.Reset(tc)
	c.tls = true
	st := tc.ConnectionState()
	c.record(func(s *Session) { s.TLS = true })
	c.emit(Event{Type: EventTLS, TLSVersion: tls.VersionName(st.Version), TLSCipher: tls.CipherSuiteName(st.CipherSuite)})
	return nil
}

func (c *session) startTLS(cmd command) error {
	switch {
	case c.srv.tlsConfig == nil:
		return c.send(c.ok(502, "5.5.1", "STARTTLS not offered"), "")
	case c.tls:
		return c.send(c.ok(503, "5.5.1", "TLS already active"), "")
	case cmd.arg != "":
		return c.send(c.ok(501, "5.5.4", "STARTTLS takes no argument"), "")
	case !c.esmtp:
		return c.send(c.ok(503, "5.5.1", "Send EHLO first"), "")
	case !c.offered("STARTTLS"):
		return c.send(c.ok(502, "5.5.1", "STARTTLS not offered in the EHLO reply"), "")
	}
	ok, err := c.answer("STARTTLS", "", nil, c.ok(220, "2.0.0", "Ready to start TLS").Reply)
	if err != nil || !ok {
		return err
	}
	if err := c.flush(); err != nil {
		return err
	}
	// Bytes pipelined after STARTTLS would be injected into the TLS
	// session (CVE-2011-0411): refuse them.
	if c.br.Buffered() > 0 {
		return errors.New("client sent data after STARTTLS before the TLS handshake")
	}
	if err := c.handshake(); err != nil {
		return fmt.Errorf("TLS handshake: %w", err)
	}
	// RFC 3207 §4.2: after TLS the client starts over with EHLO, and the
	// server forgets what it knew, AUTH included.
	c.reset()
	c.helo, c.esmtp, c.ext, c.user = "", false, nil, ""
	c.record(func(s *Session) { s.User = "" })
	return nil
}
