//go:build !unix

package tarball

import "io/fs"

func umask() fs.FileMode { return 0o22 }
