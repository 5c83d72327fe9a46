package mock

import (
	"bufio"
	"bytes"
	"errors"
	"strings"
)

// Line limits of RFC 5321 §4.5.3.1, counting the CRLF.
const (
	maxCommandLine = 512
	// MAIL may carry SIZE= (RFC 1870 §3: +26) and AUTH= (RFC 4954 §5: +500).
	maxMailLine = maxCommandLine + 26 + 500
	// RFC 4954 §4: AUTH lines and the SASL exchange may reach 12288 octets.
	maxAuthLine = 12288
	maxTextLine = 1000
)

var errLineTooLong = errors.New("line too long")

// lineReader reads lines without ever holding more than its limit in
// memory: a longer line is consumed to its end and reported as too long,
// so a client cannot make the server buffer without bound.
type lineReader struct {
	r   *bufio.Reader
	buf []byte
}

func newLineReader(r *bufio.Reader) *lineReader {
	return &lineReader{r: r, buf: make([]byte, 0, 1024)}
}

// readLine returns the next line without its terminator and whether the
// terminator was CRLF (rather than a bare LF). The slice is valid until the
// next call. A line of more than max octets, terminator included, gives
// errLineTooLong once the whole line has been consumed, with crlf telling
// how that line ended: the end of DATA depends on it.
func (lr *lineReader) readLine(max int) (line []byte, crlf bool, err error) {
	lr.buf = lr.buf[:0]
	tooLong := false
	var beforeLF byte // the octet before the LF, which may end the previous chunk
	for {
		chunk, err := lr.r.ReadSlice('\n')
		if !tooLong {
			if len(lr.buf)+len(chunk) > max {
				tooLong = true
				lr.buf = lr.buf[:0]
			} else {
				lr.buf = append(lr.buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			beforeLF = chunk[len(chunk)-1]
			continue
		}
		if err != nil {
			return nil, false, err
		}
		if len(chunk) >= 2 {
			beforeLF = chunk[len(chunk)-2]
		}
		break
	}
	if tooLong {
		return nil, beforeLF == '\r', errLineTooLong
	}
	line = lr.buf[:len(lr.buf)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		return line[:n-1], true, nil
	}
	return line, false, nil
}

// command is a parsed command line.
type command struct {
	verb string // upper case
	arg  string // the rest of the line, leading spaces trimmed
}

// parseCommand splits a command line into its verb and argument. A verb is
// letters (and digits after the first), as in RFC 5321 §4.1.1; anything
// else is no command.
func parseCommand(line []byte) (command, bool) {
	i := bytes.IndexByte(line, ' ')
	verb, arg := line, []byte(nil)
	if i >= 0 {
		verb, arg = line[:i], bytes.TrimLeft(line[i+1:], " ")
	}
	if len(verb) == 0 || len(verb) > 32 {
		return command{}, false
	}
	for j, c := range verb {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || j > 0 && (c >= '0' && c <= '9' || c == '-')) {
			return command{}, false
		}
	}
	return command{verb: strings.ToUpper(string(verb)), arg: string(bytes.TrimRight(arg, " \t"))}, true
}

// parsePath parses the argument of MAIL ("FROM:<a@b> SIZE=10") or RCPT
// ("TO:<a@b>"): the address between angle brackets and the ESMTP
// parameters after it. ok is false when the argument is malformed.
func parsePath(arg, keyword string) (addr string, params []string, ok bool) {
	if len(arg) < len(keyword)+1 || !strings.EqualFold(arg[:len(keyword)], keyword) || arg[len(keyword)] != ':' {
		return "", nil, false
	}
	rest := strings.TrimLeft(arg[len(keyword)+1:], " ")
	if !strings.HasPrefix(rest, "<") {
		return "", nil, false
	}
	end := strings.IndexByte(rest, '>')
	if end < 0 {
		return "", nil, false
	}
	addr = rest[1:end]
	// A source route ("<@a,@b:user@c>") is to be accepted and ignored
	// (RFC 5321 §4.1.1.3, appendix C).
	if strings.HasPrefix(addr, "@") {
		if i := strings.IndexByte(addr, ':'); i >= 0 {
			addr = addr[i+1:]
		}
	}
	if strings.ContainsAny(addr, " <>\t") {
		return "", nil, false
	}
	after := rest[end+1:]
	if after != "" && after[0] != ' ' {
		return "", nil, false
	}
	return addr, strings.Fields(after), true
}

// validMailbox is a light check of an address: a local part, an '@' and a
// domain, or the bare "postmaster" RFC 5321 §4.1.1.3 allows for RCPT, with
// no control characters.
func validMailbox(addr string) bool {
	if strings.EqualFold(addr, "postmaster") {
		return true
	}
	// RFC 5321 §4.1.2: no control characters, even quoted.
	if strings.ContainsFunc(addr, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return false
	}
	at := strings.LastIndexByte(addr, '@')
	return at > 0 && at < len(addr)-1
}
