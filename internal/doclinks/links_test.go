// Package doclinks holds a test: every relative link in the Markdown a user
// or contributor reads resolves to a file in the repository, and every
// #anchor to a heading of that file.
package doclinks

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	link    = regexp.MustCompile(`!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	heading = regexp.MustCompile(`(?m)^#{1,6}\s+(.+?)\s*#*\s*$`)
	fence   = regexp.MustCompile("(?ms)^```.*?^```")
	code    = regexp.MustCompile("`[^`\n]*`")
)

// files are the Markdown files the test reads, from the repository root.
func files(t *testing.T, root string) []string {
	t.Helper()
	list := []string{"README.md", "CONTRIBUTING.md", "THIRD_PARTY.md"}
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		rel, _ := filepath.Rel(root, d)
		list = append(list, rel)
	}
	return list
}

// prose is the Markdown without code blocks and code spans, where a
// bracket-paren pair is not a link.
func prose(md string) string {
	return code.ReplaceAllString(fence.ReplaceAllString(md, ""), "")
}

// anchors are the GitHub anchors of a file's headings.
func anchors(md string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	for _, m := range heading.FindAllStringSubmatch(fence.ReplaceAllString(md, ""), -1) {
		a := slug(m[1])
		if n := seen[a]; n > 0 {
			out[a+"-"+itoa(n)] = true
		} else {
			out[a] = true
		}
		seen[a]++
	}
	return out
}

// slug is GitHub's heading anchor: lower case, punctuation dropped but
// hyphens and underscores, spaces as hyphens.
func slug(h string) string {
	h = strings.ToLower(strings.ReplaceAll(h, "`", ""))
	var b strings.Builder
	for _, r := range h {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + itoa(n%10)
}

func TestRelativeLinksResolve(t *testing.T) {
	root := filepath.Join("..", "..")
	checked := 0
	for _, name := range files(t, root) {
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			if os.IsNotExist(err) && name == "THIRD_PARTY.md" {
				continue
			}
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(prose(string(b)), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			checked++
			path, anchor, _ := strings.Cut(target, "#")
			file := filepath.Join(root, filepath.Dir(name), filepath.FromSlash(path))
			if path == "" {
				file = filepath.Join(root, name)
			}
			info, err := os.Stat(file)
			if err != nil {
				t.Errorf("%s: link %q: %v", name, target, err)
				continue
			}
			if anchor == "" {
				continue
			}
			if info.IsDir() || !strings.HasSuffix(file, ".md") {
				t.Errorf("%s: link %q: an anchor into something that is not Markdown", name, target)
				continue
			}
			md, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if !anchors(string(md))[anchor] {
				t.Errorf("%s: link %q: no heading with anchor #%s in %s", name, target, anchor, path)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no relative link found: the pattern is broken")
	}
}

// TestLinkCheckerCatches runs the checker's parts on text with a broken
// link, so that the test above cannot pass by finding nothing.
func TestLinkCheckerCatches(t *testing.T) {
	md := "# Exit status\n\nSee [a](docs/x.md#exit-status) and `[not](a link)`.\n\n```\n[nor](this)\n```\n## Exit status\n"
	got := link.FindAllStringSubmatch(prose(md), -1)
	if len(got) != 1 || got[0][1] != "docs/x.md#exit-status" {
		t.Errorf("links %q", got)
	}
	a := anchors(md)
	if !a["exit-status"] || !a["exit-status-1"] {
		t.Errorf("anchors %v", a)
	}
	if s := slug("The `smtpcode mock` server: rules & JSON"); s != "the-smtpcode-mock-server-rules--json" {
		t.Errorf("slug %q", s)
	}
}
