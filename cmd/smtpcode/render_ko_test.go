package main

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/smtpcode/smtpcode/codes"
	"github.com/smtpcode/smtpcode/internal/i18n"
	"github.com/smtpcode/smtpcode/internal/iostreams"
)

// TestRenderGoldenKorean renders pages, lists, search and explain with
// --lang ko at 80 and 120 columns, on dark and light themes, and checks
// that no line is wider than the terminal, Hangul counted as two columns.
func TestRenderGoldenKorean(t *testing.T) {
	tests := []struct {
		name  string
		tty   bool
		width int
		args  []string
	}{
		{"ko-show-550.tty80", true, 80, []string{"550"}},
		{"ko-show-550.tty120", true, 120, []string{"550"}},
		{"ko-show-550.light80", true, 80, []string{"550", "--theme", "light"}},
		{"ko-show-550.light120", true, 120, []string{"550", "--theme", "light"}},
		{"ko-show-550-5.7.1.tty80", true, 80, []string{"550", "5.7.1"}},
		{"ko-show-452.tty120", true, 120, []string{"452"}},
		{"ko-show-5.7.708.tty80", true, 80, []string{"5.7.708"}},
		{"ko-show-502.piped", false, 0, []string{"502"}},
		{"ko-show-short.tty80", true, 80, []string{"--short", "421", "550 5.1.1", "250"}},
		{"ko-list-class4.tty80", true, 80, []string{"list", "--class", "4"}},
		{"ko-list-class4.light120", true, 120, []string{"list", "--class", "4", "--theme", "light"}},
		{"ko-search-mailbox-full.tty80", true, 80, []string{"search", "사서함", "가득"}},
		{"ko-search-mailbox-full.piped", false, 0, []string{"search", "사서함", "가득"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, status := runTest(t, tt.tty, tt.width, append([]string{"--lang", "ko"}, tt.args...)...)
			if status != 0 || errOut != "" {
				t.Fatalf("status %d, stderr %q", status, errOut)
			}
			width := tt.width
			if strings.Contains(tt.name, "short") {
				width = 0 // --short is one line a reply, by design
				checkKorean(t, stripEscapes(out), 0)
			} else {
				checkKorean(t, out, width)
			}
			golden(t, tt.name, []byte(out))
		})
	}
}

func TestExplainGoldenKorean(t *testing.T) {
	for _, tt := range []struct {
		name  string
		width int
		args  []string
	}{
		{"ko-explain-postfix.tty80", 80, []string{"testdata/explain/postfix.log"}},
		{"ko-explain-postfix.tty120", 120, []string{"testdata/explain/postfix.log"}},
		{"ko-explain-postfix-summary.tty80", 80, []string{"--summary", "testdata/explain/postfix.log"}},
		{"ko-explain-postfix-summary.light120", 120, []string{"--summary", "--theme", "light", "testdata/explain/postfix.log"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, status := runExplain(t, tt.width, "", append([]string{"--lang", "ko"}, tt.args...)...)
			if status != 0 || errOut != "" {
				t.Fatalf("status %d, stderr %q", status, errOut)
			}
			checkKorean(t, out, tt.width)
			golden(t, tt.name, []byte(out))
		})
	}
}

// checkKorean: the output is in Korean, and on a terminal no line is wider
// than it (a single unbreakable word, a URL, may be).
func checkKorean(t *testing.T, out string, width int) {
	t.Helper()
	if !strings.ContainsFunc(out, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) {
		t.Errorf("no Korean in the output:\n%s", out)
	}
	if width == 0 {
		if strings.Contains(out, "\x1b") {
			t.Errorf("piped output holds escape sequences")
		}
		return
	}
	for i, line := range strings.Split(out, "\n") {
		plain := strings.TrimSpace(stripEscapes(line))
		verbatim := !strings.Contains(plain, " ") || strings.HasPrefix(plain, `"`) || strings.HasPrefix(plain, "{")
		if visibleWidth(line) > width && !verbatim {
			t.Errorf("line %d is %d columns wide, over %d: %q", i+1, visibleWidth(line), width, stripEscapes(line))
		}
	}
}

// TestKoreanPageHasNoEnglishProse: on a Korean page every prose line is
// Korean; what stays English is what must (codes, server replies, RFC
// references, wire lines, commands, URLs, the registry's titles beside
// their translation).
func TestKoreanPageHasNoEnglishProse(t *testing.T) {
	english := regexp.MustCompile(`\b(the|is|are|and|with|when|what|who|must|may|not)\b`)
	for _, code := range []string{"250", "354", "421", "452", "502", "535", "550", "554", "5.2.2", "5.7.1", "X.7.26", "4.7.650", "TSS04", "571"} {
		out, _, status := runTest(t, false, 0, "--lang", "ko", code)
		if status != 0 {
			t.Fatalf("%s: status %d", code, status)
		}
		for _, line := range strings.Split(out, "\n") {
			l := strings.TrimSpace(line)
			switch {
			case strings.HasPrefix(line, "    ") && !strings.HasPrefix(line, "     "):
				// Piped, a line indented by four is a cause's example: a
				// server's text and where it was seen.
				continue
			case l == "", strings.HasPrefix(l, "S:"), strings.HasPrefix(l, "C:"), strings.HasPrefix(l, "smtpcode "),
				strings.HasPrefix(l, "RFC "), strings.HasPrefix(l, "{"), strings.HasPrefix(l, "\""), strings.HasPrefix(l, "HTTP/"),
				strings.HasPrefix(l, "Content-Type"), strings.HasPrefix(l, "Retry-After"), strings.Contains(l, "://"):
				continue
			case len(l) >= 4 && l[0] >= '2' && l[0] <= '5' && (l[3] == ' ' || l[3] == '-'):
				// a server's reply, quoted as an example
				continue
			}
			if !strings.ContainsFunc(l, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) && english.MatchString(l) {
				t.Errorf("%s: an English line on a Korean page: %q", code, l)
			}
		}
	}
}

// TestKoreanJSON: --lang ko --json adds i18n.ko and changes no English
// member; without --lang, a Korean locale leaves the JSON as it was.
func TestKoreanJSON(t *testing.T) {
	en, _, _ := runTest(t, false, 0, "550", "5.7.1", "--json")
	ko, _, _ := runTest(t, false, 0, "--lang", "ko", "550", "5.7.1", "--json")
	enLines, koLines := strings.Split(strings.TrimSpace(en), "\n"), strings.Split(strings.TrimSpace(ko), "\n")
	if len(enLines) != len(koLines) {
		t.Fatalf("%d lines in English, %d with --lang ko", len(enLines), len(koLines))
	}
	for i := range enLines {
		var e, k map[string]any
		if err := json.Unmarshal([]byte(enLines[i]), &e); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(koLines[i]), &k); err != nil {
			t.Fatal(err)
		}
		tr, ok := k["i18n"].(map[string]any)["ko"].(map[string]any)
		if !ok {
			t.Fatalf("line %d: no i18n.ko: %s", i+1, koLines[i])
		}
		if _, ok := e["i18n"]; ok {
			t.Errorf("English JSON has i18n")
		}
		delete(k, "i18n")
		eb, _ := json.Marshal(e)
		kb, _ := json.Marshal(k)
		if string(eb) != string(kb) {
			t.Errorf("line %d: --lang ko changed English members:\n%s\n%s", i+1, eb, kb)
		}
		causes, _ := e["causes"].([]any)
		trCauses, _ := tr["causes"].([]any)
		if len(causes) != len(trCauses) {
			t.Errorf("line %d: %d causes, %d translated", i+1, len(causes), len(trCauses))
		}
		for _, m := range []string{"title", "meaning", "what_to_do", "who_must_act"} {
			if s, _ := tr[m].(string); !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) {
				t.Errorf("line %d: i18n.ko.%s is not Korean: %q", i+1, m, s)
			}
		}
	}
	s, _, out, _ := iostreams.Test()
	s.Env = func(k string) string { return map[string]string{"LANG": "ko_KR.UTF-8"}[k] }
	run([]string{"550", "--json"}, s)
	if strings.Contains(out.String(), `"i18n"`) {
		t.Errorf("a Korean locale without --lang added i18n to the JSON")
	}
}

// TestLanguageChoice: --lang, SMTPCODE_LANG and the locale pick Korean;
// --lang en and unknown languages give English, with no error.
func TestLanguageChoice(t *testing.T) {
	for _, c := range []struct {
		args   []string
		env    map[string]string
		korean bool
	}{
		{[]string{"--lang", "ko"}, nil, true},
		{[]string{"--lang=ko"}, nil, true},
		{nil, map[string]string{"SMTPCODE_LANG": "ko"}, true},
		{nil, map[string]string{"LANG": "ko_KR.UTF-8"}, true},
		{nil, map[string]string{"LC_MESSAGES": "ko_KR.UTF-8", "LANG": "C"}, true},
		{nil, map[string]string{"LC_ALL": "ko_KR.UTF-8"}, true},
		{[]string{"--lang", "en"}, map[string]string{"LANG": "ko_KR.UTF-8"}, false},
		{[]string{"--lang", "xx"}, map[string]string{"LANG": "ko_KR.UTF-8"}, false},
		{nil, map[string]string{"LANG": "fr_FR.UTF-8"}, false},
		{nil, nil, false},
	} {
		s, _, out, errOut := iostreams.Test()
		s.Env = func(k string) string { return c.env[k] }
		status := run(append(c.args, "550"), s)
		if status != 0 || errOut.Len() > 0 {
			t.Errorf("%v %v: status %d, stderr %q", c.args, c.env, status, errOut)
		}
		got := strings.Contains(out.String(), "사서함")
		if got != c.korean {
			t.Errorf("%v %v: Korean = %v, want %v", c.args, c.env, got, c.korean)
		}
	}
}

// TestKoreanHelp: the help of every command is Korean and within 80
// columns.
func TestKoreanHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"show", "--help"}, {"list", "--help"}, {"search", "--help"}, {"explain", "--help"},
		{"snippet", "--help"}, {"frameworks", "--help"}, {"mock", "--help"}, {"help", "environment"}, {"help", "exit-codes"}, {"help", "json"}} {
		out, _, status := runTest(t, false, 0, append([]string{"--lang", "ko"}, args...)...)
		if status != 0 {
			t.Fatalf("%v: status %d", args, status)
		}
		checkKorean(t, out, 80)
		for i, line := range strings.Split(out, "\n") {
			if w := visibleWidth(line); w > helpWidth {
				t.Errorf("%v: line %d is %d columns: %q", args, i+1, w, line)
			}
		}
		for _, h := range []string{"Usage:", "Flags:", "Global Flags:", "Examples:"} {
			if strings.Contains(out, h) {
				t.Errorf("%v: %q left in English", args, h)
			}
		}
	}
}

// TestKoreanMessagesCovered: the formats of the messages other packages
// build, and the HTTP mapping's reasons, have their Korean text.
func TestKoreanMessagesCovered(t *testing.T) {
	for _, f := range messageFormats {
		if _, ok := i18n.Korean.Lookup(f); !ok {
			t.Errorf("no Korean for the message format %q", f)
		}
	}
	for _, f := range mappingTexts {
		if _, ok := i18n.Korean.Lookup(f); !ok {
			t.Errorf("no Korean for %q", f)
		}
	}
	for _, args := range [][]string{{"599"}, {"050"}, {"5.1.1000"}, {"5.9.1"}, {"1xx"}, {"hello", "world"}, {"list", "--class", "9"}, {"search", "zzzqqq"}} {
		_, errOut, _ := runTest(t, false, 0, append([]string{"--lang", "ko"}, args...)...)
		for _, line := range strings.Split(strings.TrimSpace(errOut), "\n") {
			msg := strings.TrimPrefix(strings.TrimPrefix(line, "smtpcode: error: "), "hint: ")
			if !strings.ContainsFunc(msg, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) {
				t.Errorf("%v: an English message: %q", args, line)
			}
		}
	}
	// Every web mapping's reason is translated where the page shows it.
	for i := range codes.All() {
		e := &codes.All()[i]
		if e.Kind != codes.Basic || e.IsDialect() {
			continue
		}
		out, _, _ := runTest(t, false, 0, "--lang", "ko", e.Code)
		if strings.Contains(out, "web snippets answer") || strings.Contains(out, "upstream:") {
			t.Errorf("%s: the HTTP mapping's explanation is English", e.Code)
		}
	}
}

// TestDocsKoreanExamples: the Korean outputs docs/i18n.md shows are what
// smtpcode prints.
func TestDocsKoreanExamples(t *testing.T) {
	b, err := os.ReadFile("../../docs/i18n.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	// The page: the lines shown are the page's first lines on an
	// 80-column terminal, without colour.
	block := between(t, doc, "$ smtpcode --lang ko 452\n", "...\n```")
	s, _, out, _ := iostreams.Test()
	s.SetStdoutTTY(true, 80)
	run([]string{"--lang", "ko", "--color", "never", "452"}, s)
	if !strings.HasPrefix(out.String(), block) {
		t.Errorf("docs/i18n.md's page is not what smtpcode --lang ko 452 prints:\n%s\n--- prints\n%s", block, out.String()[:min(len(block)+200, out.Len())])
	}
	// The search: every line shown is printed.
	block = between(t, doc, "$ smtpcode --lang ko search 사서함 가득\n", "```")
	got, _, _ := runTest(t, false, 0, "--lang", "ko", "search", "사서함", "가득")
	for _, l := range strings.Split(strings.TrimSpace(block), "\n") {
		if l != "..." && !strings.Contains(got, l+"\n") {
			t.Errorf("docs/i18n.md shows %q; smtpcode prints:\n%s", l, got)
		}
	}
	// The JSON.
	block = between(t, doc, "| jq -c '.i18n.ko | {title, what_to_do}'\n", "\n```")
	got, _, _ = runTest(t, false, 0, "--lang", "ko", "421", "--json")
	var j struct {
		I18n map[string]struct {
			Title    string `json:"title"`
			WhatToDo string `json:"what_to_do"`
		} `json:"i18n"`
	}
	if err := json.Unmarshal([]byte(got), &j); err != nil {
		t.Fatal(err)
	}
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // as jq writes it
	_ = enc.Encode(map[string]string{"title": j.I18n["ko"].Title, "what_to_do": j.I18n["ko"].WhatToDo})
	if want := strings.TrimSpace(buf.String()); want != block {
		t.Errorf("docs/i18n.md shows %s; smtpcode prints %s", block, want)
	}
}

func between(t *testing.T, s, from, to string) string {
	t.Helper()
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		t.Fatalf("docs/i18n.md has no %q", from)
	}
	block, _, ok := strings.Cut(rest, to)
	if !ok {
		t.Fatalf("docs/i18n.md: no %q after %q", to, from)
	}
	return block
}
