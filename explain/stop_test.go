package explain

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestScanStopsOnCallbackError: an error from the callback ends the scan
// and comes back, for file-like and stream inputs, at any block size.
func TestScanStopsOnCallbackError(t *testing.T) {
	line := "Jan 1 00:00:01 mx postfix/smtp[1]: A: to=<a@example.net>, status=bounced (host x[192.0.2.1] said: 550 5.1.1 unknown (in reply to RCPT TO command))\n"
	input := []byte(strings.Repeat(line, 5000))
	boom := errors.New("boom")
	for _, bs := range []int{64, 1024, 1 << 16} {
		for name, r := range map[string]func() any{
			"readerAt": func() any { return bytes.NewReader(input) },
			"stream":   func() any { return struct{ *bytes.Buffer }{bytes.NewBuffer(input)} },
		} {
			done := make(chan error, 1)
			go func() {
				n := 0
				_, err := Scan(r().(interface{ Read([]byte) (int, error) }), Options{Workers: 2, BlockSize: bs}, func(*Reply) error {
					n++
					if n == 3 {
						return boom
					}
					return nil
				})
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, boom) {
					t.Errorf("%s, blocks of %d: error %v, want boom", name, bs, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s, blocks of %d: Scan did not return after the callback failed", name, bs)
			}
		}
	}
}
