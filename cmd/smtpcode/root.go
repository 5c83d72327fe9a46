package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/smtpcode/smtpcode/codes"
	"github.com/smtpcode/smtpcode/internal/i18n"
	"github.com/smtpcode/smtpcode/internal/iostreams"
	"github.com/smtpcode/smtpcode/internal/ui"
)

// version, commit and date are set by release builds:
// -ldflags "-X main.version=1.2.0 -X main.commit=abc1234 -X main.date=2026-12-01".
// Left empty, versionLine reads what the Go toolchain recorded
// (go install ...@v1.2.0 records the module version, a build in a clone
// the VCS revision and time).
var (
	version = ""
	commit  = ""
	date    = ""
)

// Exit statuses, like grep's.
const (
	exitOK       = 0
	exitNotFound = 1
	exitUsage    = 2
)

// exitError carries an exit status and an optional hint; with a nil err it
// exits quietly (nothing found, already said).
type exitError struct {
	code int
	err  error
	hint string
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

func usageErrorf(hint, format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...), hint: hint}
}

// globalOptions are the flags every command shares.
type globalOptions struct {
	color   string
	noColor bool
	noPager bool
	short   bool
	theme   string
	json    bool
	lang    string
}

// app is what every command is given: the streams and the global options,
// and the styles built from them once.
type app struct {
	io     *iostreams.IO
	opts   *globalOptions
	styles *ui.Styles
	// lang is the language of the text, chosen before the tree is built
	// (--lang, SMTPCODE_LANG, the locale): help texts are set in it.
	lang i18n.Lang

	warnedFramework bool // SMTPCODE_FRAMEWORK's warning was given
}

// Styles builds the styles on first use: only styled output pays for them,
// and only --theme auto asks the terminal anything.
func (a *app) Styles() *ui.Styles {
	if a.styles == nil {
		if plain := !a.io.ColorEnabled(); plain {
			// No colour: the theme cannot show, so no terminal query.
			a.styles = ui.NewStyles(ui.Dark, plain)
		} else {
			a.styles = ui.NewStyles(a.theme(), plain)
		}
	}
	return a.styles
}

func (a *app) theme() ui.Theme {
	switch a.opts.theme {
	case "light":
		return ui.Light
	case "auto":
		if a.io.InFile != nil && a.io.OutFile != nil && a.io.IsStdoutTTY() {
			if !hasDarkBackground(a.io) {
				return ui.Light
			}
		}
	}
	return ui.Dark
}

// hasDarkBackground asks the terminal (OSC 11), giving up after a short wait
// so a terminal that never answers costs little; only --theme auto calls it.
func hasDarkBackground(s *iostreams.IO) bool {
	// lipgloss waits up to 2 s per stream for an answer; a terminal that
	// never answers gets 300 ms, and its mode is put back as it was.
	state, err := term.GetState(s.InFile.Fd())
	if err != nil {
		return true
	}
	done := make(chan bool, 1)
	go func() { done <- lipgloss.HasDarkBackground(s.InFile, s.OutFile) }()
	select {
	case dark := <-done:
		return dark
	case <-time.After(300 * time.Millisecond):
		_ = term.Restore(s.InFile.Fd(), state)
		return true
	}
}

// helpWidth is the width help text keeps within, whatever the terminal:
// an 80-column terminal shows every line whole.
const helpWidth = 80

// usageIn is cobra's usage text in a language (the headings, the commands'
// and the flags' descriptions translated), with the flags' descriptions
// wrapped to helpWidth, so that no help line runs past 80 columns; it is
// written without text/template (see TestLinkerDeadCode).
func usageIn(tr i18n.Lang) func(*cobra.Command) error {
	return func(c *cobra.Command) error { return writeUsage(tr, c) }
}

func writeUsage(tr i18n.Lang, c *cobra.Command) error {
	w := c.OutOrStderr()
	if tr != i18n.English {
		translate := func(f *pflag.Flag) { f.Usage = message(tr, f.Usage) }
		c.LocalFlags().VisitAll(translate)
		c.InheritedFlags().VisitAll(translate)
	}
	var b strings.Builder
	b.WriteString(tr.T("Usage:"))
	if c.Runnable() {
		b.WriteString("\n  " + c.UseLine())
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n  " + c.CommandPath() + " [command]")
	}
	if c.HasExample() {
		b.WriteString("\n\n" + tr.T("Examples:") + "\n" + c.Example)
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n\n" + tr.T("Available Commands:"))
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() || sub.Name() == "help" {
				b.WriteString(fmt.Sprintf("\n  %-*s %s", sub.NamePadding(), sub.Name(), tr.T(sub.Short)))
			}
		}
	}
	// pflag writes "(default ...)" itself.
	defaults := strings.NewReplacer("(default ", tr.T("(default "))
	if c.HasAvailableLocalFlags() {
		b.WriteString("\n\n" + tr.T("Flags:") + "\n" + defaults.Replace(flagUsages(tr, c.LocalFlags())))
	}
	if c.HasAvailableInheritedFlags() {
		b.WriteString("\n\n" + tr.T("Global Flags:") + "\n" + defaults.Replace(flagUsages(tr, c.InheritedFlags())))
	}
	if c.HasHelpSubCommands() {
		b.WriteString("\n\n" + tr.T("Additional help topics:"))
		for _, sub := range c.Commands() {
			if sub.IsAdditionalHelpTopicCommand() {
				b.WriteString(fmt.Sprintf("\n  %-*s  %s", len("smtpcode help environment"), c.Root().Name()+" help "+sub.Name(), tr.T(sub.Short)))
			}
		}
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n\n" + tr.F("Use \"%s [command] --help\" for more information about a command.", c.CommandPath()))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// pagerCommand is the pager for long pages: none with --no-pager, else
// SMTPCODE_PAGER, then PAGER, then less -FRX; "cat" means none.
func (a *app) pagerCommand() string {
	if a.opts.noPager {
		return ""
	}
	for _, k := range []string{"SMTPCODE_PAGER", "PAGER"} {
		if v := strings.TrimSpace(a.io.Env(k)); v != "" {
			if v == "cat" {
				return ""
			}
			return v
		}
	}
	return "less -FRX"
}

// newRootCmd builds the command tree for args. A lookup (smtpcode 502) is
// run by the root alone: building every subcommand and cobra's completion
// commands cost 0.65 ms of a 15 ms start on the development VM.
func newRootCmd(s *iostreams.IO, args []string) *cobra.Command {
	opts := &globalOptions{}
	a := &app{io: s, opts: opts, lang: chooseLang(args, s.Env)}
	tr := a.lang
	root := &cobra.Command{
		Use:   "smtpcode CODE...",
		Short: tr.T("Explain SMTP reply codes, offline"),
		Long: tr.T(`smtpcode explains SMTP replies: what a code means, who must act, whether to
retry, how it looks on the wire, from an embedded catalogue of RFC 5321, its
extensions and the IANA enhanced status code registry. It also prints tested
snippets that return, handle or surface a reply, runs a scriptable SMTP server
that answers with the replies a test needs, and explains the replies in mail
logs and bounces.

A code may be 550, 5.7.1, "550 5.7.1", a range (5xx), a provider tag
(TSS04), a pasted reply or log line (the reply in it is found), or - to
read them from stdin.

Environment (smtpcode help environment):
  NO_COLOR, TERM=dumb    no colour
  CLICOLOR_FORCE         colour even when piped (the layout stays plain)
  COLUMNS                the width piped text is wrapped to
  SMTPCODE_PAGER, PAGER  the pager for long pages (default less -FRX)
  SMTPCODE_FRAMEWORK     the framework snippets default to
  SMTPCODE_LANG          the language: en or ko (else LC_ALL, LC_MESSAGES,
                         LANG)

Exit status (smtpcode help exit-codes): 0 found, 1 not found, 2 usage error.
JSON (smtpcode help json): JSON Lines, one versioned schema for every command.`),
		Example: `  smtpcode 550 5.7.1
  smtpcode '550-5.7.1 Message rejected'
  pbpaste | smtpcode -
  smtpcode 5xx
  smtpcode list --class 4 --command RCPT
  smtpcode search mailbox full
  smtpcode 421 --json | jq .retry
  smtpcode snippet 550 5.1.1 flask > app.py
  smtpcode mock --reply 'RCPT=452'
  smtpcode explain /var/log/mail.log`,
		// cobra's own version line: SetVersionTemplate would link
		// text/template, whose reflect.Value.MethodByName stops the linker
		// from dropping unused methods (TestLinkerDeadCode).
		Version:           versionFor(args),
		SilenceUsage:      true,
		SilenceErrors:     true,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: a.completeCodes,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if opts.noColor {
				if cmd.Flags().Changed("color") && opts.color != "never" {
					return usageErrorf("give one of them", "--no-color and --color %s disagree", opts.color)
				}
				opts.color = "never"
			}
			switch opts.color {
			case "auto", "always", "never":
				s.Color = iostreams.ColorMode(opts.color)
			default:
				return usageErrorf("use --color auto, always or never", "invalid --color %q", opts.color)
			}
			switch opts.theme {
			case "dark", "light", "auto":
			default:
				return usageErrorf("use --theme dark, light or auto", "invalid --theme %q", opts.theme)
			}
			switch n := cmd.Name(); {
			case n == "mock" || n == "explain":
				// They stream.
			case (cmd == cmd.Root() || n == "show" || n == "list" || n == "search") && !opts.json && s.IsStdoutTTY():
				// Long pages through the pager; Page does nothing when the
				// terminal's height is unknown. run flushes.
				s.Buffer()
				s.Page(a.pagerCommand())
			default:
				s.Buffer() // run flushes
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				// echo 550 | smtpcode: the code comes on stdin; a terminal
				// or an empty stdin gets the help.
				if !s.IsStdinTTY() && s.In != nil {
					text, err := readPaste(a)
					if err != nil {
						return err
					}
					if strings.TrimSpace(text) != "" {
						qs, err := queriesFromText(text, nil)
						if err != nil {
							return err
						}
						return showQueries(a, qs)
					}
				}
				return cmd.Help()
			}
			return showRun(a, args)
		},
	}
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.ErrOut)
	pf := root.PersistentFlags()
	pf.StringVar(&opts.color, "color", "auto", tr.T("colour: auto, always or never"))
	pf.BoolVar(&opts.noColor, "no-color", false, tr.T("no colour: the same as --color never"))
	pf.BoolVar(&opts.noPager, "no-pager", false, tr.T("never page long output on a terminal"))
	pf.BoolVarP(&opts.short, "short", "s", false, tr.T("one line a code: code, title, retry, who must act"))
	pf.StringVar(&opts.theme, "theme", "dark", tr.T("background: dark, light, or auto (asks the terminal)"))
	pf.BoolVar(&opts.json, "json", false, tr.T("print JSON Lines (smtpcode help json)"))
	pf.StringVar(&opts.lang, "lang", "", tr.T("language of the text: en or ko (default: SMTPCODE_LANG, then the locale)"))
	_ = root.RegisterFlagCompletionFunc("color", cobra.FixedCompletions([]string{"auto\t" + tr.T("colour on a terminal only"), "always\t" + tr.T("colour even when piped"), "never\t" + tr.T("no colour")}, cobra.ShellCompDirectiveNoFileComp))
	_ = root.RegisterFlagCompletionFunc("theme", cobra.FixedCompletions([]string{"dark\t" + tr.T("a dark background"), "light\t" + tr.T("a light background"), "auto\t" + tr.T("ask the terminal")}, cobra.ShellCompDirectiveNoFileComp))
	_ = root.RegisterFlagCompletionFunc("lang", cobra.FixedCompletions([]string{"en\tEnglish", "ko\t한국어"}, cobra.ShellCompDirectiveNoFileComp))
	root.SetUsageFunc(usageIn(tr))
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: flagError(err), hint: tr.F("run %s --help for usage", c.CommandPath())}
	})
	if lookupOnly(args) {
		return root
	}
	root.AddCommand(
		newShowCmd(a, nil),
		newListCmd(a, nil),
		newSearchCmd(a, nil),
		newExplainCmd(a, nil),
		newMockCmd(a, nil),
		newSnippetCmd(a, nil),
		newFrameworksCmd(a, nil),
	)
	root.AddCommand(helpTopics()...)
	// After AddCommand: cobra adds "completion" only to a root with
	// subcommands.
	root.InitDefaultCompletionCmd()
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			// Cobra prints help and exits 0 for an unknown shell; that is a
			// usage error.
			c.Args = func(cmd *cobra.Command, args []string) error {
				if len(args) > 0 {
					return usageErrorf("shells: bash, zsh, fish, powershell", "no completion for shell %s", codes.Quote(args[0]))
				}
				return nil
			}
			c.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
		}
		if c.Name() == "help" {
			// Cobra prints the root's help and exits 0 for a topic it does
			// not know: that is a usage error.
			c.Run = nil
			c.RunE = func(_ *cobra.Command, args []string) error {
				target, rest, err := root.Find(args)
				if err != nil || target == nil || len(rest) > 0 || target == root && len(args) > 0 {
					return usageErrorf("topics: the commands, and "+strings.Join(helpTopicNames(), ", ")+" (smtpcode help TOPIC)",
						"unknown help topic %s", codes.Quote(strings.Join(args, " ")))
				}
				target.InitDefaultHelpFlag()
				target.InitDefaultVersionFlag()
				return target.Help()
			}
		}
	}
	translateTree(tr, root)
	return root
}

// subcommandNames are the root's subcommands, cobra's own included; a test
// checks the list against the tree.
var subcommandNames = [...]string{"show", "list", "search", "explain", "mock", "snippet", "frameworks", "completion", "help", "environment", "exit-codes", "json", "__complete", "__completeNoDesc"}

// lookupOnly reports whether args are a lookup the root runs by itself:
// a first argument that is no command name, and no --help (whose page
// lists the commands). Anything unusual (no argument, "--", "-") gets
// the whole tree.
func lookupOnly(args []string) bool {
	first := ""
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--" || a == "-" || a == "-h" || a == "--help" || strings.HasPrefix(a, "--help="):
			return false
		case a == "--color" || a == "--theme" || a == "--lang":
			i++ // the flag's value
		case strings.HasPrefix(a, "-"):
			// --json, --color=never, or a flag cobra will refuse.
		case first == "":
			first = a
		}
	}
	return first != "" && !slices.Contains(subcommandNames[:], first)
}

// flagError says pflag's complaints in the user's terms: `invalid argument
// "abc" for "-n, --limit" flag: strconv.ParseInt: ...` becomes `invalid
// --limit "abc": not a whole number`.
func flagError(err error) error {
	msg := err.Error()
	rest, ok := strings.CutPrefix(msg, "invalid argument ")
	if !ok {
		return err
	}
	val, rest, ok := strings.Cut(rest, " for ")
	if !ok {
		return err
	}
	name, why, _ := strings.Cut(rest, " flag: ")
	name = strings.Trim(name, `"`)
	if i := strings.LastIndex(name, "--"); i >= 0 {
		name = name[i:]
	}
	switch {
	case strings.Contains(why, "ParseInt"), strings.Contains(why, "ParseUint"):
		why = "not a whole number"
	case strings.Contains(why, "ParseBool"):
		why = "use true or false"
	case strings.Contains(why, "ParseFloat"):
		why = "not a number"
	}
	return fmt.Errorf("invalid %s %s: %s", name, val, why)
}

// needArgs is cobra.MinimumNArgs(1) with a message in the user's terms.
func needArgs(what, example string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return usageErrorf("for example: "+example, "%s needs %s", cmd.CommandPath(), what)
		}
		return nil
	}
}

// run executes the command line and decides the exit status: the one place
// that does.
func run(args []string, s *iostreams.IO) (status int) {
	defer func() {
		if r := recover(); r != nil {
			_ = s.Flush()
			fmt.Fprintf(s.ErrOut, "smtpcode: error: internal error: %v\nhint: please report this at https://github.com/smtpcode/smtpcode/issues\n", r)
			status = exitUsage
		}
	}()
	tr := chooseLang(args, s.Env)
	root := newRootCmd(s, args)
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if ferr := s.Flush(); err == nil && ferr != nil {
		err = ferr
	}
	if err == nil {
		return exitOK
	}
	code, hint := exitUsage, ""
	var ee *exitError
	var se *codes.SyntaxError
	var nf *codes.NotFoundError
	switch {
	case errors.As(err, &ee):
		code, hint = ee.code, ee.hint
		if ee.err == nil {
			return code
		}
	case errors.As(err, &se):
		code, hint = exitUsage, se.Hint
	case errors.As(err, &nf):
		code, hint = exitNotFound, nf.Hint()
	case strings.HasPrefix(err.Error(), "unknown command") || strings.HasPrefix(err.Error(), "unknown flag"):
		hint = tr.F("run %s --help for usage", cmd.CommandPath())
	}
	// The prefixes stay as they are in every language: scripts look for
	// them.
	fmt.Fprintf(s.ErrOut, "smtpcode: error: %s\n", sanitize(message(tr, err.Error())))
	if hint != "" {
		fmt.Fprintf(s.ErrOut, "hint: %s\n", sanitize(message(tr, hint)))
	}
	return code
}

// sanitize keeps control characters from user input out of the terminal.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}
