package mock

import (
	"slices"
	"time"
)

// EventType names what happened.
type EventType string

const (
	EventConnect    EventType = "connect"
	EventCommand    EventType = "command"
	EventReply      EventType = "reply"
	EventMessage    EventType = "message"
	EventTLS        EventType = "tls"
	EventDisconnect EventType = "disconnect"
)

// Event is one thing that happened in a session, as OnEvent sees it.
type Event struct {
	Type    EventType
	Session int64
	Time    time.Time

	// Connect: the client's and the server's addresses.
	Remote, Local string
	// Command: the line as received, with AUTH secrets masked.
	Line string
	// Reply: the reply sent, and the rule that chose it ("" for the
	// server's own reply, "address" for the mock.test convention).
	Reply *Reply
	Rule  string
	// Message: the message received, accepted or not.
	Message *Message
	// TLS: the negotiated version and cipher suite, e.g. "TLS 1.3".
	TLSVersion, TLSCipher string
	// Disconnect: why ("quit", "client closed", "idle timeout",
	// "shutdown", "closed by reply", "too many sessions", or an error)
	// and how long the session lasted.
	Reason   string
	Duration time.Duration
}

// Message is a message as the server received it.
type Message struct {
	Session int64
	Time    time.Time
	// Helo is the name the client gave in EHLO or HELO.
	Helo string
	From string
	// MailParams are the ESMTP parameters of MAIL as sent, e.g.
	// "SIZE=1024", "BODY=8BITMIME", "SMTPUTF8".
	MailParams []string
	To         []string
	Data       []byte // as received, dot-unstuffed; bare LFs kept
	// DataFile, with Config.NoRecording, is where a body over
	// Config.SpoolThreshold is instead of Data: a file valid during the
	// OnEvent call of the message event, which may rename it to keep it.
	DataFile string
	Size     int64
	Accepted bool
	// Reply is the server's reply to the end of the message.
	Reply Reply
	TLS   bool
	User  string // the AUTH user, if any
}

// Direction tells client lines from server lines in a transcript.
type Direction byte

const (
	FromClient Direction = 'C'
	FromServer Direction = 'S'
)

// Line is one line of a transcript.
type Line struct {
	From Direction
	Text string
}

func (l Line) String() string { return string(l.From) + ": " + l.Text }

// Session is the record of one connection.
type Session struct {
	ID         int64
	Remote     string
	Start, End time.Time // End is zero while the session lasts
	TLS        bool
	User       string
	Helo       string // the last EHLO/HELO name, "" before one
	Transcript []Line
	Messages   []Message // accepted or not, in order
	Reason     string    // why it ended
}

func (s *Session) clone() Session {
	c := *s
	c.Transcript = slices.Clone(s.Transcript)
	c.Messages = slices.Clone(s.Messages)
	return c
}
