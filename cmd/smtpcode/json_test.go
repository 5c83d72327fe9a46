package main

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/smtpcode/smtpcode/codes"
	"github.com/smtpcode/smtpcode/mock"
	"github.com/smtpcode/smtpcode/snippets"
)

// encodingJSON is what encoding/json writes for v by its tags, HTML
// escaping off, on one line.
func encodingJSON(t *testing.T, v any) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func sameJSON(t *testing.T, name string, v jsonValue) {
	t.Helper()
	var got bytes.Buffer
	if err := writeJSON(&got, v); err != nil {
		t.Fatal(err)
	}
	if want := encodingJSON(t, v); got.String() != want {
		t.Errorf("%s:\nappendJSON    %s\nencoding/json %s", name, got.Bytes(), want)
	}
}

// TestAppendJSONLikeEncodingJSON checks every exported type's appendJSON
// against encoding/json reading the same value by its tags: every catalogue
// entry as list, lookups and search write it, every framework, snippets,
// explain's summary, and mock events of every type.
func TestAppendJSONLikeEncodingJSON(t *testing.T) {
	var entries []entryJSON
	all := codes.All()
	for i := range all {
		entries = append(entries, exportEntry(codes.Match{Entry: &all[i]}, codes.Result{}))
	}
	for _, in := range []string{"550", "550 5.7.1 Message rejected", "5.1.10", "X.7.1", "5.7.999", "55x", "571", "421 4.7.0 Try again \"later\"\b\f"} {
		q, err := codes.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		r, err := codes.Resolve(q)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range r.Matches {
			j := exportEntry(m, r)
			j.Notes = r.Notes
			entries = append(entries, j)
		}
	}
	for _, h := range codes.Search("mailbox full") {
		j := exportEntry(codes.Match{Entry: h.Entry}, codes.Result{})
		j.Score = h.Score
		entries = append(entries, j)
	}
	for i := range entries {
		sameJSON(t, entries[i].Code, &entries[i])
	}
	var got bytes.Buffer
	if err := writeJSONLines(&got, entries); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	for i := range entries {
		if err := enc.Encode(&entries[i]); err != nil {
			t.Fatal(err)
		}
	}
	if got.String() != want.String() {
		t.Errorf("JSON Lines differ from encoding/json's")
	}

	for _, f := range snippets.Frameworks() {
		j := exportFramework(f)
		sameJSON(t, f.Name, &j)
		src, err := snippets.Render("550 5.1.1", f.Name)
		if err != nil {
			continue
		}
		sameJSON(t, f.Name+" snippet", &snippetJSON{SchemaVersion: 2, Object: objectSnippet, Code: "550", Enhanced: "5.1.1", ReplyText: "User \"unknown\"", Framework: f.Name, Family: string(f.Family), Language: f.Language, Source: src})
	}

	code, enh, tag, entry := "550", "5.1.1", "TSS04", "550"
	sameJSON(t, "summary", &summaryJSON{SchemaVersion: 2, Object: objectSummary, Files: 2, Bytes: 1 << 40, Lines: 9, Replies: 3, BounceEchoes: 1, Codes: []summaryCodeJSON{
		{Count: 2, Code: &code, Enhanced: &enh, Class: 5, ClassName: "permanent", Title: "t", Entry: &entry, Action: "give-up"},
		{Count: 1, Tag: &tag, Class: 4, ClassName: "transient", Title: "Yahoo", Action: "retry", Retry: true},
	}})
	sameJSON(t, "empty summary", &summaryJSON{SchemaVersion: 2, Object: objectSummary, Codes: []summaryCodeJSON{}})

	now := time.Date(2026, 11, 25, 14, 0, 0, 123456789, time.UTC)
	rep := &mock.Reply{Code: 550, Enhanced: "5.1.1", Lines: []string{"No such user", "really"}}
	for _, e := range []mock.Event{
		{Type: mock.EventConnect, Session: 1, Time: now, Remote: "127.0.0.1:5000", Local: "127.0.0.1:2525"},
		{Type: mock.EventCommand, Session: 1, Time: now, Line: "RCPT TO:<a@b>"},
		{Type: mock.EventCommand, Session: 1, Time: now, Line: ""},
		{Type: mock.EventReply, Session: 1, Time: now, Reply: rep, Rule: "RCPT=550"},
		{Type: mock.EventReply, Session: 1, Time: now, Reply: &mock.Reply{Code: 354, Lines: []string{"go ahead"}}},
		{Type: mock.EventMessage, Session: 1, Time: now, Message: &mock.Message{From: "", To: []string{"x@y"}, Size: 0, Reply: mock.Reply{Code: 250, Enhanced: "2.0.0"}}},
		{Type: mock.EventMessage, Session: 2, Time: now, Message: &mock.Message{From: "a@b", To: []string{"x@y", "z@y"}, Size: 1234, Accepted: true, TLS: true, User: "u", Reply: mock.Reply{Code: 250, Enhanced: "2.0.0"}}},
		{Type: mock.EventTLS, Session: 1, Time: now, TLSVersion: "TLS 1.3", TLSCipher: "TLS_AES_128_GCM_SHA256"},
		{Type: mock.EventDisconnect, Session: 1, Time: now, Reason: "quit", Duration: 1234567 * time.Nanosecond},
		{Type: mock.EventDisconnect, Session: 1, Time: now, Reason: "idle timeout", Duration: 0},
	} {
		j := exportMockEvent(e, "mail/1.eml")
		sameJSON(t, string(e.Type), &j)
	}
}
