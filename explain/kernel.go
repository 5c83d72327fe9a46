package explain

// kernelGo is what kernel computes, byte by byte: for each 16-byte block
// at i, i+16, ... while i < end and out has room, the bits of the block's
// bytes j where
//
//	runs(j) = !D(j) && !P(j) && D(j-1) && D(j-2) && R(j-3) && !D(j-4)
//	enh(j)  = D(j) && P(j-1) && E(j-2) && !D(j-3) && !P(j-3)
//
// (D: an ASCII digit, P: a dot, R: a digit 2 to 5, the classes a reply code
// starts with, E: 2, 4 or 5, an enhanced code's), stored as off<<32 | enh<<16 | runs for
// each block with a bit set. It reads b[i-4 : end+15]. The assembly
// versions are tested against it.
func kernelGo(b []byte, i, end int, out []uint64) (n, next int) {
	d := func(j int) bool { return isDigit(b[j]) }
	p := func(j int) bool { return b[j] == '.' }
	for ; i < end && n < len(out); i += 16 {
		var runs, enh uint64
		for k := range 16 {
			j := i + k
			if !d(j) && !p(j) && d(j-1) && d(j-2) && b[j-3] >= '2' && b[j-3] <= '5' && !d(j-4) {
				runs |= 1 << k
			}
			if d(j) && p(j-1) && (b[j-2] == '2' || b[j-2] == '4' || b[j-2] == '5') && !d(j-3) && !p(j-3) {
				enh |= 1 << k
			}
		}
		if runs|enh != 0 {
			out[n] = uint64(i)<<32 | enh<<16 | runs
			n++
		}
	}
	return n, i
}
