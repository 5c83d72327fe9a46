package explain

import (
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
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
	case "xz":
		zr, err := xz.NewReader(r)
		if err != nil {
			return nil, corrupt(format, err)
		}
		rc = io.NopCloser(zr)
	case "zstd":
		// One goroutine: the scan already has the other CPUs, and a
		// stream decoder with more only buffers ahead.
		zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, corrupt(format, err)
		}
		rc = zr.IOReadCloser()
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
