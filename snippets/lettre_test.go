package snippets

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The lettre snippet is built with cargo against the lettre of its
// Versions, from crates.io (testdata/lettre: Cargo.toml and the Cargo.lock
// that pins every dependency), and run like every client snippet. Rust is a
// toolchain, not a package scripts/test.sh can install: where no rustc at
// lettre's minimum version is on PATH (Debian 12's is 1.63), the test says
// so and only parses the snippet, under CI=true too.

// lettreMSRV is lettre 0.11.23's rust-version.
const lettreMSRV = "1.85"

var rustcVersion = regexp.MustCompile(`^rustc (\d+)\.(\d+)\.(\d+)`)

// rustToolchain returns cargo's path, or why lettre cannot be built here.
func rustToolchain() (string, error) {
	cargo, err := exec.LookPath("cargo")
	if err != nil {
		return "", fmt.Errorf("no cargo on PATH")
	}
	rustc, err := exec.LookPath("rustc")
	if err != nil {
		return "", fmt.Errorf("no rustc on PATH")
	}
	out, err := exec.Command(rustc, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("rustc --version: %v", err)
	}
	m := rustcVersion.FindStringSubmatch(string(out))
	if m == nil {
		return "", fmt.Errorf("rustc --version said %q", strings.TrimSpace(string(out)))
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	want := strings.Split(lettreMSRV, ".")
	wantMajor, _ := strconv.Atoi(want[0])
	wantMinor, _ := strconv.Atoi(want[1])
	if major < wantMajor || major == wantMajor && minor < wantMinor {
		return "", fmt.Errorf("rustc %s.%s is older than %s, lettre 0.11's minimum", m[1], m[2], lettreMSRV)
	}
	return cargo, nil
}

// lettreBuilds maps each rendered source to its binary: every case's
// rendering is one binary of one crate, built by one cargo build.
var lettreBuilds once[map[string]string]

func buildLettre(cargo string, sources []string) (map[string]string, error) {
	dir, err := os.MkdirTemp("", "smtpcode-lettre-")
	if err != nil {
		return nil, err
	}
	// The binaries stay in the target directory under .cache, which a
	// later run reuses for the dependencies.
	defer os.RemoveAll(dir)
	for _, name := range []string{"Cargo.toml", "Cargo.lock"} {
		b, err := os.ReadFile(filepath.Join("testdata", "lettre", name))
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return nil, err
		}
	}
	bins := filepath.Join(dir, "src", "bin")
	if err := os.MkdirAll(bins, 0o755); err != nil {
		return nil, err
	}
	names := map[string]string{}
	for i, src := range sources {
		name := fmt.Sprintf("snippet%02d", i)
		names[src] = name
		if err := os.WriteFile(filepath.Join(bins, name+".rs"), []byte(src), 0o644); err != nil {
			return nil, err
		}
	}
	target := filepath.Join(cacheDir(), "cargo-target")
	cmd := exec.Command(cargo, "build", "--offline", "--locked", "--quiet")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CARGO_HOME="+filepath.Join(cacheDir(), "cargo"), "CARGO_TARGET_DIR="+target)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("cargo build --offline (scripts/test.sh fetches lettre into %s): %v\n%s",
			filepath.Join(cacheDir(), "cargo"), err, out)
	}
	paths := map[string]string{}
	for src, name := range names {
		// Copied out, since the next build of the crate replaces them.
		bin := filepath.Join(os.TempDir(), fmt.Sprintf("smtpcode-lettre-%d-%s", os.Getpid(), name))
		b, err := os.ReadFile(filepath.Join(target, "debug", name))
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(bin, b, 0o755); err != nil {
			return nil, err
		}
		paths[src] = bin
	}
	return paths, nil
}

func init() {
	clientRunners["lettre"] = runLettre
}

func runLettre(t *testing.T, src string, env []string, v variant) (string, error) {
	t.Helper()
	cargo, err := rustToolchain()
	if err != nil {
		// Parsed only, as on a plain Debian 12.
		file := filepath.Join(writeSource(t, "main.rs", src), "main.rs")
		if out, perr := exec.Command(rustfmt(t), "--edition", "2021", "--emit", "stdout", file).CombinedOutput(); perr != nil {
			t.Fatalf("rustfmt: %v\n%s", perr, out)
		}
		t.Skipf("lettre not built: %v; the snippet was parsed (rustfmt) only", err)
	}
	f, _ := Find("lettre")
	bins, err := lettreBuilds.get("cases", func() (map[string]string, error) {
		var sources []string
		for _, c := range cases {
			s, err := RenderReply(c.reply(), f)
			if err != nil {
				return nil, err
			}
			sources = append(sources, s)
		}
		return buildLettre(cargo, sources)
	})
	if err != nil {
		missing(t, err.Error())
	}
	bin, ok := bins[src]
	if !ok {
		t.Fatalf("this rendering of the lettre snippet was not built")
	}
	t.Cleanup(func() { os.Remove(bin) })
	return runOnce(t, t.TempDir(), env, bin, "rcpt@example.org")
}

// TestLettreVersion checks that the crate the lettre snippet is built in
// pins the lettre of its Versions, and Cargo.lock has that lettre.
func TestLettreVersion(t *testing.T) {
	f, _ := Find("lettre")
	want := f.Versions[0].Version
	toml, err := os.ReadFile("testdata/lettre/Cargo.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(toml), `lettre = { version = "=`+want+`"`) {
		t.Errorf("testdata/lettre/Cargo.toml does not pin lettre %s", want)
	}
	lock, err := os.ReadFile("testdata/lettre/Cargo.lock")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(lock), "name = \"lettre\"\nversion = \""+want+"\"") {
		t.Errorf("testdata/lettre/Cargo.lock lacks lettre %s", want)
	}
}
