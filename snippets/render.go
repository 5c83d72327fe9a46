package snippets

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/smtpcode/smtpcode/codes"
	"github.com/smtpcode/smtpcode/internal/jsontext"
	"github.com/smtpcode/smtpcode/templates"
)

// data is what a template sees.
type data struct {
	Reply
	Line       string // "550 5.1.1 User unknown"
	Stage      string // server snippets: where to answer (CONNECT, EHLO, AUTH, VRFY, MAIL, RCPT, DATA-END)
	StageNote  string // why there, when it is not where the reply belongs first
	HTTP       HTTP   // how the web snippets surface this reply
	Problem    string // the problem+json body for this reply, compact
	Action     string // what to do on receiving it, in words
	Positive   bool   // 2yz or 3yz: no failure
	RetryAfter int
	Framework  Framework
}

// NotFoundError is a framework name the registry lacks.
type NotFoundError struct {
	Name        string
	Suggestions []string
}

func (e *NotFoundError) Error() string { return "no framework " + strconv.Quote(e.Name) }

// Hint is the "did you mean" line.
func (e *NotFoundError) Hint() string {
	if len(e.Suggestions) > 0 {
		return "did you mean " + strings.Join(e.Suggestions, ", ") + "? (smtpcode frameworks lists them all)"
	}
	return "smtpcode frameworks lists them all"
}

// NotApplicableError is a framework that has no snippet for a reply.
type NotApplicableError struct {
	Reply     Reply
	Framework Framework
}

func (e *NotApplicableError) Error() string {
	return fmt.Sprintf("no %s snippet for %d: %s", e.Framework.Family, e.Reply.Code, whyNot(e.Reply, e.Framework.Family))
}

func whyNot(r Reply, f Family) string {
	switch f {
	case Server, Client:
		return "it is a positive reply, which servers send and clients get without any code of yours"
	}
	return ""
}

// Applies reports whether the framework has a snippet for the reply: the
// server and client families for failures (4yz, 5yz), the web family for
// every reply (for a positive one it shows the success path).
func (f Framework) Applies(r Reply) bool {
	switch f.Family {
	case Server, Client:
		return r.Class() == 4 || r.Class() == 5
	}
	return r.Class() >= 2 && r.Class() <= 5
}

// ForReply returns the frameworks that have a snippet for the reply, in
// registry order.
func ForReply(r Reply) []Framework {
	var out []Framework
	for _, f := range frameworks {
		if f.Applies(r) {
			out = append(out, f)
		}
	}
	return out
}

// ForCode returns the frameworks that have a snippet for a code ("550",
// "550 5.1.1"); none for a code it cannot read.
func ForCode(code string) []Framework {
	r, err := Lookup(code)
	if err != nil {
		return nil
	}
	return ForReply(r)
}

// Render renders a framework's snippet for a code: Render("550 5.1.1", "flask").
func Render(code, framework string) (string, error) {
	r, err := Lookup(code)
	if err != nil {
		return "", err
	}
	f, err := Resolve(framework)
	if err != nil {
		return "", err
	}
	return RenderReply(r, f)
}

// Resolve finds a framework by name, with suggestions when there is none.
func Resolve(name string) (Framework, error) {
	if f, ok := Find(name); ok {
		return f, nil
	}
	var sugg []string
	low := strings.ToLower(name)
	for _, n := range Names() {
		if low != "" && (strings.Contains(n, low) || strings.Contains(low, n) || commonPrefix(n, low) >= 3) {
			sugg = append(sugg, n)
		}
	}
	return Framework{}, &NotFoundError{Name: name, Suggestions: sugg}
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// RenderReply renders a framework's snippet for a reply.
func RenderReply(r Reply, f Framework) (string, error) {
	if !f.Applies(r) {
		return "", &NotApplicableError{Reply: r, Framework: f}
	}
	set, err := parseSet(templates.FS, f.Name)
	if err != nil {
		return "", err
	}
	d := dataFor(r, f)
	var b strings.Builder
	if err := set.execute(&b, set.main, d); err != nil {
		return "", fmt.Errorf("rendering %s for %d: %w", f.Name, r.Code, err)
	}
	return b.String(), nil
}

// dataFor is what the framework's template sees for the reply.
func dataFor(r Reply, f Framework) data {
	d := data{
		Reply:      r,
		Line:       r.Line(),
		Stage:      r.Stage(),
		HTTP:       Mapping(r.Code, r.Enhanced),
		Positive:   r.Class() < 4,
		RetryAfter: RetryAfter,
		Action:     action(r),
		Framework:  f,
	}
	if f.Family == Server {
		d.Stage, d.StageNote = r.ServerStage(f)
	}
	if !d.Positive {
		d.Problem = ProblemFor(r.Code, r.Enhanced, r.Text).JSON()
	}
	return d
}

// doc is the comment a snippet opens with: what it does for this reply,
// each line behind the language's comment marker.
func doc(d data, marker string) string {
	var lines []string
	title := d.Framework.Title
	switch d.Framework.Family {
	case Server:
		if d.Stage == StageConnect {
			lines = append(lines, fmt.Sprintf("%s: refuse the connection with \"%s\" instead of the 220 greeting.", title, d.Line))
		} else {
			lines = append(lines, fmt.Sprintf("%s: answer %s with \"%s\".", title, stageName(d.Stage), d.Line))
		}
		if d.StageNote != "" {
			lines = append(lines, d.StageNote+".")
		}
	case Client:
		lines = append(lines, fmt.Sprintf("%s: detect and handle \"%s\" when sending.", title, d.Line))
		lines = append(lines, fmt.Sprintf("%s: %s.", d.Reply.String(), d.Reply.Title))
	case Web:
		if d.Positive && d.Code/100 == 3 {
			lines = append(lines,
				fmt.Sprintf("%s: %d is an intermediate reply, not a failure: the mail library", title, d.Code),
				"sends what it asks for and goes on, so there is no error to surface. The",
				"handler answers 202 Accepted when the send succeeds; a failure (4yz, 5yz)",
				"becomes an RFC 9457 application/problem+json response.")
		} else if d.Positive {
			lines = append(lines,
				fmt.Sprintf("%s: %d is not a failure: the mail was accepted, there is no error", title, d.Code),
				"to surface. The handler answers 202 Accepted when the send succeeds; a",
				"failure (4yz, 5yz) becomes an RFC 9457 application/problem+json response.")
		} else {
			lines = append(lines,
				fmt.Sprintf("%s: surface \"%s\" from the mail server", title, d.Line),
				fmt.Sprintf("as HTTP %d %s: %s.", d.HTTP.Status, d.HTTP.Title, d.HTTP.Why),
				"The mapping: 4yz -> 503 + Retry-After; 5yz -> 502; 5.1.x on the recipient",
				"the caller gave -> 422; 530/535 (our own SMTP login) -> 500, never 401/403.",
				"Body: "+d.Problem)
		}
	}
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(strings.TrimRight(marker+strings.ReplaceAll(oneLine(l), "*/", "* /"), " "))
	}
	return b.String()
}

// action says what a client should do with the reply.
func action(r Reply) string {
	if e := codes.FindBasic(r.Code); e != nil && e.Action != "" {
		return e.Action.Describe()
	}
	if r.Class() == 4 {
		return codes.ActionRetry.Describe()
	}
	return codes.ActionGiveUp.Describe()
}

func stageName(stage string) string {
	switch stage {
	case StageConnect:
		return "the greeting"
	case StageRcpt:
		return "RCPT TO"
	case StageMail:
		return "MAIL FROM"
	case StageDataEnd:
		return "the end of DATA"
	}
	return stage
}

// jsonString is a JSON string, a valid literal in Python, Java and C#
// (U+2028 and U+2029, which end lines in some of them, stay escaped).
func jsonString(s string) string {
	return string(jsontext.AppendString(nil, s))
}

// jsString is a single-quoted JavaScript string, the usual style there.
func jsString(s string) string {
	j := jsonString(s)
	inner := j[1 : len(j)-1]
	inner = strings.ReplaceAll(inner, `\"`, `"`)
	inner = strings.ReplaceAll(inner, `'`, `\'`)
	return "'" + inner + "'"
}

// rubyString is a double-quoted Ruby string with interpolation disarmed.
func rubyString(s string) string {
	return strings.ReplaceAll(jsonString(s), "#", `\#`)
}

// phpString is a single-quoted PHP string: no interpolation at all.
func phpString(s string) string {
	s = oneLine(s)
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
