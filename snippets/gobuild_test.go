package snippets

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// goBuild builds a Go snippet in a module of its own that may use the
// libraries this module requires (go-smtp), offline from the module cache.
func goBuild(t *testing.T, name, src string) string {
	t.Helper()
	goTool := need(t, "go")
	dir := t.TempDir()
	sum, err := os.ReadFile("../go.sum")
	if err != nil {
		t.Fatal(err)
	}
	mod := "module snippet\n\ngo 1.26\n"
	if strings.Contains(src, "github.com/emersion/go-smtp") {
		mod += "\nrequire (\n\tgithub.com/emersion/go-smtp " + goSMTPVersion + "\n\tgithub.com/emersion/go-sasl " + goSASLVersion + "\n)\n"
	}
	for file, content := range map[string][]byte{"go.mod": []byte(mod), "go.sum": sum, name: []byte(src)} {
		if err := os.WriteFile(filepath.Join(dir, file), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(dir, "snippet")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
