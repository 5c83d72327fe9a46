//go:build linux || darwin || freebsd || netbsd || openbsd

package explain

import (
	"io/fs"
	"os"
	"syscall"
)

// rawFile is a file opened with the four system calls grep makes for it
// (open, fstat, read, close): os.File adds a poller registration, a
// finalizer and a second fstat, which over a maildir of small files cost
// more than reading them.
type rawFile struct {
	fd   int
	name string
}

func openRaw(name string) (rawFile, fileInfo, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return rawFile{fd: -1}, fileInfo{}, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	var st syscall.Stat_t
	for {
		err = syscall.Fstat(fd, &st)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		syscall.Close(fd)
		return rawFile{fd: -1}, fileInfo{}, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	fi := fileInfo{size: st.Size}
	switch uint32(st.Mode) & syscall.S_IFMT {
	case syscall.S_IFREG:
		fi.kind = kindRegular
	case syscall.S_IFDIR:
		fi.kind = kindDir
	default:
		fi.kind = kindOther
	}
	return rawFile{fd: fd, name: name}, fi, nil
}

func (f rawFile) Read(p []byte) (int, error) {
	for {
		n, err := syscall.Read(f.fd, p)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return 0, &fs.PathError{Op: "read", Path: f.name, Err: err}
		}
		return n, nil
	}
}

func (f rawFile) Close() { syscall.Close(f.fd) }

// file hands the descriptor to an os.File, which then owns it.
func (f rawFile) file() *os.File { return os.NewFile(uintptr(f.fd), f.name) }
