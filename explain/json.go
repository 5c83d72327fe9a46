package explain

import (
	"strconv"

	"github.com/smtpcode/smtpcode/codes"
	"github.com/smtpcode/smtpcode/internal/jsontext"
)

// SchemaVersion is the version of the JSON explain prints, the version of
// smtpcode's one schema (docs/schema/smtpcode.schema.json). It changes only
// when a member is removed or changes meaning; members may be added.
// Version 2: "code" is a string, as in every other command, and "object"
// says the line is a "reply".
const SchemaVersion = 2

// ReplyJSON documents the object AppendJSON writes, one a line, member for
// member; a test checks that encoding/json writes the same bytes.
type ReplyJSON struct {
	SchemaVersion int     `json:"schema_version"`
	Object        string  `json:"object"`
	File          string  `json:"file"`
	Line          int64   `json:"line"`
	Code          *string `json:"code"`
	Enhanced      *string `json:"enhanced"`
	Command       *string `json:"command"`
	Provider      *string `json:"provider"`
	Tag           *string `json:"tag"`
	Class         int     `json:"class"`
	ClassName     string  `json:"class_name"`
	Title         string  `json:"title"`
	Entry         *string `json:"entry"`
	Standard      bool    `json:"standard"`
	Action        string  `json:"action"`
	Retry         bool    `json:"retry"`
	Actor         *string `json:"actor"`
	Format        string  `json:"format"`
	DSNAction     *string `json:"dsn_action"`
	Lines         int     `json:"lines"`
	Offset        int64   `json:"offset"`
	Text          string  `json:"text"`
	Truncated     bool    `json:"truncated"`
	Repeat        bool    `json:"repeat"`
}

// AppendJSON appends r as one line of JSON. It writes what encoding/json
// would write for the matching ReplyJSON, without reflection or allocation:
// explain may print half a million of these a second.
func AppendJSON(dst []byte, file string, r *Reply, d *Description) []byte {
	dst = AppendJSONHead(dst, file, r.Line)
	return AppendJSONTail(dst, r, d)
}

// AppendJSONHead appends the members that only the reader of a whole input
// knows: the schema version, the file and the line number.
func AppendJSONHead(dst []byte, file string, line int64) []byte {
	return strconv.AppendInt(AppendJSONHeadPrefix(dst, file), line, 10)
}

// AppendJSONHeadPrefix appends the head up to the line number's value, the
// same for every reply of a file.
func AppendJSONHeadPrefix(dst []byte, file string) []byte {
	dst = append(dst, `{"schema_version":`...)
	dst = strconv.AppendInt(dst, SchemaVersion, 10)
	dst = append(dst, `,"object":"reply","file":`...)
	dst = jsontext.AppendString(dst, file)
	return append(dst, `,"line":`...)
}

// AppendJSONTail appends the rest, which a worker can write where it finds
// the reply (see Options.NewRenderer).
func AppendJSONTail(dst []byte, r *Reply, d *Description) []byte {
	dst = appendReplyMembers(dst, r)
	dst = appendDescription(dst, d)
	return appendTextMembers(dst, r)
}

// JSONRenderer renders AppendJSONTail with the members that come from the
// catalogue written once for each distinct description: a log repeats a
// few replies many times. It is for one goroutine.
type JSONRenderer struct {
	d     *Describer
	parts map[*Description][]byte
	// front holds, for a few replies' members before the text ones, their
	// JSON: a log repeats a few replies many times, and when their
	// description does not hang on their text those members are the same.
	front [64]struct {
		k    renderKey
		json []byte
	}
}

type renderKey struct {
	code                        int
	enhanced, command, provider string
	tag                         string
}

// NewJSONRenderer returns a renderer with its own Describer.
func NewJSONRenderer() *JSONRenderer {
	return &JSONRenderer{d: NewDescriber(), parts: make(map[*Description][]byte)}
}

// AppendTail is AppendJSONTail.
func (j *JSONRenderer) AppendTail(dst []byte, r *Reply) []byte {
	k := renderKey{r.Code, r.Enhanced, r.Command, r.Provider, r.Tag}
	h := uint(k.code)*31 + uint(len(k.enhanced))*7 + uint(len(k.command))*5 + uint(len(k.provider))*3 + uint(len(k.tag))
	if len(k.enhanced) > 0 {
		h = h*31 + uint(k.enhanced[len(k.enhanced)-1])
	}
	f := &j.front[h%uint(len(j.front))]
	if f.json != nil && f.k == k {
		return appendTextMembers(append(dst, f.json...), r)
	}
	d, fixed := j.d.describe(r)
	part, ok := j.parts[d]
	if !ok {
		part = appendDescription(nil, d)
		if len(j.parts) < 1<<12 {
			j.parts[d] = part
		}
	}
	n := len(dst)
	dst = appendReplyMembers(dst, r)
	dst = append(dst, part...)
	if fixed {
		f.k, f.json = k, append(f.json[:0], dst[n:]...)
	}
	return appendTextMembers(dst, r)
}

func appendReplyMembers(dst []byte, r *Reply) []byte {
	dst = append(dst, `,"code":`...)
	if r.Code != 0 {
		dst = append(dst, '"')
		dst = strconv.AppendInt(dst, int64(r.Code), 10)
		dst = append(dst, '"')
	} else {
		dst = append(dst, "null"...)
	}
	dst = append(dst, `,"enhanced":`...)
	dst = appendOptional(dst, r.Enhanced)
	dst = append(dst, `,"command":`...)
	dst = appendOptional(dst, r.Command)
	dst = append(dst, `,"provider":`...)
	dst = appendOptional(dst, r.Provider)
	dst = append(dst, `,"tag":`...)
	return appendOptional(dst, r.Tag)
}

func appendDescription(dst []byte, d *Description) []byte {
	dst = append(dst, `,"class":`...)
	dst = strconv.AppendInt(dst, int64(d.Class), 10)
	dst = append(dst, `,"class_name":`...)
	dst = jsontext.AppendString(dst, codes.ClassName(d.Class))
	dst = append(dst, `,"title":`...)
	dst = jsontext.AppendString(dst, d.Title)
	dst = append(dst, `,"entry":`...)
	dst = appendOptional(dst, d.Entry)
	dst = append(dst, `,"standard":`...)
	dst = strconv.AppendBool(dst, d.Standard)
	dst = append(dst, `,"action":`...)
	dst = jsontext.AppendString(dst, string(d.Action))
	dst = append(dst, `,"retry":`...)
	dst = strconv.AppendBool(dst, d.Retry())
	dst = append(dst, `,"actor":`...)
	return appendOptional(dst, string(d.Actor))
}

func appendTextMembers(dst []byte, r *Reply) []byte {
	dst = append(dst, `,"format":`...)
	dst = jsontext.AppendString(dst, r.Format)
	dst = append(dst, `,"dsn_action":`...)
	dst = appendOptional(dst, r.DSNAction)
	dst = append(dst, `,"lines":`...)
	dst = strconv.AppendInt(dst, int64(r.Lines), 10)
	dst = append(dst, `,"offset":`...)
	dst = strconv.AppendInt(dst, r.Offset, 10)
	dst = append(dst, `,"text":`...)
	dst = jsontext.AppendString(dst, r.Text)
	dst = append(dst, `,"truncated":`...)
	dst = strconv.AppendBool(dst, r.Truncated)
	dst = append(dst, `,"repeat":`...)
	dst = strconv.AppendBool(dst, r.Repeat)
	return append(dst, "}\n"...)
}

func appendOptional(dst []byte, s string) []byte {
	if s == "" {
		return append(dst, "null"...)
	}
	return jsontext.AppendString(dst, s)
}
