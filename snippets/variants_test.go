package snippets

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// variant is one setting a framework's snippets run in: one of the
// framework's Versions and the program that runs it there (a Python
// interpreter, a Spring Boot line); prog is "" where a framework has one
// setting and its runner knows the program.
type variant struct {
	Version
	prog string
}

// name is the subtest name: "" for a framework's only setting.
func (v variant) name() string {
	if v.prog == "" {
		return ""
	}
	return strings.ReplaceAll(v.Source+" "+v.Version.Version, " ", "_")
}

// variants are the settings a framework's snippets are executed in, one for
// each of its Versions where the runner chooses among several.
func variants(f Framework) []variant {
	switch {
	case f.Language == "python":
		out := make([]variant, 0, len(f.Versions))
		for _, v := range f.Versions {
			out = append(out, variant{v, pythonFor(v.Source)})
		}
		return out
	case f.Name == "spring-boot":
		out := make([]variant, 0, len(f.Versions))
		for _, v := range f.Versions {
			out = append(out, variant{v, bootLine(v.Version)})
		}
		return out
	}
	var v Version
	if len(f.Versions) > 0 {
		v = f.Versions[0]
	}
	return []variant{{Version: v}}
}

// runVariants runs fn in a parallel subtest per variant (in the test itself
// when there is one setting).
func runVariants(t *testing.T, f Framework, fn func(t *testing.T, v variant)) {
	vs := variants(f)
	if len(vs) == 1 && vs[0].name() == "" {
		fn(t, vs[0])
		return
	}
	for _, v := range vs {
		t.Run(v.name(), func(t *testing.T) {
			t.Parallel()
			fn(t, v)
		})
	}
}

// debianPython is Debian's python3, which sees the python3-* packages (a
// pyenv python3 earlier on PATH does not).
const debianPython = "/usr/bin/python3"

// pythonFor is the interpreter of a source of Python packages: Debian's, or
// the virtualenv scripts/test.sh makes from it with the current PyPI
// releases (snippets/testdata/python-current.txt), under .cache/pyvenv or
// $SMTPCODE_PYVENV.
func pythonFor(source string) string {
	if source == pypi {
		return filepath.Join(pyvenv(), "bin", "python")
	}
	return debianPython
}

func pyvenv() string {
	if d := os.Getenv("SMTPCODE_PYVENV"); d != "" {
		return d
	}
	return filepath.Join(cacheDir(), "pyvenv")
}

// cacheDir is the ignored .cache/ at the top of the repository, where the
// test command keeps what it downloads.
func cacheDir() string {
	d, err := filepath.Abs("../.cache")
	if err != nil {
		panic(err)
	}
	return d
}

// needPython is need for a Python interpreter and modules it must import,
// with the test command's hint for the virtualenv.
func needPython(t *testing.T, py string, modules ...string) string {
	t.Helper()
	if _, err := os.Stat(py); err != nil && py != debianPython {
		missing(t, fmt.Sprintf("%s is missing: scripts/test.sh makes the virtualenv %s with the current PyPI releases", py, pyvenv()))
	}
	if len(modules) == 0 {
		return need(t, py)
	}
	return need(t, py, "-c", "import "+strings.Join(modules, ", "))
}

// pyVersions are the Python distributions whose versions a framework's
// Version names, in the form of its Version.Version.
var pyVersions = map[string]string{
	"flask":    "{flask}",
	"fastapi":  "FastAPI {fastapi} + uvicorn {uvicorn}",
	"django":   "{django}",
	"aiosmtpd": "{aiosmtpd}",
	"smtplib":  "Python {python}",
}

// probeVersion asks a variant's runtime which version it really has.
func probeVersion(t *testing.T, f Framework, v variant) string {
	t.Helper()
	switch {
	case f.Language == "python":
		form, ok := pyVersions[f.Name]
		if !ok {
			t.Fatalf("%s: no version form in pyVersions", f.Name)
		}
		py := needPython(t, v.prog)
		script := `import importlib.metadata as m, re, sys
form = sys.argv[1]
def v(name):
    if name == "python":
        return "%d.%d" % sys.version_info[:2]
    return m.version(name)
print(re.sub(r"\{(\w+)\}", lambda g: v(g.group(1)), form))`
		out, err := exec.Command(py, "-c", script, form).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", py, err, out)
		}
		return strings.TrimSpace(string(out))
	case f.Name == "spring-boot":
		cp := bootClasspath(t, v.prog)
		for _, jar := range filepath.SplitList(cp) {
			base := filepath.Base(jar)
			if rest, ok := strings.CutPrefix(base, "spring-boot-"); ok && strings.HasSuffix(rest, ".jar") {
				ver := strings.TrimSuffix(rest, ".jar")
				if ver != "" && ver[0] >= '0' && ver[0] <= '9' {
					return ver
				}
			}
		}
		t.Fatalf("no spring-boot jar on the classpath of %s", v.prog)
	}
	return ""
}

// TestExecutedVersions checks that every version a framework lists is what
// its runner really runs, where the runner chooses among several: the
// versions `smtpcode frameworks` prints are the versions executed.
func TestExecutedVersions(t *testing.T) {
	if testing.Short() {
		t.Skip("asks the runtimes")
	}
	for _, f := range Frameworks() {
		if f.Level != Executed || (f.Language != "python" && f.Name != "spring-boot") {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			runVariants(t, f, func(t *testing.T, v variant) {
				if got := probeVersion(t, f, v); got != v.Version.Version {
					t.Errorf("%s from %s: runs %q, the registry says %q", f.Name, v.Source, got, v.Version.Version)
				}
			})
		})
	}
}

// once caches a value per key for the whole test binary (a classpath per
// Spring Boot line, a cargo build).
type once[T any] struct {
	mu sync.Mutex
	m  map[string]*onceEntry[T]
}

type onceEntry[T any] struct {
	once sync.Once
	v    T
	err  error
}

func (o *once[T]) get(key string, f func() (T, error)) (T, error) {
	o.mu.Lock()
	if o.m == nil {
		o.m = map[string]*onceEntry[T]{}
	}
	e := o.m[key]
	if e == nil {
		e = &onceEntry[T]{}
		o.m[key] = e
	}
	o.mu.Unlock()
	e.once.Do(func() { e.v, e.err = f() })
	return e.v, e.err
}
