package explain

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestKernelMatchesDefinition checks the assembly kernel against kernelGo on
// random bytes drawn mostly from digits, dots and blanks, where the
// patterns are dense.
func TestKernelMatchesDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("0123456789..  -a\n")
	for round := range 200 {
		b := make([]byte, 20+r.IntN(600))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		end := len(b) - 16
		got := make([]uint64, 64)
		want := make([]uint64, 64)
		gn, gnext := kernel(b, 4, end, got)
		wn, wnext := kernelGo(b, 4, end, want)
		if gn != wn || gnext != wnext || !slices.Equal(got[:gn], want[:wn]) {
			t.Fatalf("round %d: kernel = %d %d %x, want %d %d %x", round, gn, gnext, got[:gn], wn, wnext, want[:wn])
		}
	}
}

// TestKernelStopsWhenOutIsFull checks that a short out makes the kernel stop
// at the block after the last one it stored, so a caller can go on there.
func TestKernelStopsWhenOutIsFull(t *testing.T) {
	b := []byte("xxxx550 a 550 b 550 c 550 d 550 e 550 f 550 g 550 h 550 i 550 j 550 k 550 l 550 m 550 nxxxxxxxxxxxxxxxxxxx")
	out := make([]uint64, 2)
	n, next := kernel(b, 4, len(b)-16, out)
	if n != 2 || next != 4+2*16 {
		t.Fatalf("kernel = %d, %d; want 2, %d", n, next, 4+2*16)
	}
}

// TestKernelInBatches runs the kernel as scan does, from odd starts and with
// short outs, and compares all it stores with kernelGo's.
func TestKernelInBatches(t *testing.T) {
	checkKernelInBatches(t)
}

func checkKernelInBatches(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte("0123456789..  -a\n")
	for round := range 300 {
		b := make([]byte, 20+r.IntN(900))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		end := len(b) - 16
		start := 4 + r.IntN(20)
		size := 1 + r.IntN(8)
		all := func(k func([]byte, int, int, []uint64) (int, int)) []uint64 {
			var got []uint64
			out := make([]uint64, size)
			for i := start; i < end; {
				n, next := k(b, i, end, out)
				got = append(got, out[:n]...)
				if next <= i {
					t.Fatalf("round %d: no progress at %d", round, i)
				}
				i = next
			}
			return got
		}
		if got, want := all(kernel), all(kernelGo); !slices.Equal(got, want) {
			t.Fatalf("round %d (start %d, out %d): kernel = %x, want %x", round, start, size, got, want)
		}
	}
}

// TestInReplyTo compares inReplyTo with bytes.Index.
func TestInReplyTo(t *testing.T) {
	for _, s := range []string{"", " ", "(in reply to ", " (in reply to ", "x(in reply to  (in reply to RCPT", "a (in reply (in reply to DATA", "((in reply to x (in reply to y", "(in reply to (in reply to  (in reply to "} {
		if got, want := inReplyTo([]byte(s)), strings.Index(s, " (in reply to "); got != want {
			t.Errorf("inReplyTo(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestNLIndex compares the newline index's answers with bytes.Count and
// bytes.LastIndexByte.
func TestNLIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	alphabet := []byte("\n\x0b\x8aa\n ")
	var x nlIndex
	for round := range 1000 {
		b := make([]byte, r.IntN(700))
		for i := range b {
			if r.IntN(8) == 0 {
				b[i] = alphabet[r.IntN(len(alphabet))]
			} else {
				b[i] = 'x'
			}
		}
		x.build(b)
		for range 20 {
			f := r.IntN(len(b) + 1)
			lo := max(0, f-r.IntN(300))
			if got, want := x.count(f), int64(bytes.Count(b[:f], []byte("\n"))); got != want {
				t.Fatalf("round %d: count(%d) = %d, want %d", round, f, got, want)
			}
			want := bytes.LastIndexByte(b[lo:f], '\n')
			if want >= 0 {
				want += lo
			}
			if got := x.last(lo, f); got != want {
				t.Fatalf("round %d: last(%d, %d) = %d, want %d in %q", round, lo, f, got, want, b)
			}
		}
	}
}

// TestIndexInReplyTo compares indexInReplyTo with bytes.Index.
func TestIndexInReplyTo(t *testing.T) {
	for _, s := range []string{"", "(", "(in reply to ", "x (in reply to RCPT", "((in reply to", "(in reply t", "a (b) (in reply to DATA (in reply to x", "(in reply to(in reply to "} {
		if got, want := indexInReplyTo([]byte(s)), strings.Index(s, "(in reply to "); got != want {
			t.Errorf("indexInReplyTo(%q) = %d, want %d", s, got, want)
		}
	}
}
