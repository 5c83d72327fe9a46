package snippets

//go:generate go run ./internal/genlexers -out internal/lexers

import (
	"strconv"
	"strings"
)

// tokenType is chroma's TokenType, by value: smtpcode does not link chroma
// (its package pulls in the regexp2 engine and XML loading, whose package
// inits and size cost every command); TestTokenTypes checks the values.
type tokenType int

// The token types the style names (chroma's names and values).
const (
	tError              tokenType = -11
	tKeyword            tokenType = 1000
	tKeywordConstant    tokenType = 1001
	tKeywordType        tokenType = 1006
	tNameAttribute      tokenType = 2001
	tNameClass          tokenType = 2002
	tNameDecorator      tokenType = 2004
	tNameBuiltin        tokenType = 2100
	tNameFunction       tokenType = 2300
	tLiteralString      tokenType = 3100
	tLiteralStringRegex tokenType = 3114
	tLiteralNumber      tokenType = 3200
	tOperator           tokenType = 4000
	tComment            tokenType = 6000
	tCommentSingle      tokenType = 6003
	tCommentPreproc     tokenType = 6100
	tGenericError       tokenType = 7003
	tText               tokenType = 8000
)

// category and subCategory are chroma's TokenType.Category and SubCategory.
func (t tokenType) category() tokenType    { return t / 1000 * 1000 }
func (t tokenType) subCategory() tokenType { return t / 100 * 100 }

// token is a run of source of one token type.
type token struct {
	typ   tokenType
	value string
}

// Theme is the terminal background a highlighted snippet is drawn for.
type Theme int

const (
	Dark Theme = iota
	Light
)

// style is smtpcode's own: the terminal's 16 ANSI colours, so a snippet
// follows the user's terminal theme; the theme only swaps the tones that
// read badly on one background (bright yellow and bright black on white).
type style map[tokenType]string

// darkStyle and lightStyle are built when a snippet is highlighted, not at
// start-up: the lookup path must not pay for the snippets.
func darkStyle() style {
	return style{
		tComment:            "90",   // bright black
		tCommentPreproc:     "90",   //
		tKeyword:            "35",   // magenta
		tKeywordType:        "36",   // cyan
		tKeywordConstant:    "33",   // yellow
		tNameBuiltin:        "36",   //
		tNameFunction:       "34",   // blue
		tNameClass:          "1;34", //
		tNameDecorator:      "33",   //
		tNameAttribute:      "34",   //
		tLiteralString:      "32",   // green
		tLiteralStringRegex: "31",   // red
		tLiteralNumber:      "33",   //
		tOperator:           "35",   //
		tGenericError:       "31",
		tError:              "31",
	}
}

func lightStyle() style {
	s := darkStyle()
	// Bright black fades out on light backgrounds; yellow is unreadable.
	s[tComment] = "2"
	s[tCommentPreproc] = "2"
	s[tKeywordConstant] = "31"
	s[tNameDecorator] = "31"
	s[tLiteralNumber] = "31"
	return s
}

// sgr finds the SGR parameters of a token type: its own, else its
// category's, else its super-category's.
func (s style) sgr(t tokenType) string {
	if v, ok := s[t]; ok {
		return v
	}
	if v, ok := s[t.subCategory()]; ok {
		return v
	}
	return s[t.category()]
}

// Highlight returns the source with ANSI colours, each line closing its
// colours so that nothing bleeds past a line or the snippet. Colours come
// from the tokens stored at build time for every snippet rendered from
// the catalogue; a source the store lacks is returned without colours
// (HighlightReply colours most of those).
func Highlight(language, src string, theme Theme) (string, error) {
	toks, ok := storedTokens(language, src)
	if !ok {
		return src, nil
	}
	return format(toks, theme), nil
}

// HighlightReply highlights src, the framework's snippet for the reply
// (RenderReply's result). When its tokens are not stored (a reply text or
// enhanced code given on the command line), the colours are carried over
// from the stored snippet of the catalogue's reply for the same basic
// code where the two sources provably line up (see align); a line where
// they do not is left without colours, and a snippet whose lines do not
// pair up is left without colours altogether. Colours are never guessed:
// smtpcode does not lex at run time (see docs/snippets.md, "Performance").
func HighlightReply(r Reply, f Framework, src string, theme Theme) (string, error) {
	if toks, ok := storedTokens(f.Language, src); ok {
		return format(toks, theme), nil
	}
	toks, _ := alignedTokens(r, f, src)
	return format(toks, theme), nil
}

// alignedTokens returns the tokens HighlightReply colours src with, and
// the number of src's lines that differ from the reference snippet and
// could not be coloured (-1: none of src could).
func alignedTokens(r Reply, f Framework, src string) ([]token, int) {
	plain := []token{{tText, src}}
	base, err := Lookup(strconv.Itoa(r.Code))
	if err != nil {
		return plain, -1
	}
	ref, err := RenderReply(base, f)
	if err != nil {
		return plain, -1
	}
	refToks, ok := storedTokens(f.Language, ref)
	if !ok {
		return plain, -1
	}
	return align(ref, refToks, src)
}

// align colours src with the tokens of ref, a snippet of the same
// framework rendered for another reply: the two differ only where the
// reply's code, text and what follows from them are written, as literals
// and comments. The sources must have as many lines; a line src shares
// with ref keeps ref's tokens. Of a line that differs, the common prefix
// and suffix keep ref's tokens, and the middle takes the type of ref's
// middle only when ref's middle, with the byte before it and the byte
// after it, lies in one colour (in both themes): the middle is then inside
// a literal or a comment that goes on around it, which the rendered value
// cannot leave (the templates quote it for its language). The byte after
// may be the line's end when ref's middle ends a line comment. Any other
// line is left without colours: a differing middle that touches the edge
// of a literal (a status code, null for a string) is never guessed.
func align(ref string, refToks []token, src string) ([]token, int) {
	refLines := strings.SplitAfter(ref, "\n")
	srcLines := strings.SplitAfter(src, "\n")
	if len(refLines) != len(srcLines) {
		return []token{{tText, src}}, -1
	}
	// The type of each byte of ref.
	types := make([]tokenType, 0, len(ref))
	for _, t := range refToks {
		for range len(t.value) {
			types = append(types, t.typ)
		}
	}
	dark, light := darkStyle(), lightStyle()
	same := func(a, b tokenType) bool {
		return dark.sgr(a) == dark.sgr(b) && light.sgr(a) == light.sgr(b)
	}
	var out []token
	add := func(typ tokenType, s string) {
		if s == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].typ == typ {
			out[n-1].value += s
			return
		}
		out = append(out, token{typ, s})
	}
	// copyRef adds src's bytes s, which equal ref's from offset off, with
	// ref's types.
	copyRef := func(off int, s string) {
		for i := 0; i < len(s); {
			j := i + 1
			for j < len(s) && types[off+j] == types[off+i] {
				j++
			}
			add(types[off+i], s[i:j])
			i = j
		}
	}
	declined := 0
	off := 0 // offset of the line in ref
	for n, a := range refLines {
		b := srcLines[n]
		if a == b {
			copyRef(off, b)
			off += len(a)
			continue
		}
		p := 0
		for p < len(a) && p < len(b) && a[p] == b[p] {
			p++
		}
		s := 0
		for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
			s++
		}
		before, after := off+p-1, off+len(a)-s // ref's bytes around the middle
		ok := p > 0 && s > 0
		if ok {
			typ := types[before]
			for i := before + 1; ok && i <= after; i++ {
				ok = same(types[i], typ) ||
					// The line's end, which a line comment goes on to.
					i == after && ref[i] == '\n' && typ == tCommentSingle
			}
		}
		if !ok {
			add(tText, b)
			declined++
			off += len(a)
			continue
		}
		copyRef(off, b[:p])
		add(types[before], b[p:len(b)-s])
		copyRef(after, b[len(b)-s:])
		off += len(a)
	}
	return out, declined
}

// format writes tokens with ANSI colours. Neighbours of one colour share
// one escape, so the output depends on the colours alone, not on how the
// lexer split the text.
func format(toks []token, theme Theme) string {
	s := darkStyle()
	if theme == Light {
		s = lightStyle()
	}
	var b strings.Builder
	open := "" // the SGR parameters in effect on this line
	for _, t := range toks {
		code := s.sgr(t.typ)
		for _, line := range strings.SplitAfter(t.value, "\n") {
			if line == "" {
				continue
			}
			text, nl := strings.CutSuffix(line, "\n")
			if text != "" && code != open {
				if open != "" {
					b.WriteString("\x1b[0m")
				}
				if code != "" {
					b.WriteString("\x1b[" + code + "m")
				}
				open = code
			}
			b.WriteString(text)
			if nl {
				if open != "" {
					b.WriteString("\x1b[0m")
					open = ""
				}
				b.WriteByte('\n')
			}
		}
	}
	if open != "" {
		b.WriteString("\x1b[0m")
	}
	return b.String()
}
