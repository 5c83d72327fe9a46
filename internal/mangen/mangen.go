// Package mangen writes smtpcode's man pages from its cobra command tree
// (github.com/spf13/cobra/doc), with the sections cobra does not know (exit
// status, environment, JSON output) taken from the help topics. Only the generator (go generate
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
		pages[strings.ReplaceAll(c.CommandPath(), " ", "-")+".1"] = finish(buf.Bytes(), extraSections(root, c.CommandPath()))
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

// finish drops the date and adds the extra sections, in Markdown, before
// SEE ALSO.
func finish(page []byte, md string) []byte {
	page = thDate.ReplaceAll(page, []byte(`$1 ""`))
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

// The extra sections come from the root's help topics (smtpcode help
// exit-codes, environment, json): one text for the program's help and its
// man pages. Every command's page carries them, as they hold for every
// command; the completion pages carry the exit statuses only.
var topicSections = []struct{ topic, title string }{
	{"exit-codes", "EXIT STATUS"},
	{"environment", "ENVIRONMENT"},
	{"json", "JSON OUTPUT"},
}

// extraSections renders the help topics of root as man sections for the
// command at path.
func extraSections(root *cobra.Command, path string) string {
	var b strings.Builder
	for _, ts := range topicSections {
		if strings.HasPrefix(path, root.Name()+" completion") && ts.topic != "exit-codes" {
			continue
		}
		for _, c := range root.Commands() {
			if c.Name() == ts.topic && c.IsAdditionalHelpTopicCommand() {
				b.WriteString("# " + ts.title + "\n\n")
				b.WriteString("```\n" + strings.TrimRight(c.Long, "\n") + "\n```\n\n")
			}
		}
	}
	return b.String()
}
