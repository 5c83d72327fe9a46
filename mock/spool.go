package mock

import (
	"bytes"
	"io"
	"os"
)

// DefaultSpoolThreshold is the size above which, with NoRecording, a
// message body goes to a temporary file rather than memory.
const DefaultSpoolThreshold = 1 << 20

// spool holds a message body as it arrives: in memory up to a threshold,
// then in a temporary file, so that many big messages at once do not
// take the memory of their sum. A threshold of 0 keeps all in memory.
type spool struct {
	dir       string
	threshold int64

	buf    bytes.Buffer
	f      *os.File
	n      int64
	prev   byte // the last octet written, for bare LF detection
	bareLF bool // an LF not preceded by CR was written
}

func (s *spool) Write(p []byte) (int, error) {
	for i, ch := range p {
		if ch == '\n' && (i == 0 && s.prev != '\r' || i > 0 && p[i-1] != '\r') {
			s.bareLF = true
			break
		}
	}
	if len(p) > 0 {
		s.prev = p[len(p)-1]
	}
	if s.f == nil && s.threshold > 0 && s.n+int64(len(p)) > s.threshold {
		f, err := os.CreateTemp(s.dir, ".smtpcode-mock-*.tmp")
		if err != nil {
			return 0, err
		}
		if _, err := f.Write(s.buf.Bytes()); err != nil {
			f.Close()
			os.Remove(f.Name())
			return 0, err
		}
		s.f = f
		s.buf = bytes.Buffer{}
	}
	var n int
	var err error
	if s.f != nil {
		n, err = s.f.Write(p)
	} else {
		n, err = s.buf.Write(p)
	}
	s.n += int64(n)
	return n, err
}

// Len is the number of octets written.
func (s *spool) Len() int64 { return s.n }

// finish returns the body: in memory, or the name of the file it is in,
// which the caller then owns.
func (s *spool) finish() (data []byte, file string, err error) {
	if s.f == nil {
		return bytes.Clone(s.buf.Bytes()), "", nil
	}
	name := s.f.Name()
	err = s.f.Close()
	s.f = nil
	return nil, name, err
}

// reset empties the spool, removing its file.
func (s *spool) reset() {
	if s.f != nil {
		s.f.Close()
		os.Remove(s.f.Name())
		s.f = nil
	}
	s.buf = bytes.Buffer{}
	s.n, s.prev, s.bareLF = 0, 0, false
}

var _ io.Writer = (*spool)(nil)
