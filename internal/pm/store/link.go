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

	"golang.org/x/sys/unix"
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
	if linkFile == nil && !crossDevice.Load() {
		done, err := linkFilesAt(src, dest, idx)
		if err != nil || done {
			return err
		}
		// Links are refused here: the rest is copied by path.
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

// linkFilesAt is the common case of linkFiles: hard links made relative
// to two open folders (linkat and mkdirat with short relative paths), so
// the kernel does not walk the store's and the project's long paths again
// for each of the package's files: that walk was a third of the kernel
// time of linking. It makes one mkdirat per folder and one linkat per
// file. It reports done=false, with no error, when the file system
// refuses hard links; crossDevice is then left for linkFiles to learn
// from its own first try.
func linkFilesAt(src, dest string, idx *Index) (done bool, err error) {
	sfd, err := unix.Open(src, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return false, fmt.Errorf("linking package from %s: %w", src, &os.PathError{Op: "open", Path: src, Err: err})
	}
	defer unix.Close(sfd)
	dfd, err := unix.Open(dest, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return false, fmt.Errorf("linking package into %s: %w", dest, &os.PathError{Op: "open", Path: dest, Err: err})
	}
	defer unix.Close(dfd)
	for _, d := range idx.Dirs {
		err := realDirAt(dfd, d)
		if err == unix.ENOENT {
			err = mkdirAllAt(dfd, d)
		}
		if err != nil {
			return false, fmt.Errorf("linking package into %s: %w", dest, &os.PathError{Op: "mkdir", Path: filepath.Join(dest, filepath.FromSlash(d)), Err: err})
		}
	}
	for i := range idx.Files {
		p := idx.Files[i].Path
		err := ignoringEINTR(func() error { return unix.Linkat(sfd, p, dfd, p, 0) })
		switch err {
		case nil:
			continue
		case unix.EEXIST:
			// A stale file (or symbolic link) in the way is replaced.
			if unix.Unlinkat(dfd, p, 0) == nil {
				err = ignoringEINTR(func() error { return unix.Linkat(sfd, p, dfd, p, 0) })
			}
		case unix.ENOENT:
			// A folder the index does not list (an index written before
			// Dirs held every folder): made, then the link is tried again.
			if merr := mkdirAllAt(dfd, path.Dir(p)); merr != nil {
				return false, fmt.Errorf("linking package into %s: %w", dest, &os.PathError{Op: "mkdir", Path: filepath.Join(dest, filepath.FromSlash(path.Dir(p))), Err: merr})
			}
			err = ignoringEINTR(func() error { return unix.Linkat(sfd, p, dfd, p, 0) })
		}
		if err == nil {
			continue
		}
		if linkUnsupported(err) {
			return false, nil
		}
		return false, fmt.Errorf("linking %s: %w", filepath.Join(dest, filepath.FromSlash(p)), &os.LinkError{Op: "link", Old: filepath.Join(src, filepath.FromSlash(p)), New: filepath.Join(dest, filepath.FromSlash(p)), Err: err})
	}
	return true, nil
}

// realDirAt is realDir for rel inside the folder dfd.
func realDirAt(dfd int, rel string) error {
	err := unix.Mkdirat(dfd, rel, 0o777)
	if err != unix.EEXIST {
		return err
	}
	var st unix.Stat_t
	if err := unix.Fstatat(dfd, rel, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return err
	}
	if st.Mode&unix.S_IFMT == unix.S_IFDIR {
		return nil
	}
	if err := unix.Unlinkat(dfd, rel, 0); err != nil {
		return err
	}
	return unix.Mkdirat(dfd, rel, 0o777)
}

// mkdirAllAt makes rel and its parents inside dfd (each a real folder).
func mkdirAllAt(dfd int, rel string) error {
	if rel == "." || rel == "" {
		return nil
	}
	if err := mkdirAllAt(dfd, path.Dir(rel)); err != nil {
		return err
	}
	return realDirAt(dfd, rel)
}

func ignoringEINTR(f func() error) error {
	for {
		if err := f(); err != unix.EINTR {
			return err
		}
	}
}

// linkFile, when set (tests set it to simulate file systems without hard
// links), makes every link go through it by path instead of linkFilesAt.
var linkFile func(oldname, newname string) error

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
		link := linkFile
		if link == nil {
			link = os.Link
		}
		err := link(from, to)
		if err != nil && errors.Is(err, fs.ErrExist) {
			if rerr := os.Remove(to); rerr == nil {
				err = link(from, to)
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
