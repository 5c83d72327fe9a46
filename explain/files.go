package explain

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
)

// Inputs is what ScanFiles reads and where it reports.
type Inputs struct {
	// Names are the inputs in order: a file, a directory (every regular
	// file under it, in name order, symbolic links not followed), or "-"
	// for Stdin. Compressed files (gzip, bzip2, xz, zstd, told by their
	// bytes) are read decompressed.
	Names []string
	Stdin io.Reader
	// Reply gets each reply with the name of its file, files in order and
	// replies in file order, on the goroutine that called ScanFiles. r is
	// valid only during the call.
	Reply func(name string, r *Reply) error
	// Done, when set, is called once a file is read, after its replies,
	// with what was read and the file's own error (it could not be opened
	// or read, its compressed data is corrupt): the other files are still
	// read.
	Done func(name string, st Stats, err error) error
	// Progress, when set, is asked for a function that follows the
	// reading of a file of size bytes (a large one, read in blocks).
	Progress func(name string, size int64) func(done int64)
}

// smallFile is the size up to which a file is read whole and scanned by one
// worker in one piece: a maildir's bounces of a few kilobytes each cost
// four system calls and no goroutine of their own.
const smallFile = 1 << 20

// fileJob is one name on its way from the walk through a worker, which
// opens it, to the consumer.
type fileJob struct {
	name  string
	inDir bool // found in a directory, not named by the caller
	res   *result
	// Set by the worker, for the consumer.
	kind   jobKind
	f      rawFile // a large file or a pipe, left open
	size   int64
	err    error
	packed []byte // a small file that turned out compressed
	format string
}

type jobKind uint8

const (
	jobScanned jobKind = iota // read and scanned whole by the worker, or failed
	jobLarge                  // to be read in blocks by all the workers
	jobDir                    // a directory, to be walked in its place
	jobSkip                   // not a regular file, found in a directory
	jobStdin
)

// ScanFiles scans in.Names. Small files are spread over the CPUs a file a
// worker, large ones are split into blocks like Scan does; whichever way,
// replies come in the order of the names. An error from in.Reply or
// in.Done ends the scan and is returned.
func ScanFiles(opts Options, in *Inputs) error {
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.BlockSize <= 0 {
		opts.BlockSize = DefaultBlockSize
	}
	own := *in
	if own.Done == nil {
		own.Done = func(string, Stats, error) error { return nil }
	}
	s := &fileScan{opts: opts, in: &own}
	s.jobs = make(chan *fileJob, 4*opts.Workers)
	s.free = make(chan *result, 16*opts.Workers+opts.Workers+1)
	var wg sync.WaitGroup
	for range opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.work()
		}()
	}
	err := s.pipeline(func(w *walker) bool {
		for _, name := range in.Names {
			if name == "-" {
				if !w.emit(&fileJob{name: name, kind: jobStdin}) {
					return false
				}
			} else if !w.emit(&fileJob{name: name}) {
				return false
			}
		}
		return true
	})
	close(s.jobs)
	wg.Wait()
	return err
}

type fileScan struct {
	opts  Options
	in    *Inputs
	fatal error         // from in.Reply: ends everything
	jobs  chan *fileJob // to the workers, from every pipeline
	free  chan *result
	c     consumer
}

// pipeline runs a walk: produce lists names in order on its own goroutine,
// the workers open, read and scan them, and the calling goroutine reports
// them in order. A directory met on the way is walked by a pipeline of its
// own in its place, on the same workers.
func (s *fileScan) pipeline(produce func(*walker) bool) error {
	w := &walker{s: s, order: make(chan *fileJob, 16*s.opts.Workers), stop: make(chan struct{})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(w.order)
		produce(w)
	}()
	var err error
	for j := range w.order {
		if err != nil {
			s.discard(j)
			continue
		}
		if err = s.consume(j); err != nil {
			close(w.stop)
		}
	}
	<-done
	return err
}

// result gets a cleared result, reusing those the consumer is done with.
func (s *fileScan) result() *result {
	var res *result
	select {
	case res = <-s.free:
	default:
		res = &result{}
	}
	res.reset()
	return res
}

func (s *fileScan) release(res *result) {
	if cap(res.arena) > 4<<20 {
		return // an outlier; let it go rather than keep it
	}
	select {
	case s.free <- res:
	default:
	}
}

// discard closes what a job left open once the scan has stopped.
func (s *fileScan) discard(j *fileJob) {
	if j.res != nil {
		<-j.res.done
	}
	if j.kind == jobLarge {
		j.f.Close()
	}
}

// walker hands names to the workers and, in the same order, to the
// consumer.
type walker struct {
	s     *fileScan
	order chan *fileJob
	stop  chan struct{}
}

// dir lists a directory in name order: regular files and directories,
// not symbolic links (a link to a parent would never end), FIFOs (which
// could block forever), sockets or devices. It makes no system call for a
// file: the kind comes with the name from the directory.
func (w *walker) dir(name string) bool {
	ents, err := os.ReadDir(name)
	if err != nil && len(ents) == 0 {
		return w.emit(&fileJob{name: name, err: err})
	}
	for _, e := range ents {
		p := joinPath(name, e.Name())
		t := e.Type()
		switch {
		case t.IsDir():
			if !w.dir(p) {
				return false
			}
		case t.IsRegular():
			if !w.emit(&fileJob{name: p, inDir: true}) {
				return false
			}
		}
	}
	if err != nil {
		return w.emit(&fileJob{name: name, err: err})
	}
	return true
}

// joinPath keeps the directory as it was given: "./mail" stays "./mail/x".
func joinPath(dir, name string) string {
	if strings.HasSuffix(dir, "/") || strings.HasSuffix(dir, string(os.PathSeparator)) {
		return dir + name
	}
	return dir + string(os.PathSeparator) + name
}

// emit queues a job for the consumer and, unless there is nothing to open,
// for a worker.
func (w *walker) emit(j *fileJob) bool {
	toWorker := j.err == nil && j.kind != jobStdin
	if toWorker {
		j.res = w.s.result()
	}
	select {
	case w.order <- j:
	case <-w.stop:
		return false
	}
	if !toWorker {
		return true
	}
	// Once in order, the job goes to a worker even if the scan stops
	// meanwhile: the consumer waits for it to close what it opened.
	w.s.jobs <- j
	return true
}

// work opens the named files and reads and scans the small ones, each in
// one piece.
func (s *fileScan) work() {
	w := newWorker(s.opts.Excerpts, s.opts.NewRenderer)
	w.lean = s.opts.CountOnly
	var buf []byte
	for j := range s.jobs {
		buf = s.open(w, j, buf)
		close(j.res.done)
		if cap(buf) > 2*smallFile {
			buf = nil // a file that grew while read
		}
	}
}

func (s *fileScan) open(w *worker, j *fileJob, buf []byte) []byte {
	f, fi, err := openRaw(j.name)
	if err != nil {
		j.err = err
		return buf
	}
	switch {
	case fi.kind == kindDir:
		f.Close()
		j.kind = jobDir
		return buf
	case fi.kind == kindRegular && fi.size <= smallFile:
	case fi.kind == kindRegular || !j.inDir:
		// A large file, or a pipe, a FIFO, a device named by the caller.
		j.kind, j.f, j.size = jobLarge, f, fi.size
		return buf
	default:
		f.Close()
		j.kind = jobSkip
		return buf
	}
	var n int
	buf, n, err = readWhole(f, buf, fi.size)
	f.Close()
	if err != nil {
		j.err = err
		return buf
	}
	data := buf[:n]
	if format := compression(data[:min(n, magicLen)]); format != "" {
		j.packed, j.format = bytes.Clone(data), format
		return buf
	}
	j.res.err = w.safeScan(&region{buf: data, own1: n, bof: true, eof: true}, j.res)
	return buf
}

// readWhole reads a file of size bytes (as its fstat said) into buf,
// grown as needed, to its end. A read that brings exactly size bytes is
// taken as the end: a regular file read in full, one system call.
func readWhole(f rawFile, buf []byte, size int64) ([]byte, int, error) {
	want := int(size) + 1
	if cap(buf) < want {
		buf = make([]byte, max(want, 64<<10))
	}
	buf = buf[:cap(buf)]
	n := 0
	for {
		if n == len(buf) {
			buf = append(buf, 0)[:cap(buf)+cap(buf)/2]
		}
		m, err := f.Read(buf[n:])
		if err != nil {
			return buf, n, err
		}
		n += m
		if m == 0 || (size > 0 && n == int(size)) {
			return buf, n, nil
		}
	}
}

// consume hands a file's replies on and reports the file done.
func (s *fileScan) consume(j *fileJob) error {
	if j.res != nil {
		<-j.res.done
	}
	name := j.name
	c := &s.c
	c.fn = func(r *Reply) error {
		if err := s.in.Reply(name, r); err != nil {
			s.fatal = err
			return err
		}
		return nil
	}
	var st Stats
	var err error
	switch {
	case j.err != nil:
		err = j.err
	case j.kind == jobDir:
		return s.pipeline(func(w *walker) bool { return w.dir(name) })
	case j.kind == jobSkip:
		return nil
	case j.kind == jobLarge || j.kind == jobStdin:
		st, err = s.large(j, c.fn)
	case j.packed != nil:
		st, err = scanCompressed(bytes.NewReader(j.packed), j.format, s.opts, c.fn)
	default:
		c.lines, c.last, c.st = 0, 0, Stats{}
		err = c.take(j.res)
		st = c.stats()
		s.release(j.res)
	}
	if s.fatal != nil {
		return s.fatal
	}
	return s.in.Done(name, st, err)
}

// large scans a large file, a pipe or standard input block by block.
func (s *fileScan) large(j *fileJob, fn func(*Reply) error) (Stats, error) {
	opts := s.opts
	if s.in.Progress != nil && j.size > 0 {
		opts.Progress = s.in.Progress(j.name, j.size)
	}
	if j.kind == jobStdin {
		return scanInput(s.in.Stdin, opts, fn)
	}
	f := j.f.file()
	defer f.Close()
	return scanInput(f, opts, fn)
}

// scanInput is Scan with compressed input told by its first bytes and read
// decompressed.
func scanInput(r io.Reader, opts Options, fn func(*Reply) error) (Stats, error) {
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			if off, err := f.Seek(0, io.SeekCurrent); err == nil {
				var hdr [magicLen]byte
				n, _ := f.ReadAt(hdr[:], off)
				if format := compression(hdr[:n]); format != "" {
					return scanCompressed(io.NewSectionReader(f, off, st.Size()-off), format, opts, fn)
				}
				return scanFile(f, off, st.Size()-off, opts, fn)
			}
		}
	}
	br := bufio.NewReaderSize(r, 64<<10)
	hdr, _ := br.Peek(magicLen)
	if format := compression(hdr); format != "" {
		return scanCompressed(br, format, opts, fn)
	}
	return scanStream(br, opts, fn)
}

// scanCompressed scans the decompressed text of r; the replies found up to
// a corruption are reported, then the corruption as the error.
func scanCompressed(r io.Reader, format string, opts Options, fn func(*Reply) error) (Stats, error) {
	opts.Progress = nil // it counts decompressed bytes: no measure of the file
	d, err := decompressor(format, r)
	if err != nil {
		return Stats{}, err
	}
	defer d.Close()
	return scanStream(d, opts, fn)
}

type fileKind uint8

const (
	kindOther fileKind = iota
	kindRegular
	kindDir
)

// fileInfo is what the walk needs of a file's fstat.
type fileInfo struct {
	size int64
	kind fileKind
}
