//go:build !unix

package tarball

const oNoFollow = 0
