package snippets

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"text/template"

	"github.com/smtpcode/smtpcode/templates"
)

// quoterNames are the names quoter knows.
var quoterNames = [...]string{"go", "py", "js", "java", "cs", "rb", "php", "comment", "enhancedList"}

// textTemplate renders a framework's snippet with text/template, the
// language the templates are written in, for comparison.
func textTemplate(t *testing.T, r Reply, f Framework) string {
	t.Helper()
	funcs := template.FuncMap{"doc": doc}
	for _, name := range quoterNames {
		funcs[name] = quoter(name)
	}
	tt, err := template.New(f.Name).Funcs(funcs).ParseFS(templates.FS, "_*.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	src, err := templates.FS.ReadFile(f.Name + ".tmpl")
	if err != nil {
		t.Fatal(err)
	}
	if tt, err = tt.New(f.Name).Parse(string(src)); err != nil {
		t.Fatal(err)
	}
	d := dataFor(r, f)
	var b bytes.Buffer
	if err := tt.Execute(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestTmplLikeText renders every template for every catalogue reply and
// for replies with hostile texts, with smtpcode's executor and with
// text/template: the two must agree byte for byte.
func TestTmplLikeText(t *testing.T) {
	replies := allReplies(t)
	for _, in := range customReplies(t) {
		if r, err := Lookup(in); err == nil {
			replies = append(replies, r)
		}
	}
	n := 0
	for _, f := range Frameworks() {
		for _, r := range replies {
			if !f.Applies(r) {
				continue
			}
			got, err := RenderReply(r, f)
			if err != nil {
				t.Fatalf("%s %s: %v", f.Name, r.Line(), err)
			}
			if want := textTemplate(t, r, f); got != want {
				t.Fatalf("%s %q: differs from text/template\n--- got\n%s\n--- want\n%s", f.Name, r.Line(), got, want)
			}
			n++
		}
	}
	t.Logf("%d snippets identical", n)
}

// TestTmplSubset checks the constructs the executor knows, the trimming
// rules, and that what it does not know is an error naming the file and
// line, never a wrong snippet.
func TestTmplSubset(t *testing.T) {
	r, err := Lookup("550 5.1.1 No such user")
	if err != nil {
		t.Fatal(err)
	}
	d := data{Reply: r, Line: r.Line(), Stage: "RCPT", RetryAfter: 120}
	for _, tt := range []struct{ name, src, want string }{
		{"field", "{{.Code}} {{.Enhanced}} {{.Text}}", "550 5.1.1 No such user"},
		{"func", "x = {{go .Text}}", `x = "No such user"`},
		{"nested", `{{js (printf "%s %s" .Enhanced .Text)}}`, `'5.1.1 No such user'`},
		{"if", `{{if eq .Stage "RCPT"}}rcpt{{else}}other{{end}}`, "rcpt"},
		{"else if", `{{if eq .Stage "MAIL"}}m{{else if eq .Stage "RCPT"}}r{{else}}o{{end}}`, "r"},
		{"else", `{{if eq .Stage "MAIL"}}m{{else if eq .Stage "DATA"}}d{{else}}o{{end}}`, "o"},
		{"truth", `{{if .StageNote}}note{{else}}none{{end}} {{if .RetryAfter}}{{.RetryAfter}}{{end}}`, "none 120"},
		{"trim", "a  \n\t{{- .Code -}}\n  b", "a550b"},
		{"no trim without space", "a {{.Code}} b", "a 550 b"},
		{"comment", "a{{/* note */}}b{{- /* trimmed */ -}} c", "abc"},
		{"define", `{{define "x"}}[{{.Code}}]{{end}}{{template "x" .}}{{template "x" .}}`, "[550][550]"},
		{"braces in a string", `{{printf "%s}}" .Enhanced}}`, "5.1.1}}"},
		{"braces in a comment", `a{{/* }} */}}b`, "ab"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			set, err := parseSet(fstest.MapFS{"t.tmpl": {Data: []byte(tt.src)}}, "t")
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := set.execute(&b, set.main, d); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
	for _, tt := range []struct{ src, want string }{
		{"{{.Nope}}", "t.tmpl:1: no field .Nope"},
		{"\n\n{{range .Commands}}", `t.tmpl:3: function "range" not defined`},
		{"{{if .Code}}x", "t.tmpl:1: unexpected end of template: missing {{end}}"},
		{"x{{end}}", "t.tmpl:1: unexpected {{end}}"},
		{"{{.Code", "t.tmpl:1: unclosed action"},
		{"a\nb\n{{.Code", "t.tmpl:3: unclosed action"},
		{"{{if .Code}}\n{{else}}\n{{else}}{{end}}", "t.tmpl:3: {{else}} after {{else}}"},
		{`{{go "x}}`, "t.tmpl:1: unclosed action"},
		{`{{go .Text .Title}}`, "wrong number of arguments for go"},
		{`{{printf}}`, "wrong number of arguments for printf"},
		{`{{go "a\q"}}`, `bad string "a\q"`},
		{"{{}}", "empty action"},
		{`{{if .Code}}a{{else}}b{{else}}c{{end}}`, "{{else}} after {{else}}"},
		{`{{template "x"}}`, `want a quoted name and .`},
	} {
		_, err := parseSet(fstest.MapFS{"t.tmpl": {Data: []byte(tt.src)}}, "t")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want one containing %q", tt.src, err, tt.want)
		}
	}
	// A template called but never defined fails when executed.
	set, err := parseSet(fstest.MapFS{"t.tmpl": {Data: []byte(`{{template "x" .}}`)}}, "t")
	if err != nil {
		t.Fatal(err)
	}
	if err := set.execute(new(strings.Builder), set.main, d); err == nil || !strings.Contains(err.Error(), `no template "x"`) {
		t.Errorf("undefined template: %v", err)
	}
	// Nor does a template that calls itself run away.
	set, err = parseSet(fstest.MapFS{"t.tmpl": {Data: []byte(`{{define "x"}}x{{template "x" .}}{{end}}{{template "x" .}}`)}}, "t")
	if err != nil {
		t.Fatal(err)
	}
	if err := set.execute(new(strings.Builder), set.main, d); err == nil || !strings.Contains(err.Error(), "nested deeper than") {
		t.Errorf("recursive template: %v", err)
	}
	// Twenty templates, each calling the next twice: a million calls.
	var chain strings.Builder
	for i := range 20 {
		fmt.Fprintf(&chain, `{{define "t%d"}}{{template "t%d" .}}{{template "t%d" .}}{{end}}`, i, i+1, i+1)
	}
	chain.WriteString(`{{define "t20"}}x{{end}}{{template "t0" .}}`)
	set, err = parseSet(fstest.MapFS{"t.tmpl": {Data: []byte(chain.String())}}, "t")
	if err != nil {
		t.Fatal(err)
	}
	if err := set.execute(new(strings.Builder), set.main, d); err == nil || !strings.Contains(err.Error(), "more than 10000 calls") {
		t.Errorf("exponential template: %v", err)
	}
}

// FuzzTmpl feeds the executor arbitrary templates: it must return a
// template or an error, never panic or hang, and a template it accepts
// must execute without panicking.
func FuzzTmpl(f *testing.F) {
	for _, name := range []string{"flask", "go-smtp", "nodemailer", "_python_problem"} {
		src, err := templates.FS.ReadFile(name + ".tmpl")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src))
	}
	for _, s := range []string{"{{", "}}", "{{-", "{{- -}}", "{{/*", `{{"\"}}`, "{{(((}}", "{{if}}{{end}}", `{{template "" .}}`, "{{else if}}", "{{printf}}", "{{.}}", "{{eq . .}}"} {
		f.Add(s)
	}
	r, err := Lookup("550 5.1.1 No such user")
	if err != nil {
		f.Fatal(err)
	}
	d := dataFor(r, frameworks[0])
	f.Fuzz(func(t *testing.T, src string) {
		set, err := parseSet(fstest.MapFS{"t.tmpl": {Data: []byte(src)}}, "t")
		if err != nil {
			return
		}
		_ = set.execute(new(strings.Builder), set.main, d)
	})
}
