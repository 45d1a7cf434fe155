// Package tarball extracts npm package tarballs (gzip-compressed tar
// archives) safely and quickly.
//
// npm packs every file under one top-level folder, conventionally
// "package/", but some publishers used other names; like npm, the first
// path component is dropped whatever it is. Extraction is hardened against
// hostile archives:
//   - absolute paths and ".." components are refused with an error,
//     backslashes are treated as separators ("a\..\..\x" is refused too);
//   - symbolic and hard links, devices and FIFOs are skipped (npm drops
//     them too) and reported in Result.Skipped; nothing is ever written
//     through a link, even one already present in dest;
//   - the total unpacked size and the number of entries are limited;
//   - truncated gzip or tar data is an error, never a silent short file.
//
// As npm does, files are created with the archive's mode ORed with 0666 and
// the files named in package.json "bin" also get execute bits, folders with
// 0777, all then masked by the process umask (so usually 0644, 0755 for
// executables, and 0755 for folders); a ".gitignore" is renamed
// ".npmignore" unless its folder already had one. Data is streamed: memory
// use does not grow with the size of the tarball.
package tarball

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"sync"
)

// Default limits. They are generous: the largest packages on the public
// registry unpack to a few hundred MB and tens of thousands of files.
const (
	DefaultMaxBytes   int64 = 1 << 30 // 1 GiB of file data
	DefaultMaxEntries       = 200_000
)

// Options tune extraction. The zero value uses the defaults.
type Options struct {
	// MaxBytes limits the total size of the regular files in the archive.
	// 0 means DefaultMaxBytes.
	MaxBytes int64
	// MaxEntries limits the number of archive entries of any type.
	// 0 means DefaultMaxEntries.
	MaxEntries int
}

func (o Options) withDefaults() Options {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	return o
}

// streamCap bounds the decompressed bytes read: file data plus headers,
// padding and long-name records. It stops a stream of endless PAX or
// GNU long-name records, which archive/tar would otherwise read forever.
func (o Options) streamCap() int64 {
	return o.MaxBytes + int64(o.MaxEntries)*2048 + 64<<20
}

// Errors, tested with errors.Is.
var (
	// ErrUnsafePath marks an entry whose path is absolute or leaves the
	// package folder.
	ErrUnsafePath = errors.New("unsafe path")
	// ErrTooLarge marks an archive whose files exceed Options.MaxBytes.
	ErrTooLarge = errors.New("tarball unpacks to more than the size limit")
	// ErrTooManyEntries marks an archive with more than Options.MaxEntries.
	ErrTooManyEntries = errors.New("tarball has more entries than the limit")
	// ErrNotFound is returned by ReadFile when the file is not in the archive.
	ErrNotFound = errors.New("file not found in tarball")
)

// EntryError reports a problem with one archive entry.
type EntryError struct {
	Name string // the entry's name as written in the archive
	Err  error
}

func (e *EntryError) Error() string {
	return fmt.Sprintf("tarball entry %q: %v", clip(e.Name), e.Err)
}

func (e *EntryError) Unwrap() error { return e.Err }

// Kind is what an extracted entry is.
type Kind uint8

const (
	KindFile Kind = iota
	KindDir
)

// Entry is a regular file or folder of an archive, as Walk reports it.
type Entry struct {
	Path string      // slash-separated, relative to the package root, first component dropped
	Kind Kind        // KindFile or KindDir
	Mode fs.FileMode // permission bits asked for, before the umask (see fileMode); fs.ModeDir|0777 for folders
	Size int64       // file size in bytes; 0 for folders
}

// Skipped records an entry that was not extracted and why.
type Skipped struct {
	Name   string // the entry's name as written in the archive
	Reason string // "symbolic link", "hard link", "character device", ...
}

// Result describes a finished extraction.
type Result struct {
	// Files lists the regular files written, sorted by path; when an
	// archive holds the same path twice the last one's data wins, written
	// over the first (which keeps its mode, as with npm).
	Files []Entry
	// Dirs lists every folder created, sorted, without the root. As with
	// npm, folders are created only to hold files: folder entries of the
	// archive are not extracted on their own.
	Dirs []string
	// Skipped lists the entries left out (links, devices, ...).
	Skipped []Skipped
	// Size is the total size of Files.
	Size int64
	// Entries counts the archive's entries of every type.
	Entries int
	// PackageJSON holds the contents of the top-level package.json, or nil.
	PackageJSON []byte
	// Facts is what ScanPackageJSON read from PackageJSON during
	// extraction (Facts.OK false when there is none or the scanner left
	// the document to encoding/json).
	Facts PackageFacts
}

// CleanPath turns an archive entry name into a slash-separated path
// relative to the package root: backslashes become slashes, empty and "."
// components vanish and the first component is dropped. It returns "" for
// the root itself, and ErrUnsafePath for absolute paths (including Windows
// drive letters) and for any ".." component.
func CleanPath(name string) (string, error) {
	n := strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(n, "/") {
		return "", fmt.Errorf("%w: absolute path", ErrUnsafePath)
	}
	if len(n) >= 2 && n[1] == ':' && (n[0]|0x20 >= 'a' && n[0]|0x20 <= 'z') {
		return "", fmt.Errorf("%w: absolute path with a drive letter", ErrUnsafePath)
	}
	// Fast path for the common "package/dir/file.js".
	parts := strings.Split(n, "/")
	out := parts[:0]
	for _, p := range parts {
		switch p {
		case "", ".":
			continue
		case "..":
			return "", fmt.Errorf("%w: path contains \"..\"", ErrUnsafePath)
		}
		out = append(out, p)
	}
	if len(out) <= 1 {
		return "", nil
	}
	return strings.Join(out[1:], "/"), nil
}

// fileMode is the mode a file is created with, before the process umask:
// npm's pacote ORs the archive's mode with 0666 (every file readable and
// writable by its owner whatever the archive says) and lets the umask do
// the rest, so with the usual 022 a 0700 entry becomes 0744 and 0644 stays
// 0644. Unlike npm, the setuid, setgid and sticky bits are dropped: a
// package has no business installing setuid programs.
func fileMode(m int64) fs.FileMode {
	return fs.FileMode(m&0o777) | 0o666
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

var brPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 64<<10) }}

var gzPool sync.Pool // *gzip.Reader

// stream is an opened archive: a tar reader over the (maybe decompressed)
// input, with the state needed to finish and release it.
type stream struct {
	tr  *tar.Reader
	br  *bufio.Reader
	gz  *gzip.Reader // nil for an uncompressed tar
	cap *capReader
	mem *memReader // the archive when it is held in memory (ExtractBytes)
	// fast: headers are parsed by plainHeader (mem only), nextHdr is
	// where the next one starts; tr is not used until fast is false.
	fast    bool
	nextHdr int64
}

// open sniffs the gzip magic so plain tar files work too, as with npm.
func open(r io.Reader, opts Options) (*stream, error) {
	br := brPool.Get().(*bufio.Reader)
	br.Reset(r)
	s := &stream{br: br}
	magic, err := br.Peek(2)
	if err != nil && len(magic) == 0 {
		s.release()
		if err == io.EOF {
			return nil, errors.New("tarball is empty")
		}
		return nil, fmt.Errorf("reading tarball: %w", err)
	}
	var src io.Reader = br
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, _ := gzPool.Get().(*gzip.Reader)
		if gz == nil {
			gz, err = gzip.NewReader(br)
		} else {
			err = gz.Reset(br)
		}
		if err != nil {
			s.release()
			return nil, fmt.Errorf("reading tarball: bad gzip header: %w", err)
		}
		s.gz = gz
		src = gz
	}
	s.cap = &capReader{r: src, left: opts.streamCap()}
	s.tr = tar.NewReader(s.cap)
	return s, nil
}

// finish reads the compressed stream to its end so its checksum and length
// are verified (a tar can end before a truncated gzip does) and so a
// caller hashing the input sees every byte of the gzip member.
func (s *stream) finish() error {
	if s.gz == nil {
		return nil
	}
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	_, err := io.CopyBuffer(io.Discard, s.cap, *bp)
	if err != nil && !errors.Is(err, gzip.ErrHeader) {
		// ErrHeader here means bytes after the gzip member that are not
		// another member; node's zlib ignores such trailing garbage too.
		return fmt.Errorf("reading tarball: %w", describe(err))
	}
	return nil
}

func (s *stream) release() {
	if s.gz != nil {
		gzPool.Put(s.gz)
		s.gz = nil
	}
	if s.br != nil {
		s.br.Reset(nil)
		brPool.Put(s.br)
		s.br = nil
	}
}

// capReader fails with ErrTooLarge once more than left bytes are read.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, ErrTooLarge
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// describe turns the low-level errors of truncated input into a sentence.
func describe(err error) error {
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("data is truncated (the download may be incomplete): %w", err)
	case errors.Is(err, gzip.ErrChecksum):
		return fmt.Errorf("gzip checksum does not match (the download is corrupt): %w", err)
	case errors.Is(err, gzip.ErrHeader):
		return fmt.Errorf("not a gzip stream: %w", err)
	}
	return err
}

// typeReason names the entry types that are skipped; "" means extract.
func typeReason(t byte) (reason string, record bool) {
	switch t {
	case tar.TypeReg, tar.TypeRegA, tar.TypeCont, tar.TypeGNUSparse, tar.TypeDir:
		return "", false
	case tar.TypeSymlink:
		return "symbolic link", true
	case tar.TypeLink:
		return "hard link", true
	case tar.TypeChar:
		return "character device", true
	case tar.TypeBlock:
		return "block device", true
	case tar.TypeFifo:
		return "fifo", true
	case tar.TypeXGlobalHeader:
		return "pax global header", false
	}
	return fmt.Sprintf("unsupported entry type %q", t), true
}

// Walk calls fn for every regular file and folder of the archive, in
// archive order, with the same path cleaning, refusals and limits as
// Extract, without writing anything. It shows the archive as it is: no
// ".gitignore" renaming and no "bin" execute bits. For a file, content reads its data;
// it is only valid during the call. fn may return fs.SkipAll to stop early.
func Walk(r io.Reader, opts Options, fn func(e Entry, content io.Reader) error) error {
	opts = opts.withDefaults()
	s, err := open(r, opts)
	if err != nil {
		return err
	}
	defer s.release()
	var total int64
	entries := 0
	for {
		hdr, err := s.tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("reading tarball: %w", describe(err))
		}
		entries++
		if entries > opts.MaxEntries {
			return fmt.Errorf("%w (%d entries)", ErrTooManyEntries, opts.MaxEntries)
		}
		if reason, _ := typeReason(hdr.Typeflag); reason != "" {
			continue
		}
		rel, err := CleanPath(hdr.Name)
		if err != nil {
			return &EntryError{Name: hdr.Name, Err: err}
		}
		if rel == "" {
			continue
		}
		e := Entry{Path: rel, Kind: KindDir, Mode: fs.ModeDir | 0o777}
		if hdr.Typeflag != tar.TypeDir {
			total += hdr.Size
			if hdr.Size < 0 || total > opts.MaxBytes {
				return &EntryError{Name: hdr.Name, Err: fmt.Errorf("%w (%d bytes)", ErrTooLarge, opts.MaxBytes)}
			}
			e = Entry{Path: rel, Kind: KindFile, Mode: fileMode(hdr.Mode), Size: hdr.Size}
		}
		if err := fn(e, s.tr); err != nil {
			if err == fs.SkipAll {
				return nil
			}
			return err
		}
	}
	return s.finish()
}

// ReadFile returns the contents of one file of the archive, named relative
// to the package root ("package.json" for "package/package.json"). As with
// extraction, when the archive holds the name twice the last one wins, so
// the whole archive is read. It returns an error wrapping ErrNotFound when
// the file is absent.
func ReadFile(r io.Reader, name string, opts Options) ([]byte, error) {
	want, err := CleanPath("x/" + name)
	if err != nil || want == "" {
		return nil, fmt.Errorf("invalid file name %q", name)
	}
	var data []byte
	found := false
	err = Walk(r, opts, func(e Entry, content io.Reader) error {
		if e.Path != want {
			if e.Kind == KindDir && e.Path == want {
				found, data = false, nil
			}
			return nil
		}
		if e.Kind == KindDir {
			found, data = false, nil
			return nil
		}
		b, err := io.ReadAll(content)
		if err != nil {
			return fmt.Errorf("reading %s: %w", name, describe(err))
		}
		found, data = true, b
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("%s: %w", path.Clean(name), ErrNotFound)
	}
	return data, nil
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}
