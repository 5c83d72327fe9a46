package i18n

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/smtpcode/smtpcode/codes"
	"github.com/smtpcode/smtpcode/mock"
	"github.com/smtpcode/smtpcode/snippets"
)

const dataDir = "../../codes/data/i18n"

// prose lists the texts of an entry a reader reads as prose: every one of
// them needs a translation. Codes, reply texts, wire lines, sources and
// URLs stay as they are.
func prose(e *codes.Entry) []string {
	out := []string{e.Title, e.Meaning}
	if e.When != "" {
		out = append(out, e.When)
	}
	if e.Description != "" {
		out = append(out, e.Description)
	}
	for _, x := range e.Extensions {
		out = append(out, x.Meaning)
	}
	for _, c := range e.Causes {
		if c.Cause != "" { // an example reply may stand alone
			out = append(out, c.Cause)
		}
	}
	for _, r := range e.References {
		if r.Note != "" {
			out = append(out, r.Note)
		}
	}
	return out
}

// uiTexts collects the texts of the interface that need a translation:
// those the code passes to T, F and N, and in the command package (whose
// help, flags and errors are translated as a whole tree and at print time)
// the commands' Short and Long, the flags' usages, and the formats of
// usage errors and of fmt.Errorf. A call on a non-literal (a catalogue
// text) is not collected.
func uiTexts(t *testing.T) map[string]string {
	t.Helper()
	root := "../.."
	texts := map[string]string{}
	fset := token.NewFileSet()
	var files []*ast.File
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "testdata" || strings.HasPrefix(n, ".") && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, "_gen.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The command package's string constants (a Long: environmentHelp).
	consts := map[string]string{}
	for _, f := range files {
		if f.Name.Name != "main" {
			continue
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, sp := range g.Specs {
				vs := sp.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						if v, ok := constString(vs.Values[i]); ok {
							consts[n.Name] = v
						}
					}
				}
			}
		}
	}
	value := func(e ast.Expr) (string, bool) {
		if id, ok := e.(*ast.Ident); ok {
			v, ok := consts[id.Name]
			return v, ok
		}
		return constString(e)
	}
	add := func(e ast.Expr) {
		if s, ok := value(e); ok && strings.TrimSpace(s) != "" {
			texts[s] = fset.Position(e.Pos()).String()
		}
	}
	for _, f := range files {
		cmdPkg := f.Name.Name == "main" && strings.Contains(fset.Position(f.Pos()).Filename, filepath.Join("cmd", "smtpcode"))
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.Ident); ok && cmdPkg && (k.Name == "Short" || k.Name == "Long") {
					if _, ok := value(n.Value); ok {
						add(n.Value)
						break
					}
					// A help text built around another package's text is
					// translated paragraph by paragraph: its own whole
					// paragraphs are texts.
					for _, p := range ownParagraphs(n.Value) {
						texts[p] = fset.Position(n.Value.Pos()).String()
					}
				}
			case *ast.CallExpr:
				if len(n.Args) == 0 {
					return true
				}
				var name, recv string
				switch fn := n.Fun.(type) {
				case *ast.SelectorExpr:
					name = fn.Sel.Name
					if id, ok := fn.X.(*ast.Ident); ok {
						recv = id.Name
					}
				case *ast.Ident:
					name = fn.Name
				}
				switch {
				case name == "T" || name == "F", name == "N" && recv == "i18n":
					add(n.Args[0])
				case !cmdPkg:
				case name == "usageErrorf" && len(n.Args) >= 2:
					add(n.Args[0])
					add(n.Args[1])
				case name == "Errorf" && recv == "fmt", name == "New" && recv == "errors":
					add(n.Args[0])
				case flagDefiner.MatchString(name) && len(n.Args) >= 3 && recv != "fmt" && recv != "strconv" && recv != "os" && recv != "strings":
					// A flag's name, default and usage (at least three
					// arguments): not a JSON writer's o.String(key, value).
					add(n.Args[len(n.Args)-1])
				}
			}
			return true
		})
	}
	// The catalogue's words for classes, actions and actors, which the
	// pages translate as they print them.
	for c := 2; c <= 5; c++ {
		texts[codes.ClassMeaning(c)] = "codes.ClassMeaning"
		texts[codes.ClassName(c)] = "codes.ClassName"
	}
	for _, a := range []codes.Action{codes.ActionNone, codes.ActionContinue, codes.ActionRetry, codes.ActionFix, codes.ActionGiveUp} {
		texts[a.Describe()] = "codes.Action.Describe"
	}
	for _, a := range []codes.Actor{codes.ActorNone, codes.ActorSender, codes.ActorSenderAdmin, codes.ActorRecipientAdmin} {
		texts[a.Describe()] = "codes.Actor.Describe"
	}
	// What limits a framework's verification, which frameworks prints.
	for _, f := range snippets.Frameworks() {
		if f.Note != "" {
			texts[f.Note] = "snippets.Framework.Note"
		}
	}
	// The mock's rule syntax, a paragraph of mock --help as cmd/smtpcode
	// builds it around the mock package's text.
	texts["A rule is "+strings.ReplaceAll(mock.RuleSyntax, "\n", "\n  ")] = "mock.RuleSyntax in mock --help"

	return texts
}

// ownParagraphs are the whole paragraphs of a sum of literals and other
// operands ("text\n\nA rule is " + mock.RuleSyntax + "\n\nRules ..."):
// those not joined to a non-literal operand.
func ownParagraphs(e ast.Expr) []string {
	var ops []ast.Expr
	var flatten func(ast.Expr)
	flatten = func(e ast.Expr) {
		if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.ADD {
			flatten(b.X)
			flatten(b.Y)
			return
		}
		ops = append(ops, e)
	}
	flatten(e)
	var out []string
	for i, op := range ops {
		s, ok := constString(op)
		if !ok {
			continue
		}
		paras := strings.Split(s, "\n\n")
		lo, hi := 0, len(paras)
		if i > 0 {
			lo = 1
		}
		if i < len(ops)-1 {
			hi--
		}
		for _, p := range paras[min(lo, hi):hi] {
			if strings.TrimSpace(p) != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// flagDefiner matches pflag's flag definitions, whose last argument is the
// usage: StringVar, BoolVarP, IntP, DurationVar, ...
var flagDefiner = regexp.MustCompile(`^(String|Bool|Int|Int64|Uint|Float64|Duration|StringSlice|StringArray|Count)(Var)?P?$`)

// constString folds a string literal, or a sum of them.
func constString(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := constString(e.X)
		b, ok2 := constString(e.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return constString(e.X)
	}
	return "", false
}

type filePair struct {
	where, en, tr string
}

// readPairs reads a language's file as the generator does.
func readPairs(t *testing.T, l Lang) []filePair {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dataDir, l.Code()+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		UI        []map[string]string `json:"ui"`
		Catalogue []struct {
			Code  string              `json:"code"`
			Texts []map[string]string `json:"texts"`
		} `json:"catalogue"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	var out []filePair
	for _, p := range f.UI {
		out = append(out, filePair{"ui", p["en"], p[l.Code()]})
	}
	for _, g := range f.Catalogue {
		for _, p := range g.Texts {
			out = append(out, filePair{g.Code, p["en"], p[l.Code()]})
		}
	}
	return out
}

// TestCatalogueTranslated fails when an entry's prose lacks a translation:
// a new entry, or an English text edited since it was translated.
func TestCatalogueTranslated(t *testing.T) {
	for _, l := range Langs[1:] {
		missing := 0
		for i := range codes.All() {
			e := &codes.All()[i]
			for _, s := range prose(e) {
				if _, ok := l.Lookup(s); !ok {
					missing++
					if missing <= 20 {
						t.Errorf("%s: %s has no %s text for %q", l, e.Code, l, s)
					}
				}
			}
		}
		if missing > 0 {
			t.Errorf("%s: %d catalogue texts lack a translation: add them to codes/data/i18n/%s.json and run go generate ./internal/i18n", l, missing, l)
		}
	}
}

// TestUITranslated fails when a text the code translates (T, F, N) has no
// translation.
func TestUITranslated(t *testing.T) {
	ui := uiTexts(t)
	keys := make([]string, 0, len(ui))
	for k := range ui {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, l := range Langs[1:] {
		for _, k := range keys {
			if _, ok := l.Lookup(k); !ok {
				t.Errorf("%s: %s: no %s text for %q", ui[k], l, l, k)
			}
		}
	}
}

// TestNoUnusedTranslations keeps the files honest: a translation whose
// English text no entry and no code uses any more is stale.
func TestNoUnusedTranslations(t *testing.T) {
	used := map[string]bool{}
	for k := range uiTexts(t) {
		used[k] = true
	}
	for i := range codes.All() {
		for _, s := range prose(&codes.All()[i]) {
			used[s] = true
		}
	}
	for _, l := range Langs[1:] {
		for _, p := range readPairs(t, l) {
			if !used[p.en] {
				t.Errorf("%s.json (%s): %q is used nowhere: remove it, or retranslate the text that replaced it", l, p.where, p.en)
			}
		}
	}
}

var (
	verbRe  = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)
	angleRe = regexp.MustCompile(`<[a-z][a-z-]*>`)
	// codeRe finds the codes a text names: 550, 5.7.1, X.7.1, 4.7.500-699.
	codeRe = regexp.MustCompile(`\b([2-5X]\.\d{1,3}\.\d{1,3}(-\d+)?|[2-5]\d\d)\b`)
	// quotedReplyRe finds a server reply quoted in a text: "550 5.1.1 ...".
	quotedReplyRe = regexp.MustCompile(`"([2-5]\d\d[ -][^"]*)"`)
)

// verbs lists a format's verbs with the operand each takes, as fmt counts
// them: "%s %[1]q %d" is 1:s 1:q 2:d.
func verbs(s string) []string {
	var out []string
	n := 0
	for _, m := range verbRe.FindAllStringSubmatch(s, -1) {
		v := m[0][len(m[0])-1:]
		if v == "%" {
			continue
		}
		if m[1] != "" {
			n, _ = strconv.Atoi(m[1][1 : len(m[1])-1])
		} else {
			n++
		}
		out = append(out, strconv.Itoa(n)+":"+v)
	}
	sort.Strings(out)
	return out
}

func multiset(re *regexp.Regexp, s string) []string {
	m := re.FindAllString(s, -1)
	sort.Strings(m)
	return m
}

// TestPlaceholders: a translation keeps the English text's format verbs,
// <placeholders>, the codes it names and the server replies it quotes.
func TestPlaceholders(t *testing.T) {
	for _, l := range Langs[1:] {
		for _, p := range readPairs(t, l) {
			if a, b := verbs(p.en), verbs(p.tr); !slices.Equal(a, b) {
				t.Errorf("%s (%s): format verbs %v in English, %v in the translation:\n\t%s\n\t%s", l, p.where, a, b, p.en, p.tr)
			}
			if a, b := multiset(angleRe, p.en), multiset(angleRe, p.tr); !slices.Equal(a, b) {
				t.Errorf("%s (%s): placeholders %v in English, %v in the translation:\n\t%s\n\t%s", l, p.where, a, b, p.en, p.tr)
			}
			for _, c := range codeRe.FindAllString(p.en, -1) {
				if !strings.Contains(p.tr, c) {
					t.Errorf("%s (%s): the translation drops the code %s:\n\t%s\n\t%s", l, p.where, c, p.en, p.tr)
				}
			}
			for _, m := range quotedReplyRe.FindAllStringSubmatch(p.en, -1) {
				if !strings.Contains(p.tr, m[1]) {
					t.Errorf("%s (%s): the translation changes the quoted reply %q:\n\t%s", l, p.where, m[1], p.tr)
				}
			}
		}
	}
}

type glossaryTerm struct {
	En    string   `json:"en"`
	Tr    string   `json:"ko"`
	Also  []string `json:"also"`
	Avoid []string `json:"avoid"`
	Note  string   `json:"note"`
}

// TestGlossary enforces the core terms: where the catalogue's English uses
// a term (in lower case, outside quotes and URLs: capitalised it is mostly
// a name or a registry title), the translation uses the glossary's word;
// and no translation, of the catalogue or of the interface, uses a word
// the glossary rules out.
func TestGlossary(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(dataDir, "glossary.ko.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Terms []glossaryTerm `json:"terms"`
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Terms) < 10 {
		t.Fatalf("the glossary has %d terms; the core terms are missing", len(g.Terms))
	}
	quoted := regexp.MustCompile(`"[^"]*"`)
	urlRe := regexp.MustCompile(`https?://\S+`)
	pairs := readPairs(t, Korean)
	for _, term := range g.Terms {
		re := regexp.MustCompile(`\b` + regexp.QuoteMeta(term.En) + `(s|es)?\b`)
		want := append([]string{term.Tr}, term.Also...)
		for _, p := range pairs {
			en := urlRe.ReplaceAllString(quoted.ReplaceAllString(p.en, `""`), "")
			// The interface's texts name flags, JSON values and search
			// examples in English (--max-recipients, sender-admin,
			// "search mailbox full"): the rule holds for the catalogue's
			// prose.
			if p.where != "ui" && re.MatchString(en) && !containsAny(p.tr, want) {
				t.Errorf("glossary: %q is %v (%s):\n\t%s\n\t%s", term.En, want, p.where, p.en, p.tr)
			}
			for _, bad := range term.Avoid {
				if strings.Contains(p.tr, bad) {
					t.Errorf("glossary: write %q, not %q (%s): %s", term.Tr, bad, p.where, p.tr)
				}
			}
		}
	}
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}
