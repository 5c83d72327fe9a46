package mock

import (
	"net"
	"time"
)

// throttledConn limits a connection to rate octets per second each way, as
// a slow link would (MailHog's Jim has such a link rate).
type throttledConn struct {
	net.Conn
	rate int64
}

// chunk is how much one read or write moves: a tenth of a second's worth.
func (t *throttledConn) chunk(n int) int {
	return max(1, min(n, int(t.rate/10)))
}

func (t *throttledConn) pause(n int) {
	time.Sleep(time.Duration(int64(n) * int64(time.Second) / t.rate))
}

func (t *throttledConn) Read(p []byte) (int, error) {
	n, err := t.Conn.Read(p[:t.chunk(len(p))])
	if n > 0 {
		t.pause(n)
	}
	return n, err
}

func (t *throttledConn) Write(p []byte) (int, error) {
	written := 0
	for written < len(p) {
		n, err := t.Conn.Write(p[written : written+t.chunk(len(p)-written)])
		written += n
		if err != nil {
			return written, err
		}
		t.pause(n)
	}
	return written, nil
}

// CloseWrite keeps the lingering close working through the throttle.
func (t *throttledConn) CloseWrite() error {
	if cw, ok := t.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
