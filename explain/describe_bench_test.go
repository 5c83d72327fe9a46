package explain

import (
	"os"
	"testing"
)

// BenchmarkDescribe describes the replies of the test corpora, each many
// times: the cost explain pays per reply on top of the scan.
func BenchmarkDescribe(b *testing.B) {
	var rs []Reply
	for _, f := range []string{"testdata/postfix.txt", "testdata/exchange.txt", "testdata/exim.txt"} {
		data, _ := os.ReadFile(f)
		ScanBytes(data, false, func(r *Reply) error {
			c := *r
			c.Text = append([]byte(nil), r.Text...)
			rs = append(rs, c)
			return nil
		})
	}
	b.ReportAllocs()
	d := NewDescriber()
	for b.Loop() {
		for i := range rs {
			d.Describe(&rs[i])
		}
	}
	b.ReportMetric(float64(len(rs)), "replies")
}
