package explain

import (
	"strconv"
	"strings"

	"github.com/smtpcode/smtpcode/codes"
)

// Description is what the catalogue says about a reply, from its most
// specific entry: a provider's tag, then a provider's own enhanced detail,
// then the registry's detail, then the basic code, then the enhanced code's
// subject and class.
type Description struct {
	Title    string
	Entry    string // the catalogue code the title comes from, "" when none
	Standard bool
	Source   string // who defines a non-standard entry
	Class    int
	Action   codes.Action
	Actor    codes.Actor
}

// Retry reports whether sending again unchanged may succeed.
func (d *Description) Retry() bool { return d.Action == codes.ActionRetry }

type describeKey struct {
	code          int
	enhanced, tag string
}

// Describer describes replies, each distinct one looked up once.
type Describer struct {
	cache map[describeKey]*Description
}

// NewDescriber returns a Describer with an empty cache.
func NewDescriber() *Describer { return &Describer{cache: make(map[describeKey]*Description)} }

// Describe returns the description of r; it is shared, not to be changed.
func (d *Describer) Describe(r *Reply) *Description {
	k := describeKey{r.Code, r.Enhanced, r.Tag}
	if x, ok := d.cache[k]; ok {
		return x
	}
	x := describe(r)
	if len(d.cache) < 1<<16 {
		d.cache[k] = x
	}
	return x
}

func describe(r *Reply) *Description {
	var basic, enh []codes.Match
	var tag *codes.Match
	if r.Code != 0 {
		if res, err := codes.Resolve(codes.Query{Basic: r.Code}); err == nil {
			basic = res.Matches
		}
	}
	if r.Enhanced != "" {
		if res, err := codes.Resolve(codes.Query{Enhanced: r.Enhanced}); err == nil {
			enh = res.Matches
		}
	}
	if r.Tag != "" {
		if res, err := codes.Resolve(codes.Query{Tag: r.Tag}); err == nil && len(res.Matches) > 0 {
			tag = &res.Matches[0]
		}
	}
	class := r.Class()
	var best *codes.Match
	pick := func(ms []codes.Match, ok func(*codes.Entry) bool) {
		for i := range ms {
			if best == nil && ok(ms[i].Entry) {
				best = &ms[i]
			}
		}
	}
	if tag != nil {
		best = tag
	}
	pick(enh, func(e *codes.Entry) bool { return !e.Standard })
	// The registry's "other or undefined" details (X.s.0) say less than
	// the basic code does.
	pick(enh, func(e *codes.Entry) bool {
		return !e.IsClassEntry() && !e.IsSubjectEntry() && !strings.HasSuffix(e.Code, ".0")
	})
	pick(basic, func(*codes.Entry) bool { return true })
	pick(enh, func(*codes.Entry) bool { return true })
	d := &Description{Class: class, Action: classAction(class)}
	if best == nil {
		d.Title = "not in the catalogue"
		if class >= 4 {
			d.Actor = codes.ActorSender
		}
		return d
	}
	e := best.Entry
	d.Title, d.Entry, d.Standard, d.Source, d.Actor = e.Title, best.Code(), e.Standard, e.Source, e.Actor
	if a := best.Action(); a != "" && actionFits(a, class) {
		d.Action = a
	}
	if class == 2 {
		d.Actor = codes.ActorNone
	}
	return d
}

// classAction is what a class asks of a client when the catalogue says
// nothing better.
func classAction(class int) codes.Action {
	switch class {
	case 2:
		return codes.ActionNone
	case 3:
		return codes.ActionContinue
	case 4:
		return codes.ActionRetry
	case 5:
		return codes.ActionGiveUp
	}
	return ""
}

// actionFits keeps an entry's action from contradicting the reply's class:
// whatever an X.s.d entry usually means, a 4yz is retried and a 5yz is not.
func actionFits(a codes.Action, class int) bool {
	switch class {
	case 2:
		return a == codes.ActionNone
	case 3:
		return a == codes.ActionContinue
	case 4:
		return a == codes.ActionRetry
	case 5:
		return a == codes.ActionFix || a == codes.ActionGiveUp
	}
	return true
}

// Key is how the summary groups replies: "550 5.1.1", "421 4.7.0 TSS04",
// "5.1.1" when there is no basic code.
func (r *Reply) Key() string {
	var b []byte
	if r.Code != 0 {
		b = strconv.AppendInt(b, int64(r.Code), 10)
	}
	if r.Enhanced != "" {
		if len(b) > 0 {
			b = append(b, ' ')
		}
		b = append(b, r.Enhanced...)
	}
	if r.Tag != "" {
		b = append(b, ' ')
		b = append(b, r.Tag...)
	}
	return string(b)
}
