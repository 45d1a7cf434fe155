// Package blob stores tarballs by content hash. The registry's service layer
// is the only user; metadata and blobs meet there.
package blob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrNotFound is returned for a key the store does not hold.
var ErrNotFound = errors.New("blob not found")

// Store is the small interface an S3-compatible store can implement later.
type Store interface {
	// Put stores data under key (a hex sha512). Storing an existing key is a no-op.
	Put(ctx context.Context, key string, data []byte) error
	Open(ctx context.Context, key string) (io.ReadSeekCloser, int64, error)
	Delete(ctx context.Context, key string) error
}

// FS stores blobs in a directory, fanned out by the first two hex digits.
type FS struct{ dir string }

var _ Store = (*FS)(nil)

// NewFS creates the directory when missing.
func NewFS(dir string) (*FS, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o755); err != nil {
		return nil, fmt.Errorf("create blob store: %w", err)
	}
	return &FS{dir: dir}, nil
}

func (s *FS) path(key string) (string, error) {
	if len(key) < 8 {
		return "", fmt.Errorf("invalid blob key %q", key)
	}
	if _, err := hex.DecodeString(key); err != nil {
		return "", fmt.Errorf("invalid blob key %q", key)
	}
	return filepath.Join(s.dir, key[:2], key[2:]), nil
}

// Put writes to a temp file, syncs, and renames into place, so a reader
// never sees a partial blob and a crash leaves only a stray temp file.
func (s *FS) Put(_ context.Context, key string, data []byte) error {
	p, err := s.path(key)
	if err != nil {
		return err
	}
	if _, err := os.Stat(p); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	tmp := filepath.Join(s.dir, "tmp", key[:16]+"-"+hex.EncodeToString(rnd[:]))
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

func (s *FS) Open(_ context.Context, key string) (io.ReadSeekCloser, int64, error) {
	p, err := s.path(key)
	if err != nil {
		return nil, 0, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, ErrNotFound
	}
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

func (s *FS) Delete(_ context.Context, key string) error {
	p, err := s.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
