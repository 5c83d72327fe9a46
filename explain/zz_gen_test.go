package explain

import (
	"os"
	"testing"
)

func BenchmarkGenlog(b *testing.B) {
	data, err := os.ReadFile("/tmp/er/smtpcode-bench-256M.log")
	if err != nil {
		b.Skip(err)
	}
	data = data[:64<<20]
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		ScanBytes(data, false, func(*Reply) error { return nil })
	}
}
