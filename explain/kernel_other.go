//go:build !amd64

package explain

func kernel(b []byte, i, end int, out []uint64) (n, next int) { return kernelGo(b, i, end, out) }
