package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/smtpcode/smtpcode/codes"
	"github.com/smtpcode/smtpcode/mock"
	"github.com/smtpcode/smtpcode/snippets"
)

type showOptions struct {
	args []string
}

func newShowCmd(a *app, runF func(*showOptions) error) *cobra.Command {
	opts := &showOptions{}
	cmd := &cobra.Command{
		Use:   "show CODE...",
		Short: "Explain one or more reply codes (the default command)",
		Long: `Explain SMTP replies. A code may be a basic reply code (550), an enhanced
status code (5.7.1, X.7.1), both (550 5.7.1), a pasted reply line
('550-5.7.1 Message rejected'), a range (5xx, 55x), a provider tag (TSS04)
or a detail the registry lacks (5.7.708), explained by its class and subject.`,
		Example: `  smtpcode show 550 5.7.1
  smtpcode 502
  smtpcode '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred'
  smtpcode 45x --json`,
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: completeCodes,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.args = args
			if runF != nil {
				return runF(opts)
			}
			return showRun(a, args)
		},
	}
	return cmd
}

// showRun prints the page of every code asked for. Codes that are found are
// printed even when others are not; the exit status says the worst.
func showRun(a *app, args []string) error {
	qs, err := codes.ParseArgs(args)
	if err != nil {
		return err
	}
	var results []codes.Result
	var failed error
	for _, q := range qs {
		r, err := codes.Resolve(q)
		if err != nil {
			if failed == nil {
				failed = err
			} else {
				// Report all but the last now; run reports the last.
				reportError(a, failed)
				failed = err
			}
			continue
		}
		results = append(results, r)
	}
	if a.opts.json {
		for _, r := range results {
			for _, m := range r.Matches {
				j := exportEntry(m, r)
				j.Notes = r.Notes
				if err := writeJSON(a.io.Out, &j); err != nil {
					return err
				}
			}
		}
		return failed
	}
	w := a.io.Stdout()
	p := newPager(a)
	for i, r := range results {
		if i > 0 && a.io.Styled() {
			fmt.Fprintln(w)
		}
		if r.Query.Pattern != "" {
			// A range is a list, printed as list prints it.
			printEntries(a, r.Matches, nil)
			continue
		}
		if i > 0 && !a.io.Styled() {
			fmt.Fprintln(w)
		}
		p.result(w, r)
	}
	return failed
}

func reportError(a *app, err error) {
	fmt.Fprintf(a.io.ErrOut, "smtpcode: error: %s\n", sanitize(err.Error()))
	var nf *codes.NotFoundError
	if errors.As(err, &nf) && nf.Hint() != "" {
		fmt.Fprintf(a.io.ErrOut, "hint: %s\n", nf.Hint())
	}
}

// pager renders code pages: styled on a terminal, the same facts in plain
// text when piped (the writer strips escapes; the layout stays readable).
type pager struct {
	a      *app
	styled bool
	width  int
}

func newPager(a *app) *pager {
	return &pager{a: a, styled: a.io.ColorEnabled(), width: a.io.Width()}
}

const indent = 2

func (p *pager) result(w io.Writer, r codes.Result) {
	s := p.a.Styles()
	if r.Query.Text != "" {
		fmt.Fprintf(w, "%s %s\n\n", s.Muted.Render("reply:"), sanitize(r.Query.Input))
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, p.wrap(s.Warn.Render("note: ")+n, 0))
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w)
	}
	for i, m := range r.Matches {
		if i > 0 {
			fmt.Fprintln(w)
		}
		p.page(w, m, r)
	}
}

func (p *pager) page(w io.Writer, m codes.Match, r codes.Result) {
	s := p.a.Styles()
	e := m.Entry
	class := m.Class()

	// Header: code, title, class badge.
	badge := badgeText(e, class)
	var head string
	if p.styled {
		head = s.Badge(class).Render(m.Code()) + " " + s.Title.Render(e.Title) + "  " + s.ClassText(class).Render(badge)
	} else {
		head = m.Code() + "  " + e.Title + "  [" + badge + "]"
	}
	fmt.Fprintln(w, head)

	if class != 0 {
		p.field(w, "class", fmt.Sprintf("%d, %s", class, codes.ClassMeaning(class)))
	}
	if !e.Standard {
		src := e.Source
		if e.URL != "" {
			src += " " + s.Link.Render(e.URL)
		}
		p.field(w, "source", src)
	}
	p.section(w, "Meaning", e.Meaning)
	if e.Description != "" && e.Description != e.Meaning {
		p.section(w, "Registry", e.Description)
	}
	if e.When != "" {
		p.section(w, "When", e.When)
	}
	// What the code means at providers that use it their own way.
	for _, d := range r.DialectsOf(m) {
		who := strings.Join(d.Providers(), ", ")
		if d.Match() != "" {
			who += " (replies saying \"" + d.Match() + "\")"
		}
		p.heading(w, "At "+who)
		p.wrapped(w, s.Title.Render(d.Title), indent)
		p.wrapped(w, d.Meaning, indent)
		p.wrapped(w, s.Muted.Render(d.Source)+" "+s.Link.Render(d.URL), indent)
	}
	p.heading(w, "What to do")
	p.line(w, m.Action().Describe())
	p.line(w, "who must act: "+m.Actor().Describe())
	if len(e.Commands) > 0 {
		p.heading(w, "Commands")
		p.line(w, "may answer: "+strings.Join(e.Commands, " "))
	}
	if len(e.BasicCodes) > 0 {
		p.heading(w, "Basic codes")
		p.line(w, "sent with: "+strings.Join(e.BasicCodes, " "))
	}
	if len(e.Extensions) > 0 {
		p.heading(w, "Under extensions")
		for _, x := range e.Extensions {
			p.bullet(w, s.Accent.Render(x.Ref().String())+": "+x.Meaning)
		}
	}
	if len(e.Causes) > 0 {
		p.heading(w, "Common causes")
		for _, c := range e.Causes {
			// A provider's example reply may stand alone: the meaning
			// above already says why it is sent.
			if c.Cause != "" {
				p.bullet(w, c.Cause)
			}
			if c.Example != "" {
				ex := s.Code.Render(c.Example)
				if c.Source != "" {
					ex += " " + s.Muted.Render("("+c.Source+")")
				}
				if c.Cause == "" {
					p.bullet(w, ex)
				} else {
					p.wrapped(w, ex, 2*indent)
				}
			}
		}
	}
	if wire := wireLines(m, r); len(wire) > 0 {
		p.heading(w, "On the wire")
		for _, l := range wire {
			st := s.Server
			if strings.HasPrefix(l, "C:") {
				st = s.Client
			}
			p.hanging(w, st.Render(l), indent, indent+3)
		}
	}
	if t, ok := tryIt(e); ok {
		p.heading(w, "Try it")
		p.line(w, s.Muted.Render("# a server that answers "+e.Code+", then a real client that gets it"))
		p.hanging(w, s.Accent.Render(t.MockLine()), indent, indent+4)
		p.hanging(w, s.Accent.Render(t.ClientLine()), indent, indent+4)
	}
	// A provider's dialect of a basic code comes with the standard page,
	// which has the snippets.
	if e.Kind == codes.Basic && !e.IsDialect() {
		p.snippetSections(w, m, r)
	}
	if len(e.References) > 0 {
		p.heading(w, "References")
		for _, ref := range e.References {
			l := s.Accent.Render(ref.String())
			if ref.Note != "" {
				l += " " + ref.Note
			}
			p.hanging(w, l+" "+s.Link.Render(ref.URL()), indent, indent+4)
		}
	}
	if len(e.Related) > 0 {
		p.heading(w, "Related")
		p.wrapped(w, strings.Join(e.Related, "  "), indent)
	}
}

// badgeText is the header's badge: "5xx permanent", "5xx permanent subject",
// "any class", with ", non-standard" where it applies.
func badgeText(e *codes.Entry, class int) string {
	var parts []string
	if class != 0 {
		parts = append(parts, fmt.Sprintf("%dxx %s", class, codes.ClassName(class)))
	}
	switch {
	case e.IsSubjectEntry():
		parts = append(parts, "subject")
	case e.IsClassEntry():
		parts = append(parts, "class")
	case class == 0:
		parts = append(parts, "any class")
	}
	b := strings.Join(parts, " ")
	if !e.Standard {
		b += ", non-standard"
	}
	return b
}

// pageReply is the reply a basic code's page is about: the code, with the
// enhanced code and text the user gave, else the catalogue's.
func pageReply(m codes.Match, r codes.Result) (snippets.Reply, bool) {
	n, err := strconv.Atoi(m.Entry.Code)
	if err != nil {
		return snippets.Reply{}, false
	}
	q := codes.Query{Basic: n, Input: m.Entry.Code}
	if r.Query.Basic == n {
		q.Enhanced, q.Text = r.Query.Enhanced, r.Query.Text
	}
	rep, err := snippets.FromQuery(q)
	return rep, err == nil
}

// snippetSections are the page's "Snippets" (the frameworks that have one
// for this code, the chosen one marked) and "As HTTP" (the response the
// web snippets give for it).
func (p *pager) snippetSections(w io.Writer, m codes.Match, r codes.Result) {
	s := p.a.Styles()
	rep, ok := pageReply(m, r)
	if !ok {
		return
	}
	fws := snippets.ForReply(rep)
	if len(fws) > 0 {
		chosen := ""
		if p.a.io.Env != nil {
			chosen = p.a.io.Env("SMTPCODE_FRAMEWORK")
		}
		p.heading(w, "Snippets")
		for _, fam := range snippets.Families {
			var names []string
			for _, f := range fws {
				if f.Family != fam {
					continue
				}
				name := f.Name
				if name == chosen {
					name = s.Code.Render(name + "*")
				}
				names = append(names, name)
			}
			if len(names) > 0 {
				p.hanging(w, s.Muted.Render(fmt.Sprintf("%-7s", string(fam)))+" "+strings.Join(names, "  "), indent, indent+8)
			}
		}
		example := fws[0].Name
		if chosen != "" {
			example = chosen
		}
		p.line(w, s.Muted.Render("print one: ")+s.Accent.Render("smtpcode snippet "+rep.String()+" "+example))
	}
	p.heading(w, "As HTTP")
	if rep.Code/100 == 3 {
		p.line(w, fmt.Sprintf("nothing to surface: %d is an intermediate reply inside a command sequence; the mail library answers it and carries on, and an HTTP API answers for the final reply", rep.Code))
		return
	}
	h := snippets.Mapping(rep.Code, rep.Enhanced)
	p.line(w, s.Muted.Render("what the web snippets answer when the mail server replies "+rep.String()+": "+h.Why))
	for _, l := range strings.Split(strings.TrimRight(snippets.HTTPResponse(rep.Code, rep.Enhanced, rep.Text), "\n"), "\n") {
		if strings.HasPrefix(l, "{") {
			// Break the body between members only, so what is shown is
			// still the body, member for member.
			for i, part := range packMembers(jsonMembers(l), p.width-indent-1) {
				pad := indent
				if i > 0 {
					pad = indent + 1
				}
				fmt.Fprintln(w, strings.Repeat(" ", pad)+s.Server.Render(part))
			}
			continue
		}
		if l == "" {
			fmt.Fprintln(w)
			continue
		}
		p.line(w, s.Server.Render(l))
	}
}

// packMembers joins members into lines of at most width columns, adding
// nothing between them; a member wider than that stands alone.
func packMembers(members []string, width int) []string {
	var lines []string
	cur := ""
	for _, m := range members {
		if cur != "" && ansi.StringWidth(cur+m) > width {
			lines = append(lines, cur)
			cur = ""
		}
		cur += m
	}
	return append(lines, cur)
}

// jsonMembers splits a flat JSON object's text after each member's comma,
// for display; inside strings a quote is escaped, so `,"` only ever
// separates members.
func jsonMembers(body string) []string {
	var out []string
	for {
		i := strings.Index(body, `,"`)
		if i < 0 {
			return append(out, body)
		}
		out = append(out, body[:i+1])
		body = body[i+1:]
	}
}

// tryIt is the pair of commands that shows a basic code for real, against
// smtpcode mock at its default address.
func tryIt(e *codes.Entry) (mock.TryIt, bool) {
	if e.Kind != codes.Basic || !e.Standard {
		return mock.TryIt{}, false
	}
	n, err := strconv.Atoi(e.Code)
	if err != nil {
		return mock.TryIt{}, false
	}
	return mock.TryItFor(n, mock.DefaultAddr)
}

// wireLines is the entry's exchange, or one built from its codes.
func wireLines(m codes.Match, r codes.Result) []string {
	e := m.Entry
	if len(e.Wire) > 0 && (m.As == "" || m.As == e.Code) {
		return e.Wire
	}
	switch e.Kind {
	case codes.Basic:
		line := "S: " + e.Code
		if e.Enhanced != "" {
			line += " " + e.Enhanced
		}
		if e.Text != "" {
			line += " " + e.Text
		} else {
			line += " " + e.Title
		}
		return []string{line}
	case codes.Enhanced:
		code := m.Code()
		if strings.Contains(code, "X") {
			return nil
		}
		// A real server text with this very code reads best.
		for _, c := range e.Causes {
			b, rest, ok := strings.Cut(c.Example, " ")
			if ok && len(b) == 3 && strings.HasPrefix(rest, code+" ") && (r.Query.Basic == 0 || b == strconv.Itoa(r.Query.Basic)) {
				return []string{"S: " + c.Example}
			}
		}
		basic := ""
		if r.Query.Basic != 0 {
			basic = strconv.Itoa(r.Query.Basic)
		} else {
			for _, b := range e.BasicCodes {
				if b[0] == code[0] {
					basic = b
					break
				}
			}
		}
		if basic == "" {
			basic = map[byte]string{'2': "250", '4': "450", '5': "550"}[code[0]]
		}
		return []string{"S: " + basic + " " + code + " " + e.Title}
	}
	return nil
}

func (p *pager) heading(w io.Writer, h string) {
	fmt.Fprintln(w)
	fmt.Fprintln(w, p.a.Styles().Heading.Render(h))
}

func (p *pager) section(w io.Writer, h, text string) {
	p.heading(w, h)
	p.wrapped(w, text, indent)
}

func (p *pager) field(w io.Writer, label, text string) {
	fmt.Fprintln(w, p.wrap(p.a.Styles().Muted.Render(label+":")+" "+text, 0))
}

func (p *pager) line(w io.Writer, text string) {
	p.wrapped(w, text, indent)
}

func (p *pager) bullet(w io.Writer, text string) {
	wrapped := p.wrap(text, indent+2)
	fmt.Fprintln(w, strings.Repeat(" ", indent)+"• "+strings.TrimLeft(wrapped, " "))
}

// hanging wraps text with its first line at first and the rest at rest
// columns, for lines whose continuation should read as one item.
func (p *pager) hanging(w io.Writer, text string, first, rest int) {
	width := max(p.width-rest, 20)
	lines := wordWrap(text, width+(rest-first), width)
	for i, l := range lines {
		pad := rest
		if i == 0 {
			pad = first
		}
		fmt.Fprintln(w, strings.Repeat(" ", pad)+l)
	}
}

// wordWrap breaks text at spaces only (URLs and addresses stay whole), the
// first line at firstWidth columns and the others at width; escape
// sequences take no room.
func wordWrap(text string, firstWidth, width int) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		var line strings.Builder
		lineW, limit := 0, firstWidth
		if len(lines) > 0 {
			limit = width
		}
		for _, word := range strings.Split(para, " ") {
			ww := textWidth(word)
			if lineW > 0 && lineW+1+ww > limit {
				lines = append(lines, strings.TrimRight(line.String(), " "))
				line.Reset()
				lineW, limit = 0, width
			}
			if lineW > 0 {
				line.WriteByte(' ')
				lineW++
			}
			line.WriteString(word)
			lineW += ww
		}
		lines = append(lines, strings.TrimRight(line.String(), " "))
	}
	return lines
}

// textWidth is the columns s takes: its length when it is printable ASCII,
// as a catalogue text nearly always is, else what ansi.StringWidth says
// (escapes take none, wide runes two), which costs its grapheme tables.
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

func (p *pager) wrapped(w io.Writer, text string, ind int) {
	fmt.Fprintln(w, p.wrap(text, ind))
}

// wrap fits text to the width, indented by ind columns.
func (p *pager) wrap(text string, ind int) string {
	width := p.width - ind
	if width < 20 {
		width = 20
	}
	out := strings.Join(wordWrap(text, width, width), "\n")
	if ind == 0 {
		return out
	}
	pad := strings.Repeat(" ", ind)
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if l != "" { // no trailing spaces on an empty line
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}

func truncate(s string, n int) string {
	if n < 10 {
		n = 10
	}
	if lipgloss.Width(s) <= n {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r))+1 > n {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
