package explain

import (
	"bytes"
	"os"
	"testing"
)

// benchInput is the log the benchmarks read: $EXPLAIN_BENCH_FILE when set
// (see scripts/bench-explain.sh), else the test corpus repeated to 32 MB.
func benchInput(b *testing.B) []byte {
	if p := os.Getenv("EXPLAIN_BENCH_FILE"); p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	corpus, err := os.ReadFile("testdata/postfix.txt")
	if err != nil {
		b.Skip("no corpus")
	}
	return bytes.Repeat(corpus, (32<<20)/len(corpus)+1)
}

func BenchmarkScan(b *testing.B) {
	data := benchInput(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Scan(bytes.NewReader(data), Options{}, func(*Reply) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScanOneWorker(b *testing.B) {
	data := benchInput(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Scan(bytes.NewReader(data), Options{Workers: 1}, func(*Reply) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScanFile(b *testing.B) {
	p := os.Getenv("EXPLAIN_BENCH_FILE")
	if p == "" {
		b.Skip("set EXPLAIN_BENCH_FILE")
	}
	st, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Scan(f, Options{}, func(*Reply) error { return nil }); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}
