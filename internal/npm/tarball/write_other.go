//go:build !unix

package tarball

import "io/fs"

// writeBytes creates full (see create) holding data.
func writeBytes(full string, mode fs.FileMode, data []byte) error {
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
