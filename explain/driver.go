package explain

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// Every decision about a candidate looks at most this far before and after
// it (rules use at most half of it), so a block is read with this much of
// its neighbours on each side and the result does not depend on the cuts.
const (
	lookBack  = 8 << 10
	lookAhead = 8 << 10
)

// region is a block of input and the part of it a worker reports on: the
// bytes around own0..own1 are context only.
type region struct {
	buf        []byte
	base       int64 // input offset of buf[0]
	own0, own1 int
	bof, eof   bool // buf starts at the input's start / ends at its end
}

// found is a reply in a worker's result, its bytes kept in the result's
// arena so that a block's replies cost no allocation of their own.
type found struct {
	line               int64 // newlines in the region before the reply
	lines              int
	offset             int64
	code               int
	enhanced, tag      string
	command, provider  string
	format, dsnAction  string
	text0, text1       int32
	ex0, ex1           int32
	rd0, rd1           int32
	mark               int32
	truncated, dropped bool
	repeat             bool
}

func (f *found) materialize(res *result) Reply {
	r := Reply{
		Line: f.line, Lines: f.lines, Offset: f.offset, Code: f.code, Enhanced: f.enhanced,
		Command: f.command, Provider: f.provider, Tag: f.tag, Format: f.format, DSNAction: f.dsnAction,
		Text: res.arena[f.text0:f.text1], Truncated: f.truncated, Repeat: f.repeat,
	}
	if f.ex1 > f.ex0 {
		r.Excerpt = res.arena[f.ex0:f.ex1]
		r.Mark = int(f.mark)
	}
	if f.rd1 > f.rd0 {
		r.Rendered = res.arena[f.rd0:f.rd1]
	}
	return r
}

type result struct {
	replies  []found
	arena    []byte
	newlines int64
	own      int64
	last     byte // the last byte owned, for counting a final line without newline
	err      error
	readErr  error // reported after the replies: the input broke off after them
	done     chan struct{}
}

func (r *result) reset() {
	r.replies = r.replies[:0]
	r.arena = r.arena[:0]
	r.newlines, r.own, r.last, r.err, r.readErr = 0, 0, 0, nil, nil
	r.done = make(chan struct{})
}

// consumer turns the workers' results into Replies in input order.
type consumer struct {
	fn    func(*Reply) error
	opts  Options
	r     Reply // reused: the callback must not keep it
	st    Stats
	lines int64
	last  byte
	pool  sync.Pool
}

func (c *consumer) take(res *result) error {
	if res.err != nil {
		return res.err
	}
	for i := range res.replies {
		f := &res.replies[i]
		if f.dropped {
			continue
		}
		c.r = f.materialize(res)
		c.r.Line += c.lines + 1
		c.st.Replies++
		if err := c.fn(&c.r); err != nil {
			return err
		}
	}
	c.lines += res.newlines
	c.st.Bytes += res.own
	if res.own > 0 {
		c.last = res.last
	}
	if c.opts.Progress != nil {
		c.opts.Progress(c.st.Bytes)
	}
	return res.readErr
}

func (c *consumer) stats() Stats {
	st := c.st
	st.Lines = c.lines
	if st.Bytes > 0 && c.last != '\n' {
		st.Lines++
	}
	return st
}

func (c *consumer) getResult() *result {
	res, _ := c.pool.Get().(*result)
	if res == nil {
		res = &result{}
	}
	res.reset()
	return res
}

func finish(c *consumer, err error) (Stats, error) {
	if errors.Is(err, errStop) {
		err = nil
	}
	return c.stats(), err
}

// scanFile scans size bytes of a regular file from off. Reading blocks at
// offsets into a buffer that stays in the CPU's cache beat mapping the file:
// the scan of freshly mapped pages waits on memory.
func scanFile(f *os.File, off, size int64, opts Options, fn func(*Reply) error) (Stats, error) {
	return scanAt(io.NewSectionReader(f, off, size), size, opts, fn)
}

// job is one block: its number (scanAt) or its bytes (scanStream),
// and the result its worker fills.
type job struct {
	k   int64
	rg  region
	res *result
}

// collect hands the results to the consumer in input order. After the
// first error it waits for nothing more: a job may be queued in order but
// never handed to a worker once stop is closed, and its result would never
// be done. release gets each job the consumer is through with.
func collect(c *consumer, order <-chan *job, stop chan struct{}, release func(*job)) error {
	var err error
	for j := range order {
		if err != nil {
			continue
		}
		<-j.res.done
		if err = c.take(j.res); err != nil {
			close(stop)
			continue
		}
		c.pool.Put(j.res)
		if release != nil {
			release(j)
		}
	}
	return err
}

// scanAt scans size bytes of ra: each worker reads its blocks itself, so the
// copy happens on the core that scans the bytes, while they are in its cache.
func scanAt(ra io.ReaderAt, size int64, opts Options, fn func(*Reply) error) (Stats, error) {
	c := &consumer{fn: fn, opts: opts}
	bs := int64(opts.BlockSize)
	jobs := make(chan *job, opts.Workers)
	order := make(chan *job, 2*opts.Workers)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(jobs)
		defer close(order)
		for k := int64(0); k*bs < size; k++ {
			j := &job{k: k, res: c.getResult()}
			select {
			case order <- j:
			case <-stop:
				return
			}
			select {
			case jobs <- j:
			case <-stop:
				return
			}
		}
	}()
	for range opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker(opts.Excerpts, opts.NewRenderer)
			w.lean = opts.CountOnly
			buf := getBlock(lookBack + int(bs) + lookAhead)
			defer putBlock(buf)
			for j := range jobs {
				o0 := j.k * bs
				o1 := min(size, o0+bs)
				r0 := max(0, o0-lookBack)
				r1 := min(size, o1+lookAhead)
				n, err := ra.ReadAt(buf[:r1-r0], r0)
				data := buf[:n]
				eof := r1 == size
				if err != nil {
					if !errors.Is(err, io.EOF) {
						j.res.err = err
						close(j.res.done)
						continue
					}
					eof = true // the input shrank while read: its end is here now
				}
				rg := &region{buf: data, base: r0, own0: int(o0 - r0), own1: min(int(o1-r0), n), bof: r0 == 0, eof: eof}
				if rg.own0 > rg.own1 {
					rg.own0 = rg.own1
				}
				if err := w.safeScan(rg, j.res); err != nil {
					j.res.err = err
				}
				close(j.res.done)
			}
		}()
	}
	err := collect(c, order, stop, nil)
	wg.Wait()
	return finish(c, err)
}

// scanStream scans a reader that can only be read in sequence: one
// goroutine reads blocks, each with the tail of the one before as context,
// and the workers scan them.
func scanStream(r io.Reader, opts Options, fn func(*Reply) error) (Stats, error) {
	c := &consumer{fn: fn, opts: opts}
	bs := opts.BlockSize
	nbuf := 2*opts.Workers + 2
	pool := make(chan []byte, nbuf)
	for range nbuf {
		pool <- getBlock(lookBack + bs + lookAhead)
	}
	jobs := make(chan *job, opts.Workers)
	order := make(chan *job, 2*opts.Workers)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(jobs)
		defer close(order)
		var prev []byte // the previous block's context and lookahead, not yet owned
		var base int64  // input offset of prev[0]
		ctx := 0        // how much of prev is context already owned
		for {
			var buf []byte
			select {
			case buf = <-pool:
			case <-stop:
				return
			}
			n := copy(buf, prev)
			var rerr error
			for n < len(buf) && rerr == nil {
				var m int
				m, rerr = r.Read(buf[n:])
				n += m
			}
			eof := rerr != nil
			j := &job{res: c.getResult()}
			if rerr != nil && !errors.Is(rerr, io.EOF) {
				// What was read before the error is scanned and
				// reported, then the error (a gzip file cut short).
				j.res.readErr = rerr
			}
			own1 := n - lookAhead
			if eof {
				own1 = n
			}
			j.rg = region{buf: buf[:n], base: base, own0: ctx, own1: own1, bof: base == 0, eof: eof}
			select {
			case order <- j:
			case <-stop:
				return
			}
			select {
			case jobs <- j:
			case <-stop:
				return
			}
			if eof {
				return
			}
			keep := min(lookBack, own1)
			prev = buf[own1-keep : n]
			base += int64(own1 - keep)
			ctx = keep
		}
	}()
	for range opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker(opts.Excerpts, opts.NewRenderer)
			w.lean = opts.CountOnly
			for j := range jobs {
				if j.res.err == nil {
					j.res.err = w.safeScan(&j.rg, j.res)
				}
				close(j.res.done)
			}
		}()
	}
	err := collect(c, order, stop, func(j *job) {
		// Should the reader get back the very buffer whose tail it has yet
		// to carry into the next block, copy moves the tail down within it.
		select {
		case pool <- j.rg.buf[:cap(j.rg.buf)]:
		default:
		}
	})
	wg.Wait()
	for len(pool) > 0 {
		putBlock(<-pool)
	}
	return finish(c, err)
}

// blocks keeps block buffers from one file to the next: a directory of
// files of a few megabytes would otherwise allocate and fault in fresh
// megabytes for each.
var blocks sync.Pool

func getBlock(n int) []byte {
	if p, _ := blocks.Get().(*[]byte); p != nil && cap(*p) >= n {
		return (*p)[:n]
	}
	return make([]byte, n)
}

func putBlock(b []byte) { blocks.Put(&b) }

// safeScan scans a region; a panic in the rules becomes an error for this
// input rather than a crash of the whole run.
func (w *worker) safeScan(rg *region, res *result) (err error) {
	defer func() {
		if r := recover(); r != nil {
			w.rg, w.res = nil, nil
			err = fmt.Errorf("internal error while scanning: %v", r)
		}
	}()
	w.scan(rg, res)
	return nil
}
