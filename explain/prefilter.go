package explain

import (
	"encoding/binary"
	"math/bits"
)

// The prefilter looks at eight bytes at a time (SWAR: SIMD within a
// register) for the two shapes every reply starts with: exactly three digits
// followed by a non-digit other than '.' ("550 ", "250-", "(550,"), and a
// single digit, a dot and a digit after a boundary ("5.1.1", not the middle
// of 192.0.2.1). On a mail log that rules out all but a few places a line,
// which the rules then look at byte by byte.

const (
	lo8 = 0x0101010101010101
	hi8 = 0x8080808080808080
)

// digitMask has the high bit of each byte of w that is an ASCII digit.
func digitMask(w uint64) uint64 {
	x := w ^ (0x30 * lo8)
	t := (x & (0x7f * lo8)) + (0x76 * lo8)
	return ^(t | x) & hi8
}

// dotMask has the high bit of each byte of w that is '.'.
func dotMask(w uint64) uint64 {
	x := w ^ ('.' * lo8)
	t := (x & (0x7f * lo8)) + (0x7f * lo8)
	return ^(t | x) & hi8
}

// scan reports the replies whose code starts in rg's own part.
func (w *worker) scan(rg *region, res *result) {
	w.begin(rg, res)
	defer w.end()
	b := rg.buf
	i := max(0, rg.own0-8)
	var pd, pp uint64 // the previous word's digit and dot masks
	// The first bytes, which the kernel cannot look behind, eight at a time.
	for ; i < 8 && i+8 <= len(b); i += 8 {
		if !w.word(i, binary.LittleEndian.Uint64(b[i:]), &pd, &pp) {
			return
		}
	}
	// The bulk, sixteen bytes at a time, in batches.
	if end := len(b) - 16; i >= 4 && i < end {
		var out [256]uint64
		for i < end {
			n, next := kernel(b, i, end, out[:])
			for _, e := range out[:n] {
				if !w.dispatch(int(e>>32), e&0xffff, e>>16&0xffff) {
					return
				}
			}
			i = next
		}
		v := binary.LittleEndian.Uint64(b[i-8:])
		pd, pp = digitMask(v), dotMask(v)
	}
	for ; i+8 <= len(b); i += 8 {
		if !w.word(i, binary.LittleEndian.Uint64(b[i:]), &pd, &pp) {
			return
		}
	}
	// The tail, padded with newlines: a code at the very end of the input
	// ends there as it would at the end of a line.
	var pad [16]byte
	for k := range pad {
		pad[k] = '\n'
	}
	copy(pad[:], b[i:])
	if w.word(i, binary.LittleEndian.Uint64(pad[0:]), &pd, &pp) {
		w.word(i+8, binary.LittleEndian.Uint64(pad[8:]), &pd, &pp)
	}
}

// word checks the eight bytes at i; it reports false once the candidates
// are past what this region must look at.
func (w *worker) word(i int, v uint64, pd, pp *uint64) bool {
	d := digitMask(v)
	p := dotMask(v)
	d1 := d<<8 | *pd>>56
	d2 := d<<16 | *pd>>48
	d3 := d<<24 | *pd>>40
	d4 := d<<32 | *pd>>32
	p1 := p<<8 | *pp>>56
	p3 := p<<24 | *pp>>40
	*pd, *pp = d, p
	// Byte j ends a run of exactly three digits, and is no dot.
	runs := ^d & d1 & d2 & d3 &^ d4 &^ p & hi8
	// Byte j is a digit after "D." that follows neither a digit nor a dot.
	enh := d & p1 & d2 &^ d3 &^ p3 & hi8
	// One bit a byte, as the kernel gives them.
	return w.dispatch(i, compress(runs), compress(enh))
}

// compress turns the high bits of eight bytes into eight low bits.
func compress(m uint64) uint64 {
	return (m >> 7) * 0x0102040810204080 >> 56
}

// dispatch sends each candidate of the block at i to its rule: bit k of
// runs is a byte i+k ending three digits, of enh a digit after "D.".
func (w *worker) dispatch(i int, runs, enh uint64) bool {
	m := runs | enh
	for m != 0 {
		k := bits.TrailingZeros64(m)
		m &= m - 1
		run := runs&(1<<k) != 0
		f := i + k - 2
		if run {
			f--
		}
		if f < w.rg.own0 {
			continue
		}
		if f >= w.rg.own1 && (w.pending < 0 || f >= w.pendingEnd) {
			return false
		}
		if run {
			// Most three digits are glued to what comes before them (an
			// ID, an address, a path): basic's first test, without the call.
			if f > 0 && !boundary[w.rg.buf[f-1]] && w.rg.buf[f-1] != '#' && !codeBoundary(w.rg.buf, f) {
				continue
			}
			w.basic(f)
		} else {
			w.enhancedOnly(f)
		}
	}
	return true
}

// lineNumber is how many newlines of the region's own part come before f.
func (w *worker) lineNumber(f int) int64 { return w.nls.count(f) - w.nl0 }

var nl = []byte{'\n'}
