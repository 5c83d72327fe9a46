package explain

// kernel is written in AVX2 where the processor has it and in SSE2, which
// every amd64 processor has, otherwise; see kernel_amd64.s and kernelGo,
// its definition.
func kernel(b []byte, i, end int, out []uint64) (n, next int) {
	if !useAVX2 {
		return kernelSSE2(b, i, end, out)
	}
	n, i = kernelAVX2(b, i, end, out)
	if i >= end || n == len(out) {
		return n, i
	}
	m, next := kernelSSE2(b, i, end, out[n:])
	return n + m, next
}

var useAVX2 = hasAVX2()

//go:noescape
func kernelSSE2(b []byte, i, end int, out []uint64) (n, next int)

//go:noescape
func kernelAVX2(b []byte, i, end int, out []uint64) (n, next int)

func hasAVX2() bool

// dotLetters stores in pos the offsets j of b[i:] where a dot is followed
// by an ASCII letter, as far as it goes (see dotLettersAVX2), and returns
// how many and where it stopped; without AVX2 it does nothing.
func dotLetters(b []byte, i int, pos []int32) (n, next int) {
	if !useAVX2 {
		return 0, i
	}
	return dotLettersAVX2(b, i, pos)
}

//go:noescape
func dotLettersAVX2(b []byte, i int, pos []int32) (n, next int)

// nlBitmap stores in bm[k] the newlines of b[64k : 64k+64] as bits, as
// many words as b has whole 64 bytes and bm has room for, and returns how
// many it stored; without AVX2 it stores none.
func nlBitmap(b []byte, bm []uint64) int {
	if !useAVX2 {
		return 0
	}
	return nlBitmapAVX2(b, bm)
}

//go:noescape
func nlBitmapAVX2(b []byte, bm []uint64) (words int)
