//go:build !amd64

package explain

import "bytes"

func kernel(b []byte, i, end int, out []uint64) (n, next int) { return kernelGo(b, i, end, out) }

func dotLetters(b []byte, i int, pos []int32) (n, next int) { return 0, i }

func newlines(b []byte, i, end int) (n, last int) {
	last = -1
	if k := bytes.LastIndexByte(b[i:end], '\n'); k >= 0 {
		n, last = bytes.Count(b[i:end], nl), i+k
	}
	return n, last
}
