package runtime

// Answers on the loop for fs.stat/lstat, a ReadStream's openRead, a plain
// read-only fs.open, reads, fstat and close of the descriptors those
// opened, and readFile of a path when
// the kernel can give them without waiting: a static file server's two
// thread-pool trips per request (the stat and the open with its first
// read) each cost a goroutine start and a futex wake of a second thread,
// about 5-6% of the CPU of Express's static route, more than the system
// calls themselves.
//
// Nothing here may block the loop, so every step either cannot wait or
// says it would:
//   - the path is walked with openat2(RESOLVE_CACHED), which fails with
//     EAGAIN instead of reading a directory from disk or revalidating a
//     network file system's entry (the check io_uring makes before an
//     inline open);
//   - a stat is taken from an O_PATH descriptor (no file system open
//     method runs) with AT_STATX_DONT_SYNC (no server round trip), and
//     kept only for a device the mount table lists as a local disk file
//     system (ext4, xfs, btrfs, tmpfs ...; a FUSE or Ceph open would talk
//     to its server);
//   - a file is opened only after such a stat found it a regular file
//     (in this call or, for the same path, within the last second), with
//     O_NONBLOCK against a FIFO swapped in meanwhile, then the flag is
//     cleared;
//   - the first read is preadv2(RWF_NOWAIT): page-cache data or EAGAIN;
//     readFile takes a whole file of up to inlineReadMax bytes that way.
//
// Any other outcome (errors included) leaves the operation to the thread
// pool, which produces node's answer and errno; the answer found here
// still reaches JavaScript through the loop's completion queue, where the
// thread pool's answer would.

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"gnode/internal/js/qjs"
)

// resolveCached is RESOLVE_CACHED (Linux 5.12), which x/sys/unix lacks.
const resolveCached = 0x20

// inlineFSOff is set once openat2 or RESOLVE_CACHED proves missing (an
// older kernel, a seccomp filter): everything goes to the thread pool.
var inlineFSOff atomic.Bool

// localFSTypes are the file systems whose stat and open of a cached
// entry run in the kernel without I/O or a server.
var localFSTypes = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"ext2": true, "ext3": true, "ext4": true, "xfs": true, "btrfs": true,
		"f2fs": true, "tmpfs": true, "ramfs": true, "overlay": true,
	}
})

// localDisks remembers which devices are local (from /proc/self/mountinfo,
// read again each second so a mount's change is seen) and which paths a
// stat here found to be regular files on them.
type localDisks struct {
	mu    sync.Mutex
	read  time.Time
	devs  map[uint64]bool
	paths map[string]struct{}
}

var localFiles localDisks

// fresh re-reads the mount table when it is a second old. c.mu is held.
func (c *localDisks) fresh() {
	now := time.Now()
	if c.devs != nil && now.Sub(c.read) < time.Second {
		return
	}
	c.devs = readLocalDevs()
	c.read = now
	clear(c.paths)
}

// local reports whether dev is a local disk file system's, and remembers
// path (when regular) as a local regular file.
func (c *localDisks) local(dev uint64, path string, regular bool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fresh()
	ok := c.devs[dev]
	if ok && regular {
		if c.paths == nil || len(c.paths) >= 1024 {
			c.paths = map[string]struct{}{}
		}
		c.paths[path] = struct{}{}
	}
	return ok
}

// knownRegular reports whether a stat here found path a regular file on
// a local disk within the last second.
func (c *localDisks) knownRegular(path string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fresh()
	_, ok := c.paths[path]
	return ok
}

// readLocalDevs lists the devices of local disk file systems from the
// mount table (procfs answers from memory).
func readLocalDevs() map[uint64]bool {
	devs := map[uint64]bool{}
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return devs
	}
	for line := range bytes.Lines(data) {
		// id parent major:minor root point options [optional...] - type source options
		f := strings.Fields(string(line))
		if len(f) < 7 {
			continue
		}
		sep := -1
		for i := 6; i < len(f); i++ {
			if f[i] == "-" {
				sep = i
				break
			}
		}
		if sep < 0 || sep+1 >= len(f) || !localFSTypes()[f[sep+1]] {
			continue
		}
		maj, min, ok := strings.Cut(f[2], ":")
		if !ok {
			continue
		}
		a, err1 := strconv.ParseUint(maj, 10, 32)
		b, err2 := strconv.ParseUint(min, 10, 32)
		if err1 == nil && err2 == nil {
			devs[unix.Mkdev(uint32(a), uint32(b))] = true
		}
	}
	return devs
}

// openCached is openat2 with RESOLVE_CACHED; a kernel or filter without
// it turns the inline answers off. With ok, err is an error the cached
// walk settled (see statCached), else fd is open.
func openCached(full string, flags int) (int, bool, error) {
	if inlineFSOff.Load() || strings.IndexByte(full, 0) >= 0 {
		return -1, false, nil
	}
	fd, err := unix.Openat2(unix.AT_FDCWD, full, &unix.OpenHow{Flags: uint64(flags), Resolve: resolveCached})
	switch err {
	case nil:
		return fd, true, nil
	case unix.ENOENT, unix.ENOTDIR, unix.EACCES, unix.ELOOP, unix.ENAMETOOLONG:
		return -1, true, err
	case unix.ENOSYS, unix.EINVAL, unix.E2BIG:
		inlineFSOff.Store(true)
	}
	return -1, false, nil
}

// statCached is a stat (lstat when !follow) answered without waiting, or
// !ok. With ok, err may be the answer instead: an error the cached walk
// already settles (a missing entry, a file where a directory was needed,
// no search permission, a symlink loop, a name too long), the errno the
// thread pool's statx would return.
func statCached(full string, follow bool) (unix.Statx_t, bool, error) {
	var x unix.Statx_t
	flags := unix.O_PATH | unix.O_CLOEXEC
	if !follow {
		flags |= unix.O_NOFOLLOW
	}
	fd, ok, err := openCached(full, flags)
	if !ok {
		return x, false, nil
	}
	if err != nil {
		return x, true, err
	}
	err = unix.Statx(fd, "", unix.AT_EMPTY_PATH|unix.AT_STATX_DONT_SYNC, statxMask, &x)
	unix.Close(fd)
	if err != nil {
		return x, false, nil
	}
	regular := follow && x.Mode&unix.S_IFMT == unix.S_IFREG
	return x, localFiles.local(unix.Mkdev(x.Dev_major, x.Dev_minor), full, regular), nil
}

// fsTryErr is an fsTry's answer that is an error.
type fsTryErr struct{ err error }

// preadNowait reads from the page cache only (EAGAIN where the disk would
// be needed); at < 0 reads at, and moves, the file position.
func preadNowait(fd int, b []byte, at int64) (int, error) {
	if at < 0 {
		at = -1
	}
	return unix.Preadv2(fd, [][]byte{b}, at, unix.RWF_NOWAIT)
}

// openLocalRegular opens a regular file on a local disk for reading
// without waiting (a plain read-only open only), with its type and size,
// or !ok.
//
// With ok, a non-nil err is the open's answer: an error the cached walk
// settled (see statCached).
func openLocalRegular(full string, flags int) (*os.File, unix.Statx_t, bool, error) {
	var x unix.Statx_t
	if flags&^(unix.O_LARGEFILE|unix.O_CLOEXEC) != unix.O_RDONLY {
		return nil, x, false, nil
	}
	if !localFiles.knownRegular(full) {
		sx, ok, err := statCached(full, true)
		if ok && err != nil {
			return nil, x, true, err
		}
		if !ok || sx.Mode&unix.S_IFMT != unix.S_IFREG {
			return nil, x, false, nil
		}
	}
	fd, ok, err := openCached(full, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC)
	if !ok || err != nil {
		return nil, x, false, nil
	}
	if err := unix.Statx(fd, "", unix.AT_EMPTY_PATH|unix.AT_STATX_DONT_SYNC, unix.STATX_TYPE|unix.STATX_SIZE, &x); err != nil ||
		x.Mode&unix.S_IFMT != unix.S_IFREG {
		unix.Close(fd)
		return nil, x, false, nil
	}
	// The descriptor is JavaScript's: without O_NONBLOCK, as open(2)
	// made it on the thread pool.
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETFL, 0); err != nil {
		unix.Close(fd)
		return nil, x, false, nil
	}
	return os.NewFile(uintptr(fd), full), x, true, nil
}

// fstatCached is fstat of a descriptor opened by openLocalRegular,
// answered from the inode in memory, or !ok.
func (r *rt) fstatCached(fd int) (unix.Statx_t, bool) {
	var x unix.Statx_t
	if _, ok := r.fds.getCached(fd); !ok {
		return x, false
	}
	err := unix.Statx(fd, "", unix.AT_EMPTY_PATH|unix.AT_STATX_DONT_SYNC, statxMask, &x)
	return x, err == nil
}

// openReadCached is openRead answered on the loop: the whole answer, an
// answer whose first chunk the thread pool completes (part of it was not
// in the page cache), or !ok for the thread pool to do it all. Only a
// plain read-only open is taken here.
func (r *rt) openReadCached(full string, flags, n int, pos int64, proto qjs.Value) (any, func() (any, error), bool) {
	f, x, ok, err := openLocalRegular(full, flags)
	if !ok {
		return nil, nil, false
	}
	if err != nil {
		return fsTryErr{err}, nil, true
	}
	fd := int(f.Fd())
	o := openReadResult{fd: r.fds.addCached(f), proto: proto}
	if n == 0 {
		return o, nil, true
	}
	// As openReadResult.read: the buffer sized by what the file holds.
	want := n
	if left := int64(x.Size) - max(pos, 0); left < int64(want) {
		want = int(max(left, 0))
	}
	buf, ab := r.chunkMemory(want)
	o.ab = ab
	rd := func(b []byte, at int64) (int, error) { return preadNowait(fd, b, at) }
	k := 0
	if want > 0 {
		var err error
		if k, err = rd(buf, pos); err != nil {
			// Not in the page cache (or no RWF_NOWAIT here): no chunk
			// ahead, the stream reads the ordinary way.
			r.vm.Free(o.ab)
			o.ab = qjs.Undefined
			return o, nil, true
		}
		if k > 0 && k < want {
			// Part of it was cached: the thread pool reads the rest into
			// the same chunk, which is then the one node's read returns.
			return nil, func() (any, error) {
				next := pos
				if pos >= 0 {
					next = pos + int64(k)
				}
				m, err := readOnce(f, buf[k:], next)
				if err != nil {
					// What was read is the stream's (the position moved).
					o.data = buf[:k]
					return o, nil
				}
				blocking := func(b []byte, at int64) (int, error) { return readOnce(f, b, at) }
				return o.probe(blocking, buf, k+m, n, pos), nil
			}, true
		}
	}
	return o.probe(rd, buf, k, n, pos), nil, true
}

// chunkMemory returns n bytes for a first chunk read on the loop: the
// memory of a new engine ArrayBuffer (ab, owned by the caller) that the
// chunk is then made over, or Go memory (ab undefined) when the engine
// cannot give it. A Go []byte the size of a small file costs a fresh span
// every other allocation (4 KiB objects come two to a span) and feeds Go's
// collector, some microseconds per request in a static file server; the
// engine's allocation is one arena block, freed by reference counting with
// the Buffer.
func (r *rt) chunkMemory(n int) ([]byte, qjs.Value) {
	if n > 0 && r.vm != nil {
		if ab := r.vm.NewArrayBufferZero(n); ab.IsObject() {
			if b, ok := r.vm.ArrayBufferBytes(ab); ok && len(b) == n {
				return b, ab
			}
			r.vm.Free(ab)
		}
	}
	return make([]byte, n), qjs.Undefined
}

// inlineReadMax bounds the file readFile reads on the loop (copying 256
// KiB from the page cache takes some tens of microseconds).
const inlineReadMax = 256 << 10

// readFileCached is readFile of a path answered on the loop: a regular
// file on a local disk, small and wholly in the page cache, or !ok.
func readFileCached(full string, flags int) ([]byte, bool) {
	b, _, ok := readFileCachedInto(full, flags, func(n int) ([]byte, qjs.Value) { return make([]byte, n), qjs.Undefined })
	return b, ok
}

// readFileCachedJS is readFileCached answering with the Uint8Array itself,
// its bytes read straight into engine memory (see chunkMemory).
func (r *rt) readFileCachedJS(full string, flags int) (any, bool) {
	b, ab, ok := readFileCachedInto(full, flags, r.chunkMemory)
	if !ab.IsObject() {
		return jsBytes(b), ok
	}
	if !ok {
		r.vm.Free(ab)
		return nil, false
	}
	v := r.vm.TypedArray(ab, qjs.Uint8Array)
	r.vm.Free(ab)
	return v, true
}

// readFileCachedInto is readFileCached reading into memory from alloc:
// the file's bytes (exactly its size) and, when alloc gave engine memory,
// its ArrayBuffer (owned by the caller, ok or not).
func readFileCachedInto(full string, flags int, alloc func(int) ([]byte, qjs.Value)) ([]byte, qjs.Value, bool) {
	if flags&^(unix.O_LARGEFILE|unix.O_CLOEXEC) != unix.O_RDONLY {
		return nil, qjs.Undefined, false
	}
	if !localFiles.knownRegular(full) {
		if x, ok, err := statCached(full, true); !ok || err != nil || x.Mode&unix.S_IFMT != unix.S_IFREG {
			return nil, qjs.Undefined, false
		}
	}
	// The descriptor never reaches JavaScript: O_NONBLOCK can stay.
	fd, ok, err := openCached(full, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC)
	if !ok || err != nil {
		return nil, qjs.Undefined, false
	}
	defer unix.Close(fd)
	var x unix.Statx_t
	if err := unix.Statx(fd, "", unix.AT_EMPTY_PATH|unix.AT_STATX_DONT_SYNC, unix.STATX_TYPE|unix.STATX_SIZE, &x); err != nil ||
		x.Mode&unix.S_IFMT != unix.S_IFREG || x.Size > inlineReadMax {
		return nil, qjs.Undefined, false
	}
	size := int(x.Size)
	buf, ab := alloc(size)
	if size > 0 {
		if k, err := preadNowait(fd, buf, 0); err != nil || k != size {
			return nil, ab, false
		}
	}
	// A short read is the end, or a part not cached; a file that grew
	// since is left to the thread pool, which reads to the end: one more
	// read at the end must find nothing.
	var probe [1]byte
	if m, err := preadNowait(fd, probe[:], int64(size)); err != nil || m != 0 {
		return nil, ab, false
	}
	return buf[:size:size], ab, true
}

// readCached is read(fd, dst, pos) answered on the loop for a descriptor
// openReadCached opened: page-cache data, with the rest of a partly cached
// range read on the thread pool, so the count is the one read(2) returns
// there (all that was asked, or up to the end of the file).
func (r *rt) readCached(fd int, dst []byte, pos int64) (any, func() (any, error), bool) {
	f, ok := r.fds.getCached(fd)
	if !ok || len(dst) == 0 {
		return nil, nil, false
	}
	k, err := preadNowait(fd, dst, pos)
	if err != nil {
		return nil, nil, false
	}
	if k == len(dst) {
		return k, nil, true
	}
	// Short: the end of the file, or a part not in the page cache.
	var x unix.Statx_t
	if err := unix.Statx(fd, "", unix.AT_EMPTY_PATH|unix.AT_STATX_DONT_SYNC, unix.STATX_SIZE, &x); err == nil {
		at := pos
		if at < 0 {
			if at, err = unix.Seek(fd, 0, io.SeekCurrent); err != nil {
				at = -1
			} else {
				at -= int64(k)
			}
		}
		if at >= 0 && at+int64(k) >= int64(x.Size) {
			return k, nil, true
		}
	}
	return nil, func() (any, error) {
		next := pos
		if pos >= 0 {
			next = pos + int64(k)
		}
		m, err := readOnce(f, dst[k:], next)
		if err != nil && k == 0 {
			return nil, toSysError(err, "read", "")
		}
		return k + m, nil
	}, true
}
