package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/smtpcode/smtpcode/explain"
	"github.com/smtpcode/smtpcode/mock"
)

const schemaFile = "../../docs/schema/smtpcode.schema.json"

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	s, err := c.Compile(schemaFile)
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return s
}

// validateLines checks that out is JSON Lines, every line valid against the
// schema, and returns the objects.
func validateLines(t *testing.T, s *jsonschema.Schema, name, out string) []map[string]any {
	t.Helper()
	if out == "" {
		t.Errorf("%s: no output", name)
		return nil
	}
	if !strings.HasSuffix(out, "\n") {
		t.Errorf("%s: the last line has no newline", name)
	}
	var objs []map[string]any
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		dec := json.NewDecoder(strings.NewReader(line))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Errorf("%s: line %d is not one JSON value: %v\n%.200s", name, i+1, err, line)
			continue
		}
		if dec.More() {
			t.Errorf("%s: line %d holds more than one JSON value", name, i+1)
		}
		if err := s.Validate(v); err != nil {
			t.Errorf("%s: line %d does not follow the schema: %#v\n%.300s", name, i+1, err, line)
			continue
		}
		objs = append(objs, v.(map[string]any))
	}
	return objs
}

// TestJSONFollowsSchema runs every read command with --json as a user would
// and validates each line against docs/schema/smtpcode.schema.json
// (issue 13, item 18): one schema, JSON Lines everywhere.
func TestJSONFollowsSchema(t *testing.T) {
	s := compileSchema(t)
	tests := []struct {
		args   []string
		object string
	}{
		{[]string{"550", "5.7.1", "--json"}, "entry"},
		{[]string{"550-5.7.1 Message rejected", "--json"}, "entry"},
		{[]string{"host mx.example.net[192.0.2.1] said: 550 5.1.1 <bob@example.net>: User unknown", "--json"}, "entry"},
		{[]string{"421", "4.7.0", "[TSS04]", "deferred", "--json"}, "entry"},
		{[]string{"5.7.708", "--json"}, "entry"},
		{[]string{"X.1.1", "--json"}, "entry"},
		{[]string{"4xx", "--json"}, "entry"},
		{[]string{"250", "354", "--json"}, "entry"},
		{[]string{"list", "--json"}, "entry"},
		{[]string{"search", "mailbox", "full", "--json"}, "entry"},
		{[]string{"frameworks", "--json"}, "framework"},
		{[]string{"snippet", "550", "--json"}, "framework"},
		{[]string{"snippet", "550 5.1.1 User unknown", "flask", "--json"}, "snippet"},
		{[]string{"snippet", "421", "go-smtp", "--json"}, "snippet"},
		{[]string{"explain", "testdata/explain/postfix.log", "--json"}, "reply"},
		{[]string{"--lang", "ko", "550", "5.7.1", "--json"}, "entry"},
		{[]string{"--lang", "ko", "list", "--json"}, "entry"},
		{[]string{"--lang", "ko", "explain", "testdata/explain/postfix.log", "--json"}, "reply"},
		{[]string{"explain", "testdata/explain/postfix.log", "--json", "--summary"}, "summary"},
	}
	for _, tt := range tests {
		name := strings.Join(tt.args, " ")
		out, errOut, status := runTest(t, false, 0, tt.args...)
		if status != exitOK {
			t.Errorf("%s: status %d: %s", name, status, errOut)
			continue
		}
		for i, o := range validateLines(t, s, name, out) {
			if o["object"] != tt.object {
				t.Errorf("%s: line %d is a %v, want a %s", name, i+1, o["object"], tt.object)
			}
		}
	}

	// mock --json's events, every type, as the server writes them.
	now := time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	var b bytes.Buffer
	for _, e := range []mock.Event{
		{Type: mock.EventConnect, Session: 1, Time: now, Remote: "127.0.0.1:5000", Local: "127.0.0.1:2525"},
		{Type: mock.EventCommand, Session: 1, Time: now, Line: "RCPT TO:<a@example.com>"},
		{Type: mock.EventReply, Session: 1, Time: now, Reply: &mock.Reply{Code: 550, Enhanced: "5.1.1", Lines: []string{"No such user"}}, Rule: "RCPT=550"},
		{Type: mock.EventMessage, Session: 1, Time: now, Message: &mock.Message{From: "a@example.com", To: []string{"b@example.com"}, Size: 10, Accepted: true, Reply: mock.Reply{Code: 250, Enhanced: "2.0.0"}}},
		{Type: mock.EventTLS, Session: 1, Time: now, TLSVersion: "TLS 1.3", TLSCipher: "TLS_AES_128_GCM_SHA256"},
		{Type: mock.EventDisconnect, Session: 1, Time: now, Reason: "quit", Duration: time.Millisecond},
	} {
		j := exportMockEvent(e, "mail/1.eml")
		if err := writeJSON(&b, &j); err != nil {
			t.Fatal(err)
		}
	}
	validateLines(t, s, "mock events", b.String())
}

// TestSchemaRejects checks that the schema is strict enough to fail: a
// version 1 line, a numeric code, an unknown member.
func TestSchemaRejects(t *testing.T) {
	s := compileSchema(t)
	for _, bad := range []string{
		`{"schema_version":1,"object":"framework","name":"flask","title":"Flask","family":"web","language":"python","library":"flask","verification":"executed","version":"2"}`,
		`{"schema_version":2,"object":"summary","files":1,"bytes":1,"lines":1,"replies":1,"bounce_echoes":0,"codes":[{"count":1,"code":550,"enhanced":null,"tag":null,"class":5,"class_name":"permanent","title":"t","entry":null,"action":"give-up","retry":false}]}`,
		`{"schema_version":2,"object":"framework","name":"flask","title":"Flask","family":"web","language":"python","library":"flask","verification":"executed","version":"2","extra":1}`,
		`[{"schema_version":2}]`,
	} {
		var v any
		if err := json.Unmarshal([]byte(bad), &v); err != nil {
			t.Fatal(err)
		}
		if s.Validate(v) == nil {
			t.Errorf("the schema accepts %s", bad)
		}
	}
}

// TestOneSchemaVersion checks that explain's JSON and the rest carry the
// same version.
func TestOneSchemaVersion(t *testing.T) {
	if explain.SchemaVersion != schemaVersion {
		t.Errorf("explain writes schema version %d, the rest %d", explain.SchemaVersion, schemaVersion)
	}
}

// TestJSONDocNamesEveryMember checks docs/json.md against the schema: every
// member the schema allows is named in the document, so that the one
// place the JSON is documented stays whole.
func TestJSONDocNamesEveryMember(t *testing.T) {
	doc, err := os.ReadFile("../../docs/json.md")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Defs map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	for name, def := range schema.Defs {
		for member := range def.Properties {
			if !bytes.Contains(doc, []byte("`"+member+"`")) {
				t.Errorf("docs/json.md does not name %s's member %s", name, member)
			}
		}
	}
}
