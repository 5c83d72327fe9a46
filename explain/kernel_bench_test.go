package explain

import (
	"os"
	"testing"
)

// BenchmarkKernel runs the prefilter over a block that stays in cache: its
// speed apart from memory's.
func BenchmarkKernel(b *testing.B) {
	data, err := os.ReadFile("testdata/postfix.txt")
	if err != nil {
		b.Fatal(err)
	}
	for len(data) < 64<<10 {
		data = append(data, data...)
	}
	out := make([]uint64, 4096)
	b.SetBytes(int64(len(data) - 20))
	for b.Loop() {
		for i := 4; i < len(data)-16; {
			_, i = kernel(data, i, len(data)-16, out)
		}
	}
}
