package codes

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestGeneratedIsFresh fails when catalogue_gen.go was not regenerated after
// an edit to data/*.json: run `go generate ./codes`.
func TestGeneratedIsFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator with the go command")
	}
	out := filepath.Join(t.TempDir(), "gen.go")
	cmd := exec.Command("go", "run", "./internal/gen", "-data", "data", "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generator failed: %v\n%s", err, b)
	}
	want, _ := os.ReadFile(out)
	got, err := os.ReadFile("catalogue_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("catalogue_gen.go is stale: run go generate ./codes")
	}
}

func TestNoDuplicates(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range All() {
		// A code may have several dialects: one per provider and match.
		k := strings.ToUpper(e.Code) + "|" + strings.Join(e.Providers(), ",") + "|" + e.Match()
		if seen[k] {
			t.Errorf("duplicate entry %s", e.Code)
		}
		seen[k] = true
	}
}

// RFC 5321 §4.2.3 lists these, in numeric order.
var rfc5321Codes = []string{"211", "214", "220", "221", "250", "251", "252", "354", "421", "450", "451", "452", "455", "500", "501", "502", "503", "504", "550", "551", "552", "553", "554", "555"}

// The extensions' codes the catalogue must have.
var extensionCodes = []string{
	"235", "334", "432", "454", "530", "534", "535", "538", // RFC 4954 AUTH
	"253", "458", "459", // RFC 1985 ETRN
	"453",        // RFC 2645 ATRN
	"521", "556", // RFC 7504
}

func TestBasicCodesPresent(t *testing.T) {
	for _, c := range append(rfc5321Codes, extensionCodes...) {
		n, _ := strconv.Atoi(c)
		e := FindBasic(n)
		if e == nil {
			t.Errorf("basic code %s missing", c)
			continue
		}
		if !e.Standard {
			t.Errorf("%s must be standard", c)
		}
	}
}

// The registry's enumerated details per subject (X.0.0 ... X.7.30).
var registryDetails = map[int]int{0: 0, 1: 10, 2: 4, 3: 6, 4: 7, 5: 6, 6: 10, 7: 30}

func TestRegistryComplete(t *testing.T) {
	for _, c := range []string{"2.XXX.XXX", "4.XXX.XXX", "5.XXX.XXX"} {
		if Find(c) == nil {
			t.Errorf("class entry %s missing", c)
		}
	}
	for s, last := range registryDetails {
		if Find("X."+strconv.Itoa(s)+".XXX") == nil {
			t.Errorf("subject entry X.%d.XXX missing", s)
		}
		for d := 0; d <= last; d++ {
			code := "X." + strconv.Itoa(s) + "." + strconv.Itoa(d)
			e := Find(code)
			if e == nil {
				t.Errorf("registry entry %s missing", code)
				continue
			}
			if !e.Standard || e.Kind != Enhanced {
				t.Errorf("%s must be a standard enhanced entry", code)
			}
		}
	}
}

var (
	basicRe    = regexp.MustCompile(`^[2-5][0-9][0-9]$`)
	enhancedRe = regexp.MustCompile(`^([245X])\.([0-9]{1,3}|XXX)\.([0-9]{1,3}(-[0-9]{1,3})?|XXX)$`)
	replyRe    = regexp.MustCompile(`^([2-5][0-9][0-9])[ -]([245]\.[0-9]{1,3}\.[0-9]{1,3})\b`)
	sectionRe  = regexp.MustCompile(`^$|^[0-9]+(\.[0-9]+)*$|^[A-Z](\.[0-9]+)*$`)
)

func TestEntriesWellFormed(t *testing.T) {
	for _, e := range All() {
		e := e
		switch e.Kind {
		case Basic:
			if !basicRe.MatchString(e.Code) {
				t.Errorf("%s: not a basic code", e.Code)
			}
			if len(e.Commands) == 0 && e.Standard {
				t.Errorf("%s: a standard basic code names the commands that may get it", e.Code)
			}
			for _, c := range e.Commands {
				if !knownCommand(c) {
					t.Errorf("%s: unknown command %q", e.Code, c)
				}
			}
			// The enhanced code's class matches the basic code's (RFC 3463 §3.1).
			if e.Enhanced != "" && e.Enhanced[0] != e.Code[0] {
				t.Errorf("%s: paired with %s of another class", e.Code, e.Enhanced)
			}
			checkAction(t, &e)
		case Enhanced:
			if !enhancedRe.MatchString(e.Code) {
				t.Errorf("%s: not an enhanced code", e.Code)
			}
			for _, b := range e.BasicCodes {
				if b == "5XX" {
					continue
				}
				if !basicRe.MatchString(b) {
					t.Errorf("%s: associated basic code %q is not a code", e.Code, b)
				}
				if c := e.Class(); c != 0 && int(b[0]-'0') != c {
					t.Errorf("%s: associated basic code %s of another class", e.Code, b)
				}
			}
		case Tag:
			if e.Standard {
				t.Errorf("%s: a provider tag is never standard", e.Code)
			}
		}
		if !e.Standard && (e.Source == "" || !strings.HasPrefix(e.URL, "http")) {
			t.Errorf("%s: non-standard without a source and a url", e.Code)
		}
		for _, c := range e.Causes {
			if c.URL() != "" && !strings.HasPrefix(c.URL(), "https://") {
				t.Errorf("%s: cause url %q is not https", e.Code, c.URL())
			}
		}
		if e.IsDialect() && len(e.Providers()) == 0 {
			t.Errorf("%s: a dialect names its providers", e.Code)
		}
		for _, p := range e.Providers() {
			if !providerNames[p] {
				t.Errorf("%s: provider %q is not a name explain gives a provider", e.Code, p)
			}
		}
		if e.Kind == Tag && len(e.BasicCodes) == 0 {
			t.Errorf("%s: a tag lists the basic codes it comes with", e.Code)
		}
		if e.Title == "" || e.Meaning == "" {
			t.Errorf("%s: title and meaning are required", e.Code)
		}
		// Every example reply of a cause agrees with itself on its class.
		for _, c := range e.Causes {
			if m := replyRe.FindStringSubmatch(c.Example); m != nil && m[1][0] != m[2][0] {
				t.Errorf("%s: example %q mixes classes", e.Code, c.Example)
			}
		}
	}
}

func checkAction(t *testing.T, e *Entry) {
	t.Helper()
	want := map[int][]Action{
		2: {ActionNone},
		3: {ActionContinue},
		4: {ActionRetry, ActionFix}, // 432: transient, but a password change is needed first
		5: {ActionFix, ActionGiveUp},
	}[e.Class()]
	for _, a := range want {
		if e.Action == a {
			return
		}
	}
	t.Errorf("%s: action %q does not fit class %d (want one of %v)", e.Code, e.Action, e.Class(), want)
}

func knownCommand(c string) bool {
	for _, k := range []string{"CONNECT", "EHLO", "HELO", "MAIL", "RCPT", "DATA", "DATA-END", "BDAT", "RSET", "VRFY", "EXPN", "HELP", "NOOP", "QUIT", "AUTH", "STARTTLS", "ETRN", "ATRN", "ANY"} {
		if c == k {
			return true
		}
	}
	return false
}

func TestReferencesResolve(t *testing.T) {
	for _, e := range All() {
		refs := e.References
		for _, x := range e.Extensions {
			refs = append(refs, x.Ref())
			if x.Meaning == "" {
				t.Errorf("%s: extension of RFC %d without a meaning", e.Code, x.RFC)
			}
		}
		for _, r := range refs {
			if RFCTitle(r.RFC) == "" {
				t.Errorf("%s: cites RFC %d, which codes/rfc.go does not know", e.Code, r.RFC)
			}
			if !sectionRe.MatchString(r.Section) {
				t.Errorf("%s: RFC %d section %q is not a section number", e.Code, r.RFC, r.Section)
			}
		}
		if e.Standard && len(e.References) == 0 && !registeredByDraft[e.Code] {
			t.Errorf("%s: a standard entry cites its RFC", e.Code)
		}
	}
}

// registeredByDraft are registry entries whose registration cites an
// Internet-Draft, not an RFC.
var registeredByDraft = map[string]bool{"X.7.28": true} // draft-levine-mailbomb-header

func TestRelatedResolve(t *testing.T) {
	for _, e := range All() {
		for _, r := range e.Related {
			if Find(r) != nil {
				continue
			}
			q, err := Parse(r)
			if err != nil {
				t.Errorf("%s: related %q is not a code: %v", e.Code, r, err)
				continue
			}
			res, err := Resolve(q)
			if err != nil || len(res.Matches) == 0 || len(res.Notes) > 0 {
				t.Errorf("%s: related %q does not resolve to an entry", e.Code, r)
			}
		}
	}
}

// Real server texts are written with documentation addresses only.
func TestExamplesUseDocumentationAddresses(t *testing.T) {
	ipRe := regexp.MustCompile(`\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b`)
	for _, e := range All() {
		texts := append([]string{e.Text}, e.Wire...)
		for _, c := range e.Causes {
			texts = append(texts, c.Example)
		}
		for _, s := range texts {
			for _, m := range ipRe.FindAllStringSubmatch(s, -1) {
				ip := m[0]
				if len(m[1]) == 1 && (m[1] == "4" || m[1] == "5") {
					continue // Yahoo's internal status, "- 4.16.55.1", not an address
				}
				if !(strings.HasPrefix(ip, "192.0.2.") || strings.HasPrefix(ip, "198.51.100.") || strings.HasPrefix(ip, "203.0.113.") || strings.HasPrefix(ip, "127.")) {
					t.Errorf("%s: %q holds a non-documentation address %s", e.Code, s, ip)
				}
			}
		}
	}
}

// providerNames are the providers as explain names them (explain/provider.go),
// which dialects are keyed by.
var providerNames = map[string]bool{
	"Gmail": true, "Microsoft 365": true, "Outlook.com": true, "Yahoo": true, "Comcast": true,
	"T-Online": true, "GMX": true, "WEB.DE": true, "Mail.ru": true, "Yandex": true, "iCloud": true,
	"Proofpoint": true, "Mimecast": true, "Amazon SES": true, "SendGrid": true, "Orange": true,
	"QQ Mail": true, "NetEase": true, "Zoho": true, "Barracuda": true, "Fastmail": true, "IONOS": true, "Proton": true,
}
