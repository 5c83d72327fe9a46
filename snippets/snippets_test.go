package snippets

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"

	"github.com/smtpcode/smtpcode/codes"
	"github.com/smtpcode/smtpcode/snippets/internal/lexergen"
	"github.com/smtpcode/smtpcode/snippets/internal/lexers"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// allReplies is every basic code of the catalogue, as a snippet gets it,
// plus the representative cases.
func allReplies(t *testing.T) []Reply {
	t.Helper()
	var rs []Reply
	for _, e := range codes.All() {
		if e.Kind != codes.Basic {
			continue
		}
		r, err := Lookup(e.Code)
		if err != nil {
			t.Fatalf("%s: %v", e.Code, err)
		}
		rs = append(rs, r)
	}
	for _, c := range cases {
		rs = append(rs, c.reply())
	}
	return rs
}

func TestEveryTemplateIsRegistered(t *testing.T) {
	entries, err := filepath.Glob("../templates/*.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := strings.TrimSuffix(filepath.Base(e), ".tmpl")
		if strings.HasPrefix(name, "_") {
			continue
		}
		if _, ok := Find(name); !ok {
			t.Errorf("templates/%s.tmpl has no registry line", name)
		}
	}
	for _, f := range Frameworks() {
		if _, err := os.Stat("../templates/" + f.Name + ".tmpl"); err != nil {
			t.Errorf("%s: no template: %v", f.Name, err)
		}
	}
}

// TestSnippetsTokenise renders every framework for every code it applies
// to and tokenises it with chroma: no error token anywhere.
func TestSnippetsTokenise(t *testing.T) {
	for _, f := range Frameworks() {
		t.Run(f.Name, func(t *testing.T) {
			lexer, err := lexers.Lexer(f.Language)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, r := range allReplies(t) {
				if !f.Applies(r) {
					continue
				}
				src, err := RenderReply(r, f)
				if err != nil {
					t.Fatalf("%s: %v", r, err)
				}
				it, err := lexer.Tokenise(nil, src)
				if err != nil {
					t.Fatal(err)
				}
				for _, tok := range it.Tokens() {
					if tok.Type == chroma.Error {
						t.Errorf("%s: error token %q in:\n%s", r, tok.Value, src)
						break
					}
				}
				n++
			}
			if n == 0 {
				t.Error("applies to no code")
			}
		})
	}
}

// TestLexersFresh fails when snippets/internal/lexers is stale: run go generate
// ./snippets after updating chroma.
func TestLexersFresh(t *testing.T) {
	for _, name := range lexergen.Languages {
		want, err := lexergen.XML(name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("internal", "lexers", lexergen.FileName(name)))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("internal/lexers/%s is stale: run go generate ./snippets", lexergen.FileName(name))
		}
	}
}

func TestMapping(t *testing.T) {
	for _, tt := range []struct {
		code     int
		enhanced string
		status   int
		retry    int
	}{
		{421, "4.7.0", 503, RetryAfter},
		{452, "4.5.3", 503, RetryAfter},
		{550, "5.1.1", 422, 0},
		{553, "5.1.3", 422, 0},
		{550, "5.1.8", 502, 0}, // the sender: the API's own address
		{550, "5.7.1", 502, 0},
		{502, "5.5.1", 502, 0},
		{530, "5.7.0", 500, 0},
		{535, "5.7.8", 500, 0},
		{454, "4.7.0", 503, RetryAfter},
		{250, "2.0.0", 202, 0},
		{354, "", 202, 0},
	} {
		h := Mapping(tt.code, tt.enhanced)
		if h.Status != tt.status || h.RetryAfter != tt.retry || h.Title == "" {
			t.Errorf("Mapping(%d, %q) = %+v, want %d retry %d", tt.code, tt.enhanced, h, tt.status, tt.retry)
		}
		if h.Status == 401 || h.Status == 403 {
			t.Errorf("Mapping(%d) = %d: never 401/403", tt.code, h.Status)
		}
	}
}

func TestHTTPResponse(t *testing.T) {
	got := HTTPResponse(550, "5.1.1", "User unknown")
	want := "HTTP/1.1 422 Unprocessable Content\nContent-Type: application/problem+json\nContent-Length: 159\n\n" +
		`{"type":"about:blank","title":"Unprocessable Content","status":422,"detail":"mail server replied: User unknown","smtp_code":550,"smtp_enhanced_status":"5.1.1"}`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := HTTPResponse(421, "4.7.0", "Try later"); !strings.Contains(got, "Retry-After: 300\n") {
		t.Errorf("no Retry-After:\n%s", got)
	}
}

func TestLookup(t *testing.T) {
	r, err := Lookup("550-5.7.1 Message rejected")
	if err != nil {
		t.Fatal(err)
	}
	if r.Code != 550 || r.Enhanced != "5.7.1" || r.Text != "Message rejected" {
		t.Errorf("got %+v", r)
	}
	for _, bad := range []string{"5xx", "5.1.1", "abc", ""} {
		if _, err := Lookup(bad); err == nil {
			t.Errorf("Lookup(%q): no error", bad)
		}
	}
}

func TestQuoting(t *testing.T) {
	// A reply text that would end a literal or start an interpolation.
	r := Reply{Code: 550, Enhanced: "5.7.1", Text: `it's "#{x}" $y \ */ '''`, Commands: []string{"RCPT"}}
	for _, f := range Frameworks() {
		if !f.Applies(r) {
			continue
		}
		src, err := RenderReply(r, f)
		if err != nil {
			t.Fatal(err)
		}
		toks, err := lexers.Tokens(f.Language, src)
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range toks {
			if tok.Type == chroma.Error {
				t.Errorf("%s: error token %q", f.Name, tok.Value)
				break
			}
		}
	}
}

// TestParsedSnippets runs a real parser over the snippets whose runtime
// cannot be installed: javac's parser for Spring Boot, mcs --parse for
// ASP.NET Core and MailKit, rustfmt (rustc's parser) for lettre.
func TestParsedSnippets(t *testing.T) {
	parsers := map[string]func(t *testing.T, file string) ([]byte, error){
		"java": func(t *testing.T, file string) ([]byte, error) {
			java := need(t, "java")
			check, _ := filepath.Abs("testdata/ParseCheck.java")
			return exec.Command(java, check, file).CombinedOutput()
		},
		"c#": func(t *testing.T, file string) ([]byte, error) {
			mcs := need(t, "mcs")
			return exec.Command(mcs, "--parse", file).CombinedOutput()
		},
		"rust": func(t *testing.T, file string) ([]byte, error) {
			// rustfmt fails on a syntax error; --emit stdout leaves the
			// file alone and does not judge the formatting.
			return exec.Command(rustfmt(t), "--edition", "2021", "--emit", "stdout", file).CombinedOutput()
		},
	}
	for _, f := range Frameworks() {
		if f.Level != Parsed {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			parse := parsers[f.Language]
			if parse == nil {
				t.Fatalf("no parser for %s", f.Language)
			}
			for _, c := range cases {
				src, err := RenderReply(c.reply(), f)
				if err != nil {
					t.Fatal(err)
				}
				name := "MessageController." + f.Ext
				file := filepath.Join(writeSource(t, name, src), name)
				if out, err := parse(t, file); err != nil {
					t.Errorf("%s: %v\n%s", c.name(), err, out)
				}
			}
		})
	}
}

// TestServerStage checks where each server library answers catalogue
// replies that belong outside the transaction.
func TestServerStage(t *testing.T) {
	for _, tt := range []struct {
		code, framework, stage string
		note                   bool
	}{
		{"421", "smtp-server", StageConnect, false},
		{"421", "go-smtp", StageEHLO, true},
		{"421", "aiosmtpd", StageEHLO, true},
		{"535", "go-smtp", StageAuth, false},
		{"504", "aiosmtpd", StageAuth, false},
		{"502", "aiosmtpd", StageVRFY, false},
		{"502", "smtp-server", StageMail, true},
		{"550", "go-smtp", StageRcpt, false},
		{"354", "go-smtp", "", false}, // positive: no server snippet
	} {
		r, err := Lookup(tt.code)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := Find(tt.framework)
		if tt.stage == "" {
			if f.Applies(r) {
				t.Errorf("%s %s: applies", tt.code, tt.framework)
			}
			continue
		}
		stage, note := r.ServerStage(f)
		if stage != tt.stage || (note != "") != tt.note {
			t.Errorf("%s %s: %s %q, want %s (note %v)", tt.code, tt.framework, stage, note, tt.stage, tt.note)
		}
	}
}

// rustfmt finds rustfmt on PATH or where rustup puts it, $HOME/.cargo/bin
// (not always on PATH), like need otherwise.
func rustfmt(t *testing.T) string {
	t.Helper()
	if path, err := exec.LookPath("rustfmt"); err == nil {
		return path
	}
	if home, err := os.UserHomeDir(); err == nil {
		path := filepath.Join(home, ".cargo", "bin", "rustfmt")
		if _, err := os.Stat(path); err == nil {
			return path
		}
	}
	missing(t, "rustfmt is missing (rustup component add rustfmt); see the README's test command")
	return ""
}
