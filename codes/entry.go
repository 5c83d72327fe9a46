// Package codes is smtpcode's catalogue of SMTP replies: the basic reply codes
// of RFC 5321 and its extensions, the IANA SMTP Enhanced Status Codes
// registry, and the non-standard codes met in the wild, marked as such.
//
// The data is edited as JSON in data/ and compiled by `go generate` into
// catalogue_gen.go, so a lookup decodes nothing at start-up.
package codes

//go:generate go run ./internal/gen -data data -out catalogue_gen.go

import (
	"strconv"
	"strings"
)

// Kind tells the three shapes of catalogue entry apart.
type Kind uint8

const (
	// Basic is a three-digit reply code, "550".
	Basic Kind = iota + 1
	// Enhanced is an RFC 3463 status code, "X.1.1", or a class or subject entry.
	Enhanced
	// Tag is a provider's own label carried in reply text, Yahoo's "TSS04".
	Tag
)

func (k Kind) String() string {
	switch k {
	case Basic:
		return "basic"
	case Enhanced:
		return "enhanced"
	case Tag:
		return "tag"
	}
	return "unknown"
}

// Action is what a client should do on receiving the reply.
type Action string

const (
	ActionNone     Action = "none"     // success, nothing to do
	ActionContinue Action = "continue" // 3yz: send what the server asked for
	ActionRetry    Action = "retry"    // transient: retry later, unchanged
	ActionFix      Action = "fix"      // change something, then resend
	ActionGiveUp   Action = "give-up"  // permanent: do not retry as is
)

// Describe says the action in words.
func (a Action) Describe() string {
	switch a {
	case ActionNone:
		return "nothing to do: the command succeeded"
	case ActionContinue:
		return "continue: send what the server asked for"
	case ActionRetry:
		return "retry later: the failure is temporary"
	case ActionFix:
		return "fix and resend: change what the reply points at, then try again"
	case ActionGiveUp:
		return "give up: the failure is permanent, do not retry as is"
	}
	return string(a)
}

// Actor is who must act on the reply.
type Actor string

const (
	ActorNone           Actor = "none"
	ActorSender         Actor = "sender"
	ActorSenderAdmin    Actor = "sender-admin"
	ActorRecipientAdmin Actor = "recipient-admin"
)

// Describe says who must act, in words.
func (a Actor) Describe() string {
	switch a {
	case ActorNone:
		return "no one"
	case ActorSender:
		return "the sender (the person or program sending)"
	case ActorSenderAdmin:
		return "the sender's admin (whoever runs the sending system)"
	case ActorRecipientAdmin:
		return "the recipient's admin (whoever runs the receiving system)"
	}
	return string(a)
}

// Ref is a reference to a section of an RFC.
type Ref struct {
	RFC     int
	Section string
	Note    string
}

// URL is the rfc-editor page of the reference, at its section.
func (r Ref) URL() string {
	u := "https://www.rfc-editor.org/rfc/rfc" + strconv.Itoa(r.RFC)
	if r.Section != "" {
		if isAppendix(r.Section) {
			u += "#appendix-" + r.Section
		} else {
			u += "#section-" + r.Section
		}
	}
	return u
}

// String is "RFC 5321 §4.2.3".
func (r Ref) String() string {
	s := "RFC " + strconv.Itoa(r.RFC)
	if r.Section != "" {
		if isAppendix(r.Section) {
			s += " appendix " + r.Section
		} else {
			s += " §" + r.Section
		}
	}
	return s
}

func isAppendix(s string) bool { return s != "" && s[0] >= 'A' && s[0] <= 'Z' }

// Extension is another meaning a code takes under an SMTP extension.
type Extension struct {
	RFC     int
	Section string
	Meaning string
}

// Ref is the extension's reference.
func (e Extension) Ref() Ref { return Ref{RFC: e.RFC, Section: e.Section} }

// Cause is a real reason servers send a reply, with a text they send.
type Cause struct {
	Cause   string
	Example string
	Source  string
	// ref is set for the few causes that carry a URL or a date: most do
	// not, and the catalogue is part of every binary.
	ref *causeRef
}

type causeRef struct{ url, dated string }

// URL is where the source shows the text, when it is not the entry's URL,
// or "".
func (c Cause) URL() string {
	if c.ref == nil {
		return ""
	}
	return c.ref.url
}

// Dated says when the text was current, for wordings that changed
// ("Google's page until 2023 ..."), or "".
func (c Cause) Dated() string {
	if c.ref == nil {
		return ""
	}
	return c.ref.dated
}

// Entry is one catalogue entry.
type Entry struct {
	Kind     Kind
	Standard bool
	// Dialect is set on a provider's meaning of a standard code; such
	// entries come last in the catalogue, after the tags.
	Dialect bool
	// ns numbers the entries with providers: their providers and match
	// words are kept apart (nonstandardInfo), not in every entry.
	ns          uint16
	Code        string // "550", "X.1.1", "5.XXX.XXX", "X.7.XXX", "5.7.708", "4.7.500-699", "TSS04"
	Title       string
	Meaning     string
	When        string
	Description string   // enhanced: the registry's description
	BasicCodes  []string // enhanced: the registry's associated basic codes
	Action      Action
	Actor       Actor
	Commands    []string
	Enhanced    string // basic: the enhanced code usually paired with it
	Text        string // basic: a typical reply text
	Wire        []string
	References  []Ref
	Extensions  []Extension
	Causes      []Cause
	Related     []string
	Aliases     []string
	Source      string
	URL         string
}

// Class is the reply's class digit (2, 3, 4 or 5), or 0 when the entry
// stands for every class ("X.1.1", "X.7.XXX").
// A provider tag takes the class of the codes it comes with.
func (e *Entry) Class() int {
	switch e.Kind {
	case Basic, Enhanced:
		if c := e.Code[0]; c >= '2' && c <= '5' {
			return int(c - '0')
		}
	case Tag:
		class := 0
		for _, b := range e.BasicCodes {
			c := int(b[0] - '0')
			if class != 0 && c != class {
				return 0
			}
			class = c
		}
		return class
	}
	return 0
}

// IsDialect reports whether the entry is a provider's own meaning of a code
// that the registry or RFC 5321 also defines ("5.7.3" at Microsoft 365).
func (e *Entry) IsDialect() bool { return e.Dialect }

// nsInfo is what only provider entries carry.
type nsInfo struct {
	providers []string
	match     string
}

// Providers are the providers that use a non-standard entry, named as
// explain names them ("Microsoft 365", "Gmail"), or nil. A non-standard
// entry whose code is also a registry or basic code ("5.7.3") is a dialect:
// what that code means at those providers.
func (e *Entry) Providers() []string {
	if e.ns == 0 {
		return nil
	}
	return nonstandardInfo[e.ns-1].providers
}

// Match is the text a reply holds when this dialect applies (one provider
// may give a code several meanings), or "".
func (e *Entry) Match() string {
	if e.ns == 0 {
		return ""
	}
	return nonstandardInfo[e.ns-1].match
}

// UsedBy reports whether provider is one of the entry's providers.
func (e *Entry) UsedBy(provider string) bool {
	for _, p := range e.Providers() {
		if strings.EqualFold(p, provider) {
			return true
		}
	}
	return false
}

// Subject is an enhanced entry's subject digit, or -1.
func (e *Entry) Subject() int {
	if e.Kind != Enhanced {
		return -1
	}
	parts := strings.SplitN(e.Code, ".", 3)
	if len(parts) < 2 {
		return -1
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil {
		return -1
	}
	return n
}

// IsClassEntry reports whether the entry is one of the registry's class
// entries ("5.XXX.XXX").
func (e *Entry) IsClassEntry() bool {
	return e.Kind == Enhanced && strings.HasSuffix(e.Code, ".XXX.XXX")
}

// IsSubjectEntry reports whether the entry is one of the registry's subject
// entries ("X.7.XXX").
func (e *Entry) IsSubjectEntry() bool {
	return e.Kind == Enhanced && strings.HasPrefix(e.Code, "X.") && strings.HasSuffix(e.Code, ".XXX")
}

// ClassMeaning says what a reply class means (RFC 5321 §4.2.1, RFC 3463 §2).
func ClassMeaning(class int) string {
	switch class {
	case 2:
		return "success: the command was accepted"
	case 3:
		return "intermediate: accepted so far, the server waits for more"
	case 4:
		return "transient failure: not done now, the same command may succeed later"
	case 5:
		return "permanent failure: not done, and repeating it unchanged will fail again"
	}
	return ""
}

// ClassName is the class's short name.
func ClassName(class int) string {
	switch class {
	case 2:
		return "success"
	case 3:
		return "intermediate"
	case 4:
		return "transient"
	case 5:
		return "permanent"
	}
	return ""
}
