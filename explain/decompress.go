package explain

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// magicLen is how many bytes compression is told by.
const magicLen = 7

// compression names the format whose magic bytes hdr starts with, or "".
// Names lie (logrotate's delaycompress, a mail.log.1 that is gzip), so
// only the bytes count.
func compression(hdr []byte) string {
	switch {
	case len(hdr) >= 3 && hdr[0] == 0x1f && hdr[1] == 0x8b && hdr[2] == 8: // RFC 1952, deflate
		return "gzip"
	case len(hdr) >= 7 && string(hdr[:3]) == "BZh" && hdr[3] >= '1' && hdr[3] <= '9' &&
		(string(hdr[4:7]) == "\x31\x41\x59" || string(hdr[4:7]) == "\x17\x72\x45"): // a block or the end of the stream
		return "bzip2"
	case bytes.HasPrefix(hdr, []byte("\xfd7zXZ\x00")):
		return "xz"
	case bytes.HasPrefix(hdr, []byte("\x28\xb5\x2f\xfd")):
		return "zstd"
	}
	return ""
}

// decompressor reads the decompressed text of r in the named format.
func decompressor(format string, r io.Reader) (io.ReadCloser, error) {
	var rc io.ReadCloser
	switch format {
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, corrupt(format, err)
		}
		rc = zr
	case "bzip2":
		rc = io.NopCloser(bzip2.NewReader(r))
	case "xz", "zstd":
		zr, err := moduleDecoder(format, r)
		if err != nil {
			return nil, corrupt(format, err)
		}
		if zr == nil {
			return toolDecoder(format, r)
		}
		rc = zr
	default:
		return nil, fmt.Errorf("unknown compression %q", format)
	}
	return &decompressed{format: format, r: rc}, nil
}

// decompressed names the format in its errors: "unexpected EOF" alone
// does not say that the archive was cut short.
type decompressed struct {
	format string
	r      io.ReadCloser
}

func (d *decompressed) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		err = corrupt(d.format, err)
	}
	return n, err
}

func (d *decompressed) Close() error { return d.r.Close() }

func corrupt(format string, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("%s data cut short: %w", format, io.ErrUnexpectedEOF)
	}
	return fmt.Errorf("corrupt %s data: %w", format, err)
}

// toolDecoder reads the decompressed text of r through the format's own
// command (xz -dc, zstd -dc), as xzgrep and zstdgrep do, when this binary
// has no decoder of its own for it: the xz and zstd modules would take it
// over its size budget (docs/performance.md).
func toolDecoder(format string, r io.Reader) (io.ReadCloser, error) {
	if _, err := exec.LookPath(format); err != nil {
		return nil, fmt.Errorf("%s data: the %s command is needed to read it (this smtpcode has no %s decoder of its own)", format, format, format)
	}
	cmd := exec.Command(format, "-dcq")
	cmd.Stdin = r
	t := &toolReader{format: format, cmd: cmd}
	cmd.Stderr = &t.stderr
	var err error
	if t.out, err = cmd.StdoutPipe(); err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s data: %w", format, err)
	}
	return t, nil
}

type toolReader struct {
	format string
	cmd    *exec.Cmd
	out    io.ReadCloser
	stderr limitedBuffer
	waited bool
}

func (t *toolReader) Read(p []byte) (int, error) {
	n, err := t.out.Read(p)
	if err == io.EOF && !t.waited {
		t.waited = true
		if werr := t.cmd.Wait(); werr != nil {
			msg := strings.TrimSpace(firstLineOf(t.stderr.b))
			if msg == "" {
				msg = werr.Error()
			}
			return n, fmt.Errorf("corrupt %s data: %s", t.format, msg)
		}
	}
	return n, err
}

func (t *toolReader) Close() error {
	if !t.waited {
		t.waited = true
		t.out.Close()
		t.cmd.Process.Kill()
		t.cmd.Wait()
	}
	return nil
}

// limitedBuffer keeps the first few hundred bytes a tool says on stderr.
type limitedBuffer struct{ b []byte }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := 512 - len(l.b); room > 0 {
		l.b = append(l.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func firstLineOf(b []byte) string {
	line, _, _ := bufio.NewReader(bytes.NewReader(b)).ReadLine()
	return string(line)
}
