package snippets

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The spring-boot snippet is built and run on each Spring Boot line of its
// Versions: testdata/spring-boot/boot-X.Y/pom.xml is a start.spring.io-like
// application (spring-boot-starter-parent X.Y.Z, spring-boot-starter-web,
// spring-boot-starter-mail). Maven resolves its classpath, offline from the
// repository scripts/test.sh fills (.cache/m2); javac then compiles each
// rendered MessageController.java with testdata/spring-boot/Application.java
// against it, with the parent's compiler settings (--release 17,
// -parameters), and java runs the application. The two lines run in
// parallel.

// bootLine is the directory of a Spring Boot version's pom: "boot-3.5".
func bootLine(version string) string {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return "boot-" + version
	}
	return "boot-" + parts[0] + "." + parts[1]
}

// m2 is the local Maven repository the test command fills.
func m2() string { return filepath.Join(cacheDir(), "m2") }

var bootClasspaths once[string]

// bootClasspath is the runtime classpath of a Spring Boot line, from Maven.
func bootClasspath(t *testing.T, line string) string {
	t.Helper()
	mvn := need(t, "mvn")
	cp, err := bootClasspaths.get(line, func() (string, error) {
		pom, err := filepath.Abs(filepath.Join("testdata", "spring-boot", line, "pom.xml"))
		if err != nil {
			return "", err
		}
		out := filepath.Join(os.TempDir(), fmt.Sprintf("smtpcode-%s-%d.cp", line, os.Getpid()))
		defer os.Remove(out)
		cmd := exec.Command(mvn, "-B", "-q", "-o", "-Dmaven.repo.local="+m2(), "-f", pom,
			"dependency:build-classpath", "-Dmdep.outputFile="+out)
		if b, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("mvn -o dependency:build-classpath for %s: %v: %s", line, err, lastLine(b))
		}
		b, err := os.ReadFile(out)
		return strings.TrimSpace(string(b)), err
	})
	if err != nil {
		missing(t, fmt.Sprintf("%v (scripts/test.sh resolves testdata/spring-boot/%s into %s)", err, line, m2()))
	}
	return cp
}

func init() {
	webRunners["spring-boot"] = runSpringBoot
}

// runSpringBoot compiles the rendered controller in a Spring Boot
// application of the variant's line and starts it.
func runSpringBoot(t *testing.T, src string, port, smtpPort int, v variant) {
	javac, java := need(t, "javac"), need(t, "java")
	cp := bootClasspath(t, v.prog)
	dir := t.TempDir()
	pkg := filepath.Join(dir, "src", "com", "example", "mail")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	app, err := os.ReadFile(filepath.Join("testdata", "spring-boot", "Application.java"))
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"MessageController.java": src, "Application.java": string(app)} {
		if err := os.WriteFile(filepath.Join(pkg, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	classes := filepath.Join(dir, "classes")
	// The classpath goes in CLASSPATH, to keep it out of the logs. No
	// annotation processing (Spring Boot's parent configures none), and
	// javac's own JVM on C1 and the serial GC: half the CPU on two cores.
	if out, err := runOnce(t, dir, []string{"CLASSPATH=" + cp}, javac, "--release", "17", "-parameters", "-nowarn", "-proc:none",
		"-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-d", classes,
		filepath.Join(pkg, "MessageController.java"), filepath.Join(pkg, "Application.java")); err != nil {
		t.Fatalf("javac (Spring Boot %s): %v\n%s", v.Version.Version, err, out)
	}
	// application.properties, given as command-line properties.
	args := []string{"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "com.example.mail.Application",
		"--server.address=127.0.0.1", "--server.port=" + strconv.Itoa(port),
		"--spring.mail.host=127.0.0.1", "--spring.mail.port=" + strconv.Itoa(smtpPort),
		"--spring.mail.username=api", "--spring.mail.password=secret",
		"--spring.main.banner-mode=off", "--logging.level.root=WARN",
	}
	p := start(t, dir, []string{"CLASSPATH=" + classes + string(filepath.ListSeparator) + cp}, java, args...)
	waitPort(t, port, p)
}
