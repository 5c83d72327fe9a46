package main

import (
	"io"
	"strconv"

	"github.com/smtpcode/smtpcode/codes"
	"github.com/smtpcode/smtpcode/internal/i18n"
	"github.com/smtpcode/smtpcode/internal/jsontext"
	"github.com/smtpcode/smtpcode/snippets"
)

// schemaVersion is the version of the JSON this program prints, one schema
// for every command (docs/schema/smtpcode.schema.json). It changes only when
// a member is removed or changes meaning; members may be added. Version 2:
// every command prints JSON Lines, "code" is a string everywhere, every
// object says what it is in "object", and "class_name" names the class
// everywhere.
const schemaVersion = 2

// The values of "object": what a line of JSON describes.
const (
	objectEntry     = "entry"
	objectFramework = "framework"
	objectEnvelope  = "envelope"
	objectSnippet   = "snippet"
	objectSummary   = "summary"
	objectEvent     = "event"
)

// The exported types below carry encoding/json tags as the schema's
// reference, but are written by their appendJSON methods: encoding/json's
// reflection would cost every --json run its start-up, and the binary 0.2 MB.
// TestAppendJSONLikeEncodingJSON checks that the two write the same bytes.

// entryJSON is the exported form of a catalogue entry, for list, search and
// lookups alike.
type entryJSON struct {
	SchemaVersion int             `json:"schema_version"`
	Object        string          `json:"object"`
	Kind          string          `json:"kind"`
	Code          string          `json:"code"`
	Query         string          `json:"query,omitempty"`
	Input         string          `json:"input,omitempty"`
	ReplyText     string          `json:"reply_text,omitempty"`
	Title         string          `json:"title"`
	Standard      bool            `json:"standard"`
	Registered    bool            `json:"registered"`
	Class         *int            `json:"class"`
	ClassName     string          `json:"class_name,omitempty"`
	ClassMeaning  string          `json:"class_meaning,omitempty"`
	Subject       *int            `json:"subject,omitempty"`
	Meaning       string          `json:"meaning"`
	When          string          `json:"when,omitempty"`
	Description   string          `json:"description,omitempty"`
	BasicCodes    []string        `json:"basic_codes,omitempty"`
	Action        string          `json:"action"`
	Retry         bool            `json:"retry"`
	Actor         string          `json:"actor"`
	Commands      []string        `json:"commands"`
	Enhanced      string          `json:"enhanced,omitempty"`
	Text          string          `json:"text,omitempty"`
	Wire          []string        `json:"wire,omitempty"`
	References    []referenceJSON `json:"references"`
	Extensions    []extensionJSON `json:"extensions,omitempty"`
	Causes        []causeJSON     `json:"causes,omitempty"`
	Related       []string        `json:"related"`
	Aliases       []string        `json:"aliases,omitempty"`
	Providers     []string        `json:"providers,omitempty"`
	Source        string          `json:"source,omitempty"`
	URL           string          `json:"url,omitempty"`
	Dialects      []dialectJSON   `json:"dialects,omitempty"`
	TryIt         *tryItJSON      `json:"try_it,omitempty"`
	HTTP          *httpJSON       `json:"http,omitempty"`
	Notes         []string        `json:"notes,omitempty"`
	Score         float64         `json:"score,omitempty"`
	// I18n is the prose in other languages, by language code: only with
	// --lang (smtpcode --lang ko 550 --json); the members above stay
	// English.
	I18n map[string]*proseJSON `json:"i18n,omitempty"`
}

// proseJSON is an entry's prose in one language. Lists are aligned with the
// English ones: causes[i] translates the entry's causes[i].cause,
// references[i] its references[i].note ("" where there is none).
type proseJSON struct {
	Title        string             `json:"title"`
	ClassMeaning string             `json:"class_meaning,omitempty"`
	Meaning      string             `json:"meaning"`
	When         string             `json:"when,omitempty"`
	Description  string             `json:"description,omitempty"`
	WhatToDo     string             `json:"what_to_do"`
	WhoMustAct   string             `json:"who_must_act"`
	Extensions   []string           `json:"extensions,omitempty"`
	Causes       []string           `json:"causes,omitempty"`
	References   []string           `json:"references,omitempty"`
	Dialects     []dialectProseJSON `json:"dialects,omitempty"`
	HTTPWhy      string             `json:"http_why,omitempty"`
	Notes        []string           `json:"notes,omitempty"`
}

// dialectProseJSON translates dialects[i].
type dialectProseJSON struct {
	Title   string `json:"title"`
	Meaning string `json:"meaning"`
}

func (d *dialectProseJSON) appendJSON(b []byte) []byte {
	o := jsontext.Begin(b)
	o.String("title", d.Title)
	o.String("meaning", d.Meaning)
	return o.End()
}

func (p *proseJSON) appendJSON(b []byte) []byte {
	o := jsontext.Begin(b)
	o.String("title", p.Title)
	o.StringOmit("class_meaning", p.ClassMeaning)
	o.String("meaning", p.Meaning)
	o.StringOmit("when", p.When)
	o.StringOmit("description", p.Description)
	o.String("what_to_do", p.WhatToDo)
	o.String("who_must_act", p.WhoMustAct)
	o.StringsOmit("extensions", p.Extensions)
	o.StringsOmit("causes", p.Causes)
	o.StringsOmit("references", p.References)
	if len(p.Dialects) > 0 {
		o.Key("dialects")
		o.B = appendArray(o.B, p.Dialects)
	}
	o.StringOmit("http_why", p.HTTPWhy)
	o.StringsOmit("notes", p.Notes)
	return o.End()
}

// tryItJSON is the "try it" pair: a smtpcode mock command and a real
// client command that gets the reply from it.
type tryItJSON struct {
	Mock   string `json:"mock"`
	Client string `json:"client"`
}

// httpJSON is how the web snippets surface the reply (basic codes): the
// status, and for a failure the problem+json body.
type httpJSON struct {
	Status     int               `json:"status"`
	Title      string            `json:"title"`
	RetryAfter int               `json:"retry_after,omitempty"`
	Why        string            `json:"why"`
	Problem    *snippets.Problem `json:"problem,omitempty"`
}

type referenceJSON struct {
	RFC     int    `json:"rfc"`
	Section string `json:"section"`
	URL     string `json:"url"`
	Note    string `json:"note,omitempty"`
}

type extensionJSON struct {
	RFC     int    `json:"rfc"`
	Section string `json:"section"`
	URL     string `json:"url"`
	Meaning string `json:"meaning"`
}

type causeJSON struct {
	Cause   string `json:"cause"`
	Example string `json:"example,omitempty"`
	Source  string `json:"source,omitempty"`
	URL     string `json:"url,omitempty"`
	Dated   string `json:"dated,omitempty"`
}

// dialectJSON is what a code means at a provider, under the registry's page.
type dialectJSON struct {
	Providers []string `json:"providers"`
	Code      string   `json:"code"`
	Match     string   `json:"match,omitempty"`
	Title     string   `json:"title"`
	Meaning   string   `json:"meaning"`
	Action    string   `json:"action"`
	Actor     string   `json:"actor"`
	Source    string   `json:"source"`
	URL       string   `json:"url"`
}

func (d *dialectJSON) appendJSON(b []byte) []byte {
	o := jsontext.Begin(b)
	o.Strings("providers", d.Providers)
	o.String("code", d.Code)
	o.StringOmit("match", d.Match)
	o.String("title", d.Title)
	o.String("meaning", d.Meaning)
	o.String("action", d.Action)
	o.String("actor", d.Actor)
	o.String("source", d.Source)
	o.String("url", d.URL)
	return o.End()
}

func exportEntry(m codes.Match, r codes.Result) entryJSON {
	e := m.Entry
	j := entryJSON{
		SchemaVersion: schemaVersion,
		Object:        objectEntry,
		Kind:          e.Kind.String(),
		Code:          e.Code,
		Title:         e.Title,
		Standard:      e.Standard,
		Registered:    e.Standard,
		Meaning:       e.Meaning,
		When:          e.When,
		Description:   e.Description,
		BasicCodes:    e.BasicCodes,
		Action:        string(m.Action()),
		Retry:         m.Action() == codes.ActionRetry,
		Actor:         string(m.Actor()),
		Commands:      e.Commands,
		Enhanced:      e.Enhanced,
		Text:          e.Text,
		Wire:          e.Wire,
		References:    []referenceJSON{},
		Related:       e.Related,
		Aliases:       e.Aliases,
		Providers:     e.Providers(),
		Source:        e.Source,
		URL:           e.URL,
	}
	for _, d := range r.DialectsOf(m) {
		j.Dialects = append(j.Dialects, dialectJSON{Providers: d.Providers(), Code: d.Code, Match: d.Match(), Title: d.Title, Meaning: d.Meaning,
			Action: string(d.Action), Actor: string(d.Actor), Source: d.Source, URL: d.URL})
	}
	if m.As != "" && m.As != e.Code {
		j.Query = m.As
	}
	if r.Query.Input != "" {
		j.Input = r.Query.Input
		j.ReplyText = r.Query.Text
	}
	if c := m.Class(); c != 0 {
		j.Class = &c
		j.ClassName = codes.ClassName(c)
		j.ClassMeaning = codes.ClassMeaning(c)
	}
	if t, ok := tryIt(e); ok {
		j.TryIt = &tryItJSON{Mock: t.MockLine(), Client: t.ClientLine()}
	}
	if rep, ok := pageReply(m, r); ok && rep.Code/100 != 3 {
		h := snippets.Mapping(rep.Code, rep.Enhanced)
		j.HTTP = &httpJSON{Status: h.Status, Title: h.Title, RetryAfter: h.RetryAfter, Why: h.Why}
		if h.Problem {
			pr := snippets.ProblemFor(rep.Code, rep.Enhanced, rep.Text)
			j.HTTP.Problem = &pr
		}
	}
	if s := e.Subject(); s >= 0 {
		j.Subject = &s
	}
	if j.Commands == nil {
		j.Commands = []string{}
	}
	if j.Related == nil {
		j.Related = []string{}
	}
	for _, r := range e.References {
		j.References = append(j.References, referenceJSON{RFC: r.RFC, Section: r.Section, URL: r.URL(), Note: r.Note})
	}
	for _, x := range e.Extensions {
		j.Extensions = append(j.Extensions, extensionJSON{RFC: x.RFC, Section: x.Section, URL: x.Ref().URL(), Meaning: x.Meaning})
	}
	for _, c := range e.Causes {
		j.Causes = append(j.Causes, causeJSON{Cause: c.Cause, Example: c.Example, Source: c.Source, URL: c.URL(), Dated: c.Dated()})
	}
	return j
}

func (j *entryJSON) appendJSON(b []byte) []byte {
	o := jsontext.Begin(b)
	o.Int("schema_version", int64(j.SchemaVersion))
	o.String("object", j.Object)
	o.String("kind", j.Kind)
	o.String("code", j.Code)
	o.StringOmit("query", j.Query)
	o.StringOmit("input", j.Input)
	o.StringOmit("reply_text", j.ReplyText)
	o.String("title", j.Title)
	o.Bool("standard", j.Standard)
	o.Bool("registered", j.Registered)
	o.IntOrNull("class", j.Class)
	o.StringOmit("class_name", j.ClassName)
	o.StringOmit("class_meaning", j.ClassMeaning)
	if j.Subject != nil {
		o.Int("subject", int64(*j.Subject))
	}
	o.String("meaning", j.Meaning)
	o.StringOmit("when", j.When)
	o.StringOmit("description", j.Description)
	o.StringsOmit("basic_codes", j.BasicCodes)
	o.String("action", j.Action)
	o.Bool("retry", j.Retry)
	o.String("actor", j.Actor)
	o.Strings("commands", j.Commands)
	o.StringOmit("enhanced", j.Enhanced)
	o.StringOmit("text", j.Text)
	o.StringsOmit("wire", j.Wire)
	o.Key("references")
	o.B = appendArray(o.B, j.References)
	if len(j.Extensions) > 0 {
		o.Key("extensions")
		o.B = appendArray(o.B, j.Extensions)
	}
	if len(j.Causes) > 0 {
		o.Key("causes")
		o.B = appendArray(o.B, j.Causes)
	}
	o.Strings("related", j.Related)
	o.StringsOmit("aliases", j.Aliases)
	o.StringsOmit("providers", j.Providers)
	o.StringOmit("source", j.Source)
	o.StringOmit("url", j.URL)
	if len(j.Dialects) > 0 {
		o.Key("dialects")
		o.B = appendArray(o.B, j.Dialects)
	}
	if t := j.TryIt; t != nil {
		o.Key("try_it")
		to := jsontext.Begin(o.B)
		to.String("mock", t.Mock)
		to.String("client", t.Client)
		o.B = to.End()
	}
	if h := j.HTTP; h != nil {
		o.Key("http")
		ho := jsontext.Begin(o.B)
		ho.Int("status", int64(h.Status))
		ho.String("title", h.Title)
		ho.IntOmit("retry_after", int64(h.RetryAfter))
		ho.String("why", h.Why)
		if h.Problem != nil {
			ho.Raw("problem", []byte(h.Problem.JSON()))
		}
		o.B = ho.End()
	}
	o.StringsOmit("notes", j.Notes)
	if j.Score != 0 {
		o.Float("score", j.Score)
	}
	if len(j.I18n) > 0 {
		o.Key("i18n")
		lo := jsontext.Begin(o.B)
		for _, l := range i18n.Langs {
			if p := j.I18n[l.Code()]; p != nil {
				lo.Key(l.Code())
				lo.B = p.appendJSON(lo.B)
			}
		}
		o.B = lo.End()
	}
	return o.End()
}

func (r *referenceJSON) appendJSON(b []byte) []byte {
	o := jsontext.Begin(b)
	o.Int("rfc", int64(r.RFC))
	o.String("section", r.Section)
	o.String("url", r.URL)
	o.StringOmit("note", r.Note)
	return o.End()
}

func (x *extensionJSON) appendJSON(b []byte) []byte {
	o := jsontext.Begin(b)
	o.Int("rfc", int64(x.RFC))
	o.String("section", x.Section)
	o.String("url", x.URL)
	o.String("meaning", x.Meaning)
	return o.End()
}

func (c *causeJSON) appendJSON(b []byte) []byte {
	o := jsontext.Begin(b)
	o.String("cause", c.Cause)
	o.StringOmit("example", c.Example)
	o.StringOmit("source", c.Source)
	o.StringOmit("url", c.URL)
	o.StringOmit("dated", c.Dated)
	return o.End()
}

// jsonValue is an exported type that writes itself as JSON.
type jsonValue interface{ appendJSON([]byte) []byte }

// jsonPtr is a pointer to T that writes T as JSON, so that a []T can be
// written without copying its elements into interfaces.
type jsonPtr[T any] interface {
	*T
	jsonValue
}

// appendArray appends the values as a JSON array, null for a nil slice.
func appendArray[T any, P jsonPtr[T]](b []byte, vs []T) []byte {
	if vs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = P(&vs[i]).appendJSON(b)
	}
	return append(b, ']')
}

// writeJSON prints v as one JSON value on its own line.
func writeJSON(w io.Writer, v jsonValue) error {
	_, err := w.Write(append(v.appendJSON(make([]byte, 0, 4096)), '\n'))
	return err
}

// writeJSONLines prints the values as JSON Lines, one object a line, as
// every command does (schema version 2).
func writeJSONLines[T any, P jsonPtr[T]](w io.Writer, vs []T) error {
	b := make([]byte, 0, 4096)
	for i := range vs {
		b = append(P(&vs[i]).appendJSON(b), '\n')
	}
	_, err := w.Write(b)
	return err
}

// codeString is a basic reply code as JSON carries it (schema version 2),
// "" for none.
func codeString(code int) string {
	if code == 0 {
		return ""
	}
	return strconv.Itoa(code)
}
