//go:build unix

package tarball

import (
	"io/fs"
	"sync"
	"syscall"
)

// umask returns the process umask. Reading it means setting it, so it is
// read once, before extraction creates files, and cached.
var umask = sync.OnceValue(func() fs.FileMode {
	m := syscall.Umask(0o22)
	syscall.Umask(m)
	return fs.FileMode(m)
})
