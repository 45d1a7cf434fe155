package tarball

import (
	"io/fs"
	"sync"
	"syscall"
)

// umask returns the process umask, read once at the start of the tests
// (reading it means setting it).
var umask = sync.OnceValue(func() fs.FileMode {
	m := syscall.Umask(0o22)
	syscall.Umask(m)
	return fs.FileMode(m)
})
