//go:build !unix

package tarball

import (
	"io/fs"
	"os"
)

// openRoot is -1 here: files and folders are created by path.
func openRoot(dest string) int { return -1 }

func closeRoot(fd int) {}

// mkdirAt creates the folder full.
func mkdirAt(root int, rel, full string) error { return os.Mkdir(full, 0o777) }

// writeBytes creates full (see create) holding data.
func writeBytes(root int, rel, full string, mode fs.FileMode, data []byte) error {
	f, err := create(full, mode)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
