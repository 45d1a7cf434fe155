//go:build unix

package tarball

import "syscall"

// oNoFollow makes opening a file fail rather than follow a symbolic link
// that sits where the file should be.
const oNoFollow = syscall.O_NOFOLLOW
