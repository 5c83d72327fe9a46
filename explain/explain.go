// Package explain finds the SMTP replies in text people have at hand: MTA
// logs (Postfix, Exim, Sendmail, Exchange message tracking), bounces and
// delivery status notifications, SMTP transcripts and the exception texts of
// mail libraries.
//
// Scan is built for logs of gigabytes: it reads in large blocks, finds
// candidate bytes eight at a time, looks closely only at the few places that
// can hold a reply code, and spreads blocks over the CPUs while reporting
// replies in input order. Every decision about a candidate looks at a bounded
// window of bytes around it, so memory stays flat whatever the input, a
// 100 MB line included, and the result does not depend on where the blocks
// were cut.
package explain

import (
	"errors"
	"io"
	"os"
	"runtime"
)

// Reply is one SMTP reply found in the input.
type Reply struct {
	// Line is the 1-based line of the reply's first line in its input.
	Line int64
	// Lines is how many input lines the reply spans (a multi-line reply
	// written one fragment a line spans several).
	Lines int
	// Offset is the byte offset of the reply code in the input.
	Offset int64
	// Code is the basic reply code, 550; 0 when the text gives only an
	// enhanced status (a DSN's Status: field, Sendmail's dsn=).
	Code int
	// Enhanced is the enhanced status code, "5.1.1", or "".
	Enhanced string
	// Command is the command the reply answered when the text says so:
	// CONNECT, EHLO, HELO, MAIL, RCPT, DATA, DATA-END (after the final
	// dot), BDAT, AUTH, STARTTLS, QUIT, ...; "" when unknown.
	Command string
	// Provider is the receiving provider when recognisable, "Gmail".
	Provider string
	// Tag is a provider's own label found in the text, Yahoo's "TSS04".
	Tag string
	// Format is the kind of text the reply was found in: postfix, exim,
	// sendmail, exchange, dsn, transcript, smtplib, nodemailer, jakarta,
	// dotnet, ruby, or text when nothing more specific shows.
	Format string
	// DSNAction is a delivery status notification's Action: field
	// (failed, delayed, delivered, relayed, expanded), or "".
	DSNAction string
	// Text is the reply as found: its code and text, fragments of a
	// multi-line reply joined by spaces, at most MaxText bytes. It may hold
	// any byte, control characters and invalid UTF-8 included. It is only
	// valid during the callback.
	Text []byte
	// Excerpt is the input line the reply starts on, at most MaxExcerpt
	// bytes of it around the reply, when Options.Excerpts is set; Mark is
	// where the reply starts in it. Valid only during the callback.
	Excerpt []byte
	Mark    int
	// Truncated is set when Text was cut at MaxText.
	Truncated bool
	// Rendered is what Options.NewRenderer's function made of the reply.
	Rendered []byte
}

// Class is the reply's class digit, from the basic code or else the
// enhanced code.
func (r *Reply) Class() int {
	if r.Code != 0 {
		return r.Code / 100
	}
	if r.Enhanced != "" {
		return int(r.Enhanced[0] - '0')
	}
	return 0
}

const (
	// MaxText is how much of a reply's text is kept.
	MaxText = 1024
	// MaxExcerpt is how much of the reply's line is kept for display.
	MaxExcerpt = 2048
)

// Options tune a scan; the zero value is right for the command line.
type Options struct {
	// Workers is how many blocks are scanned at once; 0 means one per CPU.
	Workers int
	// BlockSize is the size of the blocks the input is read in; 0 means
	// DefaultBlockSize. Tests use tiny blocks to cut the input everywhere.
	BlockSize int
	// Excerpts asks for each reply's line (Reply.Excerpt), for display.
	Excerpts bool
	// Progress, when set, is called from the scanning goroutine with the
	// bytes done so far, after each block.
	Progress func(done int64)
	// NewRenderer, when set, is called once by each worker for a function
	// that renders a reply where it is found, in parallel; the callback gets
	// the bytes as Reply.Rendered. The reply's Line is not known yet there.
	NewRenderer func() func(dst []byte, r *Reply) []byte
	// CountOnly says that the caller reads only Line, Code, Enhanced, Tag
	// and Format (a summary): Command and Provider are left empty, which
	// spares a fifth of the work on a log dense with replies.
	CountOnly bool
}

// DefaultBlockSize is big enough to make system calls and hand-offs rare and
// small enough to stay in a CPU's cache while it is scanned.
const DefaultBlockSize = 1 << 20

// Stats sums up a scan.
type Stats struct {
	Bytes   int64 // bytes read
	Lines   int64 // lines read; a last line without a newline counts
	Replies int64 // replies reported
}

// errStop is returned by a callback to end a scan early without an error.
var errStop = errors.New("stop")

// Scan reads r to its end and calls fn for each reply, in input order, from
// the calling goroutine. A regular file (an *os.File, or anything with
// ReadAt and Size such as *bytes.Reader) is read by all workers at once at
// their own offsets; any other reader is read in sequence and its blocks
// handed out. An error from fn stops the scan and is returned.
func Scan(r io.Reader, opts Options, fn func(*Reply) error) (Stats, error) {
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.BlockSize <= 0 {
		opts.BlockSize = DefaultBlockSize
	}
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			if off, err := f.Seek(0, io.SeekCurrent); err == nil {
				return scanFile(f, off, st.Size()-off, opts, fn)
			}
		}
		return scanStream(f, opts, fn)
	}
	if ra, ok := r.(interface {
		io.ReaderAt
		Size() int64
	}); ok {
		return scanAt(ra, ra.Size(), opts, fn)
	}
	return scanStream(r, opts, fn)
}

// ScanBytes scans b in one piece on the calling goroutine: the reference the
// block-wise scans are tested against.
func ScanBytes(b []byte, excerpts bool, fn func(*Reply) error) (Stats, error) {
	w := newWorker(excerpts, nil)
	res := &result{}
	w.scan(&region{buf: b, own1: len(b), bof: true, eof: true}, res)
	st := Stats{Bytes: int64(len(b)), Lines: res.newlines}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		st.Lines++
	}
	for i := range res.replies {
		rp := res.replies[i].materialize(res)
		rp.Line++
		st.Replies++
		if err := fn(&rp); err != nil {
			return st, err
		}
	}
	return st, nil
}
