package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/smtpcode/smtpcode/internal/iostreams"
	"github.com/smtpcode/smtpcode/internal/mangen"
)

// TestManPagesFresh fails when docs/man is stale: a command, flag, help text
// or extra section changed without go generate ./cmd/smtpcode.
func TestManPagesFresh(t *testing.T) {
	s, _, _, _ := iostreams.Test()
	pages, err := mangen.Pages(newRootCmd(s, []string{"help"}))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", mangen.Dir)
	var want []string
	for name, page := range pages {
		want = append(want, name)
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%v: run go generate ./cmd/smtpcode", err)
			continue
		}
		if !bytes.Equal(got, page) {
			t.Errorf("%s is stale: run go generate ./cmd/smtpcode", name)
		}
	}
	sort.Strings(want)
	have, _ := filepath.Glob(filepath.Join(dir, "*.1"))
	for i := range have {
		have[i] = filepath.Base(have[i])
	}
	if !slices.Equal(have, want) {
		t.Errorf("docs/man holds %v, the command tree has %v: run go generate ./cmd/smtpcode", have, want)
	}
	for _, name := range []string{"smtpcode.1", "smtpcode-explain.1", "smtpcode-mock.1", "smtpcode-snippet.1"} {
		for _, section := range []string{".SH EXIT STATUS", ".SH EXAMPLE", ".SH JSON OUTPUT"} {
			if !bytes.Contains(pages[name], []byte(section)) {
				t.Errorf("%s has no %q", name, section)
			}
		}
	}
	if !bytes.Contains(pages["smtpcode.1"], []byte(".SH ENVIRONMENT")) {
		t.Error("smtpcode.1 has no ENVIRONMENT section")
	}
}
