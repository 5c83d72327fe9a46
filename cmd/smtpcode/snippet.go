package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/smtpcode/smtpcode/codes"
	"github.com/smtpcode/smtpcode/internal/i18n"
	"github.com/smtpcode/smtpcode/internal/jsontext"
	"github.com/smtpcode/smtpcode/internal/ui"
	"github.com/smtpcode/smtpcode/snippets"
)

type snippetOptions struct {
	code      string
	framework string // chosen on the command line: render it
	fallback  string // --framework's or SMTPCODE_FRAMEWORK's default, shown with the list
	family    string
	copy      bool
}

func newSnippetCmd(a *app, runF func(*snippetOptions) error) *cobra.Command {
	opts := &snippetOptions{}
	cmd := &cobra.Command{
		Use:   "snippet CODE [FRAMEWORK]",
		Short: "Code that returns, handles or surfaces a reply, in a framework",
		Long: `Print a snippet for a reply code in a framework, from one of three families:
  server  make an SMTP server answer with the code (go-smtp, aiosmtpd, ...)
  client  detect and handle the code when sending (smtplib, nodemailer, ...)
  web     surface the code, met upstream, from an HTTP API (Flask, Express)

With no framework, list the frameworks that have a snippet for the code; on a
terminal, also show the default one (--framework, or SMTPCODE_FRAMEWORK).
Piped, a snippet is exactly its source, ready for "> app.py".

The web snippets all map a reply met upstream the same way:
  4yz                        503 Service Unavailable, Retry-After: 300
  5yz                        502 Bad Gateway
  5.1.x on a recipient that  422 Unprocessable Content
    the API's caller gave
  530, 535 (the API's own    500 Internal Server Error, never 401/403
    SMTP login failed)
  2yz, 3yz                   no failure: 202 Accepted
with an RFC 9457 application/problem+json body, the same members everywhere:
  {"type":"about:blank","title":"Bad Gateway","status":502,"detail":"mail server
  replied: ...","smtp_code":502,"smtp_enhanced_status":"5.5.1"}

smtpcode frameworks lists every framework and how its snippets are verified.`,
		Example: `  smtpcode snippet 550 flask
  smtpcode snippet '550 5.1.1' nodemailer > send.js
  smtpcode snippet 452 --family server
  smtpcode snippet 421 go-smtp --copy
  smtpcode snippet 502 express --json | jq -r .source`,
		Args:              needArgs("a code", "smtpcode snippet 550 flask"),
		ValidArgsFunction: a.completeSnippetArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			// The last argument is the framework when it names one, or when
			// the ones before it are codes alone ("550 flaks"); otherwise it
			// is part of a pasted reply ("550 5.1.1 User unknown").
			if n := len(args); n > 1 {
				if _, ok := snippets.Find(args[n-1]); ok || onlyCodes(args[:n-1]) && !isCode(args[n-1]) {
					opts.framework = args[n-1]
					args = args[:n-1]
				}
			}
			// A framework before the end: "550 flask extra" is one
			// argument too many, not a reply whose text is "flask extra".
			for i, arg := range args[1:] {
				if f, ok := snippets.Find(arg); ok {
					extra := args[i+2:]
					if opts.framework != "" {
						extra = append(extra, opts.framework)
					}
					return usageErrorf(fmt.Sprintf(i18n.N("give the code, then one framework: smtpcode snippet %s %s"), args[0], f.Name),
						"too many arguments: %s after the framework %s", codes.Quote(strings.Join(extra, " ")), f.Name)
				}
			}
			opts.code = strings.Join(args, " ")
			flagFramework := opts.fallback
			if flagFramework != "" {
				if opts.framework != "" && !strings.EqualFold(opts.framework, flagFramework) {
					return usageErrorf("give the framework once", "framework given twice: %s and --framework %s", opts.framework, flagFramework)
				}
				opts.framework = flagFramework
			} else if f, ok := a.envFramework(); ok && (opts.family == "" || string(f.Family) == opts.family) {
				// SMTPCODE_FRAMEWORK, checked once; outside --family it
				// does not apply.
				opts.fallback = f.Name
			}
			switch opts.family {
			case "", "server", "client", "web":
			default:
				return usageErrorf("use --family server, client or web", "invalid --family %q", opts.family)
			}
			if runF != nil {
				return runF(opts)
			}
			return snippetRun(a, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.fallback, "framework", "", "the framework (default $SMTPCODE_FRAMEWORK, shown with the list)")
	f.StringVar(&opts.family, "family", "", "only this family: server, client or web")
	f.BoolVar(&opts.copy, "copy", false, "also copy the snippet to the clipboard (OSC 52, on a terminal)")
	_ = cmd.RegisterFlagCompletionFunc("family", cobra.FixedCompletions([]string{"server\tmake an SMTP server answer with the code", "client\tdetect and handle it when sending", "web\tsurface it from an HTTP API"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("framework", cobra.FixedCompletions(snippets.Names(), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (a *app) completeSnippetArgs(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return completeCodesIn(a.lang, prefix)
	}
	var out []string
	for _, f := range snippets.ForCode(strings.Join(args, " ")) {
		if strings.HasPrefix(f.Name, strings.ToLower(prefix)) {
			out = append(out, f.Name+"\t"+string(f.Family)+", "+f.Language)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// snippetJSON is the exported form of one snippet.
type snippetJSON struct {
	SchemaVersion int    `json:"schema_version"`
	Object        string `json:"object"`
	Code          string `json:"code"`
	Enhanced      string `json:"enhanced,omitempty"`
	ReplyText     string `json:"reply_text,omitempty"`
	Framework     string `json:"framework"`
	Family        string `json:"family"`
	Language      string `json:"language"`
	Source        string `json:"source"`
}

func (j *snippetJSON) appendJSON(b []byte) []byte {
	o := jsontext.Begin(b)
	o.Int("schema_version", int64(j.SchemaVersion))
	o.String("object", j.Object)
	o.String("code", j.Code)
	o.StringOmit("enhanced", j.Enhanced)
	o.StringOmit("reply_text", j.ReplyText)
	o.String("framework", j.Framework)
	o.String("family", j.Family)
	o.String("language", j.Language)
	o.String("source", j.Source)
	return o.End()
}

func snippetRun(a *app, opts *snippetOptions) error {
	r, err := snippets.Lookup(opts.code)
	if err != nil {
		return err
	}
	if opts.framework != "" {
		f, err := findFramework(opts.framework)
		if err != nil {
			return err
		}
		if opts.family != "" && string(f.Family) != opts.family {
			return usageErrorf(fmt.Sprintf(i18n.N("leave out --family, or pick a %s framework (smtpcode frameworks)"), opts.family), "%s is a %s framework, not %s", f.Name, f.Family, opts.family)
		}
		return printSnippet(a, r, f, opts.copy)
	}
	var fs []snippets.Framework
	for _, f := range snippets.ForReply(r) {
		if opts.family == "" || string(f.Family) == opts.family {
			fs = append(fs, f)
		}
	}
	if len(fs) == 0 {
		return &exitError{code: exitNotFound, err: fmt.Errorf("no %ssnippet for %s", familyWord(opts.family), r), hint: i18n.N("positive replies have web snippets only; try --family web")}
	}
	if a.opts.json {
		return writeFrameworksJSON(a.io.Out, fs)
	}
	printFrameworks(a, fs)
	if !a.io.IsStdoutTTY() {
		return nil
	}
	def := fs[0]
	if opts.fallback != "" {
		if f, err := findFramework(opts.fallback); err == nil && f.Applies(r) {
			def = f
		}
	}
	fmt.Fprintln(a.io.Out)
	return printSnippet(a, r, def, opts.copy)
}

func isCode(arg string) bool {
	q, err := codes.Parse(arg)
	return err == nil && q.Text == ""
}

func onlyCodes(args []string) bool {
	for _, a := range args {
		if !isCode(a) {
			return false
		}
	}
	return true
}

func familyWord(f string) string {
	if f == "" {
		return ""
	}
	return f + " "
}

func findFramework(name string) (snippets.Framework, error) {
	f, err := snippets.Resolve(name)
	var nf *snippets.NotFoundError
	if errors.As(err, &nf) {
		return f, &exitError{code: exitUsage, err: err, hint: frameworkHint(name, nf)}
	}
	return f, err
}

// frameworkHint suggests what a mistyped or too general framework name
// meant: flsk → flask (one or two letters off), python → the Python ones.
func frameworkHint(name string, nf *snippets.NotFoundError) string {
	low := strings.ToLower(strings.TrimSpace(name))
	var lang []string
	for _, f := range snippets.Frameworks() {
		if strings.EqualFold(f.Language, low) {
			lang = append(lang, f.Name)
		}
	}
	if len(lang) > 0 {
		return fmt.Sprintf(i18n.N("the %s frameworks: %s"), low, strings.Join(lang, ", "))
	}
	var near []string
	for _, n := range snippets.Names() {
		if d := editDistance(low, n); d <= 1 || d == 2 && len(n) > 4 {
			near = append(near, n)
		}
	}
	if len(near) > 0 {
		return fmt.Sprintf(i18n.N("did you mean %s?"), strings.Join(near, ", "))
	}
	if len(nf.Suggestions) > 0 {
		return fmt.Sprintf(i18n.N("did you mean %s?"), strings.Join(nf.Suggestions, ", "))
	}
	return i18n.N("smtpcode frameworks lists them all")
}

func printSnippet(a *app, r snippets.Reply, f snippets.Framework, copyIt bool) error {
	src, err := snippets.RenderReply(r, f)
	var na *snippets.NotApplicableError
	if errors.As(err, &na) {
		return &exitError{code: exitNotFound, err: err, hint: fmt.Sprintf(i18n.N("run smtpcode snippet %s to list the frameworks that have one"), r.String())}
	}
	if err != nil {
		return err
	}
	if copyIt {
		copySnippet(a, src)
	}
	if a.opts.json {
		return writeJSON(a.io.Out, &snippetJSON{
			SchemaVersion: schemaVersion, Object: objectSnippet, Code: strconv.Itoa(r.Code), Enhanced: r.Enhanced,
			ReplyText: r.Text, Framework: f.Name,
			Family: string(f.Family), Language: f.Language, Source: src,
		})
	}
	if !a.io.IsStdoutTTY() {
		// Exactly the source, whatever forces colour: not through the
		// styled writer.
		_, err := fmt.Fprint(a.io.Out, src)
		return err
	}
	s := a.Styles()
	w := a.io.Stdout()
	title := s.ClassText(r.Class()).Render(r.String()) + " " + s.Title.Render(f.Title) +
		s.Muted.Render(" · "+string(f.Family)+" · "+f.Language+" · "+string(f.Level))
	if f.Family == snippets.Web {
		h := snippets.Mapping(r.Code, r.Enhanced)
		title += s.Muted.Render(fmt.Sprintf(" · HTTP %d", h.Status))
	}
	fmt.Fprintln(w, title)
	fmt.Fprintln(w)
	if !a.io.ColorEnabled() {
		fmt.Fprint(w, src)
		return nil
	}
	theme := snippets.Dark
	if a.theme() == ui.Light {
		theme = snippets.Light
	}
	hl, err := snippets.HighlightReply(r, f, src, theme)
	if err != nil {
		return err
	}
	fmt.Fprint(w, hl)
	return nil
}

// envFramework is SMTPCODE_FRAMEWORK's framework, when it names one; a
// value that names none is said once on stderr and ignored.
func (a *app) envFramework() (snippets.Framework, bool) {
	if a.io.Env == nil {
		return snippets.Framework{}, false
	}
	v := strings.TrimSpace(a.io.Env("SMTPCODE_FRAMEWORK"))
	if v == "" {
		return snippets.Framework{}, false
	}
	f, ok := snippets.Find(v)
	if !ok && !a.warnedFramework {
		a.warnedFramework = true
		var hint string
		if _, err := snippets.Resolve(v); err != nil {
			var nf *snippets.NotFoundError
			if errors.As(err, &nf) {
				hint = "; " + message(a.lang, frameworkHint(v, nf))
			}
		}
		fmt.Fprintf(a.io.ErrOut, "smtpcode: warning: %s\n", sanitize(a.lang.F("SMTPCODE_FRAMEWORK=%s names no framework, ignored%s", codes.Quote(v), message(a.lang, hint))))
	}
	return f, ok
}

// copySnippet puts the snippet on the clipboard through OSC 52, which the
// terminal (not smtpcode) carries out; only on a terminal.
func copySnippet(a *app, src string) {
	if !a.io.IsStdoutTTY() {
		fmt.Fprintln(a.io.ErrOut, "smtpcode: warning: "+a.lang.T("--copy needs a terminal on stdout; nothing copied"))
		return
	}
	fmt.Fprint(a.io.Out, "\x1b]52;c;"+base64.StdEncoding.EncodeToString([]byte(src))+"\a")
	// The terminal decides: smtpcode cannot know whether it took it.
	fmt.Fprintln(a.io.ErrOut, a.lang.T("sent to the terminal's clipboard (OSC 52); some terminals block it, see docs/lookup.md"))
}
