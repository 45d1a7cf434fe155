package store

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"unsafe"

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
	if pkg, found, sure := s.lookupSHA512(sri); sure {
		return pkg, found
	}
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

// lookupSHA512 is Lookup for the integrity almost every lockfile entry
// has: a single "sha512-" and 88 characters of padded base64. It decodes
// the digest on the stack and builds the entry's paths by concatenation
// (the store folder is absolute and clean, so this is what entryDir's
// filepath.Join gives), which was a third of a warm install's Lookup
// time. sure=false hands any other form, and any entry without a
// readable index.bin, to the general path.
func (s *Store) lookupSHA512(sri string) (pkg string, found, sure bool) {
	const prefix = integrity.SHA512 + "-"
	if len(sri) != len(prefix)+88 || sri[:len(prefix)] != prefix || len(s.dir) < 2 || s.dir[len(s.dir)-1] == '/' {
		return "", false, false
	}
	b64 := sri[len(prefix):]
	for i := 0; i < len(b64); i++ {
		// Whitespace would split the value into several hashes (and
		// base64 decoding skips CR and LF): the general parser decides.
		if b64[i] <= ' ' {
			return "", false, false
		}
	}
	var src [88]byte
	copy(src[:], b64)
	var digest [66]byte
	if n, err := strictBase64.Decode(digest[:], src[:]); err != nil || n != 64 {
		return "", false, false
	}
	// <dir>/content-v2/sha512/<2 hex>/<126 hex>/package
	const mid = "/" + contentDir + "/" + integrity.SHA512 + "/"
	var buf [512]byte
	p := buf[:0]
	if len(s.dir)+len(mid)+128+1+len("/"+pkgDir)+len("/"+indexBinFile)+1 > len(buf) {
		return "", false, false
	}
	p = append(p, s.dir...)
	p = append(p, mid...)
	var hx [128]byte
	hex.Encode(hx[:], digest[:64])
	p = append(p, hx[:2]...)
	p = append(p, '/')
	p = append(p, hx[2:]...)
	entryLen := len(p)
	p = append(p, "/"+pkgDir...)
	pkg = string(p)
	if _, ok := s.indexes.Load(pkg); ok {
		return pkg, true, true
	}
	p = append(p[:entryLen], "/"+indexBinFile+"\x00"...)
	idx, err := readIndexBinAt(&p[0])
	if err != nil {
		return "", false, false
	}
	s.indexes.Store(pkg, idx)
	return pkg, true, true
}

var strictBase64 = base64.StdEncoding.Strict()

// atFDCWD is AT_FDCWD (-100) as a system call argument.
const atFDCWD = ^uintptr(99)

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
	return readIndexBinFD(fd, false)
}

func closeFD(fd int, raw bool) {
	if raw {
		unix.RawSyscall(unix.SYS_CLOSE, uintptr(fd), 0, 0)
		return
	}
	unix.Close(fd)
}

// readIndexBinAt is readIndexBin for a NUL-terminated path to index.bin.
// Its open, read and close are raw system calls: they keep the
// goroutine's P (a file of a few KB, read from the page cache on a warm
// install, takes microseconds), so the scheduler does not hand Ps to new
// threads during the lookups and sysmon backs off instead of waking every
// 20 µs to take them back (its nanosleeps were 4% of a warm install's CPU).
func readIndexBinAt(path *byte) (*Index, error) {
	for {
		fd, _, e := unix.RawSyscall6(unix.SYS_OPENAT, atFDCWD, uintptr(unsafe.Pointer(path)), uintptr(unix.O_RDONLY|unix.O_CLOEXEC), 0, 0, 0)
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			return nil, e
		}
		return readIndexBinFD(int(fd), true)
	}
}

// readIndexBinFD reads and decodes the open index.bin fd, and closes it;
// raw makes the read and close raw system calls.
func readIndexBinFD(fd int, raw bool) (*Index, error) {
	bp := readBufs.Get().(*[]byte)
	buf := *bp
	n := 0
	for {
		if n == len(buf) {
			buf = append(buf, make([]byte, len(buf))...)
		}
		var m int
		var err error
		if raw {
			r, _, e := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(&buf[n])), uintptr(len(buf)-n))
			if m = int(r); e != 0 {
				m, err = 0, e
			}
		} else {
			m, err = unix.Read(fd, buf[n:])
		}
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			closeFD(fd, raw)
			return nil, err
		}
		n += m
		// A short read of a regular file is its end; a file cut short
		// anyway fails to decode below and is read from index.json.
		if m == 0 || n < len(buf) {
			break
		}
	}
	closeFD(fd, raw)
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
	return decodeIndexBinString(string(data))
}

// decodeIndexBinString is decodeIndexBin of an immutable string, which the
// result's strings share (an index set decodes its entries from one copy).
func decodeIndexBinString(data string) (*Index, error) {
	if len(data) < len(indexBinMagic)+2 || data[:len(indexBinMagic)] != indexBinMagic ||
		data[len(indexBinMagic)] != indexBinVersion || data[len(indexBinMagic)+1] != IndexVersion {
		return nil, errIndexBin
	}
	d := binDecoder{s: data, i: len(indexBinMagic) + 2}
	idx := &Index{Version: IndexVersion}
	idx.Integrity = d.str()
	idx.Shasum = d.str()
	idx.TarballSize = d.varint()
	idx.UnpackedSize = d.varint()
	flags := d.uvarint()
	pj := d.str()
	if flags&binHasPackageJSON != 0 {
		// The bytes of the decoder's own copy, not a second one (this
		// copy was a fifth of a warm install's page faults in Lookup).
		// Nothing writes into an Index's PackageJSON, and its capacity
		// ends with it, so an append copies.
		if pj == "" {
			idx.PackageJSON = []byte{}
		} else {
			idx.PackageJSON = unsafe.Slice(unsafe.StringData(pj), len(pj))
		}
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
