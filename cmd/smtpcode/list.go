package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/smtpcode/smtpcode/codes"
	"github.com/smtpcode/smtpcode/internal/i18n"
)

type listOptions struct {
	class       int
	kind        string
	command     string
	standard    bool
	standardSet bool
}

func newListCmd(a *app, runF func(*listOptions) error) *cobra.Command {
	opts := &listOptions{}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the catalogue, by class, kind, command or standard-ness",
		Long: `List every entry of the catalogue. On a terminal an aligned table; piped,
tab-separated lines (code, kind, class, standard, title) in a stable order with
no header; with --json one JSON object a line (smtpcode help json).`,
		Example: `  smtpcode list --class 4
  smtpcode list --kind enhanced
  smtpcode list --command RCPT
  smtpcode list --standard=false
  smtpcode list --json | jq -r .code`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.standardSet = cmd.Flags().Changed("standard")
			if opts.class != 0 && (opts.class < 2 || opts.class > 5) {
				return usageErrorf("reply classes are 2, 3, 4 and 5", "invalid --class %d", opts.class)
			}
			switch opts.kind {
			case "", "basic", "enhanced", "tag":
			default:
				return usageErrorf("use --kind basic, enhanced or tag", "invalid --kind %q", opts.kind)
			}
			opts.command = strings.ToUpper(strings.TrimSpace(opts.command))
			if opts.command != "" && !slices.Contains(commandNames, opts.command) {
				return usageErrorf("commands: "+strings.Join(commandNames, " "), "invalid --command %s", codes.Quote(opts.command))
			}
			if runF != nil {
				return runF(opts)
			}
			return listRun(a, opts)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.class, "class", 0, "only this class: 2, 3, 4 or 5")
	f.StringVar(&opts.kind, "kind", "", "only this kind: basic, enhanced or tag")
	f.StringVar(&opts.command, "command", "", "only codes this command may get (MAIL, RCPT, DATA, ...)")
	// Default false, so that the help shows no "(default true)": without
	// the flag both kinds are listed.
	f.BoolVar(&opts.standard, "standard", false, "only standard codes; --standard=false: only non-standard ones (default: both)")
	_ = cmd.RegisterFlagCompletionFunc("class", cobra.FixedCompletions([]string{"2\tsuccess", "3\tintermediate", "4\ttransient failure", "5\tpermanent failure"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("kind", cobra.FixedCompletions([]string{"basic\tthree-digit reply codes", "enhanced\tenhanced status codes", "tag\tproviders' tags"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("command", cobra.FixedCompletions(commandNames, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

var commandNames = []string{"CONNECT", "EHLO", "HELO", "MAIL", "RCPT", "DATA", "DATA-END", "BDAT", "RSET", "VRFY", "EXPN", "HELP", "NOOP", "QUIT", "AUTH", "STARTTLS", "ETRN", "ATRN"}

func (o *listOptions) keep(e *codes.Entry) bool {
	if o.kind != "" && e.Kind.String() != o.kind {
		return false
	}
	if o.standardSet && e.Standard != o.standard {
		return false
	}
	if o.class != 0 && !slices.Contains(entryClasses(e), o.class) {
		return false
	}
	if o.command != "" && !slices.Contains(e.Commands, o.command) && !slices.Contains(e.Commands, "ANY") {
		return false
	}
	return true
}

// entryClasses are the classes an entry may appear in: its own, or for an
// X.s.d entry the classes of the registry's associated basic codes.
func entryClasses(e *codes.Entry) []int {
	if c := e.Class(); c != 0 {
		return []int{c}
	}
	if e.Kind == codes.Tag {
		var cs []int
		for _, r := range e.Related {
			if len(r) == 3 && r[0] >= '2' && r[0] <= '5' {
				cs = append(cs, int(r[0]-'0'))
			}
		}
		return cs
	}
	if len(e.BasicCodes) == 0 {
		return []int{2, 4, 5}
	}
	var cs []int
	for _, b := range e.BasicCodes {
		if c, err := strconv.Atoi(b[:1]); err == nil && !slices.Contains(cs, c) {
			cs = append(cs, c)
		}
	}
	return cs
}

func listRun(a *app, opts *listOptions) error {
	var ms []codes.Match
	all := codes.All()
	for i := range all {
		if opts.keep(&all[i]) {
			ms = append(ms, codes.Match{Entry: &all[i]})
		}
	}
	if a.opts.json {
		out := make([]entryJSON, 0, len(ms))
		for _, m := range ms {
			j := exportEntry(m, codes.Result{})
			a.addProse(&j, m, codes.Result{})
			out = append(out, j)
		}
		if err := writeJSONLines(a.io.Out, out); err != nil {
			return err
		}
	} else {
		printEntries(a, ms, nil)
	}
	if len(ms) == 0 {
		return &exitError{code: exitNotFound, err: errors.New("no entry matches those filters")}
	}
	return nil
}

// printEntries prints entries as a table on a terminal, or as tab-separated
// lines (code, kind, class, standard, title) when piped.
func printEntries(a *app, ms []codes.Match, extra func(codes.Match) string) {
	if !a.io.Styled() {
		w := a.io.Out
		for _, m := range ms {
			class := ""
			if c := m.Class(); c != 0 {
				class = strconv.Itoa(c)
			}
			title := m.Entry.Title
			if a.lang != i18n.English {
				title = listTitle(a.lang, m.Entry)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%t\t%s\n", m.Code(), m.Entry.Kind, class, m.Entry.Standard, oneLine(title))
		}
		return
	}
	w := a.io.Stdout()
	s := a.Styles()
	codeW := 5
	for _, m := range ms {
		codeW = max(codeW, len(m.Code()))
	}
	width := a.io.Width()
	tr := a.lang
	// The class column is as wide as its widest name, in columns: a
	// Hangul name takes two a syllable.
	classW := 9
	for _, m := range ms {
		classW = max(classW, textWidth(className(tr, m.Class())))
	}
	fmt.Fprintln(w, s.Muted.Render(padRight(tr.T("CODE"), codeW)+"  "+padRight(tr.T("CLASS"), classW)+"  "+tr.T("TITLE")))
	for _, m := range ms {
		writeRow(w, a, m, codeW, classW, width, extra)
	}
}

// className is a class's short name in the language, "any" for none.
func className(tr i18n.Lang, class int) string {
	if n := codes.ClassName(class); n != "" {
		return tr.T(n)
	}
	return tr.T("any")
}

func writeRow(w io.Writer, a *app, m codes.Match, codeW, classW, width int, extra func(codes.Match) string) {
	s := a.Styles()
	tr := a.lang
	c := m.Class()
	title := listTitle(tr, m.Entry)
	suffix := ""
	if !m.Entry.Standard {
		suffix = " " + tr.T("(non-standard)")
	}
	if extra != nil {
		suffix += extra(m)
	}
	room := width - codeW - 2 - classW - 2
	title = truncate(title+suffix, room)
	fmt.Fprintf(w, "%s  %s  %s\n",
		s.ClassText(c).Render(fmt.Sprintf("%-*s", codeW, m.Code())),
		s.ClassText(c).UnsetBold().Render(padRight(className(tr, c), classW)),
		title)
}

// listTitle is a list row's title: in English the entry's; in another
// language the translation alone, since a row has no room for both.
func listTitle(tr i18n.Lang, e *codes.Entry) string { return shortTitle(tr, e) }

// displayTitle is the entry's title without a "(non-standard)" that the
// catalogue's text may carry: the badge and the list say it once.
func displayTitle(e *codes.Entry) string {
	if !e.Standard {
		return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(e.Title), "(non-standard)"))
	}
	return e.Title
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
