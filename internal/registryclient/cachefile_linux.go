//go:build linux

package registryclient

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// writeLinked writes a new cache file at path from parts as a file with
// no name (O_TMPFILE) in path's folder, and links it to path once it is
// complete, so a reader sees the whole file or none. Against a temporary
// name and a rename, the file system makes one name instead of two (the
// cache files of a cold toolchain install: ~3 ms less CPU). It fails,
// leaving nothing, where the kernel or file system has no O_TMPFILE or
// /proc is not mounted (and is not tried again), and when path exists
// (linkat does not replace): the caller then writes through a temporary
// name.
func writeLinked(path string, parts [][]byte) error {
	if noLinked.Load() {
		return errors.ErrUnsupported
	}
	fd, err := unix.Open(filepath.Dir(path), unix.O_WRONLY|unix.O_TMPFILE|unix.O_CLOEXEC, 0o600)
	if err != nil {
		if errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.EISDIR) || errors.Is(err, unix.EINVAL) {
			noLinked.Store(true)
		}
		return err
	}
	f := os.NewFile(uintptr(fd), path)
	defer f.Close()
	for _, b := range parts {
		if len(b) == 0 {
			continue
		}
		if _, err := f.Write(b); err != nil {
			return err
		}
	}
	err = unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(fd), unix.AT_FDCWD, path, unix.AT_SYMLINK_FOLLOW)
	if err != nil && !errors.Is(err, unix.EEXIST) {
		noLinked.Store(true) // no /proc, or linking refused: the data was written for nothing
	}
	return err
}

// noLinked is set once writeLinked found it cannot work here.
var noLinked atomic.Bool
