package main

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/smtpcode/smtpcode/codes"
	"github.com/smtpcode/smtpcode/explain"
	"github.com/smtpcode/smtpcode/internal/i18n"
	"github.com/smtpcode/smtpcode/internal/jsontext"
)

// langArg is the value of --lang in args, read before cobra parses them:
// the help texts are set when the tree is built, in the language asked for.
func langArg(args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if v, ok := strings.CutPrefix(a, "--lang="); ok {
			return v
		}
		if a == "--lang" && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

// chooseLang is the language of the run: --lang, else SMTPCODE_LANG, else
// the locale (LC_ALL, LC_MESSAGES, LANG).
func chooseLang(args []string, getenv func(string) string) i18n.Lang {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	return i18n.Choose(langArg(args), getenv)
}

// title is the entry's title in the run's language. A standard entry's
// title is the RFC's or the IANA registry's name, which people search
// for: it stays, with the translation beside it. A provider's entry is
// smtpcode's own words, translated.
func title(l i18n.Lang, e *codes.Entry) string {
	t := displayTitle(e)
	if l == i18n.English {
		return t
	}
	tr, ok := l.Lookup(e.Title)
	switch {
	case !ok:
		return t
	case e.Standard:
		return t + " (" + tr + ")"
	}
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(tr), "(비표준)"))
}

// shortTitle is the title where room is short (lists, completion, explain's
// lines): the translation alone.
func shortTitle(l i18n.Lang, e *codes.Entry) string {
	t := displayTitle(e)
	if l == i18n.English {
		return t
	}
	if tr, ok := l.Lookup(e.Title); ok {
		return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(tr), "(비표준)"))
	}
	return t
}

// messageFormats are the formats whose messages other packages build (the
// catalogue's notes, errors and hints), so that a message printed whole can
// be translated piece by piece; the formats' translations are in the
// language files like every other text.
var messageFormats = [...]string{
	i18n.N("no code %s: %s"),
	i18n.N("no code %s"),
	i18n.N("did you mean %s?"),
	i18n.N("%s is in the IANA registry, and %s also uses it with a meaning of its own: both follow"),
	i18n.N("%s is not in the IANA registry; it is a provider's own detail (%s)"),
	i18n.N("%s is not in the IANA registry: what follows is what its class and subject say; the detail %s is the server's own"),
	i18n.N("%s and %s disagree: an enhanced code's class (RFC 3463 §2) is expected to match the reply's first digit"),
	// codes.SyntaxError and its reasons and hints.
	i18n.N("%s is not an SMTP reply code: %s"),
	i18n.N("%s is not an SMTP reply code"),
	i18n.N("it is empty"),
	i18n.N("a reply code starts with 2, 3, 4 or 5 (RFC 5321 §4.2)"),
	i18n.N("a reply code has three digits"),
	i18n.N("the reply classes are 2xx, 3xx, 4xx and 5xx (RFC 5321 §4.2.1)"),
	i18n.N("an enhanced status code has three parts, class.subject.detail"),
	i18n.N("an enhanced status code is class.subject.detail, such as 5.7.1"),
	i18n.N("the subject %s has more than three digits (RFC 3463 §2)"),
	i18n.N("the detail %s has more than three digits (RFC 3463 §2)"),
	i18n.N("give a code such as 550, 5.7.1 or \"550 5.7.1\", or a class such as 5xx"),
	i18n.N("to search by words, run: smtpcode search %s"),
	i18n.N("give a code such as 550, 5.7.1 or \"550 5.7.1\", or search by words with smtpcode search"),
	i18n.N("no SMTP reply found in it"),
	i18n.N("to search by words, run: smtpcode search WORDS; for a whole log: smtpcode explain FILE"),
	// codes.NotFoundError's reasons and advice.
	i18n.N("no reply code in that range"),
	i18n.N("RFC 5321 defines no 1yz reply, and SMTP has none in use"),
	i18n.N("the reply classes are 2xx, 3xx, 4xx and 5xx: smtpcode list"),
	i18n.N("a reply code starts with 2, 3, 4 or 5 (RFC 5321 §4.2.1)"),
	i18n.N("no RFC or extension defines it; it is the server's own"),
	i18n.N("a %dxx reply means %s whatever its last digits; the defined ones: smtpcode %dxx"),
	i18n.N("an enhanced status code's class is 2, 4 or 5 (RFC 3463 §2)"),
	i18n.N("write a class alone as %s.XXX.XXX"),
	i18n.N("the subjects run from X.0.XXX to X.7.XXX (RFC 3463 §2)"),
	// The snippets package's errors.
	i18n.N("no framework %s"),
	i18n.N("did you mean %s? (smtpcode frameworks lists them all)"),
	i18n.N("no %s snippet for %s: %s"),
	i18n.N("it is a positive reply, which servers send and clients get without any code of yours"),
	// cobra's and pflag's messages.
	i18n.N("unknown command %q for %q"),
	i18n.N("unknown flag: %s"),
	i18n.N("unknown shorthand flag: %q in %s"),
	i18n.N("flag needs an argument: %s"),
	// The first half of a class's meaning, in NotFoundError's advice.
	i18n.N("transient failure"),
	i18n.N("permanent failure"),
}

type messagePattern struct {
	re     *regexp.Regexp
	format string
	fixed  int // the format's text outside its verbs: the longer, the surer a match
}

// verbPattern finds a format's verbs: %s, %q, %d, %v, %w; anyVerb also an
// indexed one, %[2]s.
var (
	verbPattern = regexp.MustCompile(`%[sqdvw]`)
	anyVerb     = regexp.MustCompile(`%(\[\d+\])?[sqdvw]`)
)

// compilePatterns turns the language's formats into patterns that find
// their operands in a message: "no code %s: %s" matches "no code 599: a
// reply code starts with ...". Only an error printed in another language
// pays for it.
func compilePatterns(tr i18n.Lang) []messagePattern {
	var ps []messagePattern
	for _, f := range tr.Formats() {
		parts := verbPattern.Split(f, -1)
		var b strings.Builder
		b.WriteString("(?s)^")
		fixed := 0
		for i, p := range parts {
			if i > 0 {
				b.WriteString("(.+?)")
			}
			b.WriteString(regexp.QuoteMeta(p))
			fixed += len(p)
		}
		b.WriteString("$")
		re, err := regexp.Compile(b.String())
		if err != nil || fixed == 0 {
			continue // a bare "%s" would match anything
		}
		ps = append(ps, messagePattern{re, f, fixed})
	}
	slices.SortStableFunc(ps, func(a, b messagePattern) int { return b.fixed - a.fixed })
	return ps
}

var (
	patternsOnce sync.Once
	patterns     []messagePattern
)

// message translates a message built elsewhere: whole when the language
// has it, else by the first format it fits, its operands translated in
// turn (a reason inside "no code 599: ..."); what nothing fits stays.
func message(l i18n.Lang, msg string) string { return messageDepth(l, msg, 0) }

// maxMessageDepth bounds how deep operands are translated in turn: a reason
// inside an error inside a hint is as deep as messages go.
const maxMessageDepth = 3

func messageDepth(l i18n.Lang, msg string, depth int) string {
	if l == i18n.English || msg == "" {
		return msg
	}
	if t, ok := l.Lookup(msg); ok {
		return t
	}
	patternsOnce.Do(func() { patterns = compilePatterns(l) })
	for _, p := range patterns {
		m := p.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		tr, ok := l.Lookup(p.format)
		if !ok {
			continue
		}
		args := make([]any, len(m)-1)
		for i, s := range m[1:] {
			if depth < maxMessageDepth && len(s) < len(msg) {
				s = messageDepth(l, s, depth+1)
			}
			args[i] = s
		}
		// The translation's verbs are the English ones, perhaps indexed (a
		// test checks): each operand is already text.
		return fmt.Sprintf(anyVerb.ReplaceAllString(tr, "%${1}s"), args...)
	}
	return msg
}

// mappingTexts are the reasons snippets.Mapping gives for the HTTP status
// it picks, and the yes and no of --short.
var mappingTexts = [...]string{
	i18n.N("the API's own SMTP credentials failed: a fault of the API, not of its caller"),
	i18n.N("a transient failure upstream: the caller may retry later"),
	i18n.N("the mail server refused the address the caller supplied"),
	i18n.N("%d is an intermediate reply, not a failure: the mail library sends what it asks for and goes on; there is nothing to surface"),
	i18n.N("%d is not a failure: the message was accepted, there is nothing to surface"),
	i18n.N("a permanent failure upstream: retrying the same request will fail again"),
	i18n.N("yes"),
	i18n.N("no"),
}

// Cobra's own texts that smtpcode's help shows: marked here so that the
// coverage test asks for their translations; the help looks them up by
// their English.
var _ = [...]string{
	i18n.N("help for %s"),
	i18n.N("version for %s"),
	i18n.N("Help about any command"),
	i18n.N("Generate the autocompletion script for the specified shell"),
	i18n.N("Generate the autocompletion script for %s"),
	i18n.N("Generate the autocompletion script for smtpcode for the specified shell.\nSee each sub-command's help for details on how to use the generated script.\n"),
	// The paragraphs of each shell's completion help (the command lines
	// between them stay as they are).
	i18n.N("Generate the autocompletion script for the bash shell."),
	i18n.N("Generate the autocompletion script for the zsh shell."),
	i18n.N("Generate the autocompletion script for the fish shell."),
	i18n.N("Generate the autocompletion script for powershell."),
	i18n.N("This script depends on the 'bash-completion' package.\nIf it is not installed already, you can install it via your OS's package manager."),
	i18n.N("If shell completion is not already enabled in your environment you will need\nto enable it.  You can execute the following once:"),
	i18n.N("To load completions in your current shell session:"),
	i18n.N("To load completions for every new session, execute once:"),
	i18n.N("To load completions for every new session, add the output of the above command\nto your powershell profile."),
	i18n.N("You will need to start a new shell for this setup to take effect."),
}

// translateTree sets the commands' descriptions and the flags' usages in
// the language: the English stays in the code, where it is written.
func translateTree(tr i18n.Lang, c *cobra.Command) {
	if tr == i18n.English {
		return
	}
	c.Short = message(tr, c.Short)
	c.Long = translateLong(tr, c.Long)
	translate := func(f *pflag.Flag) { f.Usage = message(tr, f.Usage) }
	c.LocalFlags().VisitAll(translate)
	c.PersistentFlags().VisitAll(translate)
	for _, sub := range c.Commands() {
		translateTree(tr, sub)
	}
}

// padRight pads s with spaces to w columns, counted as the terminal counts
// them (fmt's %-9s counts runes, and a Hangul rune takes two columns).
func padRight(s string, w int) string {
	if n := textWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// jsonLang is the language --json adds its prose in: only one asked for by
// --lang, so that a Korean locale leaves scripts' JSON as it was.
func (a *app) jsonLang() i18n.Lang {
	if a.opts.lang == "" {
		return i18n.English
	}
	l, _ := i18n.Parse(a.opts.lang)
	return l
}

// addProse adds the entry's prose in the --lang language to its JSON.
func (a *app) addProse(j *entryJSON, m codes.Match, r codes.Result) {
	tr := a.jsonLang()
	if tr == i18n.English {
		return
	}
	e := m.Entry
	p := &proseJSON{
		Title:      tr.T(e.Title),
		Meaning:    tr.T(e.Meaning),
		WhatToDo:   tr.T(m.Action().Describe()),
		WhoMustAct: tr.T(m.Actor().Describe()),
	}
	if j.ClassMeaning != "" {
		p.ClassMeaning = tr.T(j.ClassMeaning)
	}
	if e.When != "" {
		p.When = tr.T(e.When)
	}
	if e.Description != "" {
		p.Description = tr.T(e.Description)
	}
	for _, x := range e.Extensions {
		p.Extensions = append(p.Extensions, tr.T(x.Meaning))
	}
	for _, c := range e.Causes {
		p.Causes = append(p.Causes, tr.T(c.Cause))
	}
	notes := false
	for _, ref := range e.References {
		notes = notes || ref.Note != ""
	}
	if notes {
		for _, ref := range e.References {
			p.References = append(p.References, tr.T(ref.Note))
		}
	}
	for _, d := range j.Dialects {
		p.Dialects = append(p.Dialects, dialectProseJSON{Title: tr.T(d.Title), Meaning: tr.T(d.Meaning)})
	}
	if j.HTTP != nil {
		p.HTTPWhy = message(tr, j.HTTP.Why)
	}
	for _, n := range j.Notes {
		p.Notes = append(p.Notes, message(tr, n))
	}
	j.I18n = map[string]*proseJSON{tr.Code(): p}
}

// translateLong translates a command's long help whole, or else paragraph
// by paragraph: a help text built around another package's text (mock's
// rule syntax) has its own paragraphs translated, the other's as it is.
func translateLong(tr i18n.Lang, long string) string {
	if t, ok := tr.Lookup(long); ok {
		return t
	}
	paras := strings.Split(long, "\n\n")
	for i, p := range paras {
		core := strings.TrimRight(p, "\n") // the last: cobra ends its texts with a newline
		paras[i] = tr.T(core) + p[len(core):]
	}
	return strings.Join(paras, "\n\n")
}

// appendReplyProse adds "i18n" to a reply's JSON line (which ends in "}\n"):
// the reply's title, what to do and who must act, in the --lang language.
func appendReplyProse(line []byte, tr i18n.Lang, d *explain.Description) []byte {
	end := bytes.LastIndexByte(line, '}')
	if end < 0 || d.Title == "" {
		return line
	}
	o := jsontext.Begin(nil)
	o.String("title", replyTitle(tr, d.Title))
	o.String("what_to_do", tr.T(d.Action.Describe()))
	o.String("who_must_act", tr.T(d.Actor.Describe()))
	prose := o.End()
	out := append(line[:end:end], `,"i18n":{"`...)
	out = append(out, tr.Code()...)
	out = append(out, `":`...)
	out = append(out, prose...)
	return append(out, "}}\n"...)
}

// flagUsages is pflag's flag list within helpWidth columns. pflag wraps
// by bytes, which puts a Hangul line break at a third of the width; in
// another language than English the usages are wrapped here, by columns,
// under their own first line.
func flagUsages(tr i18n.Lang, fs *pflag.FlagSet) string {
	if tr == i18n.English {
		return strings.TrimRight(fs.FlagUsagesWrapped(helpWidth), " \n")
	}
	var out []string
	for _, l := range strings.Split(strings.TrimRight(fs.FlagUsagesWrapped(0), " \n"), "\n") {
		// "  -s, --short   usage": the usage starts after the first run
		// of three or more spaces past the flag's name.
		l = strings.ReplaceAll(l, "(default ", tr.T("(default "))
		name := strings.TrimLeft(l, " ")
		gap := strings.Index(name, "   ")
		if textWidth(l) <= helpWidth || gap < 0 {
			out = append(out, l)
			continue
		}
		col := len(l) - len(name) + gap
		col += len(l[col:]) - len(strings.TrimLeft(l[col:], " "))
		if col > helpWidth/2 {
			out = append(out, l)
			continue
		}
		for i, w := range wordWrap(l[col:], helpWidth-col, helpWidth-col) {
			if i == 0 {
				out = append(out, l[:col]+w)
			} else {
				out = append(out, strings.Repeat(" ", col)+w)
			}
		}
	}
	return strings.Join(out, "\n")
}
