package snippets

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/smtpcode/smtpcode/internal/jsontext"
)

// RetryAfter is the Retry-After, in seconds, that every web snippet sends
// with a 503 for a transient (4yz) reply.
const RetryAfter = 300

// ProblemType is the problem's "type" member: RFC 9457 §4.2.1's
// "about:blank", so the title is the HTTP reason phrase.
const ProblemType = "about:blank"

// HTTP is how the web snippets surface a reply from the upstream mail
// server.
type HTTP struct {
	Status     int    // 502; 202 for a positive reply, which is no failure
	Title      string // RFC 9110's reason phrase: "Bad Gateway"
	RetryAfter int    // seconds for the Retry-After header; 0 for none
	Problem    bool   // the body is application/problem+json
	Why        string // the rule that chose the status, in words
}

// reason is RFC 9110's reason phrases, the problem titles. They are
// spelled out in every snippet, not taken from the framework, whose tables
// differ (422 is "Unprocessable Entity" in some, "Unprocessable Content"
// in RFC 9110).
func reason(status int) string {
	switch status {
	case 202:
		return "Accepted"
	case 422:
		return "Unprocessable Content"
	case 500:
		return "Internal Server Error"
	case 502:
		return "Bad Gateway"
	case 503:
		return "Service Unavailable"
	}
	return ""
}

// Mapping is the one mapping every web snippet implements, for a reply met
// upstream:
//
//   - 530 and 535 are the API's own SMTP credentials failing: 500, never
//     401 or 403, which would tell the API's caller that their own
//     credentials are wrong;
//   - a transient 4yz: 503 with Retry-After;
//   - a 5yz with a 5.1.x enhanced code, on the recipient the caller gave
//     (everything but 5.1.7 and 5.1.8, which are about the sender): 422;
//   - any other 5yz: 502;
//   - 2yz and 3yz are no failure: the snippet answers 202 Accepted.
//
// The snippets decide 422 by the command that failed (RCPT); Mapping,
// which has no command, decides by the enhanced code.
func Mapping(basic int, enhanced string) HTTP {
	return mapping(basic, enhanced, recipientStatus(enhanced))
}

func recipientStatus(enhanced string) bool {
	return strings.HasPrefix(enhanced, "5.1.") && enhanced != "5.1.7" && enhanced != "5.1.8"
}

func mapping(basic int, enhanced string, onRecipient bool) HTTP {
	h := HTTP{Problem: true}
	switch {
	case basic == 530 || basic == 535:
		h.Status = 500
		h.Why = "the API's own SMTP credentials failed: a fault of the API, not of its caller"
	case basic >= 400 && basic < 500:
		h.Status, h.RetryAfter = 503, RetryAfter
		h.Why = "a transient failure upstream: the caller may retry later"
	case basic >= 500 && basic < 600 && onRecipient && strings.HasPrefix(enhanced, "5.1."):
		h.Status = 422
		h.Why = "the mail server refused the address the caller supplied"
	case basic >= 300 && basic < 400:
		h.Status, h.Problem = 202, false
		h.Why = fmt.Sprintf("%d is an intermediate reply, not a failure: the mail library sends what it asks for and goes on; there is nothing to surface", basic)
	case basic >= 200 && basic < 300:
		h.Status, h.Problem = 202, false
		h.Why = fmt.Sprintf("%d is not a failure: the message was accepted, there is nothing to surface", basic)
	default:
		h.Status = 502
		h.Why = "a permanent failure upstream: retrying the same request will fail again"
	}
	h.Title = reason(h.Status)
	return h
}

// Detail is the problem's "detail" member for a reply text, as every web
// snippet writes it.
func Detail(text string) string {
	return "mail server replied: " + text
}

// Problem is the RFC 9457 body every web snippet sends, members in this
// order.
type Problem struct {
	Type               string  `json:"type"`
	Title              string  `json:"title"`
	Status             int     `json:"status"`
	Detail             string  `json:"detail"`
	SMTPCode           int     `json:"smtp_code"`
	SMTPEnhancedStatus *string `json:"smtp_enhanced_status"`
}

// ProblemFor is the body for a failure reply.
func ProblemFor(basic int, enhanced, text string) Problem {
	return problemFor(basic, enhanced, text, recipientStatus(enhanced))
}

func problemFor(basic int, enhanced, text string, onRecipient bool) Problem {
	h := mapping(basic, enhanced, onRecipient)
	p := Problem{Type: ProblemType, Title: h.Title, Status: h.Status, Detail: Detail(oneLine(text)), SMTPCode: basic}
	if enhanced != "" {
		p.SMTPEnhancedStatus = &enhanced
	}
	return p
}

// JSON is the body as the snippets send it: compact, members in order.
func (p Problem) JSON() string {
	// Written by hand, byte for byte what encoding/json writes (a test
	// checks): the code page prints this body, and encoding/json's first use
	// costs the lookup path more than the body itself.
	b := make([]byte, 0, 256)
	b = append(b, `{"type":`...)
	b = jsontext.AppendString(b, p.Type)
	b = append(b, `,"title":`...)
	b = jsontext.AppendString(b, p.Title)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(p.Status), 10)
	b = append(b, `,"detail":`...)
	b = jsontext.AppendString(b, p.Detail)
	b = append(b, `,"smtp_code":`...)
	b = strconv.AppendInt(b, int64(p.SMTPCode), 10)
	b = append(b, `,"smtp_enhanced_status":`...)
	if p.SMTPEnhancedStatus == nil {
		b = append(b, "null"...)
	} else {
		b = jsontext.AppendString(b, *p.SMTPEnhancedStatus)
	}
	return string(append(b, '}'))
}

// successBody is what the web snippets answer when the mail went through.
const successBody = `{"status":"accepted"}`

// HTTPResponse is the raw HTTP response the web snippets produce for a
// reply met upstream: status line, headers, body, lines ending in "\n"
// for display.
func HTTPResponse(basic int, enhanced, text string) string {
	h := Mapping(basic, enhanced)
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\n", h.Status, h.Title)
	body := successBody
	ctype := "application/json"
	if h.Problem {
		body = ProblemFor(basic, enhanced, text).JSON()
		ctype = "application/problem+json"
	}
	fmt.Fprintf(&b, "Content-Type: %s\n", ctype)
	if h.RetryAfter > 0 {
		fmt.Fprintf(&b, "Retry-After: %d\n", h.RetryAfter)
	}
	fmt.Fprintf(&b, "Content-Length: %s\n\n%s", strconv.Itoa(len(body)), body)
	return b.String()
}
