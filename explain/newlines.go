package explain

import (
	"encoding/binary"
	"math/bits"
)

// nlIndex knows where a region's newlines are: a bit for each byte, and
// the count of newlines before each 64 bytes. It is built once for a
// region, in one pass (AVX2 where the processor has it), and tells a line's
// start and a line's number at once, where a count from the last reply and
// a search back from each candidate read the bytes again and again.
type nlIndex struct {
	bm  []uint64 // bit j of bm[k]: b[64k+j] is a newline
	cum []uint32 // newlines in b[:64k]
}

// build indexes b; the slices are reused from one region to the next.
func (x *nlIndex) build(b []byte) {
	words := len(b)/64 + 1 // a last word for the tail, never full
	if cap(x.bm) < words {
		x.bm = make([]uint64, words)
		x.cum = make([]uint32, words+1)
	}
	x.bm, x.cum = x.bm[:words], x.cum[:words+1]
	k := nlBitmap(b, x.bm)
	for ; k < words; k++ {
		var m uint64
		for j, e := k*64, min(len(b), k*64+64); j < e; j += 8 {
			if e-j >= 8 {
				m |= compress(newlineMask(binary.LittleEndian.Uint64(b[j:]))) << (j - k*64)
				continue
			}
			for i := j; i < e; i++ {
				if b[i] == '\n' {
					m |= 1 << (i - k*64)
				}
			}
		}
		x.bm[k] = m
	}
	var n uint32
	for k, m := range x.bm {
		x.cum[k] = n
		n += uint32(bits.OnesCount64(m))
	}
	x.cum[words] = n
}

// newlineMask has the high bit of each byte of w that is a newline.
func newlineMask(w uint64) uint64 {
	v := w ^ ('\n' * lo8)
	t := (v & (0x7f * lo8)) + (0x7f * lo8)
	return ^(t | v) & hi8
}

// count is how many newlines come before f.
func (x *nlIndex) count(f int) int64 {
	k := f >> 6
	return int64(x.cum[k]) + int64(bits.OnesCount64(x.bm[k]&(1<<(f&63)-1)))
}

// last is the position of the last newline in [lo, f), or -1.
func (x *nlIndex) last(lo, f int) int {
	k := f >> 6
	m := x.bm[k] & (1<<(f&63) - 1)
	for m == 0 {
		if k*64 <= lo || k == 0 {
			return -1
		}
		k--
		m = x.bm[k]
	}
	if p := k*64 + 63 - bits.LeadingZeros64(m); p >= lo {
		return p
	}
	return -1
}
