package tarball

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// packageJSONMax bounds the package.json kept in memory for Result.
const packageJSONMax = 16 << 20

// Extract unpacks the npm package tarball read from r into dest, creating
// dest if needed. r may be gzip-compressed or a plain tar. See the package
// documentation for what is refused and what is skipped. On error, files
// already written stay in dest: callers extract into a temporary folder and
// remove it on failure (pm/store does).
func Extract(r io.Reader, dest string, opts Options) (*Result, error) {
	opts = opts.withDefaults()
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return nil, fmt.Errorf("creating extraction folder: %w", err)
	}
	s, err := open(r, opts)
	if err != nil {
		return nil, err
	}
	defer s.release()
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	x := &extractor{
		dest:  dest,
		buf:   *bp,
		dirs:  map[string]bool{"": true},
		files: map[string]Entry{},
		res:   &Result{},
	}
	for {
		hdr, err := s.tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading tarball: %w", describe(err))
		}
		x.res.Entries++
		if x.res.Entries > opts.MaxEntries {
			return nil, fmt.Errorf("%w (%d entries)", ErrTooManyEntries, opts.MaxEntries)
		}
		if reason, record := typeReason(hdr.Typeflag); reason != "" {
			if record {
				x.res.Skipped = append(x.res.Skipped, Skipped{Name: hdr.Name, Reason: reason})
			}
			continue
		}
		rel, err := CleanPath(hdr.Name)
		if err != nil {
			return nil, &EntryError{Name: hdr.Name, Err: err}
		}
		if rel == "" {
			continue
		}
		if hdr.Typeflag == tar.TypeDir {
			if err := x.mkdirAll(rel); err != nil {
				return nil, &EntryError{Name: hdr.Name, Err: err}
			}
			continue
		}
		x.res.Size += hdr.Size
		if hdr.Size < 0 || x.res.Size > opts.MaxBytes {
			return nil, &EntryError{Name: hdr.Name, Err: fmt.Errorf("%w (%d bytes)", ErrTooLarge, opts.MaxBytes)}
		}
		if err := x.writeFile(rel, hdr, s.tr); err != nil {
			return nil, &EntryError{Name: hdr.Name, Err: err}
		}
	}
	if err := s.finish(); err != nil {
		return nil, err
	}
	return x.result(), nil
}

type extractor struct {
	dest  string
	buf   []byte
	dirs  map[string]bool  // folders known to exist as real folders
	files map[string]Entry // files written, last one wins
	res   *Result
}

func (x *extractor) full(rel string) string {
	return filepath.Join(x.dest, filepath.FromSlash(rel))
}

// mkdirAll creates rel and its parents one by one. An existing entry in the
// way that is not a real folder (a file from an earlier duplicate entry, or
// a symbolic link planted in dest) is removed rather than followed.
func (x *extractor) mkdirAll(rel string) error {
	if x.dirs[rel] {
		return nil
	}
	if parent := path.Dir(rel); parent != "." {
		if err := x.mkdirAll(parent); err != nil {
			return err
		}
	}
	full := x.full(rel)
	err := os.Mkdir(full, 0o755)
	if err != nil && errors.Is(err, fs.ErrExist) {
		fi, lerr := os.Lstat(full)
		if lerr != nil {
			return lerr
		}
		if !fi.IsDir() {
			if err := os.Remove(full); err != nil {
				return err
			}
			delete(x.files, rel)
			err = os.Mkdir(full, 0o755)
		} else {
			err = nil
		}
	}
	if err != nil {
		return err
	}
	x.dirs[rel] = true
	return nil
}

func (x *extractor) writeFile(rel string, hdr *tar.Header, r io.Reader) error {
	if parent := path.Dir(rel); parent != "." {
		if err := x.mkdirAll(parent); err != nil {
			return err
		}
	}
	mode := fileMode(hdr.Mode)
	full := x.full(rel)
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|oNoFollow, mode)
	if err != nil && (errors.Is(err, syscall.EISDIR) || errors.Is(err, syscall.ELOOP)) {
		// A folder from an earlier entry, or a link: last entry wins, and
		// a link is never written through.
		if err := os.RemoveAll(full); err != nil {
			return err
		}
		x.forgetTree(rel)
		f, err = os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|oNoFollow, mode)
	}
	if err != nil {
		return err
	}
	var sink io.Writer = f
	var pj *capture
	if rel == "package.json" && hdr.Size <= packageJSONMax {
		pj = &capture{w: f, b: make([]byte, 0, hdr.Size)}
		sink = pj
	}
	n, err := io.CopyBuffer(sink, r, x.buf)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return describe(err)
	}
	if n != hdr.Size {
		return fmt.Errorf("file data is %d bytes, header says %d", n, hdr.Size)
	}
	if pj != nil {
		x.res.PackageJSON = pj.b
	}
	// An existing file keeps its old permission bits through O_TRUNC.
	if old, dup := x.files[rel]; dup && old.Mode != mode {
		if err := os.Chmod(full, mode); err != nil {
			return err
		}
	}
	x.files[rel] = Entry{Path: rel, Kind: KindFile, Mode: mode, Size: hdr.Size}
	return nil
}

// forgetTree drops rel and everything below it from the bookkeeping after
// it was removed from disk.
func (x *extractor) forgetTree(rel string) {
	prefix := rel + "/"
	for k := range x.dirs {
		if k == rel || strings.HasPrefix(k, prefix) {
			delete(x.dirs, k)
		}
	}
	for k, e := range x.files {
		if k == rel || strings.HasPrefix(k, prefix) {
			x.res.Size -= e.Size
			delete(x.files, k)
		}
	}
	if rel == "package.json" {
		x.res.PackageJSON = nil
	}
}

func (x *extractor) result() *Result {
	r := x.res
	r.Files = make([]Entry, 0, len(x.files))
	var size int64
	for _, e := range x.files {
		r.Files = append(r.Files, e)
		size += e.Size
	}
	r.Size = size
	sort.Slice(r.Files, func(i, j int) bool { return r.Files[i].Path < r.Files[j].Path })
	for d := range x.dirs {
		if d != "" {
			r.Dirs = append(r.Dirs, d)
		}
	}
	sort.Strings(r.Dirs)
	if _, ok := x.files["package.json"]; !ok {
		r.PackageJSON = nil
	}
	return r
}

// capture tees what is written into b.
type capture struct {
	w io.Writer
	b []byte
}

func (c *capture) Write(p []byte) (int, error) {
	c.b = append(c.b, p...)
	return c.w.Write(p)
}
