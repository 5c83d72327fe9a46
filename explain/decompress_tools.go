//go:build !xz_zstd

package explain

import "io"

// moduleDecoder has no decoder built in: xz and zstd go through their
// commands (toolDecoder). Build with -tags xz_zstd for in-process ones.
func moduleDecoder(format string, r io.Reader) (io.ReadCloser, error) { return nil, nil }
