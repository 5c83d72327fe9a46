package main

import (
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/smtpcode/smtpcode/codes"
)

// versionFor is the root's version text: the whole line only when it is
// asked for, so that a lookup does not read the build information.
func versionFor(args []string) string {
	for _, a := range args {
		if a == "-v" || a == "--version" || strings.HasPrefix(a, "--version=") {
			bi, _ := debug.ReadBuildInfo()
			return versionLine(version, commit, date, bi)
		}
		if a == "--" {
			break
		}
	}
	return "dev" // cobra needs a version to offer --version
}

// versionLine is "1.2.0 (commit abc1234, 2026-12-01); catalogue: ...":
// the release's values when the build set them, else the module version
// and VCS settings Go recorded, else "dev".
func versionLine(version, commit, date string, bi *debug.BuildInfo) string {
	if bi != nil {
		if version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			version = bi.Main.Version
		}
		dirty := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if commit == "" {
					commit = s.Value
				}
			case "vcs.time":
				if date == "" {
					date = s.Value
				}
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if dirty && commit != "" {
			commit += "-dirty"
		}
	}
	if version == "" {
		version = "dev"
	}
	if len(commit) > 12 {
		commit = commit[:12]
	}
	if t, _, ok := strings.Cut(date, "T"); ok {
		date = t
	}
	var extra []string
	if commit != "" {
		extra = append(extra, "commit "+commit)
	}
	if date != "" {
		extra = append(extra, date)
	}
	line := version
	if len(extra) > 0 {
		line += " (" + strings.Join(extra, ", ") + ")"
	}
	return line + "\n" + catalogueLine()
}

// catalogueLine says what the embedded catalogue covers, from the data
// itself: the last registered X.7 detail, and the entries of each kind.
func catalogueLine() string {
	lastX7, basic, enhanced, other := 0, 0, 0, 0
	for _, e := range codes.All() {
		switch {
		case e.Kind == codes.Basic:
			basic++
		case e.Kind == codes.Enhanced && e.Standard:
			enhanced++
			if d, ok := strings.CutPrefix(e.Code, "X.7."); ok {
				if n, err := strconv.Atoi(d); err == nil {
					lastX7 = max(lastX7, n)
				}
			}
		default:
			other++
		}
	}
	return "catalogue: " + strconv.Itoa(basic) + " reply codes, the IANA enhanced status code registry to X.7." +
		strconv.Itoa(lastX7) + " (" + strconv.Itoa(enhanced) + " entries), " + strconv.Itoa(other) + " non-standard codes and tags"
}
