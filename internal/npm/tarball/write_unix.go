//go:build unix

package tarball

import (
	"errors"
	"io/fs"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// openRoot opens the extraction folder, so that files and folders are
// created relative to it (openat, mkdirat) instead of by full path: the
// kernel then walks the few components inside the package, not the
// store's path (ten or more components) for each of a cold install's
// ~23,000 files and ~3,000 folders. -1 when it cannot be opened (paths
// are used then).
func openRoot(dest string) int {
	for {
		fd, err := unix.Open(dest, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return -1
		}
		return fd
	}
}

func closeRoot(fd int) {
	if fd >= 0 {
		unix.Close(fd)
	}
}

// mkdirAt creates the folder rel (full is the same folder by path).
func mkdirAt(root int, rel, full string) error {
	if root < 0 {
		return os.Mkdir(full, 0o777)
	}
	for {
		err := unix.Mkdirat(root, rel, 0o777)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return &fs.PathError{Op: "mkdir", Path: full, Err: err}
		}
		return nil
	}
}

// writeBytes creates full holding data with three system calls (open,
// write, close). Going through *os.File costs five more per file on Linux
// (the poller's epoll_ctl, which fails for a regular file, and the fcntl
// calls around it) plus an allocation and a finalizer: a cold install
// writes some 23,000 files. As with create, whatever is in the way (an
// earlier duplicate, a folder, a link planted in dest) is removed first,
// so a link is never written through and the mode is the one asked for.
//
// With root >= 0 the file is opened as rel relative to it (see openRoot);
// full names the same file, for errors and for removing what is in the way.
func writeBytes(root int, rel, full string, mode fs.FileMode, data []byte) error {
	const flags = syscall.O_WRONLY | syscall.O_CREAT | syscall.O_EXCL | syscall.O_NOFOLLOW | syscall.O_CLOEXEC
	fd, err := openRetry(root, rel, full, flags, uint32(mode.Perm()))
	if err == syscall.EEXIST || err == syscall.EISDIR || err == syscall.ELOOP {
		if err := os.RemoveAll(full); err != nil {
			return err
		}
		fd, err = openRetry(root, rel, full, flags, uint32(mode.Perm()))
	}
	if err != nil {
		return &fs.PathError{Op: "open", Path: full, Err: err}
	}
	for len(data) > 0 {
		n, err := syscall.Write(fd, data)
		if err == syscall.EINTR {
			continue
		}
		if err == nil && n == 0 {
			err = errors.New("wrote nothing")
		}
		if err != nil {
			syscall.Close(fd)
			return &fs.PathError{Op: "write", Path: full, Err: err}
		}
		data = data[n:]
	}
	if err := syscall.Close(fd); err != nil {
		return &fs.PathError{Op: "close", Path: full, Err: err}
	}
	return nil
}

func openRetry(root int, rel, full string, flags int, perm uint32) (int, error) {
	for {
		var fd int
		var err error
		if root >= 0 {
			fd, err = unix.Openat(root, rel, flags, perm)
		} else {
			fd, err = syscall.Open(full, flags, perm)
		}
		if err != syscall.EINTR {
			return fd, err
		}
	}
}
