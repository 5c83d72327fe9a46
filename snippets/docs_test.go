package snippets

import (
	"os"
	"strings"
	"testing"
)

// docsTable is the frameworks table of docs/snippets.md, made from the
// registry: the versions column is every version the runtime tests
// execute the snippets on (TestExecutedVersions checks that they are).
func docsTable() string {
	var b strings.Builder
	b.WriteString("| framework | family | language | library | versions executed on | verification |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- |\n")
	for _, f := range Frameworks() {
		versions := f.VersionList()
		if versions == "" {
			versions = "—"
		}
		level := string(f.Level)
		if f.Note != "" {
			level += ": " + f.Note
		}
		b.WriteString("| " + f.Name + " | " + string(f.Family) + " | " + f.Language + " | " + f.Library +
			" | " + versions + " | " + level + " |\n")
	}
	return b.String()
}

const (
	docsTableBegin = "<!-- frameworks table: made by go test ./snippets -run TestDocsFrameworksTable -update -->\n"
	docsTableEnd   = "<!-- end of the frameworks table -->\n"
)

// TestDocsFrameworksTable checks that docs/snippets.md shows the registry's
// frameworks, verification and versions; -update rewrites the table.
func TestDocsFrameworksTable(t *testing.T) {
	const path = "../docs/snippets.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i := strings.Index(doc, docsTableBegin)
	j := strings.Index(doc, docsTableEnd)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the frameworks table markers", path)
	}
	got := doc[i+len(docsTableBegin) : j]
	want := docsTable()
	if got == want {
		return
	}
	if *update {
		doc = doc[:i+len(docsTableBegin)] + want + doc[j:]
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the frameworks table differs from the registry; rerun with -update\n got:\n%s\nwant:\n%s", path, got, want)
}
