package snippets

// The snippet templates use a small subset of text/template, executed here
// rather than by text/template: text/template evaluates fields with
// reflect.Value.MethodByName, and a binary that can reach it keeps every
// exported method of every type (the linker cannot prove any unused), which
// cost smtpcode 1.7 MB and 0.9 MiB of memory at every start. TestTmplLikeText
// renders every template for every catalogue reply with both and compares.
//
// The subset:
//
//	text {{.Field}} {{func ARG...}} {{func (printf "%s" .A .B)}}
//	{{if eq .Field "value"}} ... {{else if .Field}} ... {{else}} ... {{end}}
//	{{define "name"}} ... {{end}}  {{template "name" .}}  {{/* comment */}}
//	{{- trims the whitespace before, -}} the whitespace after
//
// where ARG is ".", ".Field", a quoted string or a parenthesised call.

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// tmplSet is a parsed template and the shared parts it may call.
type tmplSet struct {
	defs  map[string][]tnode
	main  []tnode
	depth int // {{template}} calls being executed
	calls int // {{template}} calls executed
}

// maxDepth and maxCalls bound {{template}} calls, so that a template that
// calls itself fails rather than exhausting the stack or running for ever.
const (
	maxDepth = 100
	maxCalls = 10000
)

type tnode interface{}

type (
	ttext   string
	taction struct{ e texpr }
	tif     struct {
		cond      texpr
		then, els []tnode
	}
	tcall struct {
		name string
		arg  texpr
	}
)

// texpr is an operand: ".", ".Field", a string, or a function call.
type texpr struct {
	kind byte // '.', 'f' field, 's' string, 'c' call
	name string
	args []texpr
}

// parseSet parses the shared parts (_*.tmpl) and NAME.tmpl from fsys.
func parseSet(fsys fs.FS, name string) (*tmplSet, error) {
	set := &tmplSet{defs: map[string][]tnode{}}
	shared, err := fs.Glob(fsys, "_*.tmpl")
	if err != nil {
		return nil, err
	}
	for _, f := range shared {
		if _, err := set.parseFile(fsys, f); err != nil {
			return nil, err
		}
	}
	if set.main, err = set.parseFile(fsys, name+".tmpl"); err != nil {
		return nil, err
	}
	return set, nil
}

func (set *tmplSet) parseFile(fsys fs.FS, file string) ([]tnode, error) {
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, err
	}
	p := &tparser{set: set, file: file, src: string(src), line: 1}
	nodes, end, err := p.list(false)
	if err != nil {
		return nil, err
	}
	if end != "" {
		return nil, p.errorf("unexpected {{%s}}", end)
	}
	return nodes, nil
}

type tparser struct {
	set       *tmplSet
	file, src string
	pos, line int
	trimNext  bool // the last action ended with -}}
}

func (p *tparser) errorf(format string, args ...any) error {
	return fmt.Errorf("template %s:%d: %s", p.file, p.line, fmt.Sprintf(format, args...))
}

const tspace = " \t\r\n"

// list parses nodes up to the end of input (inBlock false) or up to an
// {{end}} or {{else ...}}, which it returns ("end", "else", "else if ...").
func (p *tparser) list(inBlock bool) ([]tnode, string, error) {
	var nodes []tnode
	for {
		i := strings.Index(p.src[p.pos:], "{{")
		text := p.src[p.pos:]
		if i >= 0 {
			text = text[:i]
		}
		if p.trimNext {
			text = strings.TrimLeft(text, tspace)
		}
		if i >= 0 {
			p.line += strings.Count(p.src[p.pos:p.pos+i], "\n")
		}
		body, trimLeft, trimRight, n, err := p.action(i)
		if err != nil {
			return nil, "", err
		}
		if trimLeft {
			text = strings.TrimRight(text, tspace)
		}
		if text != "" {
			nodes = append(nodes, ttext(text))
		}
		if i < 0 {
			if inBlock {
				return nil, "", p.errorf("unexpected end of template: missing {{end}}")
			}
			return nodes, "", nil
		}
		p.line += strings.Count(p.src[p.pos+i:p.pos+i+n], "\n")
		p.pos += i + n
		p.trimNext = trimRight
		words, err := p.words(body)
		if err != nil {
			return nil, "", err
		}
		if len(words) == 0 {
			if strings.HasPrefix(body, "/*") {
				continue // a comment
			}
			return nil, "", p.errorf("empty action")
		}
		switch words[0] {
		case "end":
			if len(words) != 1 {
				return nil, "", p.errorf("{{end}} takes nothing")
			}
			if !inBlock {
				return nil, "", p.errorf("unexpected {{end}}")
			}
			return nodes, "end", nil
		case "else":
			if !inBlock {
				return nil, "", p.errorf("unexpected {{else}}")
			}
			return nodes, body, nil
		case "if":
			n, err := p.ifNode(words[1:])
			if err != nil {
				return nil, "", err
			}
			nodes = append(nodes, n)
		case "define":
			name, err := p.name(words[1:], 1)
			if err != nil {
				return nil, "", err
			}
			if inBlock {
				return nil, "", p.errorf("{{define}} inside a block")
			}
			def, end, err := p.list(true)
			if err != nil {
				return nil, "", err
			}
			if end != "end" {
				return nil, "", p.errorf("{{else}} in {{define}}")
			}
			p.set.defs[name] = def
		case "template":
			name, err := p.name(words[1:], 2)
			if err != nil {
				return nil, "", err
			}
			arg, err := p.expr(words[2:3])
			if err != nil {
				return nil, "", err
			}
			nodes = append(nodes, tcall{name: name, arg: arg})
		default:
			e, err := p.expr(words)
			if err != nil {
				return nil, "", err
			}
			nodes = append(nodes, taction{e})
		}
	}
}

// action reads the action at p.pos+i: its body, its trim markers and its
// length up to and including "}}".
func (p *tparser) action(i int) (body string, trimLeft, trimRight bool, n int, err error) {
	if i < 0 {
		return "", false, false, 0, nil
	}
	rest := p.src[p.pos+i+2:]
	end := actionEnd(rest)
	if end < 0 {
		return "", false, false, 0, p.errorf("unclosed action")
	}
	body = rest[:end]
	if len(body) >= 2 && body[0] == '-' && strings.IndexByte(tspace, body[1]) >= 0 {
		trimLeft, body = true, body[2:]
	}
	if len(body) >= 2 && body[len(body)-1] == '-' && strings.IndexByte(tspace, body[len(body)-2]) >= 0 {
		trimRight, body = true, body[:len(body)-2]
	}
	return strings.TrimSpace(body), trimLeft, trimRight, 2 + end + 2, nil
}

// actionEnd is the index of the "}}" closing an action, not one inside a
// string or a comment; -1 when there is none.
func actionEnd(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '}':
			if i+1 < len(s) && s[i+1] == '}' {
				return i
			}
		case '"', '`':
			q := s[i]
			for i++; i < len(s) && s[i] != q; i++ {
				if q == '"' && s[i] == '\\' {
					i++
				}
			}
		case '/':
			if i+1 < len(s) && s[i+1] == '*' {
				j := strings.Index(s[i+2:], "*/")
				if j < 0 {
					return -1
				}
				i += 2 + j + 1
			}
		}
	}
	return -1
}

// words splits an action into words: quoted strings and parenthesised
// groups stay whole. A comment is no words.
func (p *tparser) words(body string) ([]string, error) {
	if strings.HasPrefix(body, "/*") {
		if !strings.HasSuffix(body, "*/") {
			return nil, p.errorf("unclosed comment")
		}
		return nil, nil
	}
	var words []string
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case strings.IndexByte(tspace, c) >= 0:
			i++
			continue
		case c == '"' || c == '`':
			j := i + 1
			for j < len(body) && body[j] != c {
				if c == '"' && body[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(body) {
				return nil, p.errorf("unterminated string in {{%s}}", body)
			}
			words = append(words, body[i:j+1])
			i = j + 1
		case c == '(':
			depth, j := 0, i
			for ; j < len(body); j++ {
				switch body[j] {
				case '(':
					depth++
				case ')':
					depth--
				case '"':
					for j++; j < len(body) && body[j] != '"'; j++ {
						if body[j] == '\\' {
							j++
						}
					}
				}
				if depth == 0 {
					break
				}
			}
			if j >= len(body) {
				return nil, p.errorf("unclosed ( in {{%s}}", body)
			}
			words = append(words, body[i:j+1])
			i = j + 1
		default:
			j := i
			for j < len(body) && strings.IndexByte(tspace+"()\"`", body[j]) < 0 {
				j++
			}
			if j == i {
				return nil, p.errorf("unexpected %q in {{%s}}", body[i], body)
			}
			words = append(words, body[i:j])
			i = j
		}
	}
	return words, nil
}

// name reads the quoted name of a define or template action, which takes
// want words in all.
func (p *tparser) name(words []string, want int) (string, error) {
	if len(words) != want {
		return "", p.errorf("want a quoted name%s", map[bool]string{true: " and .", false: ""}[want == 2])
	}
	s, err := strconv.Unquote(words[0])
	if err != nil {
		return "", p.errorf("bad name %s", words[0])
	}
	return s, nil
}

func (p *tparser) ifNode(words []string) (tnode, error) {
	cond, err := p.expr(words)
	if err != nil {
		return nil, err
	}
	n := tif{cond: cond}
	var end string
	if n.then, end, err = p.list(true); err != nil {
		return nil, err
	}
	switch {
	case end == "end":
	case end == "else":
		if n.els, end, err = p.list(true); err != nil {
			return nil, err
		}
		if end != "end" {
			return nil, p.errorf("{{else}} after {{else}}")
		}
	case strings.HasPrefix(end, "else if "):
		w, err := p.words(strings.TrimPrefix(end, "else if "))
		if err != nil {
			return nil, err
		}
		// {{else if X}} is {{else}}{{if X}}, sharing the one {{end}}.
		inner, err := p.ifNode(w)
		if err != nil {
			return nil, err
		}
		n.els = []tnode{inner}
	default:
		return nil, p.errorf("unexpected {{%s}}", end)
	}
	return n, nil
}

// expr parses a pipeline of one command: an operand alone, or a function
// and its arguments.
func (p *tparser) expr(words []string) (texpr, error) {
	if len(words) == 0 {
		return texpr{}, p.errorf("missing value")
	}
	fn := words[0]
	arity, ok := funcArity(fn)
	if !ok && len(words) == 1 {
		return p.operand(fn)
	}
	if !ok {
		return texpr{}, p.errorf("function %q not defined", fn)
	}
	if arity >= 0 && len(words)-1 != arity || arity < 0 && len(words) < 2 {
		return texpr{}, p.errorf("wrong number of arguments for %s", fn)
	}
	e := texpr{kind: 'c', name: fn}
	for _, w := range words[1:] {
		a, err := p.operand(w)
		if err != nil {
			return texpr{}, err
		}
		e.args = append(e.args, a)
	}
	return e, nil
}

func (p *tparser) operand(w string) (texpr, error) {
	switch {
	case w == ".":
		return texpr{kind: '.'}, nil
	case w[0] == '.':
		if _, ok := field(data{}, w[1:]); !ok {
			return texpr{}, p.errorf("no field %s", w)
		}
		return texpr{kind: 'f', name: w[1:]}, nil
	case w[0] == '"' || w[0] == '`':
		s, err := strconv.Unquote(w)
		if err != nil {
			return texpr{}, p.errorf("bad string %s", w)
		}
		return texpr{kind: 's', name: s}, nil
	case w[0] == '(':
		inner, err := p.words(w[1 : len(w)-1])
		if err != nil {
			return texpr{}, err
		}
		return p.expr(inner)
	}
	if _, ok := funcArity(w); ok {
		return p.expr([]string{w}) // a function needs its arguments
	}
	return texpr{}, p.errorf("unexpected %q", w)
}

// field is a template's .Name.
func field(d data, name string) (any, bool) {
	switch name {
	case "Code":
		return d.Code, true
	case "Enhanced":
		return d.Enhanced, true
	case "Text":
		return d.Text, true
	case "Title":
		return d.Title, true
	case "Line":
		return d.Line, true
	case "Stage":
		return d.Stage, true
	case "StageNote":
		return d.StageNote, true
	case "Problem":
		return d.Problem, true
	case "Action":
		return d.Action, true
	case "Positive":
		return d.Positive, true
	case "RetryAfter":
		return d.RetryAfter, true
	}
	return nil, false
}

// funcArity is a function's number of arguments, -1 for any. (Switches,
// not maps: a map would be built at every start of the program.)
func funcArity(name string) (int, bool) {
	switch name {
	case "eq", "doc":
		return 2, true
	case "printf":
		return -1, true
	}
	if quoter(name) != nil {
		return 1, true
	}
	return 0, false
}

// quoter is a function from one string to one string, nil for none.
func quoter(name string) func(string) string {
	switch name {
	case "go":
		return strconv.Quote
	case "py", "java", "cs":
		return jsonString
	case "js":
		return jsString
	case "rb":
		return rubyString
	case "php":
		return phpString
	case "comment":
		// Safe inside a line comment of any language.
		return func(s string) string { return strings.ReplaceAll(oneLine(s), "*/", "* /") }
	case "enhancedList":
		// "5.1.1" as "5, 1, 1".
		return func(s string) string { return strings.ReplaceAll(s, ".", ", ") }
	}
	return nil
}

// execute writes the template for d to b.
func (set *tmplSet) execute(b *strings.Builder, nodes []tnode, d data) error {
	for _, n := range nodes {
		switch n := n.(type) {
		case ttext:
			b.WriteString(string(n))
		case taction:
			v, err := set.eval(n.e, d)
			if err != nil {
				return err
			}
			fmt.Fprint(b, v)
		case tif:
			v, err := set.eval(n.cond, d)
			if err != nil {
				return err
			}
			next := n.els
			if truth(v) {
				next = n.then
			}
			if err := set.execute(b, next, d); err != nil {
				return err
			}
		case tcall:
			def, ok := set.defs[n.name]
			if !ok {
				return fmt.Errorf("no template %q", n.name)
			}
			v, err := set.eval(n.arg, d)
			if err != nil {
				return err
			}
			dot, ok := v.(data)
			if !ok {
				return fmt.Errorf("{{template %q}} wants . as its argument", n.name)
			}
			if set.depth >= maxDepth {
				return fmt.Errorf("{{template %q}}: calls nested deeper than %d", n.name, maxDepth)
			}
			if set.calls++; set.calls > maxCalls {
				return fmt.Errorf("{{template %q}}: more than %d calls", n.name, maxCalls)
			}
			set.depth++
			err = set.execute(b, def, dot)
			set.depth--
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func truth(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return v != ""
	case int:
		return v != 0
	}
	return v != nil
}

func (set *tmplSet) eval(e texpr, d data) (any, error) {
	switch e.kind {
	case '.':
		return d, nil
	case 'f':
		v, _ := field(d, e.name)
		return v, nil
	case 's':
		return e.name, nil
	}
	args := make([]any, len(e.args))
	for i, a := range e.args {
		v, err := set.eval(a, d)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	switch e.name {
	case "eq":
		// Like text/template: basic values of one type only.
		for _, a := range args {
			switch a.(type) {
			case string, int, bool:
			default:
				return nil, fmt.Errorf("eq: cannot compare %T", a)
			}
		}
		if fmt.Sprintf("%T", args[0]) != fmt.Sprintf("%T", args[1]) {
			return nil, fmt.Errorf("eq: incompatible types %T and %T", args[0], args[1])
		}
		return args[0] == args[1], nil
	case "printf":
		f, ok := args[0].(string)
		if !ok {
			return nil, fmt.Errorf("printf: the format is not a string")
		}
		return fmt.Sprintf(f, args[1:]...), nil
	case "doc":
		dot, ok1 := args[0].(data)
		marker, ok2 := args[1].(string)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("doc wants . and a string")
		}
		return doc(dot, marker), nil
	}
	s, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("%s wants a string, not %T", e.name, args[0])
	}
	return quoter(e.name)(s), nil
}
