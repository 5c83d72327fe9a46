//go:build xz_zstd

package explain

import (
	"io"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// moduleDecoder decodes xz and zstd in process, with the modules built in
// by -tags xz_zstd (373 KB more binary).
func moduleDecoder(format string, r io.Reader) (io.ReadCloser, error) {
	switch format {
	case "xz":
		zr, err := xz.NewReader(r)
		if err != nil {
			return nil, err
		}
		return io.NopCloser(zr), nil
	case "zstd":
		// One goroutine: the scan has the other CPUs, and a stream
		// decoder with more only buffers ahead.
		zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, err
		}
		return zr.IOReadCloser(), nil
	}
	return nil, nil
}
