//go:build !amd64

package explain

func kernel(b []byte, i, end int, out []uint64) (n, next int) { return kernelGo(b, i, end, out) }

func dotLetters(b []byte, i int, pos []int32) (n, next int) { return 0, i }

func nlBitmap(b []byte, bm []uint64) int { return 0 }
