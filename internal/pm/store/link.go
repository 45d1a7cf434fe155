package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
)

// linkWorkers is how many goroutines lay out the files of one large
// package. BenchmarkLink1000 found no gain from more than one on the 2-core
// machine (ext4 and tmpfs alike: the kernel work per link is the cost, and
// the linker already lays out several packages at once), so packages are
// linked on the calling goroutine; the benchmark keeps comparing.
var linkWorkers = 1

const parallelAbove = 32 // files

// Link lays the files of the package in pkgPath (from Has, Put or Import)
// into dest, creating dest and its folders. Each file is a hard link to the
// store's copy; when the store and dest are on different file systems, or
// hard links are refused, files are copied instead with the same mode. A
// file already present in dest is replaced, and a symbolic link in the way
// is removed, never followed.
func (s *Store) Link(pkgPath, dest string) error {
	idx, err := s.Index(pkgPath)
	if err != nil {
		return err
	}
	return linkFiles(pkgPath, dest, idx, &s.crossDevice)
}

// linkFiles lays idx's files from src into dest. crossDevice remembers,
// for the whole store, that dest is on another file system, so later
// packages are copied without trying a link first.
func linkFiles(src, dest string, idx *Index, crossDevice *atomic.Bool) error {
	if err := os.MkdirAll(filepath.Dir(dest), 0o777); err != nil {
		return fmt.Errorf("linking package into %s: %w", dest, err)
	}
	if err := realDir(dest); err != nil {
		return fmt.Errorf("linking package into %s: %w", dest, err)
	}
	made := map[string]bool{".": true}
	var mkdir func(d string) error
	mkdir = func(d string) error {
		if made[d] {
			return nil
		}
		if err := mkdir(path.Dir(d)); err != nil {
			return err
		}
		if err := realDir(filepath.Join(dest, filepath.FromSlash(d))); err != nil {
			return fmt.Errorf("linking package into %s: %w", dest, err)
		}
		made[d] = true
		return nil
	}
	for _, d := range idx.Dirs {
		if err := mkdir(d); err != nil {
			return err
		}
	}
	for _, f := range idx.Files {
		if err := mkdir(path.Dir(f.Path)); err != nil {
			return err
		}
	}
	l := &linker{src: src, dest: dest, crossDevice: crossDevice}
	l.copyOnly.Store(crossDevice.Load())
	if linkWorkers <= 1 || len(idx.Files) <= parallelAbove {
		for i := range idx.Files {
			if err := l.one(&idx.Files[i]); err != nil {
				return err
			}
		}
		return nil
	}
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
		failed   atomic.Bool
	)
	for w := 0; w < linkWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() {
				i := int(next.Add(1)) - 1
				if i >= len(idx.Files) {
					return
				}
				if err := l.one(&idx.Files[i]); err != nil {
					errOnce.Do(func() { firstErr = err })
					failed.Store(true)
					return
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// linkFile is os.Link; tests replace it to simulate file systems without
// hard links.
var linkFile = os.Link

// realDir makes p a real folder. A symbolic link in its place (say, left
// by "npm link") is removed, never followed: linking through it would
// overwrite the files it points to.
func realDir(p string) error {
	err := os.Mkdir(p, 0o777)
	if err == nil || !errors.Is(err, fs.ErrExist) {
		return err
	}
	fi, err := os.Lstat(p)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return nil
	}
	if err := os.Remove(p); err != nil {
		return err
	}
	return os.Mkdir(p, 0o777)
}

type linker struct {
	src, dest   string
	copyOnly    atomic.Bool // set after the first refusal: links will not work
	crossDevice *atomic.Bool
}

func (l *linker) one(f *File) error {
	from := filepath.Join(l.src, filepath.FromSlash(f.Path))
	to := filepath.Join(l.dest, filepath.FromSlash(f.Path))
	if !l.copyOnly.Load() {
		err := linkFile(from, to)
		if err != nil && errors.Is(err, fs.ErrExist) {
			if rerr := os.Remove(to); rerr == nil {
				err = linkFile(from, to)
			}
		}
		if err == nil {
			return nil
		}
		if !linkUnsupported(err) {
			return fmt.Errorf("linking %s: %w", to, err)
		}
		l.copyOnly.Store(true)
		if errors.Is(err, syscall.EXDEV) {
			l.crossDevice.Store(true)
		}
	}
	if err := copyFile(from, to, f.Mode); err != nil {
		return fmt.Errorf("copying %s: %w", to, err)
	}
	return nil
}

// linkUnsupported reports errors after which copying is the right answer:
// another file system, a file system without hard links, too many links.
func linkUnsupported(err error) bool {
	return errors.Is(err, syscall.EXDEV) || errors.Is(err, syscall.EPERM) ||
		errors.Is(err, syscall.EMLINK) || errors.Is(err, syscall.ENOTSUP) ||
		errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.EACCES)
}

// copyFile copies from into a new file to with the same permission bits
// (the store's copy already went through the umask at extraction; mode is
// only used if the source cannot be inspected).
func copyFile(from, to string, mode fs.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	if fi, err := in.Stat(); err == nil {
		mode = fi.Mode().Perm()
	} else if mode == 0 {
		mode = 0o666
	}
	os.Remove(to)
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	// (*os.File).ReadFrom uses copy_file_range where the kernel has it.
	_, err = out.ReadFrom(in)
	if err == nil {
		// The umask applied at creation may have removed bits the store's
		// copy has (npm gives bins 0711 even under umask 077).
		err = out.Chmod(mode)
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(to)
	}
	return err
}
