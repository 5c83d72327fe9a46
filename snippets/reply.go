package snippets

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/smtpcode/smtpcode/codes"
)

// Reply is the SMTP reply a snippet is rendered for.
type Reply struct {
	Code     int      // 550
	Enhanced string   // "5.1.1"; "" for 3yz replies, which carry none
	Text     string   // "User unknown"
	Title    string   // the catalogue's title
	Commands []string // the commands that may get it, from the catalogue
}

// Class is the reply's first digit.
func (r Reply) Class() int { return r.Code / 100 }

// Line is the reply as a server sends it: "550 5.1.1 User unknown".
func (r Reply) Line() string {
	s := strconv.Itoa(r.Code)
	if r.Enhanced != "" {
		s += " " + r.Enhanced
	}
	if r.Text != "" {
		s += " " + r.Text
	}
	return s
}

// String is the code as a user writes it: "550 5.1.1".
func (r Reply) String() string {
	if r.Enhanced == "" {
		return strconv.Itoa(r.Code)
	}
	return strconv.Itoa(r.Code) + " " + r.Enhanced
}

// Lookup reads a code as the command line takes it ("550", "550 5.1.1",
// "550-5.1.1 User unknown") and fills in the rest from the catalogue: the
// usual enhanced code and text, where the input gives none.
func Lookup(code string) (Reply, error) {
	qs, err := codes.ParseArgs(strings.Fields(code))
	if err != nil {
		return Reply{}, err
	}
	if len(qs) == 0 {
		return Reply{}, &codes.SyntaxError{Input: code, Reason: "it is empty"}
	}
	if len(qs) > 1 {
		return Reply{}, fmt.Errorf("one reply at a time: %s", codes.Quote(code))
	}
	return FromQuery(qs[0])
}

// FromQuery makes the reply for a parsed query.
func FromQuery(q codes.Query) (Reply, error) {
	if q.Pattern != "" {
		return Reply{}, &codes.SyntaxError{Input: q.Input, Reason: "a snippet is for one reply, not a range", Hint: "give one code, such as " + strings.ReplaceAll(q.Pattern, "x", "0")}
	}
	if q.Basic == 0 {
		return Reply{}, &codes.SyntaxError{Input: q.Input, Reason: "a snippet needs the three-digit reply code", Hint: "give the basic code with it, such as \"550 5.1.1\""}
	}
	if _, err := codes.Resolve(codes.Query{Basic: q.Basic, Input: strconv.Itoa(q.Basic)}); err != nil {
		return Reply{}, err
	}
	e := codes.FindBasic(q.Basic)
	r := Reply{Code: q.Basic, Title: e.Title, Commands: e.Commands}
	class := q.Basic / 100
	switch {
	case q.Enhanced != "" && q.Enhanced[0] == 'X':
		r.Enhanced = strconv.Itoa(class) + q.Enhanced[1:]
	case q.Enhanced != "":
		r.Enhanced = q.Enhanced
	case e.Enhanced != "":
		r.Enhanced = e.Enhanced
	case class == 2 || class == 4 || class == 5:
		// RFC 3463's "other undefined status" of the class.
		r.Enhanced = strconv.Itoa(class) + ".0.0"
	}
	if strings.Contains(r.Enhanced, "XXX") {
		r.Enhanced = strings.ReplaceAll(r.Enhanced, "XXX", "0")
	}
	if class == 3 || class == 1 {
		r.Enhanced = "" // RFC 3463 §2: intermediate replies carry none
	}
	switch {
	case q.Text != "":
		r.Text = q.Text
	case e.Text != "":
		r.Text = e.Text
	default:
		r.Text = e.Title
	}
	r.Text = oneLine(r.Text)
	return r, nil
}

func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// The stages a server snippet may answer at: the greeting, the commands,
// and the end of DATA (after the final dot).
const (
	StageConnect = "CONNECT"
	StageEHLO    = "EHLO"
	StageAuth    = "AUTH"
	StageVRFY    = "VRFY"
	StageMail    = "MAIL"
	StageRcpt    = "RCPT"
	StageDataEnd = "DATA-END"
)

// Stages lists where the reply belongs, the most telling first: the
// transaction commands (RCPT, MAIL, the end of DATA) where the catalogue
// has them, then AUTH, VRFY (or EXPN), EHLO (or HELO). A 4yz the greeting
// may carry (421), or a code that belongs to the greeting alone (521),
// comes first at the greeting, then at EHLO, the nearest command a
// library without a connection hook can answer.
func (r Reply) Stages() []string {
	has := func(cs ...string) bool {
		for _, c := range cs {
			if slices.Contains(r.Commands, c) {
				return true
			}
		}
		return false
	}
	var out []string
	if has("CONNECT") && (r.Class() == 4 || len(r.Commands) == 1) {
		out = append(out, StageConnect, StageEHLO)
	}
	for _, s := range []struct {
		stage    string
		commands []string
	}{
		{StageRcpt, []string{"RCPT"}},
		{StageMail, []string{"MAIL"}},
		{StageDataEnd, []string{"DATA-END", "DATA"}},
		{StageAuth, []string{"AUTH"}},
		{StageVRFY, []string{"VRFY", "EXPN"}},
		{StageEHLO, []string{"EHLO", "HELO"}},
	} {
		if has(s.commands...) && !slices.Contains(out, s.stage) {
			out = append(out, s.stage)
		}
	}
	return out
}

// Stage is where the reply belongs first (MAIL when the catalogue gives
// no command a server snippet can answer).
func (r Reply) Stage() string {
	if st := r.Stages(); len(st) > 0 {
		return st[0]
	}
	return StageMail
}

// ServerStage is where a framework's server snippet answers with the
// reply: the first of the reply's stages the library lets an application
// answer, else MAIL FROM, the earliest command every library lets you
// answer. note says why, when that is not where the reply belongs first.
func (r Reply) ServerStage(f Framework) (stage, note string) {
	want := r.Stages()
	for _, st := range want {
		if slices.Contains(f.Stages, st) {
			if st != want[0] {
				note = fmt.Sprintf("%d belongs first to %s, which %s does not let an application answer; this answers %s instead", r.Code, stageName(want[0]), f.Title, stageName(st))
			}
			return st, note
		}
	}
	if len(want) > 0 {
		note = fmt.Sprintf("%d belongs to %s, which %s does not let an application answer; this answers MAIL FROM with it instead", r.Code, strings.Join(r.Commands, ", "), f.Title)
	}
	return StageMail, note
}
