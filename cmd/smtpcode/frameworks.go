package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/smtpcode/smtpcode/internal/jsontext"
	"github.com/smtpcode/smtpcode/snippets"
)

type frameworksOptions struct {
	family string
}

func newFrameworksCmd(a *app, runF func(*frameworksOptions) error) *cobra.Command {
	opts := &frameworksOptions{}
	cmd := &cobra.Command{
		Use:   "frameworks",
		Short: "List the snippet frameworks and how each is verified",
		Long: `List the frameworks smtpcode has snippets for: name, family, language, how
the tests verify its snippets (executed in the real runtime, compiled, or
parsed by a real parser of the language) and the library version verified
against. Piped, tab-separated lines in that order.`,
		Example: `  smtpcode frameworks
  smtpcode frameworks --family web
  smtpcode frameworks --json | jq -r 'select(.verification=="executed").name'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch opts.family {
			case "", "server", "client", "web":
			default:
				return usageErrorf("use --family server, client or web", "invalid --family %q", opts.family)
			}
			if runF != nil {
				return runF(opts)
			}
			return frameworksRun(a, opts)
		},
	}
	cmd.Flags().StringVar(&opts.family, "family", "", "only this family: server, client or web")
	_ = cmd.RegisterFlagCompletionFunc("family", cobra.FixedCompletions([]string{"server\tmake an SMTP server answer with the code", "client\tdetect and handle it when sending", "web\tsurface it from an HTTP API"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// frameworkJSON is the exported form of a framework.
type frameworkJSON struct {
	SchemaVersion int      `json:"schema_version"`
	Object        string   `json:"object"`
	Name          string   `json:"name"`
	Title         string   `json:"title"`
	Family        string   `json:"family"`
	Language      string   `json:"language"`
	Library       string   `json:"library"`
	Verification  string   `json:"verification"`
	Version       string   `json:"version"`
	Versions      []string `json:"versions"`
	Note          string   `json:"note,omitempty"`
}

func (f *frameworkJSON) appendJSON(b []byte) []byte {
	o := jsontext.Begin(b)
	o.Int("schema_version", int64(f.SchemaVersion))
	o.String("object", f.Object)
	o.String("name", f.Name)
	o.String("title", f.Title)
	o.String("family", f.Family)
	o.String("language", f.Language)
	o.String("library", f.Library)
	o.String("verification", f.Verification)
	o.String("version", f.Version)
	o.Strings("versions", f.Versions)
	o.StringOmit("note", f.Note)
	return o.End()
}

// writeFrameworksJSON prints the frameworks as JSON Lines, for frameworks
// --json and snippet CODE --json alike.
func writeFrameworksJSON(w io.Writer, fs []snippets.Framework) error {
	out := make([]frameworkJSON, 0, len(fs))
	for _, f := range fs {
		out = append(out, exportFramework(f))
	}
	return writeJSONLines(w, out)
}

// exportFramework: version is every version the snippets are verified on,
// comma-separated ("2.2.2 (Debian 12), 3.1.3 (PyPI)"); versions lists them.
func exportFramework(f snippets.Framework) frameworkJSON {
	versions := make([]string, len(f.Versions))
	for i, v := range f.Versions {
		versions[i] = v.String()
	}
	return frameworkJSON{
		SchemaVersion: schemaVersion, Object: objectFramework, Name: f.Name, Title: f.Title, Family: string(f.Family),
		Language: f.Language, Library: f.Library, Verification: string(f.Level),
		Version: f.VersionList(), Versions: versions, Note: f.Note,
	}
}

func frameworksRun(a *app, opts *frameworksOptions) error {
	var fs []snippets.Framework
	for _, f := range snippets.Frameworks() {
		if opts.family == "" || string(f.Family) == opts.family {
			fs = append(fs, f)
		}
	}
	if a.opts.json {
		return writeFrameworksJSON(a.io.Out, fs)
	}
	printFrameworks(a, fs)
	return nil
}

// printFrameworks prints frameworks as a table on a terminal, or as
// tab-separated lines (name, family, language, verification, versions) when
// piped. On a terminal each version the snippets were verified on, and the
// note on what limits the verification, follow the framework's row under
// its library.
func printFrameworks(a *app, fs []snippets.Framework) {
	if !a.io.Styled() {
		for _, f := range fs {
			fmt.Fprintf(a.io.Out, "%s\t%s\t%s\t%s\t%s\n", f.Name, f.Family, f.Language, f.Level, f.VersionList())
		}
		return
	}
	s := a.Styles()
	w := a.io.Stdout()
	tr := a.lang
	// Padded by the columns a heading takes: a Hangul heading two a
	// syllable.
	fmt.Fprintln(w, s.Muted.Render(padRight(tr.T("FRAMEWORK"), 16)+"  "+padRight(tr.T("FAMILY"), 7)+"  "+
		padRight(tr.T("LANGUAGE"), 11)+"  "+padRight(tr.T("VERIFIED"), 9)+"  "+tr.T("LIBRARY, VERSIONS")))
	indent := strings.Repeat(" ", 51) // under LIBRARY
	width := a.io.Width() - 51
	for _, f := range fs {
		level := fmt.Sprintf("%-9s", f.Level)
		if f.Level != snippets.Executed {
			level = s.Warn.Render(level)
		}
		fmt.Fprintf(w, "%s  %-7s  %-11s  %s  %s\n", s.Accent.Render(fmt.Sprintf("%-16s", f.Name)), f.Family, f.Language, level, truncate(f.Library, width))
		for _, v := range f.Versions {
			fmt.Fprintf(w, "%s%s\n", indent, truncate(v.String(), width))
		}
		if f.Note != "" {
			for _, line := range wordWrap(tr.T(f.Note), width, width) {
				fmt.Fprintf(w, "%s%s\n", indent, s.Muted.Render(line))
			}
		}
	}
}
