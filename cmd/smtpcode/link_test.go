package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLinkerDeadCode builds the binary and checks what it links. A binary
// that can reach reflect.Value.Method or MethodByName (text/template does)
// keeps every exported method of every type, because the linker can no
// longer prove one unused: that cost 1.9 MB and 0.9 MiB at every start.
// chroma's lexers cost 11 ms at init; the DNS resolver (0.2 MB) and
// encoding/json's reflection (0.15 MB) are written around.
func TestLinkerDeadCode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "smtpcode")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(build.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command("go", "tool", "nm", bin).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	syms := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) >= 3 {
			syms[f[len(f)-1]] = true
		}
	}
	for _, sym := range []string{
		"reflect.Value.MethodByName",
		"reflect.Value.Method",
		"text/template.(*Template).Execute",
		"net.(*Resolver).lookupIPAddr",
		"encoding/json.(*encodeState).marshal",
	} {
		if syms[sym] {
			t.Errorf("the binary links %s", sym)
		}
	}
	// The size target, for the binary as the benchmark builds it.
	stripped := filepath.Join(t.TempDir(), "smtpcode-stripped")
	build = exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", stripped, ".")
	build.Env = append(build.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if fi, err := os.Stat(stripped); err != nil {
		t.Fatal(err)
	} else if fi.Size() > 9_000_000 {
		t.Errorf("stripped binary is %d bytes, over the 9 MB budget", fi.Size())
	} else {
		t.Logf("stripped binary: %d bytes", fi.Size())
	}
	for sym := range syms {
		if strings.HasPrefix(sym, "github.com/alecthomas/chroma") || strings.HasPrefix(sym, "github.com/dlclark/regexp2") {
			t.Fatalf("the binary links %s", sym)
		}
	}
}
