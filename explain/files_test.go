package explain

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

type fileReply struct {
	name string
	r    Reply
}

type fileDone struct {
	name string
	st   Stats
	err  error
}

// scanFiles runs ScanFiles and collects what it reports.
func scanFiles(t testing.TB, opts Options, stdin io.Reader, names ...string) ([]fileReply, []fileDone, error) {
	t.Helper()
	var rs []fileReply
	var ds []fileDone
	done := make(chan error, 1)
	go func() {
		done <- ScanFiles(opts, &Inputs{
			Names: names,
			Stdin: stdin,
			Reply: func(name string, r *Reply) error {
				c := *r
				c.Text = bytes.Clone(r.Text)
				rs = append(rs, fileReply{name, c})
				return nil
			},
			Done: func(name string, st Stats, err error) error {
				ds = append(ds, fileDone{name, st, err})
				return nil
			},
		})
	}()
	select {
	case err := <-done:
		return rs, ds, err
	case <-time.After(30 * time.Second):
		t.Fatal("ScanFiles did not return")
	}
	return nil, nil, nil
}

// want is what scanning each file alone in one piece gives.
func want(t testing.TB, files map[string][]byte, names ...string) ([]fileReply, []fileDone) {
	t.Helper()
	var rs []fileReply
	var ds []fileDone
	for _, name := range names {
		got, st := scanAll(t, files[name])
		for _, r := range got {
			rs = append(rs, fileReply{name, r})
		}
		ds = append(ds, fileDone{name, st, nil})
	}
	return rs, ds
}

func checkSame(t *testing.T, what string, got, want []fileReply, gotDone, wantDone []fileDone) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d replies, want %d", what, len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i].name != want[i].name || !sameReply(&got[i].r, &want[i].r) {
			t.Errorf("%s: reply %d is %s:%d %q, want %s:%d %q", what, i, got[i].name, got[i].r.Line, got[i].r.Text, want[i].name, want[i].r.Line, want[i].r.Text)
			break
		}
	}
	if len(gotDone) != len(wantDone) {
		t.Errorf("%s: %d files done %v, want %d %v", what, len(gotDone), gotDone, len(wantDone), wantDone)
		return
	}
	for i := range gotDone {
		g, w := gotDone[i], wantDone[i]
		if g.name != w.name || g.st != w.st || (g.err == nil) != (w.err == nil) {
			t.Errorf("%s: file %d done as %s %+v %v, want %s %+v %v", what, i, g.name, g.st, g.err, w.name, w.st, w.err)
		}
	}
}

// writeFiles writes files under dir and returns them by path.
func writeFiles(t testing.TB, dir string, files map[string][]byte) map[string][]byte {
	t.Helper()
	byPath := map[string][]byte{}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		byPath[p] = data
	}
	return byPath
}

func readCorpus(t testing.TB) map[string][]byte {
	files := map[string][]byte{}
	for _, p := range corpusFiles(t) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = data
	}
	return files
}

// TestScanFilesMatchesEachFileAlone: small files scanned a file a worker,
// a large one in blocks, an empty one, in any order of the arguments, give
// what each file gives alone, in argument order.
func TestScanFilesMatchesEachFileAlone(t *testing.T) {
	corpus := readCorpus(t)
	big := bytes.Repeat(corpus["postfix.txt"], smallFile/len(corpus["postfix.txt"])+2)
	corpus["big.log"] = big // over smallFile: read in blocks
	corpus["empty"] = nil
	corpus["no-newline.txt"] = []byte("Diagnostic-Code: smtp; 550 5.1.1 <bob@example.net>: unknown")
	files := writeFiles(t, t.TempDir(), corpus)
	var names []string
	for p := range files {
		names = append(names, p)
	}
	// Arguments in an order that is not the walk's, one twice.
	names = append(names, names[0])
	for _, opts := range []Options{{Workers: 1}, {Workers: 3, BlockSize: 4096}, {Workers: 8, BlockSize: 1 << 16}} {
		got, done, err := scanFiles(t, opts, nil, names...)
		if err != nil {
			t.Fatal(err)
		}
		wr, wd := want(t, files, names...)
		checkSame(t, fmt.Sprintf("%d workers, blocks of %d", opts.Workers, opts.BlockSize), got, wr, done, wd)
	}
}

// TestScanFilesDirectory: a directory stands for the regular files under
// it, nested ones included, in name order; symbolic links (a loop among
// them) and FIFOs are passed over.
func TestScanFilesDirectory(t *testing.T) {
	corpus := readCorpus(t)
	dir := t.TempDir()
	files := writeFiles(t, dir, map[string][]byte{
		"maildir/new/1700000002.M1.mx":    corpus["bounce.eml"],
		"maildir/cur/1700000001.M1.mx:2,": corpus["exim.txt"],
		"maildir/cur/1700000000.M1.mx:2,": corpus["exchange.txt"],
		"b.log":                           corpus["postfix.txt"],
		"a/deep/er/x.log":                 corpus["exceptions.txt"],
		"empty":                           nil,
	})
	root := filepath.Join(dir, "")
	if err := os.Symlink(".", filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("b.log", filepath.Join(dir, "link.log")); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if err := exec.Command("mkfifo", filepath.Join(dir, "fifo")).Run(); err != nil {
			t.Logf("no FIFO: %v", err)
		}
	}
	order := []string{"a/deep/er/x.log", "b.log", "empty", "maildir/cur/1700000000.M1.mx:2,", "maildir/cur/1700000001.M1.mx:2,", "maildir/new/1700000002.M1.mx"}
	var names []string
	for _, n := range order {
		names = append(names, filepath.Join(dir, n))
	}
	got, done, err := scanFiles(t, Options{Workers: 2}, nil, root)
	if err != nil {
		t.Fatal(err)
	}
	wr, wd := want(t, files, names...)
	checkSame(t, "directory", got, wr, done, wd)

	// "dir/" and "dir" name the files alike, keeping what was typed.
	got, _, _ = scanFiles(t, Options{}, nil, root+"/")
	if len(got) == 0 || got[0].name != root+"/a/deep/er/x.log" {
		t.Errorf("under %s/: first reply in %q", root, got[0].name)
	}
}

// TestScanFilesAnyWay: files one by one, their directory, and their bytes
// one after the other on standard input give the same replies in the same
// order; on standard input the line numbers run on.
func TestScanFilesAnyWay(t *testing.T) {
	corpus := readCorpus(t)
	dir := t.TempDir()
	files := writeFiles(t, dir, corpus)
	var names []string
	for p := range files {
		names = append(names, p)
	}
	// The walk's order.
	slicesSort(names)
	one, _, err := scanFiles(t, Options{}, nil, names...)
	if err != nil {
		t.Fatal(err)
	}
	asDir, _, err := scanFiles(t, Options{}, nil, dir)
	if err != nil {
		t.Fatal(err)
	}
	checkSame(t, "directory vs files", asDir, one, nil, nil)
	var cat []byte
	lineBase := map[string]int64{}
	var lines int64
	for _, n := range names {
		if len(files[n]) > 0 && files[n][len(files[n])-1] != '\n' {
			t.Fatalf("%s does not end in a newline: its bytes would run into the next file's", n)
		}
		lineBase[n] = lines
		lines += int64(bytes.Count(files[n], []byte("\n")))
		cat = append(cat, files[n]...)
	}
	stdin, _, err := scanFiles(t, Options{BlockSize: 1000}, bytes.NewReader(cat), "-")
	if err != nil {
		t.Fatal(err)
	}
	if len(stdin) != len(one) {
		t.Fatalf("stdin: %d replies, files: %d", len(stdin), len(one))
	}
	for i := range one {
		s, f := stdin[i].r, one[i].r
		if s.Line != f.Line+lineBase[one[i].name] || s.Code != f.Code || s.Enhanced != f.Enhanced || !bytes.Equal(s.Text, f.Text) {
			t.Errorf("reply %d: stdin line %d %q, file %s line %d (+%d) %q", i, s.Line, s.Text, one[i].name, f.Line, lineBase[one[i].name], f.Text)
			break
		}
	}
}

func slicesSort(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// packWith runs a compressor as a user would, "gzip -c" and the like.
func packWith(t *testing.T, tool string, data []byte) []byte {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed (scripts/test.sh installs it)", tool)
		}
		t.Skipf("%s is not installed", tool)
	}
	cmd := exec.Command(tool, "-c")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s -c: %v", tool, err)
	}
	return out
}

// TestScanFilesCompressed: gzip, bzip2, xz and zstd files, told by their
// bytes whatever their names, read as their text with its line numbers,
// as files, in a directory and on standard input.
func TestScanFilesCompressed(t *testing.T) {
	corpus := readCorpus(t)
	text := append(append(bytes.Clone(corpus["postfix.txt"]), corpus["bounce.eml"]...), corpus["exim.txt"]...)
	for _, tool := range []string{"gzip", "bzip2", "xz", "zstd"} {
		t.Run(tool, func(t *testing.T) {
			packed := packWith(t, tool, text)
			dir := t.TempDir()
			files := writeFiles(t, dir, map[string][]byte{
				"mail.log.1":   packed, // named like text
				"mail.log":     text,
				"small.txt.gz": packWith(t, tool, corpus["exim.txt"]),
			})
			plain := filepath.Join(dir, "mail.log")
			wr, _ := want(t, files, plain)
			for _, opts := range []Options{{}, {Workers: 3, BlockSize: 777}} {
				got, done, err := scanFiles(t, opts, nil, filepath.Join(dir, "mail.log.1"))
				if err != nil || len(done) != 1 || done[0].err != nil {
					t.Fatalf("%v %v", err, done)
				}
				if done[0].st.Lines != int64(bytes.Count(text, []byte("\n"))) || done[0].st.Bytes != int64(len(text)) {
					t.Errorf("stats %+v: not those of the text", done[0].st)
				}
				for i := range got {
					got[i].name = plain
				}
				checkSame(t, tool, got, wr, nil, nil)
			}
			got, _, err := scanFiles(t, Options{}, bytes.NewReader(packed), "-")
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				got[i].name = plain
			}
			checkSame(t, tool+" on standard input", got, wr, nil, nil)
		})
	}
}

// TestScanFilesBrokenArchives: a truncated or corrupt archive is an error
// for that file, after the replies of the text before the damage; the
// other files are still read.
func TestScanFilesBrokenArchives(t *testing.T) {
	corpus := readCorpus(t)
	text := bytes.Repeat(corpus["postfix.txt"], 200)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(text)
	zw.Close()
	packed := gz.Bytes()
	corrupt := bytes.Clone(packed)
	corrupt[len(corrupt)-6] ^= 0xff // the CRC-32
	// Two members, as "cat a.gz b.gz > c.gz" makes: one text.
	twice := append(bytes.Clone(packed), packed...)
	dir := t.TempDir()
	files := writeFiles(t, dir, map[string][]byte{
		"1-truncated.gz": packed[:len(packed)/2],
		"2-corrupt.gz":   corrupt,
		"3-ok.txt":       corpus["exim.txt"],
		"4-twice.gz":     twice,
		"5-header.gz":    packed[:5],
	})
	got, done, err := scanFiles(t, Options{}, nil, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 5 {
		t.Fatalf("%d files done, want 5: %v", len(done), done)
	}
	for i, wantErr := range []string{"gzip data cut short", "corrupt gzip data", "", "", "gzip data cut short"} {
		d := done[i]
		if wantErr == "" && d.err != nil || wantErr != "" && (d.err == nil || !strings.Contains(d.err.Error(), wantErr)) {
			t.Errorf("%s: error %v, want %q", d.name, d.err, wantErr)
		}
	}
	count := map[string]int{}
	for _, r := range got {
		count[filepath.Base(r.name)]++
	}
	whole, _ := scanAll(t, text)
	if n := count["1-truncated.gz"]; n == 0 || n >= len(whole) {
		t.Errorf("truncated: %d replies, want some of the %d before the cut", n, len(whole))
	}
	if n := count["4-twice.gz"]; n != 2*len(whole) {
		t.Errorf("two gzip members: %d replies, want %d", n, 2*len(whole))
	}
	ok, _ := scanAll(t, files[filepath.Join(dir, "3-ok.txt")])
	if count["3-ok.txt"] != len(ok) {
		t.Errorf("the file after the broken ones: %d replies, want %d", count["3-ok.txt"], len(ok))
	}
}

// TestScanFilesErrors: a file that cannot be opened is reported in its
// place, and the others are read.
func TestScanFilesErrors(t *testing.T) {
	corpus := readCorpus(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{"ok.txt": corpus["exim.txt"]})
	loop := filepath.Join(dir, "loop")
	os.Symlink("loop2", loop)
	os.Symlink("loop", filepath.Join(dir, "loop2"))
	names := []string{filepath.Join(dir, "missing"), loop, filepath.Join(dir, "ok.txt")}
	got, done, err := scanFiles(t, Options{}, nil, names...)
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 3 || !errors.Is(done[0].err, os.ErrNotExist) || done[1].err == nil || done[2].err != nil {
		t.Fatalf("done %v", done)
	}
	if len(got) == 0 || got[0].name != names[2] {
		t.Errorf("the readable file was not read: %v", got)
	}
}

// TestScanFilesStops: an error from Reply ends the scan of many files at
// once, and every file opened is closed.
func TestScanFilesStops(t *testing.T) {
	corpus := readCorpus(t)
	dir := t.TempDir()
	var names []string
	for i := range 300 {
		p := filepath.Join(dir, fmt.Sprintf("%03d.txt", i))
		os.WriteFile(p, corpus["postfix.txt"], 0o644)
		names = append(names, p)
	}
	fds := openFiles()
	boom := errors.New("boom")
	for _, stopAt := range []int{1, 50, 500} {
		n := 0
		err := ScanFiles(Options{Workers: 4}, &Inputs{
			Names: names,
			Reply: func(string, *Reply) error {
				if n++; n == stopAt {
					return boom
				}
				return nil
			},
			Done: func(string, Stats, error) error { return nil },
		})
		if !errors.Is(err, boom) {
			t.Errorf("stop at %d: error %v", stopAt, err)
		}
	}
	if after := openFiles(); fds >= 0 && after != fds {
		t.Errorf("%d files open before, %d after", fds, after)
	}
}

// openFiles counts this process's open descriptors where Linux tells.
func openFiles() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(ents)
}

// TestScanFilesReadsToTheEnd: a file whose size says 0 but that has text,
// as those under /proc, is read to its end.
func TestScanFilesReadsToTheEnd(t *testing.T) {
	const p = "/proc/self/smaps"
	fi, err := os.Stat(p)
	if err != nil || fi.Size() != 0 {
		t.Skipf("no %s of size 0 here", p)
	}
	_, done, err := scanFiles(t, Options{}, nil, p)
	if err != nil || len(done) != 1 || done[0].err != nil {
		t.Fatal(err, done)
	}
	data, _ := os.ReadFile(p)
	if len(data) < 16<<10 {
		t.Skipf("%s is too short to need several reads", p)
	}
	if done[0].st.Bytes < int64(len(data))/2 {
		t.Errorf("read %d bytes of %s, os.ReadFile %d", done[0].st.Bytes, p, len(data))
	}
}

// TestCountOnly: a scan for a summary finds the same replies with the same
// codes, tags and formats, and leaves Command and Provider out.
func TestCountOnly(t *testing.T) {
	corpus := readCorpus(t)
	files := writeFiles(t, t.TempDir(), corpus)
	var names []string
	for p := range files {
		names = append(names, p)
	}
	full, _, err := scanFiles(t, Options{}, nil, names...)
	if err != nil {
		t.Fatal(err)
	}
	lean, _, err := scanFiles(t, Options{CountOnly: true}, nil, names...)
	if err != nil {
		t.Fatal(err)
	}
	if len(lean) != len(full) {
		t.Fatalf("%d replies, want %d", len(lean), len(full))
	}
	providers := 0
	for i := range full {
		f, l := full[i].r, lean[i].r
		if f.Line != l.Line || f.Code != l.Code || f.Enhanced != l.Enhanced || f.Tag != l.Tag || f.Format != l.Format {
			t.Errorf("reply %d: %+v, want %+v", i, l, f)
		}
		if l.Command != "" || l.Provider != "" {
			t.Errorf("reply %d: command %q provider %q, want none", i, l.Command, l.Provider)
		}
		if f.Provider != "" {
			providers++
		}
	}
	if providers == 0 {
		t.Error("the corpus names no provider: the test shows nothing")
	}
}

// FuzzCompressed: any bytes, compressed-looking or not, give each file
// done once, with or without an error, and no panic or hang.
func FuzzCompressed(f *testing.F) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("Diagnostic-Code: smtp; 550 5.1.1 <bob@example.net>: unknown\n"))
	zw.Close()
	f.Add(gz.Bytes())
	f.Add(gz.Bytes()[:12])
	f.Add([]byte("BZh91AY&SY"))
	f.Add([]byte("\x1f\x8b\x08"))
	f.Add([]byte("550 5.1.1 plain\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "x")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, stdin := range []bool{false, true} {
			name := p
			if stdin {
				name = "-"
			}
			_, done, err := scanFiles(t, Options{BlockSize: 64}, bytes.NewReader(data), name)
			if err != nil || len(done) != 1 {
				t.Fatalf("stdin %v: %v %v", stdin, err, done)
			}
		}
	})
}
