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
	// Provider is set when the title is a provider's own meaning of the
	// code (its dialect) or its tag: "Microsoft 365".
	Provider string
	// Unregistered is set when the enhanced code is not in the IANA
	// registry and the title is its class and subject's.
	Unregistered bool
	Class        int
	Action       codes.Action
	Actor        codes.Actor
}

// Retry reports whether sending again unchanged may succeed.
func (d *Description) Retry() bool { return d.Action == codes.ActionRetry }

type describeKey struct {
	code                    int
	enhanced, tag, provider string
}

// Describer describes replies, each distinct one looked up once.
type Describer struct {
	cache map[describeKey]*described
	// front holds the last reply of each of a few slots in front of
	// cache: a log repeats a few replies many times.
	front [64]struct {
		k describeKey
		x *described
	}
}

// slot is where k goes in Describer.front.
func (k *describeKey) slot() int {
	h := uint(k.code)*31 + uint(len(k.enhanced))*7 + uint(len(k.tag))*5 + uint(len(k.provider))
	for i := 0; i < len(k.enhanced); i++ {
		h = h*31 + uint(k.enhanced[i])
	}
	return int(h % 64)
}

type described struct {
	d *Description
	// dialects are the provider dialects that may apply to replies of
	// this key, and tags is set when the provider labels replies with
	// tags: such replies are read one by one, for the words a dialect or
	// a tag hangs on.
	dialects *codes.DialectMatcher
	tags     bool
	// byEntry holds the descriptions made from a dialect or tag entry.
	byEntry map[*codes.Entry]*Description
}

// NewDescriber returns a Describer with an empty cache.
func NewDescriber() *Describer { return &Describer{cache: make(map[describeKey]*described)} }

// Describe returns the description of r; it is shared, not to be changed.
func (d *Describer) Describe(r *Reply) *Description {
	desc, _ := d.describe(r)
	return desc
}

// describe is Describe, and reports whether the description is the same
// for every reply of r's code, enhanced code, tag and provider (no dialect
// or tag is looked for in the text).
func (d *Describer) describe(r *Reply) (*Description, bool) {
	k := describeKey{r.Code, r.Enhanced, r.Tag, r.Provider}
	f := &d.front[k.slot()]
	x, ok := f.x, f.x != nil && f.k == k
	if !ok {
		x, ok = d.cache[k]
	}
	if !ok {
		x = &described{d: describe(r), tags: r.Tag == "" && r.Provider != "" && codes.HasTags(r.Provider)}
		var cands []*codes.Entry
		if r.Enhanced != "" {
			cands = codes.DialectCandidates(r.Provider, r.Enhanced)
		}
		if r.Code != 0 {
			cands = append(cands, codes.DialectCandidates(r.Provider, basicString(r.Code))...)
		}
		if len(cands) > 0 {
			x.dialects = codes.NewDialectMatcher(cands)
		}
		if len(d.cache) < 1<<16 {
			d.cache[k] = x
		}
	}
	f.k, f.x = k, x
	if x.dialects != nil || x.tags {
		var e *codes.Entry
		if x.dialects != nil {
			e = x.dialects.In(r.Text)
		}
		if e == nil && x.tags {
			e = codes.TagIn(r.Text, r.Provider)
		}
		if e != nil {
			dd, ok := x.byEntry[e]
			if !ok {
				dd = describeEntry(r, e)
				if x.byEntry == nil {
					x.byEntry = make(map[*codes.Entry]*Description)
				}
				x.byEntry[e] = dd
			}
			return dd, false
		}
		return x.d, false
	}
	return x.d, true
}

// describeEntry describes a reply by a provider's own entry: its dialect
// of the reply's code, or its tag.
func describeEntry(r *Reply, e *codes.Entry) *Description {
	class := r.Class()
	d := &Description{Title: e.Title, Entry: e.Code, Source: e.Source, Class: class, Action: classAction(class), Actor: e.Actor}
	d.Provider = r.Provider
	if d.Provider == "" || !e.UsedBy(d.Provider) {
		d.Provider = e.Providers()[0]
	}
	if actionFits(e.Action, class) {
		d.Action = e.Action
	}
	if class == 2 {
		d.Actor = codes.ActorNone
	}
	return d
}

func basicString(code int) string {
	if code == 0 {
		return ""
	}
	return strconv.Itoa(code)
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
	// An enhanced code the registry lacks, with no provider entry, is
	// described by its class and subject (X.7.XXX), never by the basic
	// code's title.
	unregistered := best == nil && len(enh) > 0 && enh[0].Entry.IsSubjectEntry()
	if unregistered {
		best = &enh[0]
	}
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
	if unregistered {
		d.Unregistered = true
		d.Title += " (" + r.Enhanced + " is not in the IANA registry: its class and subject)"
	}
	if e.Kind == codes.Tag && len(e.Providers()) > 0 {
		d.Provider = e.Providers()[0]
	}
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
