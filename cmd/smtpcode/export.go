package main

import (
	"encoding/json"
	"io"

	"github.com/smtpcode/smtpcode/codes"
	"github.com/smtpcode/smtpcode/snippets"
)

// schemaVersion is the version of the JSON this program prints. It changes
// only when a member is removed or changes meaning; members may be added.
const schemaVersion = 1

// entryJSON is the exported form of a catalogue entry, for list, search and
// lookups alike.
type entryJSON struct {
	SchemaVersion int             `json:"schema_version"`
	Kind          string          `json:"kind"`
	Code          string          `json:"code"`
	Query         string          `json:"query,omitempty"`
	Title         string          `json:"title"`
	Standard      bool            `json:"standard"`
	Registered    bool            `json:"registered"`
	Class         *int            `json:"class"`
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
	Source        string          `json:"source,omitempty"`
	URL           string          `json:"url,omitempty"`
	TryIt         *tryItJSON      `json:"try_it,omitempty"`
	HTTP          *httpJSON       `json:"http,omitempty"`
	Notes         []string        `json:"notes,omitempty"`
	Score         float64         `json:"score,omitempty"`
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
}

func exportEntry(m codes.Match, r codes.Result) entryJSON {
	e := m.Entry
	j := entryJSON{
		SchemaVersion: schemaVersion,
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
		Actor:         string(e.Actor),
		Commands:      e.Commands,
		Enhanced:      e.Enhanced,
		Text:          e.Text,
		Wire:          e.Wire,
		References:    []referenceJSON{},
		Related:       e.Related,
		Aliases:       e.Aliases,
		Source:        e.Source,
		URL:           e.URL,
	}
	if m.As != "" && m.As != e.Code {
		j.Query = m.As
	}
	if c := m.Class(); c != 0 {
		j.Class = &c
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
		j.Causes = append(j.Causes, causeJSON(c))
	}
	return j
}

// writeJSON prints v as one JSON value on its own line.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writeJSONIndented prints v indented, for arrays people read as well.
func writeJSONIndented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
