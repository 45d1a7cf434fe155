package tarball

import (
	"archive/tar"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"

	"gnode/internal/npm/inflate"
)

// Extract unpacks the npm package tarball read from r into dest, creating
// dest if needed. r may be gzip-compressed or a plain tar. See the package
// documentation for what is refused and what is skipped. On error, files
// already written stay in dest: callers extract into a temporary folder and
// remove it on failure (pm/store does).
func Extract(r io.Reader, dest string, opts Options) (*Result, error) {
	opts = opts.withDefaults()
	if err := mkdirDest(dest); err != nil {
		return nil, fmt.Errorf("creating extraction folder: %w", err)
	}
	s, err := open(r, opts)
	if err != nil {
		return nil, err
	}
	defer s.release()
	return extract(s, dest, opts)
}

// mkdirDest creates dest as os.MkdirAll does. A store put extracts into
// a new folder of a temporary folder it has just made, so one mkdir does
// it: os.MkdirAll's stat of dest and of its parent first were ~1,800
// syscalls of a cold toolchain install.
func mkdirDest(dest string) error {
	if os.Mkdir(dest, 0o777) == nil {
		return nil
	}
	return os.MkdirAll(dest, 0o777)
}

// inMemoryMax is the largest decompressed tarball ExtractBytes holds in
// memory; bigger ones are decompressed as they are extracted.
const inMemoryMax = 64 << 20

// tarBufs recycles decompression buffers of up to tarBufMax bytes: a
// few, held across garbage collections (a sync.Pool is emptied by them,
// and a cold install collects often while it decodes packuments: with
// one, nearly every tarball got a fresh buffer). At most
// cap(tarBufs)*tarBufMax bytes stay allocated.
var tarBufs = make(chan *[]byte, 4)

const tarBufMax = 4 << 20

func getTarBuf() []byte {
	select {
	case bp := <-tarBufs:
		return *bp
	default:
		return nil
	}
}

func putTarBuf(b []byte) {
	if b == nil || cap(b) > tarBufMax {
		return
	}
	b = b[:0]
	select {
	case tarBufs <- &b:
	default:
	}
}

// tarBufMin is the smallest decompression buffer made (see sizeTarBuf).
const tarBufMin = 256 << 10

// sizeTarBuf returns buf when it can hold the tarball data decompresses
// to (by its gzip trailer), else a new buffer for it whose capacity is
// rounded up to a power of two of at least tarBufMin, so that the buffer,
// recycled through tarBufs, also fits most of the tarballs after it.
// inflate.Gunzip would make one of the exact size, a little too small
// for the next tarball. Buffers over tarBufMax are left to Gunzip (4 of
// the toolchain's 874 tarballs, but 69 of its 166 MB of tar), as is any
// size Gunzip will refuse (over limit, or more than its bound per input
// byte). With the sync.Pool and exact sizes, Gunzip made 116 MB of fresh,
// zeroed buffers per pass over that corpus in BenchmarkPutBytesCorpus;
// now ~70.
func sizeTarBuf(buf, data []byte, limit int) []byte {
	if len(data) < 18 {
		return buf
	}
	need := int64(binary.LittleEndian.Uint32(data[len(data)-4:])) + inflate.Slack
	if need <= int64(cap(buf)) || need > tarBufMax || need > int64(limit) || need > int64(len(data))*1000 {
		return buf
	}
	n := tarBufMin
	for int64(n) < need {
		n <<= 1
	}
	return make([]byte, 0, n)
}

// ExtractBytes is Extract for a tarball held in memory (a cold install
// downloads each one whole). A gzip file of one member is decompressed in
// one piece by npm/inflate, into a buffer sized from the gzip trailer
// (several times faster than compress/gzip's streaming reader); anything
// it does not take (a plain tar, several members, trailing bytes, a
// corrupt stream, an archive unpacking to more than 64 MB) goes through
// Extract, so the result, the limits and the errors are Extract's in
// every case.
func ExtractBytes(data []byte, dest string, opts Options) (*Result, error) {
	opts = opts.withDefaults()
	limit := int(min(opts.streamCap(), inMemoryMax))
	buf := sizeTarBuf(getTarBuf(), data, limit)
	tarData, err := inflate.Gunzip(data, limit, buf)
	if err != nil {
		putTarBuf(buf)
		return Extract(bytes.NewReader(data), dest, opts)
	}
	defer func() {
		// tarData is buf unless Gunzip had to make a bigger one (over
		// tarBufMax: then buf is the one to keep).
		if cap(tarData) >= cap(buf) && cap(tarData) <= tarBufMax {
			putTarBuf(tarData)
		} else {
			putTarBuf(buf)
		}
	}()
	if err := mkdirDest(dest); err != nil {
		return nil, fmt.Errorf("creating extraction folder: %w", err)
	}
	// No cap is needed: the archive is at most limit bytes.
	mr := &memReader{data: tarData}
	return extract(&stream{tr: tar.NewReader(mr), mem: mr, fast: true}, dest, opts)
}

// next returns the archive's next header. For an archive in memory,
// plain headers are parsed here (see plainHeader); at the first other one
// (an extension header, another format, the end of the archive, anything
// odd) archive/tar takes over from that block for the rest of the
// archive, so every header that is not plain is read exactly as before.
func (s *stream) next() (*tar.Header, error) {
	if s.fast {
		m, p := s.mem, s.nextHdr
		if p <= int64(len(m.data))-blockSize {
			if hdr := plainHeader(m.data[p : p+blockSize]); hdr != nil {
				data := p + blockSize
				end := data
				if hdr.Typeflag == tar.TypeReg {
					end += (hdr.Size + blockSize - 1) &^ (blockSize - 1)
				}
				// Data cut off by the end of the archive is archive/tar's
				// to report.
				if end <= int64(len(m.data)) {
					m.pos, s.nextHdr = data, end
					return hdr, nil
				}
			}
		}
		s.fast = false
		m.pos = p
		s.tr = tar.NewReader(m)
	}
	return s.tr.Next()
}

const blockSize = 512

// plainHeader parses a tar header block that archive/tar would read as a
// POSIX ustar header of a regular file ('0') or folder ('5') with no
// extension before it, and returns the fields extraction uses (Name,
// Typeflag, Size, Mode), with archive/tar's values. It returns nil for
// anything else, including checksums only valid as signed sums, base-256
// or otherwise unusual numbers, the star format, and names that are not
// local (archive/tar may refuse those, depending on GODEBUG): those are
// left to archive/tar. archive/tar's Next costs about 3.5 µs a header (it
// parses every field and scans the block for non-ASCII bytes to guess
// the format); this takes a fraction of that, over some 25,000 headers in
// a cold install.
func plainHeader(b []byte) *tar.Header {
	b = b[:blockSize]
	typ := b[156]
	if typ != tar.TypeReg && typ != tar.TypeDir ||
		string(b[257:263]) != "ustar\x00" || string(b[508:512]) == "tar\x00" {
		return nil
	}
	want, ok := octal(b[148:156])
	if !ok {
		return nil
	}
	var sum int64
	for i, c := range b {
		if i >= 148 && i < 156 {
			c = ' '
		}
		sum += int64(c)
	}
	if sum != want {
		return nil
	}
	// archive/tar parses every numeric field and fails on a bad one.
	mode, ok1 := octal(b[100:108])
	_, ok2 := octal(b[108:116]) // uid
	_, ok3 := octal(b[116:124]) // gid
	size, ok4 := octal(b[124:136])
	_, ok5 := octal(b[136:148]) // mtime
	_, ok6 := octal(b[329:337]) // devmajor
	_, ok7 := octal(b[337:345]) // devminor
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) {
		return nil
	}
	name := cString(b[0:100])
	if prefix := cString(b[345:500]); prefix != "" {
		name = prefix + "/" + name
	}
	if !filepath.IsLocal(name) {
		return nil
	}
	return &tar.Header{Typeflag: typ, Name: name, Size: size, Mode: mode}
}

// octal parses a numeric field of octal digits, with leading and trailing
// spaces and NULs ignored (empty is 0), as archive/tar does; ok is false
// for anything else (archive/tar may still accept some of it, such as
// base-256 numbers).
func octal(f []byte) (v int64, ok bool) {
	i, j := 0, len(f)
	for i < j && (f[i] == ' ' || f[i] == 0) {
		i++
	}
	for j > i && (f[j-1] == ' ' || f[j-1] == 0) {
		j--
	}
	for _, c := range f[i:j] {
		if c < '0' || c > '7' {
			return 0, false
		}
		v = v<<3 | int64(c-'0')
	}
	return v, true
}

// cString is the text of a field up to its first NUL.
func cString(f []byte) string {
	if i := bytes.IndexByte(f, 0); i >= 0 {
		f = f[:i]
	}
	return string(f)
}

// memReader reads a decompressed archive held in memory. archive/tar
// skips what is left of an entry with Seek, so file contents taken as
// slices of data (fileData) are never copied.
type memReader struct {
	data []byte
	pos  int64
}

func (m *memReader) Read(p []byte) (int, error) {
	if m.pos >= int64(len(m.data)) {
		return 0, io.EOF
	}
	n := copy(p, m.data[m.pos:])
	m.pos += int64(n)
	return n, nil
}

func (m *memReader) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		off += m.pos
	case io.SeekEnd:
		off += int64(len(m.data))
	default:
		return 0, errors.New("memReader.Seek: invalid whence")
	}
	if off < 0 {
		return 0, errors.New("memReader.Seek: negative position")
	}
	m.pos = off
	return off, nil
}

// fileData returns the contents of the regular file whose header the tar
// reader just returned, as a slice of the in-memory archive, or nil when
// they must be read through the tar reader: a streamed archive, a sparse
// file (its data is a map, not the contents) or data cut off by the end of
// the archive (the reader reports that as a truncated download).
func (s *stream) fileData(hdr *tar.Header) []byte {
	if s.mem == nil || hdr.Typeflag != tar.TypeReg && hdr.Typeflag != tar.TypeRegA {
		return nil
	}
	for k := range hdr.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return nil
		}
	}
	start := s.mem.pos
	if hdr.Size < 0 || start > int64(len(s.mem.data)) || hdr.Size > int64(len(s.mem.data))-start {
		return nil
	}
	return s.mem.data[start : start+hdr.Size : start+hdr.Size]
}

// extract writes the entries of an opened archive into dest.
func extract(s *stream, dest string, opts Options) (*Result, error) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	x := &extractor{
		dest:       dest,
		buf:        *bp,
		dirs:       map[string]bool{"": true},
		files:      map[string]Entry{},
		npmignores: map[string]bool{},
		res:        &Result{},
		root:       openRoot(dest),
	}
	defer closeRoot(x.root) // after the writers have stopped
	defer x.stop()
	for {
		hdr, err := s.next()
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
			// npm creates folders only to hold files: its extraction
			// filter drops folder entries, so an empty folder in a
			// tarball does not appear in node_modules.
			continue
		}
		if path.Base(rel) == ".npmignore" {
			x.npmignores[rel] = true
		} else if path.Base(rel) == ".gitignore" {
			// npm treats a .gitignore in a tarball as the .npmignore it
			// would have been at pack time, unless there is one already.
			ni := strings.TrimSuffix(rel, ".gitignore") + ".npmignore"
			if x.npmignores[ni] {
				continue
			}
			rel = ni
		}
		x.res.Size += hdr.Size
		if hdr.Size < 0 || x.res.Size > opts.MaxBytes {
			return nil, &EntryError{Name: hdr.Name, Err: fmt.Errorf("%w (%d bytes)", ErrTooLarge, opts.MaxBytes)}
		}
		if err := x.writeFile(rel, hdr, s.tr, s.fileData(hdr)); err != nil {
			return nil, &EntryError{Name: hdr.Name, Err: err}
		}
	}
	if err := x.drain(); err != nil {
		return nil, err
	}
	if err := s.finish(); err != nil {
		return nil, err
	}
	if err := x.binExec(); err != nil {
		return nil, err
	}
	return x.result(), nil
}

type extractor struct {
	dest  string
	root  int // dest opened (see openRoot), -1 if not
	buf   []byte
	dirs  map[string]bool  // folders known to exist as real folders
	files map[string]Entry // files written, last one wins
	res   *Result
	// npmignores holds the .npmignore files seen, for the .gitignore rule.
	npmignores map[string]bool

	jobs    chan job
	workers sync.WaitGroup // writer goroutines
	pending sync.WaitGroup // queued files not yet written
	mu      sync.Mutex
	err     error // first writer error
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
	if _, ours := x.files[rel]; ours {
		// A file of this name from an earlier entry may still be queued.
		if err := x.drain(); err != nil {
			return err
		}
	}
	err := mkdirAt(x.root, filepath.FromSlash(rel), full)
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
			err = mkdirAt(x.root, filepath.FromSlash(rel), full)
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

// writeFile writes the entry's contents: data when the archive is in
// memory (see fileData), else read from r.
func (x *extractor) writeFile(rel string, hdr *tar.Header, r io.Reader, data []byte) error {
	if data != nil {
		r = bytes.NewReader(data)
	}
	if parent := path.Dir(rel); parent != "." {
		if err := x.mkdirAll(parent); err != nil {
			return err
		}
	}
	mode := fileMode(hdr.Mode)
	full := x.full(rel)
	if old, dup := x.files[rel]; dup {
		// Last entry wins, written over the earlier copy, which keeps its
		// mode as with npm; that copy may still be in a writer's hands.
		if err := x.drain(); err != nil {
			return err
		}
		mode = old.Mode
		x.files[rel] = Entry{Path: rel, Kind: KindFile, Mode: mode, Size: hdr.Size}
		f, err := os.OpenFile(full, os.O_WRONLY|os.O_TRUNC|oNoFollow, 0)
		if err != nil {
			return err
		}
		return copyInto(f, r, hdr.Size, x.buf, func(b []byte) {
			if rel == "package.json" {
				x.res.PackageJSON = b
			}
		})
	}
	if x.dirs[rel] {
		if err := x.drain(); err != nil {
			return err
		}
		if err := os.RemoveAll(full); err != nil {
			return err
		}
		x.forgetTree(rel)
	}
	x.files[rel] = Entry{Path: rel, Kind: KindFile, Mode: mode, Size: hdr.Size}
	if data != nil {
		if rel == "package.json" {
			x.res.PackageJSON = append([]byte(nil), data...)
		}
		if err := x.failed(); err != nil {
			return err
		}
		return writeBytes(x.root, filepath.FromSlash(rel), full, mode, data)
	}
	if hdr.Size > asyncMax {
		// Large files stream straight from the archive to disk.
		return writeStream(full, mode, r, hdr.Size, x.buf)
	}
	bp := getBuf(int(hdr.Size))
	if _, err := io.ReadFull(r, *bp); err != nil {
		putBuf(bp)
		return describe(err)
	}
	if rel == "package.json" {
		x.res.PackageJSON = append([]byte(nil), *bp...)
	}
	return x.async(job{rel: rel, full: full, root: x.root, mode: mode, data: bp})
}

// Files can be written by a few goroutines while the archive is being
// read, so that decompression overlaps the file system's work. On the
// 2-core machine BenchmarkExtract1000 found no gain (median 38 ms with two
// writers against 35 ms without, on tmpfs, under load), and the installer
// already extracts several packages at once, so the default is to write on
// the reading goroutine; the pool stays for machines where it pays, and
// TestWriterPool keeps it correct.
const asyncMax = 256 << 10 // larger files are written by the reading goroutine, bounding memory

// writers is the number of writer goroutines; 0 writes on the reading
// goroutine.
var writers = 0

type job struct {
	rel  string // slash-separated, relative to root
	full string
	root int
	mode fs.FileMode
	data *[]byte
}

func (x *extractor) async(j job) error {
	if err := x.failed(); err != nil {
		putBuf(j.data)
		return err
	}
	if writers == 0 {
		err := writeBytes(j.root, filepath.FromSlash(j.rel), j.full, j.mode, *j.data)
		putBuf(j.data)
		return err
	}
	if x.jobs == nil {
		x.jobs = make(chan job, writers*8)
		for i := 0; i < writers; i++ {
			x.workers.Add(1)
			go x.writer()
		}
	}
	x.pending.Add(1)
	x.jobs <- j
	return nil
}

func (x *extractor) writer() {
	defer x.workers.Done()
	for j := range x.jobs {
		if x.failed() == nil {
			if err := writeBytes(j.root, filepath.FromSlash(j.rel), j.full, j.mode, *j.data); err != nil {
				x.fail(fmt.Errorf("writing %s: %w", j.rel, err))
			}
		}
		putBuf(j.data)
		x.pending.Done()
	}
}

func (x *extractor) fail(err error) {
	x.mu.Lock()
	if x.err == nil {
		x.err = err
	}
	x.mu.Unlock()
}

func (x *extractor) failed() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.err
}

// drain waits until every queued file is written.
func (x *extractor) drain() error {
	x.pending.Wait()
	return x.failed()
}

// stop ends the writers; nothing is written after it returns.
func (x *extractor) stop() {
	if x.jobs != nil {
		close(x.jobs)
		x.workers.Wait()
		x.jobs = nil
	}
}

// create opens a new file for writing. Whatever is in the way (an earlier
// duplicate, a folder, a link planted in dest) is removed first, so a link
// is never written through and the mode is always the one asked for.
func create(full string, mode fs.FileMode) (*os.File, error) {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL | oNoFollow
	f, err := os.OpenFile(full, flags, mode)
	if err != nil && (errors.Is(err, fs.ErrExist) || errors.Is(err, syscall.EISDIR) || errors.Is(err, syscall.ELOOP)) {
		if err := os.RemoveAll(full); err != nil {
			return nil, err
		}
		f, err = os.OpenFile(full, flags, mode)
	}
	return f, err
}

func writeStream(full string, mode fs.FileMode, r io.Reader, size int64, buf []byte) error {
	f, err := create(full, mode)
	if err != nil {
		return err
	}
	return copyInto(f, r, size, buf, nil)
}

// copyInto copies size bytes from r into f and closes f. When keep is not
// nil and the data fits packageJSONMax, it also receives a copy.
func copyInto(f *os.File, r io.Reader, size int64, buf []byte, keep func([]byte)) error {
	// plainWriter hides (*os.File).ReadFrom, whose fallback allocates a
	// fresh 32 KB buffer per file instead of using ours.
	var w io.Writer = plainWriter{f}
	var kept *bytes.Buffer
	if keep != nil && size <= packageJSONMax {
		kept = &bytes.Buffer{}
		w = io.MultiWriter(w, kept)
	}
	n, err := io.CopyBuffer(w, r, buf)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return describe(err)
	}
	if n != size {
		return fmt.Errorf("file data is %d bytes, header says %d", n, size)
	}
	if kept != nil {
		keep(kept.Bytes())
	}
	return nil
}

// packageJSONMax bounds the package.json kept in memory for Result when it
// is written by the streaming path.
const packageJSONMax = 16 << 20

// dataPool recycles file buffers of up to 64 KB; larger ones (rare in
// packages) are allocated and dropped.
var dataPool = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

func getBuf(n int) *[]byte {
	if n > 64<<10 {
		b := make([]byte, n)
		return &b
	}
	bp := dataPool.Get().(*[]byte)
	*bp = (*bp)[:n]
	return bp
}

func putBuf(bp *[]byte) {
	if cap(*bp) == 64<<10 {
		dataPool.Put(bp)
	}
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
		r.PackageJSON, r.Facts = nil, PackageFacts{}
	}
	return r
}

type plainWriter struct{ w io.Writer }

func (p plainWriter) Write(b []byte) (int, error) { return p.w.Write(b) }

// binExec gives the files named in package.json "bin" execute bits, as
// npm does at extraction so that a package published from a system
// without them still has runnable bins.
func (x *extractor) binExec() error {
	var bins []string
	if pj := x.res.PackageJSON; len(pj) > 0 {
		if f := ScanPackageJSON(pj); f.OK {
			x.res.Facts = f
			bins = binPathsOf(f.Bin)
		} else {
			bins = BinPaths(pj)
		}
	}
	for _, rel := range bins {
		e, ok := x.files[rel]
		if !ok {
			continue
		}
		// npm adds all three execute bits to a bin after the umask has
		// been applied (with umask 077 a bin is 0711), so do the same.
		full := x.full(rel)
		fi, err := os.Lstat(full)
		if err != nil {
			return err
		}
		if p := fi.Mode().Perm(); p&0o111 != 0o111 {
			if err := os.Chmod(full, p|0o111); err != nil {
				return err
			}
		}
		e.Mode |= 0o111
		x.files[rel] = e
	}
	return nil
}

// BinPaths returns the files a package.json "bin" field names (a string
// for the package's own name, or an object of names to paths), cleaned to
// slash-separated paths relative to the package root. Entries that would
// leave the package are left out. Invalid JSON gives nil.
func BinPaths(packageJSON []byte) []string {
	if len(packageJSON) == 0 {
		return nil
	}
	if f := ScanPackageJSON(packageJSON); f.OK {
		return binPathsOf(f.Bin)
	}
	var m struct {
		Bin json.RawMessage `json:"bin"`
	}
	if json.Unmarshal(bytes.TrimPrefix(packageJSON, []byte("\xef\xbb\xbf")), &m) != nil {
		return nil
	}
	return binPathsOf(m.Bin)
}

// binPathsOf is BinPaths given the raw "bin" value (nil when absent).
func binPathsOf(bin []byte) []string {
	if len(bin) == 0 {
		return nil
	}
	var targets []string
	var one string
	var many map[string]any
	if json.Unmarshal(bin, &one) == nil {
		targets = []string{one}
	} else if json.Unmarshal(bin, &many) == nil {
		for _, v := range many {
			if s, ok := v.(string); ok {
				targets = append(targets, s)
			}
		}
	}
	var out []string
	for _, t := range targets {
		// The first component is not stripped here: the path is already
		// relative to the package root.
		rel, err := CleanPath("package/" + t)
		if err == nil && rel != "" {
			out = append(out, rel)
		}
	}
	sort.Strings(out)
	return out
}
