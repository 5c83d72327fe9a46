// Command startup compares the wall time and peak memory of commands
// against a baseline run in the same process, interleaved, so that a noisy
// machine moves both alike. It prints one line per case: the median time,
// the ratio to the baseline's median, the peak RSS, and PASS/FAIL against
// the case's limit.
//
//	startup -n 300 -baseline ./hello -case '3:styled:SMTPCODE_FORCE_TTY=100 CLICOLOR_FORCE=1:./smtpcode 502'
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

type benchCase struct {
	name  string
	limit float64
	env   []string
	argv  []string
	times []time.Duration
	rss   int64
}

type caseFlags []string

func (c *caseFlags) String() string     { return strings.Join(*c, ", ") }
func (c *caseFlags) Set(v string) error { *c = append(*c, v); return nil }

func main() {
	n := flag.Int("n", 200, "runs per case")
	baseline := flag.String("baseline", "", "baseline command")
	var cases caseFlags
	flag.Var(&cases, "case", "LIMIT:NAME:ENV:COMMAND (ENV space-separated K=V, may be empty)")
	flag.Parse()
	if *baseline == "" || len(cases) == 0 {
		fmt.Fprintln(os.Stderr, "startup: error: need -baseline and at least one -case")
		os.Exit(2)
	}
	base := &benchCase{name: "baseline", argv: splitArgs(*baseline)}
	var cs []*benchCase
	for _, c := range cases {
		p := strings.SplitN(c, ":", 4)
		if len(p) != 4 {
			fmt.Fprintf(os.Stderr, "startup: error: bad -case %q\n", c)
			os.Exit(2)
		}
		limit, err := strconv.ParseFloat(p[0], 64)
		if err != nil {
			fmt.Fprintf(os.Stderr, "startup: error: bad limit in %q\n", c)
			os.Exit(2)
		}
		cs = append(cs, &benchCase{name: p[1], limit: limit, env: strings.Fields(p[2]), argv: splitArgs(p[3])})
	}
	all := append([]*benchCase{base}, cs...)
	for _, c := range all { // warm the page cache, and measure memory
		runOnce(c)
		c.rss = peakRSS(c)
	}
	for i := 0; i < *n; i++ {
		for _, c := range all {
			c.times = append(c.times, runOnce(c))
		}
	}
	bm := median(base.times)
	fmt.Printf("%-28s %10s %8s %10s %s\n", "case", "median", "ratio", "peak RSS", "limit (ratio; RSS <= 8 MiB)")
	fmt.Printf("%-28s %10s %8s %10s\n", base.name, bm.Round(time.Microsecond), "1.00", kib(base.rss))
	failed := false
	for _, c := range cs {
		m := median(c.times)
		r := float64(m) / float64(bm)
		verdict := "PASS"
		if (c.limit > 0 && r > c.limit) || c.rss > 8*1024 {
			verdict, failed = "FAIL", true
		}
		fmt.Printf("%-28s %10s %8.2f %10s %.1fx %s\n", c.name, m.Round(time.Microsecond), r, kib(c.rss), c.limit, verdict)
	}
	if failed {
		os.Exit(1)
	}
}

func runOnce(c *benchCase) time.Duration {
	cmd := exec.Command(c.argv[0], c.argv[1:]...)
	cmd.Env = append(os.Environ(), c.env...)
	var out bytes.Buffer
	cmd.Stdout = &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "startup: error: %s: %v\n", c.name, err)
		os.Exit(2)
	}
	return time.Since(start)
}

// peakRSS runs the case under GNU time: a child that os/exec starts shares
// this process's memory until it execs (vfork), and Linux carries that high
// water mark across exec, so the rusage os/exec reports counts this
// benchmark's own memory. time(1) forks a small process instead.
func peakRSS(c *benchCase) int64 {
	cmd := exec.Command("/usr/bin/time", append([]string{"-f", "%M"}, c.argv...)...)
	cmd.Env = append(os.Environ(), c.env...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		return -1
	}
	lines := strings.Fields(errb.String())
	if len(lines) == 0 {
		return -1
	}
	k, err := strconv.ParseInt(lines[len(lines)-1], 10, 64)
	if err != nil {
		return -1
	}
	return k
}

// splitArgs splits a command line at spaces, keeping 'single-quoted' words
// whole.
func splitArgs(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, inWord := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			quoted = !quoted
			inWord = true
		case r == ' ' && !quoted:
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func kib(k int64) string { return fmt.Sprintf("%.1f MiB", float64(k)/1024) }
