// Package store is gnode's global content-addressable package cache.
//
// Each package tarball is extracted once, verified against its integrity,
// and kept under the sha512 of the tarball bytes:
//
//	<dir>/content-v2/sha512/<hex[0:2]>/<hex[2:]>/package/...   the files
//	<dir>/content-v2/sha512/<hex[0:2]>/<hex[2:]>/index.json    see Index
//	<dir>/alias-v1/<algorithm>/<hex[0:2]>/<hex[2:]>            sha512 SRI, for sha1-only lookups
//	<dir>/tmp/                                                 Puts in progress
//
// An entry appears by renaming a complete temporary folder into place, so a
// reader never sees a partial tree, and two goroutines or processes that
// Put the same tarball at once both succeed: the first rename wins and the
// loser discards its copy. The key is always the sha512 computed from the
// bytes, never the one claimed by the caller.
//
// Packages are laid into node_modules by Link with hard links (a copy when
// the store and the destination are on different file systems), so files in
// node_modules must be replaced, never edited in place.
package store

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gnode/internal/npm/integrity"
	"gnode/internal/npm/tarball"
)

// IndexVersion is written in every index.json; bump it together with the
// content folder name (content-v<N>) when the format changes, so older
// caches are ignored rather than misread.
const IndexVersion = 2

const (
	contentDir = "content-v2"
	aliasDir   = "alias-v1"
	tmpDir     = "tmp"
	pkgDir     = "package"
	indexFile  = "index.json"
	// staleTmp is how old an abandoned temporary folder must be before Open
	// removes it; a live Put never takes this long.
	staleTmp = 24 * time.Hour
)

// Store is an opened cache folder. It is safe for concurrent use by many
// goroutines and by several processes sharing the folder.
type Store struct {
	dir     string
	opts    tarball.Options
	indexes sync.Map // package path -> *Index

	mu       sync.Mutex
	inflight map[string]*call // Puts in progress in this process, by integrity

	crossDevice atomic.Bool // Link met EXDEV: copy without trying links
}

// call is a Put in progress; others asking for the same integrity wait for
// it instead of downloading and extracting the same bytes again.
type call struct {
	done chan struct{}
	path string
	err  error
}

// Open opens (creating if needed) the store in dir, typically
// "<cacheDir>" from GNODE_CACHE_DIR or the npm-style configuration.
func Open(dir string) (*Store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("opening package store %s: %w", dir, err)
	}
	for _, d := range []string{contentDir, tmpDir} {
		if err := os.MkdirAll(filepath.Join(abs, d), 0o755); err != nil {
			return nil, fmt.Errorf("opening package store: %w\nhint: check that %s is writable or set GNODE_CACHE_DIR", err, abs)
		}
	}
	s := &Store{dir: abs, inflight: map[string]*call{}}
	s.cleanTmp()
	return s, nil
}

// Dir returns the store's folder.
func (s *Store) Dir() string { return s.dir }

// SetTarballOptions changes the extraction limits used by Put.
func (s *Store) SetTarballOptions(o tarball.Options) { s.opts = o }

// cleanTmp removes temporary folders left by killed processes.
func (s *Store) cleanTmp() {
	ents, err := os.ReadDir(filepath.Join(s.dir, tmpDir))
	if err != nil {
		return
	}
	for _, e := range ents {
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > staleTmp {
			os.RemoveAll(filepath.Join(s.dir, tmpDir, e.Name()))
		}
	}
}

// entryDir is the folder of the entry with the given sha512 digest.
func (s *Store) entryDir(sha512 []byte) string {
	h := hex.EncodeToString(sha512)
	return filepath.Join(s.dir, contentDir, integrity.SHA512, h[:2], h[2:])
}

func (s *Store) aliasPath(h integrity.Hash) string {
	x := h.Hex()
	return filepath.Join(s.dir, aliasDir, h.Algorithm, x[:2], x[2:])
}

// Has reports whether a package with the given integrity is in the store,
// and returns the folder holding its files. The integrity may hold sha512
// (looked up directly) or only older algorithms such as sha1 (looked up
// through the alias Put recorded). An invalid integrity is never present.
func (s *Store) Has(sri string) (path string, ok bool) {
	want, err := integrity.Parse(sri)
	if err != nil {
		return "", false
	}
	return s.has(want)
}

func (s *Store) has(want integrity.Integrity) (string, bool) {
	for _, h := range want.Hashes {
		if h.Algorithm == integrity.SHA512 {
			if d := s.entryDir(h.Digest); exists(d) {
				return filepath.Join(d, pkgDir), true
			}
		}
	}
	// Only an alias of the strongest algorithm counts: a sha1 alias must
	// not stand in for a sha256 the caller also asked for.
	strongest, ok := want.Strongest()
	if !ok || strongest.Algorithm == integrity.SHA512 {
		return "", false
	}
	for _, h := range want.Hashes {
		if h.Algorithm != strongest.Algorithm {
			continue
		}
		b, err := os.ReadFile(s.aliasPath(h))
		if err != nil {
			continue
		}
		target, err := integrity.Parse(string(b))
		if err != nil {
			continue
		}
		if t, ok := target.Get(integrity.SHA512); ok {
			if d := s.entryDir(t.Digest); exists(d) {
				return filepath.Join(d, pkgDir), true
			}
		}
	}
	return "", false
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// Put reads a package tarball, extracts it into the store and returns the
// folder holding its files. The bytes are hashed while they are extracted
// and must match sri (verification is never skipped); on a mismatch Put
// returns *integrity.MismatchError naming the expected and actual digests,
// and nothing is added. When the package is already present, Put returns
// at once without reading the tarball.
func (s *Store) Put(ctx context.Context, sri string, tarballData io.Reader) (path string, err error) {
	return s.putKnown(ctx, sri, tarballData, nil)
}

// PutBytes is Put for a tarball held in memory: its digest is checked
// before anything is written, and it is decompressed in one piece
// (tarball.ExtractBytes), which takes a fraction of the CPU of streaming
// it through compress/gzip.
func (s *Store) PutBytes(ctx context.Context, sri string, data []byte) (path string, err error) {
	return s.putKnown(ctx, sri, nil, data)
}

func (s *Store) putKnown(ctx context.Context, sri string, tarballData io.Reader, data []byte) (path string, err error) {
	want, err := integrity.Parse(sri)
	if err != nil {
		return "", err
	}
	if _, ok := want.Strongest(); !ok {
		return "", fmt.Errorf("cannot verify %q: %w", sri, integrity.ErrNoKnownAlgorithm)
	}
	// The store is looked at once, with this put registered in flight:
	// another put of the same bytes either is in flight (waited for) or
	// has finished, entry written, before it left the map (found below).
	// A look before as well was ~900 more failing lstat calls per cold
	// toolchain install (the caller has just looked: fetchPool's Has).
	key := want.String()
	s.mu.Lock()
	if c, ok := s.inflight[key]; ok {
		s.mu.Unlock()
		select {
		case <-c.done:
		case <-ctx.Done():
			return "", ctx.Err()
		}
		if c.err == nil {
			return c.path, nil
		}
		// The other Put failed, perhaps because of its own download: try
		// with ours.
		e, err := s.put(ctx, &want, tarballData, data)
		return e.Path, err
	}
	c := &call{done: make(chan struct{})}
	s.inflight[key] = c
	s.mu.Unlock()
	var e putResult
	if p, ok := s.has(want); ok {
		// Put before, by this process or another.
		e.Path = p
	} else {
		e, err = s.put(ctx, &want, tarballData, data)
	}
	c.path, c.err = e.Path, err
	s.mu.Lock()
	delete(s.inflight, key)
	s.mu.Unlock()
	close(c.done)
	if err != nil {
		return "", err
	}
	return e.Path, nil
}

// Import adds a tarball whose integrity is not known beforehand (a file:
// tarball, or a URL dependency installed for the first time) and returns
// its folder and its computed integrity (sha512 and sha1), which the caller
// must record in the lockfile so later installs verify against it.
func (s *Store) Import(ctx context.Context, tarballData io.Reader) (path string, sum integrity.Integrity, err error) {
	e, err := s.put(ctx, nil, tarballData, nil)
	if err != nil {
		return "", integrity.Integrity{}, err
	}
	return e.Path, e.Sum, nil
}

type putResult struct {
	Path string
	Sum  integrity.Integrity
}

// put extracts a tarball read from r, or held in data when r is nil.
func (s *Store) put(ctx context.Context, want *integrity.Integrity, r io.Reader, data []byte) (putResult, error) {
	if err := ctx.Err(); err != nil {
		return putResult{}, err
	}
	var h *integrity.Hasher
	if want != nil {
		h = integrity.NewHasherFor(*want)
	} else {
		h = integrity.NewHasher()
	}
	if r == nil {
		// Verified before extraction: a mismatch writes nothing.
		h.Write(data)
		if want != nil {
			if err := integrity.Check(*want, h.Sum()); err != nil {
				return putResult{}, err
			}
		}
	}
	tmp, err := os.MkdirTemp(filepath.Join(s.dir, tmpDir), "put-")
	if err != nil {
		return putResult{}, fmt.Errorf("package store: %w", err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()

	var res *tarball.Result
	var xerr error
	if r == nil {
		res, xerr = tarball.ExtractBytes(data, filepath.Join(tmp, pkgDir), s.opts)
	} else {
		src := &hashingReader{ctx: ctx, r: r, h: h}
		res, xerr = tarball.Extract(src, filepath.Join(tmp, pkgDir), s.opts)
		// Read what the extractor left (bytes after the gzip member, or the
		// rest of a tarball it gave up on): the integrity covers the whole
		// download, and a mismatch explains a broken tarball better than the
		// extraction error does.
		drainCap := s.opts.MaxBytes
		if drainCap <= 0 {
			drainCap = tarball.DefaultMaxBytes
		}
		io.Copy(io.Discard, io.LimitReader(src, drainCap))
		// A failed download is reported as such, not as the mismatch or the
		// broken archive it causes, so the caller can retry it.
		if src.err != nil && ctx.Err() == nil {
			return putResult{}, fmt.Errorf("reading package tarball: %w", src.err)
		}
	}
	if err := ctx.Err(); err != nil {
		return putResult{}, err
	}
	sum := h.Sum()
	if want != nil {
		if err := integrity.Check(*want, sum); err != nil {
			return putResult{}, err
		}
	}
	if xerr != nil {
		return putResult{}, fmt.Errorf("extracting package tarball %s: %w", short(sum), xerr)
	}

	idx := newIndex(res, sum, h.Size())
	b, err := marshalIndex(idx)
	if err != nil {
		return putResult{}, fmt.Errorf("package store: encoding index: %w", err)
	}
	if err := writeNew(filepath.Join(tmp, indexFile), b); err != nil {
		return putResult{}, fmt.Errorf("package store: %w", err)
	}
	// The binary copy warm installs read (Lookup); the entry folder is
	// still private, so no temp file is needed, and without it the first
	// warm install would decode the JSON and write it instead.
	_ = writeNew(filepath.Join(tmp, indexBinFile), encodeIndexBin(idx))

	sha := h.SHA512()
	final := s.entryDir(sha.Digest)
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return putResult{}, fmt.Errorf("package store: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		// Another goroutine or process put the same bytes first: its entry
		// is identical, keep it and drop ours (the deferred RemoveAll).
		if !exists(final) {
			return putResult{}, fmt.Errorf("package store: moving entry into place: %w", err)
		}
	} else {
		done = true
	}
	if want != nil {
		s.writeAliases(*want, sha)
	}
	pkg := filepath.Join(final, pkgDir)
	if done {
		s.indexes.Store(pkg, idx)
	}
	return putResult{Path: pkg, Sum: sum}, nil
}

// writeAliases records, for each non-sha512 hash the caller verified
// against, which sha512 entry it names, so Has finds sha1-only packages.
// Aliases are an optimisation: failing to write one only costs a download.
func (s *Store) writeAliases(want integrity.Integrity, sha integrity.Hash) {
	for _, h := range want.Hashes {
		if h.Algorithm == integrity.SHA512 || !h.Known() {
			continue
		}
		p := s.aliasPath(h)
		if exists(p) {
			continue
		}
		_ = writeFileAtomic(p, []byte(sha.String()))
	}
}

func writeFileAtomic(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(f.Name(), p)
	}
	if werr != nil {
		os.Remove(f.Name())
	}
	return werr
}

// hashingReader hashes what it reads, stops when ctx is done and keeps
// the first error of the underlying reader other than io.EOF.
type hashingReader struct {
	ctx context.Context
	r   io.Reader
	h   *integrity.Hasher
	err error
}

func (hr *hashingReader) Read(p []byte) (int, error) {
	if hr.err != nil {
		return 0, hr.err
	}
	if err := hr.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := hr.r.Read(p)
	hr.h.Write(p[:n])
	if err != nil && err != io.EOF {
		hr.err = err
	}
	return n, err
}

func short(sum integrity.Integrity) string {
	if h, ok := sum.Get(integrity.SHA512); ok {
		s := h.String()
		if len(s) > 24 {
			return s[:24] + "..."
		}
		return s
	}
	return sum.String()
}

// Index is the small description kept next to every entry, so the
// installer and linker need not walk or re-read the package.
type Index struct {
	Version   int    `json:"v"`
	Integrity string `json:"integrity"` // sha512 SRI of the tarball
	// Shasum is the hex sha1 of the tarball, "" when the entry was
	// verified against a sha512 (Put computes sha1 only when the expected
	// integrity has nothing stronger; Import always computes it).
	Shasum string `json:"shasum"`
	// TarballSize is the size of the compressed tarball in bytes.
	TarballSize int64 `json:"tarballSize"`
	// UnpackedSize is the total size of Files.
	UnpackedSize int64 `json:"unpackedSize"`
	// Files lists every regular file, sorted by path.
	Files []File `json:"files"`
	// Dirs lists every folder, sorted (parents before children), without
	// the package root.
	Dirs []string `json:"dirs,omitempty"`
	// Skipped lists the archive entries that were not extracted (links,
	// devices), for diagnostics.
	Skipped []tarball.Skipped `json:"skipped,omitempty"`
	// PackageJSON is the package's package.json (a UTF-8 BOM removed), or
	// null when it is absent or not valid JSON (see PackageJSONError).
	PackageJSON      json.RawMessage `json:"packageJson"`
	PackageJSONError string          `json:"packageJsonError,omitempty"`
	// HasBindingGyp reports a binding.gyp at the package root.
	HasBindingGyp bool `json:"hasBindingGyp,omitempty"`
	// HasInstallScripts reports that installing the package would run
	// code: a preinstall, install or postinstall script, or npm's implicit
	// "node-gyp rebuild" install script for a binding.gyp (added when the
	// package has no install or preinstall script and "gypfile" is not
	// false).
	HasInstallScripts bool `json:"hasInstallScripts,omitempty"`
}

// File is one regular file of a package.
type File struct {
	Path string `json:"p"` // slash-separated, relative to the package folder
	Size int64  `json:"s"`
	// Mode is the permission the file was created with, before the umask
	// (0666 for most files, 0777 for executables; see npm/tarball).
	Mode fs.FileMode `json:"m"`
}

// Exec reports whether the file has any execute bit.
func (f File) Exec() bool { return f.Mode&0o111 != 0 }

func newIndex(res *tarball.Result, sum integrity.Integrity, tarSize int64) *Index {
	sha, _ := sum.Get(integrity.SHA512)
	sha1, _ := sum.Get(integrity.SHA1)
	idx := &Index{
		Version:      IndexVersion,
		Integrity:    sha.String(),
		Shasum:       sha1.Hex(),
		TarballSize:  tarSize,
		UnpackedSize: res.Size,
		Files:        make([]File, len(res.Files)),
		Dirs:         res.Dirs,
		Skipped:      res.Skipped,
	}
	for i, f := range res.Files {
		idx.Files[i] = File{Path: f.Path, Size: f.Size, Mode: f.Mode.Perm()}
		if f.Path == "binding.gyp" {
			idx.HasBindingGyp = true
		}
	}
	if res.PackageJSON != nil {
		pj := res.PackageJSON
		pj = []byte(strings.TrimPrefix(string(pj), "\ufeff"))
		facts := res.Facts
		if !facts.OK {
			facts = tarball.ScanPackageJSON(pj)
		}
		if facts.OK {
			// The document is valid JSON (the scanner checked it) and
			// these are the facts encoding/json would decode.
			idx.PackageJSON = json.RawMessage(pj)
			idx.HasInstallScripts = facts.Preinstall || facts.Install || facts.Postinstall ||
				(idx.HasBindingGyp && !facts.Install && !facts.Preinstall && !facts.NoGypfile)
			return idx
		}
		var m struct {
			Scripts map[string]any `json:"scripts"`
			Gypfile *bool          `json:"gypfile"`
		}
		if err := json.Unmarshal(pj, &m); err != nil {
			idx.PackageJSONError = err.Error()
		} else {
			idx.PackageJSON = json.RawMessage(pj)
			has := func(name string) bool {
				v, ok := m.Scripts[name].(string)
				return ok && v != ""
			}
			idx.HasInstallScripts = has("preinstall") || has("install") || has("postinstall") ||
				(idx.HasBindingGyp && !has("install") && !has("preinstall") && (m.Gypfile == nil || *m.Gypfile))
		}
	} else {
		idx.PackageJSONError = "package.json not found in the tarball"
		idx.HasInstallScripts = idx.HasBindingGyp
	}
	return idx
}

// Index returns the index of the package whose files are in pkgPath (a
// path returned by Has, Put or Import). Indexes are cached in memory.
func (s *Store) Index(pkgPath string) (*Index, error) {
	if v, ok := s.indexes.Load(pkgPath); ok {
		return v.(*Index), nil
	}
	b, err := os.ReadFile(filepath.Join(filepath.Dir(pkgPath), indexFile))
	if err != nil {
		return nil, fmt.Errorf("package store: reading index of %s: %w", pkgPath, err)
	}
	idx := &Index{}
	if err := json.Unmarshal(b, idx); err != nil {
		return nil, fmt.Errorf("package store: index of %s is corrupt: %w\nhint: remove %s and install again", pkgPath, err, filepath.Dir(pkgPath))
	}
	if idx.Version != IndexVersion {
		return nil, fmt.Errorf("package store: index of %s has version %d, want %d", pkgPath, idx.Version, IndexVersion)
	}
	s.indexes.Store(pkgPath, idx)
	return idx, nil
}
