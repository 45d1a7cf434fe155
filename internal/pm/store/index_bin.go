package store

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"gnode/internal/npm/integrity"
	"gnode/internal/npm/tarball"
)

// A warm install reads the index of every package it lays out (874 for
// the toolchain benchmark): decoding index.json with encoding/json took
// about 60 ms of CPU per install, a sixth of the whole. index.bin holds the
// same Index in a length-prefixed binary form that decodes with one
// allocation for all its strings. It is a cache of index.json: written
// next to it the first time index.json is read (or by Put), ignored and
// rewritten when it is missing, truncated or of another version, never
// read when index.json is gone (the entry is then incomplete).
const (
	indexBinFile = "index.bin"
	// indexBinMagic starts every index.bin; the byte after it is the
	// format version and the next the Index version it encodes.
	indexBinMagic   = "gnodeidx"
	indexBinVersion = 1
)

// Lookup is Has followed by Index: it reports whether a package with the
// given integrity is in the store and returns its folder, with its index
// loaded into memory (Index then returns it without reading anything).
// For a sha512 integrity it reads the entry's index.bin and nothing else,
// so an install that finds every package in the store makes one open, one
// read and one close per package. It is safe to call from many goroutines.
func (s *Store) Lookup(sri string) (path string, ok bool) {
	want, err := integrity.Parse(sri)
	if err != nil {
		return "", false
	}
	for _, h := range want.Hashes {
		if h.Algorithm != integrity.SHA512 {
			continue
		}
		d := s.entryDir(h.Digest)
		pkg := filepath.Join(d, pkgDir)
		if _, ok := s.indexes.Load(pkg); ok {
			return pkg, true
		}
		if idx, err := readIndexBin(d); err == nil {
			s.indexes.Store(pkg, idx)
			return pkg, true
		}
	}
	p, ok := s.has(want)
	if !ok {
		return "", false
	}
	if _, loaded := s.indexes.Load(p); !loaded {
		// The JSON index is read once more and kept in binary form for the
		// next install; a broken one is reported by whoever needs it.
		if idx, err := s.Index(p); err == nil {
			_ = writeIndexBin(filepath.Dir(p), idx)
		}
	}
	return p, true
}

// readBufs are scratch buffers for reading index.bin files (most are a
// few KB; typescript's is about 20 KB).
var readBufs = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// readIndexBin reads and decodes entryDir/index.bin. Every failure (no
// file, a truncated or foreign one) is an error: the caller falls back to
// index.json. The file is only ever inside a complete entry (entries are
// renamed into place whole, and a broken one is removed whole), so its
// presence is also the proof that the package is there.
func readIndexBin(entryDir string) (*Index, error) {
	fd, err := unix.Open(filepath.Join(entryDir, indexBinFile), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	bp := readBufs.Get().(*[]byte)
	buf := *bp
	n := 0
	for {
		if n == len(buf) {
			buf = append(buf, make([]byte, len(buf))...)
		}
		m, err := unix.Read(fd, buf[n:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			unix.Close(fd)
			return nil, err
		}
		n += m
		// A short read of a regular file is its end; a file cut short
		// anyway fails to decode below and is read from index.json.
		if m == 0 || n < len(buf) {
			break
		}
	}
	unix.Close(fd)
	idx, err := decodeIndexBin(buf[:n])
	*bp = buf
	readBufs.Put(bp)
	if err != nil {
		return nil, err
	}
	return idx, nil
}

// writeNew creates the file p (0644 before the umask), which must not
// exist, holding data: open, write and close, without os.File's poller
// registration (an fcntl and a failing epoll_ctl per file), for the two
// index files of each of a cold install's ~900 new entries.
func writeNew(p string, data []byte) error {
	fd, err := openRetry(p, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o644)
	if err != nil {
		return &os.PathError{Op: "open", Path: p, Err: err}
	}
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err == unix.EINTR {
			continue
		}
		if err == nil && n == 0 {
			err = errors.New("wrote nothing")
		}
		if err != nil {
			unix.Close(fd)
			return &os.PathError{Op: "write", Path: p, Err: err}
		}
		data = data[n:]
	}
	if err := unix.Close(fd); err != nil {
		return &os.PathError{Op: "close", Path: p, Err: err}
	}
	return nil
}

func openRetry(p string, flags int, perm uint32) (int, error) {
	for {
		fd, err := unix.Open(p, flags, perm)
		if err != unix.EINTR {
			return fd, err
		}
	}
}

// writeIndexBin stores idx as entryDir/index.bin through a temporary file,
// so a reader sees either no file or a whole one. It is an optimisation:
// callers ignore its error (a read-only store keeps working from JSON).
func writeIndexBin(entryDir string, idx *Index) error {
	tmp := filepath.Join(entryDir, indexBinFile+".tmp-"+strconv.Itoa(os.Getpid())+"-"+strconv.FormatUint(tmpSeq.Add(1), 36))
	if err := os.WriteFile(tmp, encodeIndexBin(idx), 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, filepath.Join(entryDir, indexBinFile)); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

var tmpSeq atomic.Uint64

const (
	binHasPackageJSON = 1 << iota
	binHasBindingGyp
	binHasInstallScripts
)

// encodeIndexBin lays idx out as: magic, format version, Index version,
// then strings and byte strings as uvarint length + bytes and numbers as
// varints, in the order of decodeIndexBin.
func encodeIndexBin(idx *Index) []byte {
	size := 64 + len(idx.Integrity) + len(idx.Shasum) + len(idx.PackageJSON) + len(idx.PackageJSONError)
	for _, f := range idx.Files {
		size += len(f.Path) + 12
	}
	for _, d := range idx.Dirs {
		size += len(d) + 2
	}
	b := make([]byte, 0, size)
	b = append(b, indexBinMagic...)
	b = append(b, indexBinVersion, byte(idx.Version))
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	str(idx.Integrity)
	str(idx.Shasum)
	b = binary.AppendVarint(b, idx.TarballSize)
	b = binary.AppendVarint(b, idx.UnpackedSize)
	var flags uint64
	if idx.PackageJSON != nil {
		flags |= binHasPackageJSON
	}
	if idx.HasBindingGyp {
		flags |= binHasBindingGyp
	}
	if idx.HasInstallScripts {
		flags |= binHasInstallScripts
	}
	b = binary.AppendUvarint(b, flags)
	str(string(idx.PackageJSON))
	str(idx.PackageJSONError)
	b = binary.AppendUvarint(b, uint64(len(idx.Files)))
	for _, f := range idx.Files {
		str(f.Path)
		b = binary.AppendVarint(b, f.Size)
		b = binary.AppendUvarint(b, uint64(f.Mode))
	}
	b = binary.AppendUvarint(b, uint64(len(idx.Dirs)))
	for _, d := range idx.Dirs {
		str(d)
	}
	b = binary.AppendUvarint(b, uint64(len(idx.Skipped)))
	for _, sk := range idx.Skipped {
		str(sk.Name)
		str(sk.Reason)
	}
	return b
}

var errIndexBin = errors.New("package store: index.bin is not a complete index of this version")

// decodeIndexBin is the inverse of encodeIndexBin. All strings of the
// result share one copy of data; data itself is not kept.
func decodeIndexBin(data []byte) (*Index, error) {
	if len(data) < len(indexBinMagic)+2 || string(data[:len(indexBinMagic)]) != indexBinMagic ||
		data[len(indexBinMagic)] != indexBinVersion || data[len(indexBinMagic)+1] != IndexVersion {
		return nil, errIndexBin
	}
	d := binDecoder{s: string(data), i: len(indexBinMagic) + 2}
	idx := &Index{Version: IndexVersion}
	idx.Integrity = d.str()
	idx.Shasum = d.str()
	idx.TarballSize = d.varint()
	idx.UnpackedSize = d.varint()
	flags := d.uvarint()
	pj := d.str()
	if flags&binHasPackageJSON != 0 {
		idx.PackageJSON = []byte(pj)
	}
	idx.HasBindingGyp = flags&binHasBindingGyp != 0
	idx.HasInstallScripts = flags&binHasInstallScripts != 0
	idx.PackageJSONError = d.str()
	if n := d.count(3); n > 0 {
		idx.Files = make([]File, n)
		for i := range idx.Files {
			f := &idx.Files[i]
			f.Path = d.str()
			f.Size = d.varint()
			f.Mode = os.FileMode(d.uvarint())
		}
	} else {
		idx.Files = []File{}
	}
	if n := d.count(1); n > 0 {
		idx.Dirs = make([]string, n)
		for i := range idx.Dirs {
			idx.Dirs[i] = d.str()
		}
	}
	if n := d.count(2); n > 0 {
		idx.Skipped = make([]tarball.Skipped, n)
		for i := range idx.Skipped {
			idx.Skipped[i] = tarball.Skipped{Name: d.str(), Reason: d.str()}
		}
	}
	if d.bad || d.i != len(d.s) {
		return nil, errIndexBin
	}
	return idx, nil
}

// binDecoder reads encodeIndexBin's fields from s; any malformed or
// out-of-range field sets bad and yields zero values from then on.
type binDecoder struct {
	s   string
	i   int
	bad bool
}

func (d *binDecoder) uvarint() uint64 {
	var x uint64
	var shift uint
	for j := 0; j < binary.MaxVarintLen64; j++ {
		if d.bad || d.i >= len(d.s) {
			d.bad = true
			return 0
		}
		c := d.s[d.i]
		d.i++
		if c < 0x80 {
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	d.bad = true
	return 0
}

func (d *binDecoder) varint() int64 {
	u := d.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

func (d *binDecoder) str() string {
	n := d.uvarint()
	if d.bad || n > uint64(len(d.s)-d.i) {
		d.bad = true
		return ""
	}
	s := d.s[d.i : d.i+int(n)]
	d.i += int(n)
	return s
}

// count reads an element count, refusing one the remaining bytes cannot
// hold (each element takes at least min bytes), so a corrupt count never
// allocates.
func (d *binDecoder) count(min int) int {
	n := d.uvarint()
	if d.bad || n > uint64((len(d.s)-d.i)/min) {
		d.bad = true
		return 0
	}
	return int(n)
}
