package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/smtpcode/smtpcode/internal/iostreams"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"smtpcode": func() { os.Exit(run(os.Args[1:], iostreams.System())) },
	})
}

// TestScript runs the end-to-end scripts in testdata/script: smtpcode as a
// user types it, with its stdout, stderr and exit status checked.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// A clean environment: no colour forcing from the caller.
			for _, k := range []string{"NO_COLOR", "CLICOLOR_FORCE", "SMTPCODE_FORCE_TTY", "COLUMNS", "SMTPCODE_FRAMEWORK"} {
				env.Setenv(k, "")
			}
			if v := os.Getenv("CI"); v != "" {
				env.Setenv("CI", v)
			}
			return nil
		},
		// [file:PATH]: PATH exists on this machine (a package's file).
		Condition: func(cond string) (bool, error) {
			path, ok := strings.CutPrefix(cond, "file:")
			if !ok {
				return false, fmt.Errorf("unknown condition %q", cond)
			}
			_, err := os.Stat(path)
			return err == nil, nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// exits N prog args...: run prog and require exit status N.
			"exits": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) < 2 {
					ts.Fatalf("usage: exits N program [args...]")
				}
				want, err := strconv.Atoi(args[0])
				if err != nil {
					ts.Fatalf("exits: bad status %q", args[0])
				}
				got := 0
				if err := ts.Exec(args[1], args[2:]...); err != nil {
					var ee *exec.ExitError
					if !errors.As(err, &ee) {
						ts.Fatalf("exits: %v", err)
					}
					got = ee.ExitCode()
				}
				if got != want {
					ts.Fatalf("exit status %d, want %d", got, want)
				}
			},
		},
	})
}
