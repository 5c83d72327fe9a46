//go:build !xz_zstd

package explain

import (
	"bytes"
	"strings"
	"testing"
)

// TestToolMissing: without its own xz decoder and without the xz command,
// an xz file is an error that says what is missing.
func TestToolMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	xzStream := []byte("\xfd7zXZ\x00\x00\x04\xe6\xd6\xb4\x46") // a stream header
	_, done, err := scanFiles(t, Options{}, bytes.NewReader(xzStream), "-")
	if err != nil || len(done) != 1 {
		t.Fatal(err, done)
	}
	if done[0].err == nil || !strings.Contains(done[0].err.Error(), "the xz command is needed") {
		t.Errorf("error %v", done[0].err)
	}
}
