//go:build xz_zstd_tools

package explain

import "io"

// moduleDecoder has no decoder built in: xz and zstd go through their
// commands (toolDecoder), as xzgrep and zstdgrep do: a build with
// -tags xz_zstd_tools, for a smaller binary.
func moduleDecoder(format string, r io.Reader) (io.ReadCloser, error) { return nil, nil }
