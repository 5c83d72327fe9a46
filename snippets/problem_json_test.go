package snippets

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestProblemJSONMatchesEncodingJSON: the hand-written body is what
// encoding/json writes, for awkward texts too.
func TestProblemJSONMatchesEncodingJSON(t *testing.T) {
	texts := []string{"User unknown", `say "hi" \ there`, "tab\there\nnewline", "<html>&amp;", "ünïcødé \u2028 sep", "\x00\x1f ctl", "bad \xff utf8", ""}
	for _, basic := range []int{421, 452, 535, 550, 552, 250} {
		for _, enh := range []string{"", "5.1.1", "4.7.0"} {
			for _, text := range texts {
				p := ProblemFor(basic, enh, text)
				var b bytes.Buffer
				enc := json.NewEncoder(&b)
				enc.SetEscapeHTML(false)
				if err := enc.Encode(p); err != nil {
					t.Fatal(err)
				}
				if want := strings.TrimSuffix(b.String(), "\n"); p.JSON() != want {
					t.Errorf("%d %q %q:\n got %s\nwant %s", basic, enh, text, p.JSON(), want)
				}
			}
		}
	}
}
