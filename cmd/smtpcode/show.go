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
	"github.com/smtpcode/smtpcode/explain"
	"github.com/smtpcode/smtpcode/internal/i18n"
	"github.com/smtpcode/smtpcode/internal/ui"
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
		Args:              needArgs("a code", "smtpcode show 550 5.7.1"),
		ValidArgsFunction: a.completeCodes,
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
	// An empty argument is a usage error of its own; the others are still
	// looked up, as grep goes on past a missing file.
	var kept []string
	empty := 0
	for _, arg := range args {
		if strings.TrimSpace(arg) == "" {
			empty++
			continue
		}
		kept = append(kept, arg)
	}
	if empty > 0 {
		err := usageErrorf("give a code such as 550, 5.7.1 or \"550 5.7.1\"", "an empty argument is not a code")
		if len(kept) == 0 {
			return err
		}
		reportError(a, err)
	}
	qs, err := lookupQueries(a, kept)
	if err != nil {
		return err
	}
	err = showQueries(a, qs)
	if empty > 0 {
		return &exitError{code: exitUsage}
	}
	return err
}

// showQueries prints the page of every reply asked about, each once. The
// exit status follows one rule, explain's: 2 after a usage error, else 1
// when nothing was found, else 0; what was not found is said on stderr.
func showQueries(a *app, qs []codes.Query) error {
	var results []codes.Result
	var failed error
	seen := map[string]bool{}
	for _, q := range qs {
		if k := q.String() + "\x00" + q.Text; seen[k] {
			continue
		} else {
			seen[k] = true
		}
		r, err := codes.Resolve(q)
		if err != nil {
			if failed != nil {
				// Report all but the last now; run reports the last.
				reportError(a, failed)
			}
			failed = err
			continue
		}
		results = append(results, r)
	}
	if failed != nil && len(results) > 0 {
		// Something was found: the last error is said after the pages, by
		// run, and the exit status is 0.
		last := failed
		failed = &exitError{code: exitOK, err: last, hint: hintOf(last)}
	}
	if a.opts.json {
		for _, r := range results {
			for _, m := range r.Matches {
				j := exportEntry(m, r)
				j.Notes = r.Notes
				a.addProse(&j, m, r)
				if err := writeJSON(a.io.Out, &j); err != nil {
					return err
				}
			}
		}
		return failed
	}
	if a.opts.short {
		printShort(a, results)
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

// maxPaste is how much of stdin a lookup reads: a bounce or a screenful
// of log; explain is for whole logs.
const maxPaste = 1 << 20

// lookupQueries reads the replies asked about: codes, a pasted reply, or
// a pasted log or bounce line, whose reply explain's recogniser finds;
// "-" reads the text from stdin.
func lookupQueries(a *app, args []string) ([]codes.Query, error) {
	if len(args) == 1 && args[0] == "-" {
		if a.io.IsStdinTTY() {
			fmt.Fprintln(a.io.ErrOut, "smtpcode: "+a.lang.T("paste the reply or log lines, then Ctrl-D"))
		}
		text, err := readPaste(a)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(text) == "" {
			return nil, usageErrorf("pipe a code, a reply or a log line in: echo 550 | smtpcode -", "nothing on stdin")
		}
		return queriesFromText(text, nil)
	}
	qs, err := codes.ParseArgs(args)
	var se *codes.SyntaxError
	if err == nil || !errors.As(err, &se) || strings.TrimSpace(strings.Join(args, "")) == "" {
		return qs, err
	}
	if len(args) == 1 && !strings.ContainsAny(args[0], " \t\n") {
		// One word: a typo of a code or of a command.
		if c := closestCommand(args[0]); c != "" {
			se.Hint = "did you mean " + c + "?"
		}
		return nil, se
	}
	return queriesFromText(strings.Join(args, " "), se)
}

// readPaste reads what was pasted or piped on stdin, up to maxPaste.
func readPaste(a *app) (string, error) {
	b, err := io.ReadAll(io.LimitReader(a.io.In, maxPaste))
	if err != nil {
		return "", fmt.Errorf("reading stdin: %w", err)
	}
	return string(b), nil
}

// queriesFromText reads pasted text: one reply per line when each line
// starts with a code (the lines of one multi-line reply join), else the
// replies explain's recogniser finds in it, each once.
func queriesFromText(text string, orig error) ([]codes.Query, error) {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return nil, usageErrorf("give a code such as 550, 5.7.1 or \"550 5.7.1\"", "nothing to look up")
	}
	if qs, err := codes.ParseArgs(groupReplyLines(lines)); err == nil && len(qs) > 0 {
		return qs, nil
	}
	var qs []codes.Query
	seen := map[string]bool{}
	_, _ = explain.ScanBytes([]byte(text), false, func(r *explain.Reply) error {
		q, err := codes.Parse(string(r.Text))
		if err != nil {
			q = codes.Query{Basic: r.Code, Enhanced: r.Enhanced, Input: string(r.Text)}
		}
		if q.Basic == 0 && r.Code != 0 {
			q.Basic = r.Code
		}
		if q.Tag == "" && r.Tag != "" {
			q.Tag = r.Tag
		}
		if q.Text == "" && q.Input != "" {
			// Show the line it came from as the reply.
			q.Input = strings.TrimSpace(q.Input)
		}
		if k := q.String() + "\x00" + q.Text; !seen[k] {
			seen[k] = true
			qs = append(qs, q)
		}
		return nil
	})
	if len(qs) > 0 {
		return qs, nil
	}
	if orig == nil {
		orig = &codes.SyntaxError{Input: strings.TrimSpace(text)}
	}
	var se *codes.SyntaxError
	if errors.As(orig, &se) && len(strings.Fields(text)) > 1 {
		se.Input = strings.TrimSpace(text)
		se.Reason = "no SMTP reply found in it"
		se.Hint = "to search by words, run: smtpcode search " + strings.Join(strings.Fields(text), " ")
		if len(se.Hint) > 80 {
			se.Hint = "to search by words, run: smtpcode search WORDS; for a whole log: smtpcode explain FILE"
		}
	}
	return nil, orig
}

// groupReplyLines turns pasted lines into arguments: the lines of one
// multi-line reply ("550-5.7.1 ...", "550 5.7.1 ...") make one.
func groupReplyLines(lines []string) []string {
	var out []string
	cont := ""
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if cont != "" && strings.HasPrefix(t, cont) && len(out) > 0 {
			out[len(out)-1] += "\n" + t
		} else {
			out = append(out, t)
		}
		cont = ""
		if len(t) >= 4 && t[3] == '-' && strings.Trim(t[:3], "0123456789") == "" {
			cont = t[:3]
		}
	}
	return out
}

// closestCommand is the command or flag a mistyped word most likely meant:
// lsit → smtpcode list, version → smtpcode --version.
func closestCommand(word string) string {
	w := strings.ToLower(word)
	switch w {
	case "version", "-version", "ver":
		return "smtpcode --version"
	}
	if len(w) < 3 || strings.ContainsAny(w, "0123456789.") {
		return ""
	}
	best, bestD := "", 3
	for _, c := range subcommandNames {
		if strings.HasPrefix(c, "__") {
			continue
		}
		if d := editDistance(w, c); d < bestD && d <= max(1, len(c)/3) {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return "smtpcode " + best
}

// editDistance is the Damerau–Levenshtein distance (a swap counts one:
// lsit is one from list).
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// printShort prints one line a reply, the form pasted into a ticket: the
// code, the title, whether to retry and who must act. Piped, the same as
// tab-separated fields: code, title, retry (yes or no), action, actor.
func printShort(a *app, results []codes.Result) {
	w := a.io.Stdout()
	s := a.Styles()
	for _, r := range results {
		if r.Query.Pattern != "" {
			for _, m := range r.Matches {
				shortLine(a, w, s, m.Code(), m)
			}
			continue
		}
		if len(r.Matches) == 0 {
			continue
		}
		// The most specific match speaks for the reply: the enhanced code
		// over the basic one, a provider's tag over both.
		m := r.Matches[len(r.Matches)-1]
		code := r.Query.String()
		if code == "" {
			code = m.Code()
		}
		shortLine(a, w, s, code, m)
	}
}

func shortLine(a *app, w io.Writer, s *ui.Styles, code string, m codes.Match) {
	act := m.Action()
	retry := "no"
	if act == codes.ActionRetry {
		retry = "yes"
	}
	actor := m.Actor()
	if !a.io.IsStdoutTTY() {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", code, oneLine(shortTitle(a.lang, m.Entry)), retry, act, actor)
		return
	}
	tr := a.lang
	who := tr.T(mustAct(actor))
	fmt.Fprintf(w, "%s  %s %s\n", s.ClassText(m.Class()).Render(code), shortTitle(tr, m.Entry),
		s.Muted.Render(tr.F("· retry: %s (%s) · %s", tr.T(retry), string(act), who)))
}

// mustAct says who must act, for --short.
func mustAct(actor codes.Actor) string {
	switch actor {
	case codes.ActorSender:
		return i18n.N("the sender must act")
	case codes.ActorSenderAdmin:
		return i18n.N("the sender's admin must act")
	case codes.ActorRecipientAdmin:
		return i18n.N("the recipient's admin must act")
	}
	return i18n.N("no one must act")
}

func hintOf(err error) string {
	var nf *codes.NotFoundError
	var ee *exitError
	switch {
	case errors.As(err, &nf):
		return nf.Hint()
	case errors.As(err, &ee):
		return ee.hint
	}
	return ""
}

func reportError(a *app, err error) {
	fmt.Fprintf(a.io.ErrOut, "smtpcode: error: %s\n", sanitize(message(a.lang, err.Error())))
	var nf *codes.NotFoundError
	var ee *exitError
	hint := ""
	switch {
	case errors.As(err, &nf):
		hint = nf.Hint()
	case errors.As(err, &ee):
		hint = ee.hint
	}
	if hint != "" {
		fmt.Fprintf(a.io.ErrOut, "hint: %s\n", sanitize(message(a.lang, hint)))
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
	width := a.io.WrapWidth()
	if width == 0 {
		width = 1 << 20 // piped: no wrapping
	}
	return &pager{a: a, styled: a.io.IsStdoutTTY(), width: width}
}

const indent = 2

func (p *pager) result(w io.Writer, r codes.Result) {
	s := p.a.Styles()
	tr := p.a.lang
	if r.Query.Text != "" {
		fmt.Fprintf(w, "%s %s\n\n", s.Muted.Render(tr.T("reply:")), sanitize(r.Query.Input))
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, p.wrap(s.Warn.Render(tr.T("note: "))+message(tr, n), 0))
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
	tr := p.a.lang
	e := m.Entry
	class := m.Class()

	// Header: code, title, class badge; a long title wraps at a word,
	// under itself.
	// The badge stays whole on its line ("5xx 영구 오류"): its spaces do
	// not break, and come back as spaces once wrapped.
	badge := strings.ReplaceAll(badgeText(tr, e, class), " ", "\u00a0")
	var code, rest string
	if p.styled {
		code = s.Badge(class).Render(m.Code()) + " "
		rest = s.Title.Render(title(tr, e)) + "  " + s.ClassText(class).Render(badge)
	} else {
		code = s.ClassText(class).Render(m.Code()) + "  "
		rest = s.Title.Render(title(tr, e)) + "  [" + badge + "]"
	}
	cw := ansi.StringWidth(code)
	for i, l := range wordWrap(rest, max(20, p.width-cw), max(20, p.width-indent)) {
		l = strings.ReplaceAll(l, "\u00a0", " ")
		if i == 0 {
			fmt.Fprintln(w, code+l)
		} else {
			fmt.Fprintln(w, strings.Repeat(" ", indent)+l)
		}
	}

	if class != 0 {
		p.field(w, tr.T("class"), fmt.Sprintf("%d, %s", class, tr.T(codes.ClassMeaning(class))))
	}
	if !e.Standard {
		src := e.Source
		if e.URL != "" {
			src += " " + s.Link.Render(e.URL)
		}
		p.field(w, tr.T("source"), src)
	}
	p.section(w, tr.T("Meaning"), tr.T(e.Meaning))
	if e.Description != "" && e.Description != e.Meaning {
		p.section(w, tr.T("Registry"), tr.T(e.Description))
	}
	if e.When != "" {
		p.section(w, tr.T("When"), tr.T(e.When))
	}
	// What the code means at providers that use it their own way.
	for _, d := range r.DialectsOf(m) {
		who := strings.Join(d.Providers(), ", ")
		if d.Match() != "" {
			who += " " + tr.F("(replies saying %q)", d.Match())
		}
		p.heading(w, tr.F("At %s", who))
		p.wrapped(w, s.Title.Render(shortTitle(tr, d)), indent)
		p.wrapped(w, tr.T(d.Meaning), indent)
		p.wrapped(w, s.Muted.Render(d.Source)+" "+s.Link.Render(d.URL), indent)
	}
	p.heading(w, tr.T("What to do"))
	p.line(w, tr.T(m.Action().Describe()))
	p.line(w, tr.T("who must act: ")+tr.T(m.Actor().Describe()))
	if len(e.Commands) > 0 {
		p.heading(w, tr.T("Commands"))
		p.line(w, tr.T("may answer: ")+strings.Join(e.Commands, " "))
	}
	if len(e.BasicCodes) > 0 {
		p.heading(w, tr.T("Basic codes"))
		p.line(w, tr.T("sent with: ")+strings.Join(e.BasicCodes, " "))
	}
	if len(e.Extensions) > 0 {
		p.heading(w, tr.T("Under extensions"))
		for _, x := range e.Extensions {
			p.bullet(w, s.Accent.Render(x.Ref().String())+": "+tr.T(x.Meaning))
		}
	}
	if len(e.Causes) > 0 {
		p.heading(w, tr.T("Common causes"))
		for _, c := range e.Causes {
			// A provider's example reply may stand alone: the meaning
			// above already says why it is sent.
			if c.Cause != "" {
				p.bullet(w, tr.T(c.Cause))
			}
			if c.Example != "" {
				ex := s.Code.Render(c.Example)
				if c.Source != "" {
					ex += " " + s.Muted.Render("("+codes.FlatSource(c.Source)+")")
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
		p.heading(w, tr.T("On the wire"))
		for _, l := range wire {
			st := s.Server
			if strings.HasPrefix(l, "C:") {
				st = s.Client
			}
			p.hanging(w, st.Render(l), indent, indent+3)
		}
	}
	if t, ok := tryIt(e); ok {
		p.heading(w, tr.T("Try it"))
		p.line(w, s.Muted.Render(tr.F("# a server that answers %s, then a real client that gets it", e.Code)))
		p.hanging(w, s.Accent.Render(t.MockLine()), indent, indent+4)
		p.hanging(w, s.Accent.Render(t.ClientLine()), indent, indent+4)
	}
	// A provider's dialect of a basic code comes with the standard page,
	// which has the snippets.
	if e.Kind == codes.Basic && !e.IsDialect() {
		p.snippetSections(w, m, r)
	}
	if len(e.References) > 0 {
		p.heading(w, tr.T("References"))
		for _, ref := range e.References {
			l := s.Accent.Render(ref.String())
			if ref.Note != "" {
				l += " " + tr.T(ref.Note)
			}
			p.hanging(w, l+" "+s.Link.Render(ref.URL()), indent, indent+4)
		}
	}
	if len(e.Related) > 0 {
		p.heading(w, tr.T("Related"))
		p.wrapped(w, strings.Join(e.Related, "  "), indent)
	}
}

// badgeText is the header's badge: "5xx permanent", "5xx permanent subject",
// "any class", with ", non-standard" where it applies.
func badgeText(tr i18n.Lang, e *codes.Entry, class int) string {
	var parts []string
	if class != 0 {
		parts = append(parts, fmt.Sprintf("%dxx %s", class, tr.T(codes.ClassName(class))))
	}
	switch {
	case e.IsSubjectEntry():
		parts = append(parts, tr.T("subject"))
	case e.IsClassEntry():
		parts = append(parts, tr.T("class"))
	case class == 0:
		parts = append(parts, tr.T("any class"))
	}
	b := strings.Join(parts, " ")
	if !e.Standard {
		b += tr.T(", non-standard")
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
	tr := p.a.lang
	rep, ok := pageReply(m, r)
	if !ok {
		return
	}
	fws := snippets.ForReply(rep)
	if len(fws) > 0 {
		chosen := ""
		if f, ok := p.a.envFramework(); ok && f.Applies(rep) {
			chosen = f.Name
		}
		p.heading(w, tr.T("Snippets"))
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
		p.line(w, s.Muted.Render(tr.T("print one: "))+s.Accent.Render("smtpcode snippet "+rep.String()+" "+example))
	}
	p.heading(w, tr.T("As HTTP"))
	if rep.Code/100 == 3 {
		p.line(w, tr.F("nothing to surface: %d is an intermediate reply inside a command sequence; the mail library answers it and carries on, and an HTTP API answers for the final reply", rep.Code))
		return
	}
	h := snippets.Mapping(rep.Code, rep.Enhanced)
	p.line(w, s.Muted.Render(tr.F("what the web snippets answer when the mail server replies %s: %s", rep.String(), message(tr, h.Why))))
	for _, l := range strings.Split(strings.TrimRight(snippets.HTTPResponse(rep.Code, rep.Enhanced, rep.Text), "\n"), "\n") {
		if strings.HasPrefix(l, "{") {
			// Break the body between members only, so what is shown is
			// still the body, member for member.
			room := p.width - indent - 1
			for i, part := range packMembers(jsonMembers(l), room) {
				pad := indent
				if i > 0 {
					pad = indent + 1
				}
				// A member wider than the line (a long "detail") wraps at
				// a word, its rest indented under it, rather than being
				// cut mid-word by the terminal; --json has it whole.
				for j, seg := range wordWrap(part, room, room-2) {
					if j > 0 {
						seg = "  " + seg
					}
					fmt.Fprintln(w, strings.Repeat(" ", pad)+s.Server.Render(seg))
				}
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
	// A long heading ("At Gmail (replies saying ...)") wraps at a word.
	for _, l := range wordWrap(h, max(20, p.width), max(20, p.width-indent)) {
		fmt.Fprintln(w, p.a.Styles().Heading.Render(l))
	}
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
		// A paragraph no longer in bytes than the line fits whole: no rune
		// takes more columns than bytes (a wide rune has three). Piped text
		// is never measured, Hangul or not.
		if len(para) <= limit {
			lines = append(lines, strings.TrimRight(para, " "))
			continue
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
