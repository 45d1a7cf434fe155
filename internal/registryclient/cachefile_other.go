//go:build !linux

package registryclient

import "errors"

// writeLinked is the Linux way to write a new cache file (see
// cachefile_linux.go); elsewhere the caller writes through a temporary
// name.
func writeLinked(path string, parts [][]byte) error {
	return errors.ErrUnsupported
}
