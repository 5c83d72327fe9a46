// Package mangen writes smtpcode's man pages from its cobra command tree
// (github.com/spf13/cobra/doc), with the sections cobra does not know: exit
// status, environment, JSON output. Only the generator (go generate
// ./cmd/smtpcode, which builds the command with the mangen tag) and the
// staleness test import it, so the smtpcode binary never links it.
package mangen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/cpuguy83/go-md2man/v2/md2man"
	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// Dir is where the pages live, from the repository root.
const Dir = "docs/man"

// Pages renders one page per visible command: file name to roff.
func Pages(root *cobra.Command) (map[string][]byte, error) {
	pages := map[string][]byte{}
	var walk func(c *cobra.Command) error
	walk = func(c *cobra.Command) error {
		if !c.IsAvailableCommand() && c != root || c.IsAdditionalHelpTopicCommand() {
			return nil
		}
		c.DisableAutoGenTag = true // no "generated on DATE" section
		for _, sub := range c.Commands() {
			if err := walk(sub); err != nil {
				return err
			}
		}
		var buf bytes.Buffer
		header := &doc.GenManHeader{Section: "1", Source: "smtpcode", Manual: "smtpcode manual"}
		if err := doc.GenMan(c, header, &buf); err != nil {
			return fmt.Errorf("%s: %w", c.CommandPath(), err)
		}
		pages[strings.ReplaceAll(c.CommandPath(), " ", "-")+".1"] = finish(c.CommandPath(), buf.Bytes())
		return nil
	}
	if err := walk(root); err != nil {
		return nil, err
	}
	return pages, nil
}

// thDate is the date cobra puts on the title line: today's, which would make
// the pages change every month without a change of content.
var thDate = regexp.MustCompile(`(?m)^(\.TH "[^"]*" "1") "[^"]*"`)

// finish drops the date and adds the extra sections before SEE ALSO.
func finish(path string, page []byte) []byte {
	page = thDate.ReplaceAll(page, []byte(`$1 ""`))
	md := extra[path]
	if md == "" {
		return page
	}
	roff := md2man.Render([]byte(md))
	roff = bytes.TrimPrefix(roff, []byte(".nh\n"))
	// go-md2man makes the first heading the title line: a section here.
	if bytes.HasPrefix(roff, []byte(".TH ")) {
		roff = append([]byte(".SH "), roff[len(".TH "):]...)
	}
	i := bytes.Index(page, []byte("\n.SH SEE ALSO"))
	if i < 0 {
		return append(page, roff...)
	}
	out := append([]byte{}, page[:i+1]...)
	out = append(out, roff...)
	return append(out, page[i:]...)
}

// Write writes the pages into dir and removes pages of commands that no
// longer exist.
func Write(root *cobra.Command, dir string) error {
	pages, err := Pages(root)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, _ := filepath.Glob(filepath.Join(dir, "*.1"))
	for _, f := range old {
		if _, ok := pages[filepath.Base(f)]; !ok {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	names := make([]string, 0, len(pages))
	for n := range pages {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), pages[n], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// The extra sections, in Markdown (go-md2man turns them into roff), by
// command path. What they say is checked where the behaviour is tested:
// exit statuses in the testscript scripts, the environment in iostreams'
// and mock's tests, the JSON members in the JSON golden files.
const (
	exitLookup = `# EXIT STATUS

**0**
: found.

**1**
: nothing found: an unknown code, an empty search, filters that leave nothing.

**2**
: usage error: not a code, a bad flag, an unknown command.

Errors go to standard error as *smtpcode: error: ...*, followed by a *hint: ...* line where one helps.
`
	environment = `# ENVIRONMENT

**NO_COLOR**
: any non-empty value turns colour off (*--color always* still wins).

**CLICOLOR_FORCE**
: non-empty and not *0*: colour, and the terminal layout, even when piped.

**SMTPCODE_FORCE_TTY**
: treat standard output as a terminal; a number also sets the width.

**COLUMNS**
: the width to wrap to when the terminal's is unknown (at most 120).

**SMTPCODE_FRAMEWORK**
: the framework the code page marks and *smtpcode snippet* uses by default.
`
	jsonLookup = `# JSON OUTPUT

With **--json**, standard output holds nothing but JSON, schema version 1: every object has *"schema_version": 1*; members may be added, never removed or changed in meaning without a new version.
A lookup prints one entry object per line (JSON Lines); *list* and *search* print one array of entry objects (*search* adds *score*).

An entry object has *kind* (basic, enhanced, tag), *code*, *query* (the code as asked, when it differs), *title*, *standard*, *registered*, *class* (2 to 5, or null), *meaning*, *action* (none, continue, retry, fix, give-up), *retry* (bool), *actor* (none, sender, sender-admin, recipient-admin), *commands*, *enhanced*, *text*, *wire*, *references* (rfc, section, url), *extensions*, *causes* (cause, example, source), *related*, *aliases*, *source* and *url* (non-standard codes), *try_it* (mock, client), *http* (status, title, retry_after, problem) and *notes*.
The full schema is docs/json.md in the source.
`
	exitExplain = `# EXIT STATUS

**0**
: at least one reply was found.

**1**
: no reply was found.

**2**
: usage error, or a file could not be read (the other files are still read).
`
	jsonExplain = `# JSON OUTPUT

With **--json**, one object per reply found (JSON Lines), *"schema_version": 1*: *file*, *line*, *code*, *enhanced*, *command*, *provider*, *tag*, *class*, *class_name*, *title*, *entry*, *standard*, *action*, *retry*, *actor*, *format*, *dsn_action*, *lines*, *offset*, *text*, *truncated*.
With **--summary --json**, one object: *files*, *bytes*, *lines*, *replies*, *bounce_echoes* and *codes*, an array of *count*, *code*, *enhanced*, *tag*, *class*, *class_name*, *title*, *entry*, *action*, *retry*.
The full schema is docs/explain.md in the source.
`
	exitMock = `# EXIT STATUS

**0**
: the server was stopped by SIGINT or SIGTERM (sessions in flight get *421 4.3.2*).

**2**
: usage error (a bad rule, flag or address), or the server could not listen.

With a COMMAND after **--**, the command's exit status: 127 when it cannot be started, 128+N when a signal N ended it.
`
	envMock = `# ENVIRONMENT

The COMMAND after **--** runs with:

**SMTPCODE_MOCK_ADDR**
: the server's address, host:port.

**SMTPCODE_MOCK_HOST**, **SMTPCODE_MOCK_PORT**
: the same, apart.

# JSON OUTPUT

With **--json**, one event per line (JSON Lines), *"schema_version": 1*, with *type* (connect, command, reply, tls, message, disconnect), *session* and *time*, and by type: *remote*, *local*, *line*, *code*, *enhanced*, *lines*, *rule*, *from*, *recipients*, *size*, *accepted*, *tls*, *user*, *saved*, *tls_version*, *tls_cipher*, *reason*, *duration_ms*.
The full schema is docs/mock.md in the source.
`
	exitSnippet = `# EXIT STATUS

**0**
: a snippet, or the list of frameworks, was printed.

**1**
: the catalogue lacks the code, or the framework has no snippet for it (server and client snippets exist for 4yz and 5yz only).

**2**
: usage error: an unknown framework (with a "did you mean"), a range, a bad **--family**.

# ENVIRONMENT

**SMTPCODE_FRAMEWORK**
: the framework used when none is given.

# JSON OUTPUT

With **--json**, one object, *"schema_version": 1*: *code*, *framework*, *family*, *language*, *source*; without a framework, the list as *smtpcode frameworks --json* objects.
`
)

var extra = map[string]string{
	"smtpcode":         exitLookup + environment + jsonLookup,
	"smtpcode show":    exitLookup + jsonLookup,
	"smtpcode list":    exitLookup + jsonLookup,
	"smtpcode search":  exitLookup + jsonLookup,
	"smtpcode explain": exitExplain + jsonExplain,
	"smtpcode mock":    exitMock + envMock,
	"smtpcode snippet": exitSnippet,
}
