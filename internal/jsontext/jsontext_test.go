package jsontext

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
)

// marshal is what encoding/json writes for v with HTML escaping off.
func marshal(t testing.TB, v any) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

var strs = []string{
	"", "plain", `"quoted" \back\`, "ctl \x00\x01\x1f\x7f tab\t nl\n cr\r",
	"<html> & 'amp'", "héllo ✓ 日本 🙂", "bad \xff\xfe utf-8 \xc3", "line\u2028sep\u2029",
}

func FuzzAppendString(f *testing.F) {
	for _, s := range strs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(AppendString(nil, s)), marshal(t, s); got != want {
			t.Fatalf("AppendString(%q) = %s, encoding/json %s", s, got, want)
		}
	})
}

func TestAppendFloat(t *testing.T) {
	for _, f := range []float64{0, 1, -1, 0.5, 1.0 / 3, 123.456, 1e-6, 9.99e-7, 1e-7, 1e20, 1e21, 1.5e300, -2.5e-10, 42.125, math.SmallestNonzeroFloat64, math.MaxFloat64} {
		if got, want := string(AppendFloat(nil, f)), marshal(t, f); got != want {
			t.Errorf("AppendFloat(%v) = %s, encoding/json %s", f, got, want)
		}
	}
	if got := string(AppendFloat(nil, math.NaN())); got != "null" {
		t.Errorf("NaN: %s", got)
	}
}

func TestObject(t *testing.T) {
	type inner struct {
		A int `json:"a"`
	}
	type all struct {
		S    string   `json:"s"`
		SO   string   `json:"so,omitempty"`
		SE   string   `json:"se,omitempty"`
		P    *string  `json:"p"`
		PN   *string  `json:"pn"`
		N    int64    `json:"n"`
		NO   int64    `json:"no,omitempty"`
		B    bool     `json:"b"`
		F    float64  `json:"f"`
		L    []string `json:"l"`
		LN   []string `json:"ln"`
		LE   []string `json:"le"`
		LO   []string `json:"lo,omitempty"`
		Sub  inner    `json:"sub"`
		Null *inner   `json:"null"`
		I    *int     `json:"i"`
		IN   *int     `json:"in"`
	}
	p, seven := "p\"", 7
	v := all{S: "s<>", P: &p, N: -7, B: true, F: 0.25, L: []string{"x", "y\n"}, LE: []string{}, Sub: inner{A: 3}}
	o := Begin([]byte("prefix "))
	o.String("s", v.S)
	o.StringOmit("so", "kept")
	o.StringOmit("se", "")
	o.StringOrNull("p", v.P)
	o.StringOrNull("pn", nil)
	o.Int("n", v.N)
	o.IntOmit("no", 0)
	o.Bool("b", v.B)
	o.Float("f", v.F)
	o.Strings("l", v.L)
	o.Strings("ln", nil)
	o.Strings("le", v.LE)
	o.StringsOmit("lo", []string{})
	o.Raw("sub", []byte(`{"a":3}`))
	o.Null("null")
	o.IntOrNull("i", &seven)
	o.IntOrNull("in", nil)
	v.SO, v.I = "kept", &seven
	if got, want := string(o.End()), "prefix "+marshal(t, v); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := string(func() []byte { o := Begin(nil); return o.End() }()); got != "{}" {
		t.Errorf("empty object: %s", got)
	}
}

var indentInputs = []string{
	`[]`, `{}`, `[{}]`, `{"a":[]}`, `[1,2,{"a":"b,c:d","e":[true,false,null]}]`,
	`{"s":"brace { and [ in \"a\" string ] }","n":-1.5e-7,"o":{"x":{"y":[[],[{}]]}}}`,
	`["\\","\\\"",":,"]`, `"top"`, `3`,
}

func FuzzIndent(f *testing.F) {
	for _, s := range indentInputs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Indent's input is compact JSON, as this package writes it.
		var compact bytes.Buffer
		if json.Compact(&compact, []byte(s)) != nil {
			return
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		if got := Indent(nil, compact.Bytes(), "  "); string(got) != want.String() {
			t.Fatalf("Indent(%s) =\n%s\nencoding/json:\n%s", compact.Bytes(), got, want.Bytes())
		}
	})
}

// TestAppendStringEveryPosition puts each byte that needs a look of its own
// at each position of a longer plain string, where AppendString skips
// eight bytes at a time.
func TestAppendStringEveryPosition(t *testing.T) {
	for _, odd := range []string{"\x00", "\x1f", "\x7f", "\x80", "\xff", `"`, `\`, "\n", "é", "\u2028", " ", "!", "#", "[", "]", "~"} {
		for i := 0; i <= 24; i++ {
			s := "abcdefghijklmnopqrstuvwx"[:i] + odd + "ABCDEFGHIJKLMNOPQRSTUVWX"[i:]
			want := marshal(t, s)
			if got := string(AppendString(nil, s)); got != want {
				t.Fatalf("AppendString(%q) = %s, encoding/json %s", s, got, want)
			}
			if got := string(AppendString(nil, []byte(s))); got != want {
				t.Fatalf("AppendString([]byte(%q)) = %s, encoding/json %s", s, got, want)
			}
		}
	}
}

func BenchmarkAppendString(b *testing.B) {
	text := []byte("552 5.2.2 <user94141@example.net>: Mailbox full (in reply to end of DATA command)")
	short := []string{"5.2.2", "DATA-END", "postfix", "Microsoft 365"}
	buf := make([]byte, 0, 4096)
	for b.Loop() {
		buf = AppendString(buf[:0], text)
		for _, s := range short {
			buf = AppendString(buf, s)
		}
	}
}
