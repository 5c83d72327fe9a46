//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package explain

import (
	"errors"
	"io"
	"os"
)

// rawFile is an os.File where no cheaper way to open a file is written.
type rawFile struct{ f *os.File }

func openRaw(name string) (rawFile, fileInfo, error) {
	f, err := os.Open(name)
	if err != nil {
		return rawFile{}, fileInfo{}, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return rawFile{}, fileInfo{}, err
	}
	fi := fileInfo{size: st.Size(), kind: kindOther}
	switch {
	case st.Mode().IsRegular():
		fi.kind = kindRegular
	case st.IsDir():
		fi.kind = kindDir
	}
	return rawFile{f: f}, fi, nil
}

func (f rawFile) Read(p []byte) (int, error) {
	n, err := f.f.Read(p)
	if n > 0 || err == nil {
		return n, nil
	}
	if errors.Is(err, io.EOF) {
		return 0, nil
	}
	return 0, err
}

func (f rawFile) Close() { f.f.Close() }

func (f rawFile) file() *os.File { return f.f }
