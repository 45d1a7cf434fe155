package runtime

import (
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"

	"golang.org/x/sys/unix"

	"gnode/internal/js/qjs"
)

// fdTable maps the numbers JavaScript sees as file descriptors to files.
// 0, 1 and 2 are the run's stdio.
type fdTable struct {
	mu    sync.Mutex
	files map[int]*os.File
	// cached holds the descriptors known to be regular files on a local
	// disk (see bind_static_inline.go): their reads may be answered from
	// the page cache on the loop.
	cached map[int]bool
	// pool counts this run's fs operations on the thread pool whose
	// answer is not queued yet. While there are any, no answer is taken
	// on the loop: one would overtake them, where node's thread pool
	// answers in about the order it was given work.
	pool atomic.Int32
}

func newFDTable() *fdTable { return &fdTable{files: map[int]*os.File{}} }

func (t *fdTable) add(f *os.File) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	fd := int(f.Fd())
	t.files[fd] = f
	delete(t.cached, fd)
	return fd
}

func (t *fdTable) get(fd int) (*os.File, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f, ok := t.files[fd]
	return f, ok
}

func (t *fdTable) remove(fd int) (*os.File, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f, ok := t.files[fd]
	delete(t.files, fd)
	delete(t.cached, fd)
	return f, ok
}

// addCached is add for a file known to be regular and on a local disk.
func (t *fdTable) addCached(f *os.File) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	fd := int(f.Fd())
	t.files[fd] = f
	if t.cached == nil {
		t.cached = map[int]bool{}
	}
	t.cached[fd] = true
	return fd
}

// removeCached is remove for a descriptor added with addCached only.
func (t *fdTable) removeCached(fd int) (*os.File, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.cached[fd] {
		return nil, false
	}
	f, ok := t.files[fd]
	delete(t.files, fd)
	delete(t.cached, fd)
	return f, ok
}

// getCached is get for a descriptor added with addCached.
func (t *fdTable) getCached(fd int) (*os.File, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.cached[fd] {
		return nil, false
	}
	f, ok := t.files[fd]
	return f, ok
}

func (t *fdTable) closeAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for fd, f := range t.files {
		f.Close()
		delete(t.files, fd)
	}
	clear(t.cached)
}

func ebadf(call string) error { return &sysError{errno: syscall.EBADF, syscall: call} }

// statResult is one stat(2) answer, taken with statx(2) as libuv does so
// birthtime is the file system's (0 where it keeps none, as in Node).
// It crosses to JavaScript as one flat array (see toJSArray): dev, mode,
// nlink, uid, gid, rdev, blksize, ino, size, blocks, atimeMs, mtimeMs,
// ctimeMs, birthtimeMs, then the four times rounded to whole milliseconds
// for the Date fields (Math.round on the Go side: four native calls fewer
// per Stats). With big, the array holds BigInts instead: the ten fields,
// the four times in ms (truncated) and the four in ns, all exact.
type statResult struct {
	fields [10]uint64 // dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks
	times  [4]unix.StatxTimestamp
	big    bool
	// tpl, when an object, is lib/fs.js's Stats template (a StatsOf with
	// every field set, validated by cloneShaped): the answer is then a
	// clone of it carrying these values, Dates included (see toStats).
	// stage is the binding's scratch for cloneShaped (loop only).
	tpl   qjs.Value
	stage []qjs.Value
}

func statxResult(x *unix.Statx_t, big bool) statResult {
	return statResult{
		fields: [10]uint64{unix.Mkdev(x.Dev_major, x.Dev_minor), uint64(x.Mode), uint64(x.Nlink),
			uint64(x.Uid), uint64(x.Gid), unix.Mkdev(x.Rdev_major, x.Rdev_minor), uint64(x.Blksize),
			x.Ino, x.Size, x.Blocks},
		times: [4]unix.StatxTimestamp{x.Atime, x.Mtime, x.Ctime, x.Btime},
		big:   big,
	}
}

// statFileInfo is the answer where statx cannot be used: what FileInfo
// knows (birthtime 0, as libuv reports a file system without one).
func statFileInfo(fi fs.FileInfo, big bool) statResult {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		ts := func(t syscall.Timespec) unix.StatxTimestamp {
			return unix.StatxTimestamp{Sec: t.Sec, Nsec: uint32(t.Nsec)}
		}
		return statResult{
			fields: [10]uint64{uint64(st.Dev), uint64(st.Mode), uint64(st.Nlink), uint64(st.Uid),
				uint64(st.Gid), uint64(st.Rdev), uint64(st.Blksize), st.Ino, uint64(st.Size), uint64(st.Blocks)},
			times: [4]unix.StatxTimestamp{ts(st.Atim), ts(st.Mtim), ts(st.Ctim)},
			big:   big,
		}
	}
	ns := fi.ModTime().UnixNano()
	t := unix.StatxTimestamp{Sec: ns / 1e9, Nsec: uint32(ns % 1e9)}
	return statResult{fields: [10]uint64{1: uint64(fi.Mode().Perm()), 8: uint64(fi.Size())},
		times: [4]unix.StatxTimestamp{t, t, t, t}, big: big}
}

// statxMask is what Node's libuv asks statx for.
const statxMask = unix.STATX_BASIC_STATS | unix.STATX_BTIME

// statPath stats a path (lstat when !follow) with statx, falling back to
// stat(2) where statx is missing (old kernels, seccomp filters).
func statPath(full string, follow, big bool) (statResult, error) {
	flags := unix.AT_STATX_SYNC_AS_STAT
	if !follow {
		flags |= unix.AT_SYMLINK_NOFOLLOW
	}
	var x unix.Statx_t
	err := unix.Statx(unix.AT_FDCWD, full, flags, statxMask, &x)
	if err == nil {
		return statxResult(&x, big), nil
	}
	if err != unix.ENOSYS && err != unix.EPERM {
		return statResult{}, err
	}
	var fi fs.FileInfo
	if follow {
		fi, err = os.Stat(full)
	} else {
		fi, err = os.Lstat(full)
	}
	if err != nil {
		return statResult{}, err
	}
	return statFileInfo(fi, big), nil
}

// statFile is fstat of an open file.
func statFile(f *os.File, big bool) (statResult, error) {
	var x unix.Statx_t
	var serr error
	rc, err := f.SyscallConn()
	if err == nil {
		err = rc.Control(func(fd uintptr) {
			serr = unix.Statx(int(fd), "", unix.AT_EMPTY_PATH|unix.AT_STATX_SYNC_AS_STAT, statxMask, &x)
		})
	}
	if err == nil && serr == nil {
		return statxResult(&x, big), nil
	}
	fi, err := f.Stat()
	if err != nil {
		return statResult{}, err
	}
	return statFileInfo(fi, big), nil
}

// statxMS is a timestamp in milliseconds as Node computes it from the
// seconds and nanoseconds (sec * 1e3 + nsec / 1e6, in doubles).
func statxMS(t unix.StatxTimestamp) float64 { return float64(t.Sec)*1e3 + float64(t.Nsec)/1e6 }

// roundMS is JavaScript's Math.round: the nearest integer, ties towards
// +Infinity.
func roundMS(x float64) float64 {
	r := math.Floor(x)
	if x-r >= 0.5 {
		r++
	}
	return r
}

// with is s answered with fs.js's Stats template (see tpl).
func (s statResult) with(tpl qjs.Value, stage []qjs.Value) statResult {
	s.tpl, s.stage = tpl, stage
	return s
}

// toStats makes the Stats object itself: a clone of s.tpl (fs.js's StatsOf
// template, its 18 fields in order: the ten numbers, the four times in
// ms, the four Dates) with s's values, the Dates made natively
// (JS_NewDate, the Date constructor's time clip included). That saves
// what fs.js would do with toJSArray's array: eighteen element reads, four
// `new Date` through the interpreter and a call with 22 arguments, about
// a fifth of a stat's instructions. Undefined when the template is
// refused (then toJSArray's array).
func (s statResult) toStats(vm *qjs.VM) qjs.Value {
	var vals [18]qjs.Value
	for i, f := range s.fields {
		vals[i] = qjs.Float(float64(f))
	}
	for i, t := range s.times {
		ms := statxMS(t)
		vals[10+i] = qjs.Float(ms)
		vals[14+i] = vm.Date(roundMS(ms))
	}
	v := cloneShaped(vm, s.stage, s.tpl, vals[:])
	vm.FreeAll(vals[14:]...)
	return v
}

// toJSArray builds the flat array described at statResult in one
// engine allocation.
func (s statResult) toJSArray(vm *qjs.VM) qjs.Value {
	var items [18]qjs.Value
	if s.big {
		for i, f := range s.fields {
			items[i] = vm.BigUint(f)
		}
		for i, t := range s.times {
			ns := t.Sec*1e9 + int64(t.Nsec)
			items[10+i] = vm.BigInt(ns / 1e6)
			items[14+i] = vm.BigInt(ns)
		}
		return vm.ArrayOf(items[:]...)
	}
	for i, f := range s.fields {
		items[i] = qjs.Float(float64(f))
	}
	for i, t := range s.times {
		ms := statxMS(t)
		items[10+i] = qjs.Float(ms)
		items[14+i] = qjs.Float(roundMS(ms))
	}
	return vm.ArrayOf(items[:]...)
}

// dirent is a readdir withFileTypes entry: name and a UV_DIRENT_* type.
type dirents struct {
	names []string
	types []int32
}

func direntType(m fs.FileMode) int32 {
	switch {
	case m.IsRegular():
		return 1
	case m.IsDir():
		return 2
	case m&fs.ModeSymlink != 0:
		return 3
	case m&fs.ModeNamedPipe != 0:
		return 4
	case m&fs.ModeSocket != 0:
		return 5
	case m&fs.ModeCharDevice != 0:
		return 6
	case m&fs.ModeDevice != 0:
		return 7
	}
	return 0
}

// jsBytes is a byte result turned into a Uint8Array without copying.
type jsBytes []byte

// toJS converts an fs result.
func (r *rt) toJS(v any) qjs.Value {
	vm := r.vm
	switch x := v.(type) {
	case nil:
		return qjs.Undefined
	case qjs.Value:
		return x
	case string:
		return vm.String(x)
	case int:
		return qjs.Float(float64(x))
	case int64:
		return qjs.Float(float64(x))
	case float64:
		return qjs.Float(x)
	case bool:
		return qjs.Bool(x)
	case jsBytes:
		return vm.NewUint8Array(x)
	case []string:
		return vm.StringArray(x)
	case statResult:
		if x.tpl.IsObject() && !x.big && len(x.stage) >= 18 {
			if v := x.toStats(vm); v.IsObject() {
				return v
			}
		}
		return x.toJSArray(vm)
	case openReadResult:
		data := qjs.Null
		if x.data != nil {
			data = x.chunk(vm)
		}
		return vm.ArrayOf(qjs.Int(int32(x.fd)), data, qjs.Bool(x.eof), qjs.Int(int32(len(x.data))))
	case dirents:
		t := vm.Array()
		for i, n := range x.types {
			vm.SetIndex(t, uint32(i), qjs.Int(n))
		}
		return vm.ArrayOf(vm.StringArray(x.names), t)
	}
	return qjs.Undefined
}

// fsOp prepares an operation from its JavaScript arguments on the loop
// goroutine and returns the work, which may run on another goroutine.
type fsOp func(r *rt, args []qjs.Value) (work func() (any, error), err error)

// defineFS registers a binding function that runs synchronously, or, when
// its last argument is a function, on a goroutine and calls back
// cb(err, result) on the loop. Buffers passed in stay referenced until the
// callback runs.
func (r *rt) defineFS(obj qjs.Value, name string, op fsOp) { r.defineFSAs(obj, name, name, op) }

// defineFSAs is defineFS for a function whose permission check is that of
// another (openRead is checked as open).
func (r *rt) defineFSAs(obj qjs.Value, name, permName string, op fsOp) {
	r.defineFSTry(obj, name, permName, func(r *rt, a []qjs.Value) (fsTry, func() (any, error), error) {
		work, err := op(r, a)
		return nil, work, err
	})
}

// isStdioFD reports whether the first argument is descriptor 0, 1 or 2.
func isStdioFD(args []qjs.Value) bool {
	v := qjs.Arg(args, 0)
	if !v.IsNumber() {
		return false
	}
	n, ok := qjs.SmallInt(v)
	return ok && n >= 0 && n <= 2
}

// fsTry answers an asynchronous operation on the loop when it can do so
// without waiting on a disk or a file server (see bind_static_inline.go):
// ok with rest nil is the whole answer (an fsTryErr for an error); ok with
// rest is a start whose remainder runs on the thread pool; !ok leaves the
// whole work to it.
type fsTry func() (res any, rest func() (any, error), ok bool)

// fsOpTry is an fsOp that may also offer an fsTry for its callback form.
type fsOpTry func(r *rt, args []qjs.Value) (try fsTry, work func() (any, error), err error)

// defineFSTry is defineFSAs for an operation with an fsTry: its callback
// form first tries the answer on the loop, which then still reaches the
// callback through the loop's completion queue, where a thread-pool
// answer would come.
func (r *rt) defineFSTry(obj qjs.Value, name, permName string, op fsOpTry) {
	r.fn(obj, name, func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		var cb qjs.Value
		async := len(args) > 0 && vm.IsFunction(args[len(args)-1])
		if async {
			cb = args[len(args)-1]
			args = args[:len(args)-1]
		}
		var try fsTry
		work, err := r.permFS(permName, args, func(r *rt, a []qjs.Value) (func() (any, error), error) {
			t, w, err := op(r, a)
			try = t
			return w, err
		})
		if err != nil {
			return qjs.Undefined, err
		}
		if !async {
			res, err := work()
			if err != nil {
				return qjs.Undefined, err
			}
			return r.toJS(res), nil
		}
		if try != nil && r.fds.pool.Load() == 0 {
			if res, rest, ok := try(); ok {
				if rest == nil {
					var err error
					if e, isErr := res.(fsTryErr); isErr {
						res, err = nil, e.err
					}
					r.answerNow(vm, cb, args, res, err)
					return qjs.Undefined, nil
				}
				work = rest
			}
		}
		answer := r.answerLater(vm, cb, args, r.errorValue)
		// A read of the run's stdio (process.stdin reads fd 0 this way)
		// waits for input, not for a disk: it is not counted, or a
		// program holding stdin open would never answer on the loop.
		counted := !((name == "read" || name == "readFile") && isStdioFD(args))
		if counted {
			r.fds.pool.Add(1)
		}
		go func() {
			answer(work())
			if counted {
				r.fds.pool.Add(-1)
			}
		}()
		return qjs.Undefined, nil
	})
}

// argPath reads a path argument (string, Buffer or file: URL converted by
// lib/fs.js before it gets here).
func (r *rt) argPath(args []qjs.Value, i int) string {
	v := qjs.Arg(args, i)
	if b, ok := r.vm.TypedArrayBytes(v); ok {
		return string(b)
	}
	return r.vm.Str(v)
}

func (r *rt) argInt(args []qjs.Value, i int) int64 { return r.vm.Int(qjs.Arg(args, i)) }

func (r *rt) argBool(args []qjs.Value, i int) bool { return r.vm.Truthy(qjs.Arg(args, i)) }

// argBytes returns a zero-copy view of a Uint8Array argument, or the UTF-8
// bytes of a string.
func (r *rt) argBytes(args []qjs.Value, i int) []byte {
	v := qjs.Arg(args, i)
	if b, ok := r.vm.TypedArrayBytes(v); ok {
		return b
	}
	return []byte(r.vm.Str(v))
}

// bindFS is internalBinding('fs'), see bindings/fs.md.
func bindFS(r *rt, obj qjs.Value) {
	vm := r.vm
	c := vm.Object()
	for k, v := range fsConstants() {
		vm.Set(c, k, qjs.Int(int32(v)))
	}
	vm.Set(obj, "constants", c)

	r.defineFSTry(obj, "open", "open", func(r *rt, a []qjs.Value) (fsTry, func() (any, error), error) {
		p, flags, mode := r.argPath(a, 0), int(r.argInt(a, 1)), os.FileMode(r.argInt(a, 2))
		full := r.abs(p)
		try := func() (any, func() (any, error), bool) {
			f, _, ok, err := openLocalRegular(full, flags)
			if !ok {
				return nil, nil, false
			}
			if err != nil {
				return fsTryErr{toSysError(err, "open", p)}, nil, true
			}
			return r.fds.addCached(f), nil, true
		}
		return try, func() (any, error) {
			f, err := os.OpenFile(full, flags|syscall.O_CLOEXEC, mode)
			if err != nil {
				return nil, toSysError(err, "open", p)
			}
			return r.fds.add(f), nil
		}, nil
	})
	// openRead(path, flags, mode, length, position|null[, proto])
	// -> [fd, chunk|null, eof, chunk length]. With proto (Buffer's
	// FastBuffer.prototype) the chunk is made with it as its prototype, so
	// the stream pushes it as it comes instead of wrapping it (a
	// constructor call and three native getters per stream).
	r.defineFSTry(obj, "openRead", "open", func(r *rt, a []qjs.Value) (fsTry, func() (any, error), error) {
		p, flags, mode := r.argPath(a, 0), int(r.argInt(a, 1)), os.FileMode(r.argInt(a, 2))
		n := r.argInt(a, 3)
		pos := int64(-1)
		if v := qjs.Arg(a, 4); v.IsNumber() {
			pos = r.vm.Int(v)
		}
		// Kept referenced with the other arguments until the callback.
		proto := qjs.Arg(a, 5)
		if n < 0 || n > 1<<30 {
			return nil, nil, &codedError{"RangeError", "ERR_OUT_OF_RANGE", "The value of \"length\" is out of range."}
		}
		full := r.abs(p)
		try := func() (any, func() (any, error), bool) {
			res, rest, ok := r.openReadCached(full, flags, int(n), pos, proto)
			if e, isErr := res.(fsTryErr); isErr {
				return fsTryErr{toSysError(e.err, "open", p)}, nil, true
			}
			return res, rest, ok
		}
		return try, func() (any, error) {
			f, err := os.OpenFile(full, flags|syscall.O_CLOEXEC, mode)
			if err != nil {
				return nil, toSysError(err, "open", p)
			}
			return openReadResult{fd: r.fds.add(f), proto: proto}.read(f, int(n), pos), nil
		}, nil
	})
	r.defineFSTry(obj, "close", "close", func(r *rt, a []qjs.Value) (fsTry, func() (any, error), error) {
		fd := int(r.argInt(a, 0))
		// A read-only regular file on a local disk closes without waiting
		// (nothing to flush), as closeLater does.
		try := func() (any, func() (any, error), bool) {
			f, ok := r.fds.removeCached(fd)
			if !ok {
				return nil, nil, false
			}
			if err := f.Close(); err != nil {
				return nil, func() (any, error) { return nil, toSysError(err, "close", "") }, true
			}
			return nil, nil, true
		}
		return try, func() (any, error) {
			f, ok := r.fds.remove(fd)
			if !ok {
				return nil, ebadf("close")
			}
			return nil, toSysError(f.Close(), "close", "")
		}, nil
	})
	// closeLater(fd, cb): close(2) at once, on the loop, and cb(err) from
	// the loop's completion queue, where the thread pool's answer to
	// close(fd, cb) would come (the next poll phase). For a regular file
	// that was only read, whose close does not wait on the disk: the
	// hand-off to a goroutine is saved, and a ReadStream's 'close' still
	// comes after what node runs first (a piped destination's 'finish'
	// after a write callback deferred with setImmediate).
	r.fn(obj, "closeLater", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		fd := int(r.argInt(args, 0))
		cb := qjs.Arg(args, 1)
		if !vm.IsFunction(cb) {
			return qjs.Undefined, &codedError{"TypeError", "ERR_INVALID_ARG_TYPE", "The \"cb\" argument must be of type function."}
		}
		var err error
		if f, ok := r.fds.remove(fd); !ok {
			err = ebadf("close")
		} else {
			err = toSysError(f.Close(), "close", "")
		}
		cb = vm.Dup(cb)
		// Enqueue, not RegisterCallback: the answer is known now, and a
		// queued callback keeps the loop alive by itself (one Go
		// allocation instead of four, per stream).
		r.loop.Enqueue(func() {
			arg := qjs.Null
			if err != nil {
				arg = r.errorValue(vm, err)
			}
			v, cerr := vm.Call(cb, qjs.Undefined, arg)
			vm.Free(arg)
			vm.Free(v)
			vm.Free(cb)
			if cerr != nil {
				r.handleError(cerr)
			}
		})
		return qjs.Undefined, nil
	})
	// cloneShaped(template, v0, v1, ...): the HTTP server's tcp.cloneShaped
	// (bind_http.go) for the stream and fs lib code, which should not make
	// the tcp binding just for it: a new object with template's prototype,
	// shape and property values, the first ones replaced by v0, v1, ..., in
	// one engine allocation; undefined when the template is refused (the
	// caller then constructs as usual). A fs.ReadStream and its Readable
	// state are made this way: each property a constructor adds costs a
	// shape transition and often a reallocation of the property array
	// under the interpreter, and the two took about forty of them.
	var cloneStage []qjs.Value
	r.fn(obj, "cloneShaped", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if cloneStage == nil {
			// On the heap: the engine reads it through a uintptr.
			cloneStage = make([]qjs.Value, maxClonedProps)
		}
		return cloneShaped(vm, cloneStage, qjs.Arg(a, 0), a[min(1, len(a)):]), nil
	})
	// callLater(cb[, arg]): cb() (cb(arg) when arg is given) from the
	// loop's completion queue, where a thread-pool answer would come (the
	// next pending phase), with no work and no goroutine: a ReadStream
	// hands over the chunk its open already read, and an end its first
	// read already found, there, where node's reads answer (after the
	// microtasks of the callback that asked).
	r.fn(obj, "callLater", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		cb := qjs.Arg(args, 0)
		if !vm.IsFunction(cb) {
			return qjs.Undefined, &codedError{"TypeError", "ERR_INVALID_ARG_TYPE", "The \"cb\" argument must be of type function."}
		}
		cb = vm.Dup(cb)
		withArg := len(args) > 1
		arg := qjs.Undefined
		if withArg {
			arg = vm.Dup(args[1])
		}
		r.loop.Enqueue(func() {
			var v qjs.Value
			var cerr error
			if withArg {
				v, cerr = vm.Call(cb, qjs.Undefined, arg)
				vm.Free(arg)
			} else {
				v, cerr = vm.Call(cb, qjs.Undefined)
			}
			vm.Free(v)
			vm.Free(cb)
			if cerr != nil {
				r.handleError(cerr)
			}
		})
		return qjs.Undefined, nil
	})
	// read(fd, buffer, offset, length, position) -> bytesRead
	r.defineFSTry(obj, "read", "read", func(r *rt, a []qjs.Value) (fsTry, func() (any, error), error) {
		fd := int(r.argInt(a, 0))
		buf := r.argBytes(a, 1)
		off, n := r.argInt(a, 2), r.argInt(a, 3)
		pos := int64(-1)
		if p := qjs.Arg(a, 4); p.IsNumber() || p.IsBigInt() {
			pos = r.vm.Int(p)
		}
		if off < 0 || off > int64(len(buf)) || n < 0 || off+n > int64(len(buf)) {
			return nil, nil, &codedError{"RangeError", "ERR_OUT_OF_RANGE", "The value of \"length\" is out of range."}
		}
		dst := buf[off : off+n]
		try := func() (any, func() (any, error), bool) {
			return r.readCached(fd, dst, pos)
		}
		return try, func() (any, error) {
			if fd == 0 {
				// One read, as read(2) on a pipe or terminal returns what
				// is there.
				k, err := r.opts.Stdin.Read(dst)
				for k == 0 && err == nil {
					k, err = r.opts.Stdin.Read(dst)
				}
				if err == io.EOF {
					err = nil
				}
				return k, err
			}
			f, ok := r.fds.get(fd)
			if !ok {
				return nil, ebadf("read")
			}
			var k int
			var err error
			if pos >= 0 {
				k, err = f.ReadAt(dst, pos)
			} else {
				k, err = f.Read(dst)
			}
			if err == io.EOF {
				err = nil
			}
			return k, toSysError(err, "read", "")
		}, nil
	})
	// write(fd, bufferOrString, offset, length, position) -> bytesWritten
	r.defineFS(obj, "write", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		fd := int(r.argInt(a, 0))
		data := r.argBytes(a, 1)
		if b := qjs.Arg(a, 1); !b.IsString() {
			off, n := r.argInt(a, 2), r.argInt(a, 3)
			if off < 0 || off > int64(len(data)) || n < 0 || off+n > int64(len(data)) {
				return nil, &codedError{"RangeError", "ERR_OUT_OF_RANGE", "The value of \"length\" is out of range."}
			}
			data = data[off : off+n]
		}
		pos := int64(-1)
		if p := qjs.Arg(a, 4); p.IsNumber() {
			pos = r.vm.Int(p)
		}
		return func() (any, error) {
			switch fd {
			case 1:
				return len(data), writeAll(r.opts.Stdout, data)
			case 2:
				return len(data), writeAll(r.opts.Stderr, data)
			}
			f, ok := r.fds.get(fd)
			if !ok {
				return nil, ebadf("write")
			}
			var k int
			var err error
			if pos >= 0 {
				k, err = f.WriteAt(data, pos)
			} else {
				k, err = f.Write(data)
			}
			return k, toSysError(err, "write", "")
		}, nil
	})
	// readFile(pathOrFd, flags) -> Uint8Array
	r.defineFSTry(obj, "readFile", "readFile", func(r *rt, a []qjs.Value) (fsTry, func() (any, error), error) {
		if v := qjs.Arg(a, 0); v.IsNumber() {
			fd := int(r.vm.Int(v))
			return nil, func() (any, error) {
				if fd == 0 {
					b, err := io.ReadAll(r.opts.Stdin)
					return jsBytes(b), err
				}
				f, ok := r.fds.get(fd)
				if !ok {
					return nil, ebadf("read")
				}
				b, err := io.ReadAll(f)
				return jsBytes(b), toSysError(err, "read", "")
			}, nil
		}
		p := r.argPath(a, 0)
		full := r.abs(p)
		flags := int(r.argInt(a, 1))
		try := func() (any, func() (any, error), bool) {
			res, ok := r.readFileCachedJS(full, flags)
			if !ok {
				return nil, nil, false
			}
			return res, nil, true
		}
		return try, func() (any, error) {
			f, err := os.OpenFile(full, flags|syscall.O_CLOEXEC, 0o666)
			if err != nil {
				return nil, toSysError(err, "open", p)
			}
			defer f.Close()
			if st, err := f.Stat(); err == nil && st.IsDir() {
				return nil, &sysError{errno: syscall.EISDIR, syscall: "read"}
			}
			b, err := io.ReadAll(f)
			if err != nil {
				return nil, toSysError(err, "read", "")
			}
			return jsBytes(b), nil
		}, nil
	})
	// writeFile(pathOrFd, data, flags, mode)
	r.defineFS(obj, "writeFile", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		data := r.argBytes(a, 1)
		if v := qjs.Arg(a, 0); v.IsNumber() {
			fd := int(r.vm.Int(v))
			return func() (any, error) {
				switch fd {
				case 1:
					return nil, writeAll(r.opts.Stdout, data)
				case 2:
					return nil, writeAll(r.opts.Stderr, data)
				}
				f, ok := r.fds.get(fd)
				if !ok {
					return nil, ebadf("write")
				}
				return nil, toSysError(writeAll(f, data), "write", "")
			}, nil
		}
		p := r.argPath(a, 0)
		full := r.abs(p)
		flags, mode := int(r.argInt(a, 2)), os.FileMode(r.argInt(a, 3))
		return func() (any, error) {
			f, err := os.OpenFile(full, flags|syscall.O_CLOEXEC, mode)
			if err != nil {
				return nil, toSysError(err, "open", p)
			}
			err = writeAll(f, data)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			return nil, toSysError(err, "write", "")
		}, nil
	})
	// stat(path|fd, throwIfNoEntry, bigint[, template]) -> the array of
	// statResult, or with template (fs.js's Stats template, the callback
	// forms pass it) the Stats object itself (see statResult.tpl); the
	// template stays referenced with the other arguments until the
	// callback ran.
	statStage := make([]qjs.Value, maxClonedProps)
	statOp := func(call string, follow bool) fsOpTry {
		return func(r *rt, a []qjs.Value) (fsTry, func() (any, error), error) {
			big := len(a) > 2 && r.vm.Truthy(a[2])
			tpl := qjs.Arg(a, 3)
			if !tpl.IsObject() || big {
				tpl = qjs.Undefined
			}
			if v := qjs.Arg(a, 0); v.IsNumber() {
				fd := int(r.vm.Int(v))
				try := func() (any, func() (any, error), bool) {
					x, ok := r.fstatCached(fd)
					if !ok {
						return nil, nil, false
					}
					return statxResult(&x, big).with(tpl, statStage), nil, true
				}
				return try, func() (any, error) {
					var f *os.File
					switch fd {
					case 0, 1, 2:
						f = []*os.File{os.Stdin, os.Stdout, os.Stderr}[fd]
					default:
						var ok bool
						if f, ok = r.fds.get(fd); !ok {
							return nil, ebadf("fstat")
						}
					}
					res, err := statFile(f, big)
					if err != nil {
						return nil, toSysError(err, "fstat", "")
					}
					return res.with(tpl, statStage), nil
				}, nil
			}
			p := r.argPath(a, 0)
			full := r.abs(p)
			throwIfNoEntry := !(len(a) > 1 && a[1].IsBool() && !r.vm.Truthy(a[1]))
			// Errors are taken on the loop only when the cached walk
			// settles them (the errno statx would return), else they come
			// from the thread pool's statx.
			try := func() (any, func() (any, error), bool) {
				x, ok, err := statCached(full, follow)
				if !ok {
					return nil, nil, false
				}
				if err != nil {
					if !throwIfNoEntry && (err == unix.ENOENT || err == unix.ENOTDIR) {
						return nil, nil, true
					}
					return fsTryErr{toSysError(err, call, p)}, nil, true
				}
				return statxResult(&x, big).with(tpl, statStage), nil, true
			}
			return try, func() (any, error) {
				res, err := statPath(full, follow, big)
				if err != nil {
					if !throwIfNoEntry && (errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)) {
						return nil, nil
					}
					return nil, toSysError(err, call, p)
				}
				return res.with(tpl, statStage), nil
			}, nil
		}
	}
	r.defineFSTry(obj, "stat", "stat", statOp("stat", true))
	r.defineFSTry(obj, "lstat", "lstat", statOp("lstat", false))
	r.defineFSTry(obj, "fstat", "fstat", statOp("fstat", true))
	// readdir(path, withFileTypes) -> names | [names, types]
	r.defineFS(obj, "readdir", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		p := r.argPath(a, 0)
		full := r.abs(p)
		withTypes := r.argBool(a, 1)
		return func() (any, error) {
			f, err := os.Open(full)
			if err != nil {
				return nil, toSysError(err, "scandir", p)
			}
			defer f.Close()
			ents, err := f.ReadDir(-1)
			if err != nil {
				return nil, toSysError(err, "scandir", p)
			}
			sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
			var d dirents
			for _, e := range ents {
				d.names = append(d.names, e.Name())
				d.types = append(d.types, direntType(e.Type()))
			}
			if d.names == nil {
				d.names = []string{}
			}
			if withTypes {
				return d, nil
			}
			return d.names, nil
		}, nil
	})
	// mkdir(path, recursive, mode) -> first directory created (recursive)
	r.defineFS(obj, "mkdir", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		p := r.argPath(a, 0)
		full := r.abs(p)
		recursive := r.argBool(a, 1)
		mode := os.FileMode(r.argInt(a, 2))
		return func() (any, error) {
			if !recursive {
				return nil, toSysError(os.Mkdir(full, mode), "mkdir", p)
			}
			first := ""
			for d := filepath.Clean(full); ; d = filepath.Dir(d) {
				fi, err := os.Stat(d)
				if err == nil {
					if !fi.IsDir() {
						return nil, &sysError{errno: syscall.ENOTDIR, syscall: "mkdir", path: p, hasPath: true}
					}
					break
				}
				first = d
				if filepath.Dir(d) == d {
					break
				}
			}
			if err := os.MkdirAll(full, mode); err != nil {
				return nil, toSysError(err, "mkdir", p)
			}
			if first == "" {
				return nil, nil
			}
			return first, nil
		}, nil
	})
	simple := func(name, call string, f func(full string) error) {
		r.defineFS(obj, name, func(r *rt, a []qjs.Value) (func() (any, error), error) {
			p := r.argPath(a, 0)
			full := r.abs(p)
			return func() (any, error) { return nil, toSysError(f(full), call, p) }, nil
		})
	}
	simple("rmdir", "rmdir", func(full string) error {
		fi, err := os.Lstat(full)
		if err != nil {
			return err
		}
		if !fi.IsDir() {
			return syscall.ENOTDIR
		}
		return syscall.Rmdir(full)
	})
	simple("unlink", "unlink", func(full string) error {
		return syscall.Unlink(full)
	})
	// rm(path, recursive, force)
	r.defineFS(obj, "rm", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		p := r.argPath(a, 0)
		full := r.abs(p)
		recursive, force := r.argBool(a, 1), r.argBool(a, 2)
		return func() (any, error) {
			fi, err := os.Lstat(full)
			if err != nil {
				if force && errors.Is(err, fs.ErrNotExist) {
					return nil, nil
				}
				return nil, toSysError(err, "lstat", p)
			}
			if fi.IsDir() {
				if !recursive {
					return nil, &codedError{"Error", "ERR_FS_EISDIR", "Path is a directory: rm returned EISDIR (is a directory) " + p}
				}
				return nil, toSysError(os.RemoveAll(full), "rm", p)
			}
			return nil, toSysError(os.Remove(full), "rm", p)
		}, nil
	})
	two := func(name, call string, f func(a, b string) error) {
		r.defineFS(obj, name, func(r *rt, a []qjs.Value) (func() (any, error), error) {
			p1, p2 := r.argPath(a, 0), r.argPath(a, 1)
			f1, f2 := r.abs(p1), r.abs(p2)
			return func() (any, error) { return nil, toSysError(f(f1, f2), call, p1, p2) }, nil
		})
	}
	two("rename", "rename", os.Rename)
	two("link", "link", os.Link)
	r.defineFS(obj, "symlink", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		target, p := r.argPath(a, 0), r.argPath(a, 1)
		full := r.abs(p)
		return func() (any, error) { return nil, toSysError(os.Symlink(target, full), "symlink", target, p) }, nil
	})
	// copyFile(src, dest, mode): mode&1 is COPYFILE_EXCL.
	r.defineFS(obj, "copyFile", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		p1, p2 := r.argPath(a, 0), r.argPath(a, 1)
		f1, f2 := r.abs(p1), r.abs(p2)
		excl := r.argInt(a, 2)&1 != 0
		return func() (any, error) { return nil, toSysError(copyFile(f1, f2, excl), "copyfile", p1, p2) }, nil
	})
	// cp(src, dest, recursive, force, errorOnExist)
	r.defineFS(obj, "cp", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		p1, p2 := r.argPath(a, 0), r.argPath(a, 1)
		f1, f2 := r.abs(p1), r.abs(p2)
		recursive, force, errorOnExist := r.argBool(a, 2), r.argBool(a, 3), r.argBool(a, 4)
		return func() (any, error) {
			fi, err := os.Stat(f1)
			if err != nil {
				return nil, toSysError(err, "cp", p1)
			}
			if fi.IsDir() && !recursive {
				return nil, &codedError{"Error", "ERR_FS_EISDIR", "Recursive option is required to copy a directory: " + p1}
			}
			return nil, toSysError(copyTree(f1, f2, force, errorOnExist), "cp", p1, p2)
		}, nil
	})
	r.defineFS(obj, "readlink", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		p := r.argPath(a, 0)
		full := r.abs(p)
		return func() (any, error) {
			s, err := os.Readlink(full)
			if err != nil {
				return nil, toSysError(err, "readlink", p)
			}
			return s, nil
		}, nil
	})
	r.defineFS(obj, "realpath", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		p := r.argPath(a, 0)
		full := r.abs(p)
		return func() (any, error) {
			s, err := filepath.EvalSymlinks(full)
			if err != nil {
				return nil, toSysError(err, "realpath", p)
			}
			return filepath.Abs(s)
		}, nil
	})
	// access(path, mode)
	r.defineFS(obj, "access", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		p := r.argPath(a, 0)
		full := r.abs(p)
		mode := uint32(r.argInt(a, 1))
		return func() (any, error) { return nil, toSysError(syscall.Access(full, mode), "access", p) }, nil
	})
	r.fn(obj, "existsSync", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return qjs.Bool(r.permExists(r.abs(r.argPath(a, 0)))), nil
	})
	r.defineFS(obj, "chmod", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		p := r.argPath(a, 0)
		full := r.abs(p)
		mode := os.FileMode(r.argInt(a, 1))
		return func() (any, error) { return nil, toSysError(os.Chmod(full, mode), "chmod", p) }, nil
	})
	r.defineFS(obj, "fchmod", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		fd := int(r.argInt(a, 0))
		mode := os.FileMode(r.argInt(a, 1))
		return func() (any, error) {
			f, ok := r.fds.get(fd)
			if !ok {
				return nil, ebadf("fchmod")
			}
			return nil, toSysError(f.Chmod(mode), "fchmod", "")
		}, nil
	})
	// utimes(path, atimeSeconds, mtimeSeconds)
	// utimes(path, atimeSeconds, mtimeSeconds, noFollow): lutimes when
	// noFollow (the link itself; checked by the permission model as
	// utimes).
	r.defineFS(obj, "utimes", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		p := r.argPath(a, 0)
		full := r.abs(p)
		ts := []unix.Timespec{secTimespec(r.vm.Float(qjs.Arg(a, 1))), secTimespec(r.vm.Float(qjs.Arg(a, 2)))}
		call, flags := "utime", 0
		if len(a) > 3 && r.vm.Truthy(a[3]) {
			call, flags = "lutime", unix.AT_SYMLINK_NOFOLLOW
		}
		return func() (any, error) {
			return nil, toSysError(unix.UtimesNanoAt(unix.AT_FDCWD, full, ts, flags), call, p)
		}, nil
	})
	// futimes(fd, atimeSeconds, mtimeSeconds): on the descriptor, not on
	// the name it was opened by (which may be gone or another file now).
	r.defineFS(obj, "futimes", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		fd := int(r.argInt(a, 0))
		at, mt := secTimespec(r.vm.Float(qjs.Arg(a, 1))), secTimespec(r.vm.Float(qjs.Arg(a, 2)))
		return func() (any, error) {
			f, ok := r.fds.get(fd)
			if !ok {
				return nil, ebadf("futime")
			}
			// libuv keeps microseconds (secTimespec truncated to them).
			tv := []unix.Timeval{{Sec: at.Sec, Usec: at.Nsec / 1000}, {Sec: mt.Sec, Usec: mt.Nsec / 1000}}
			var err error
			rc, cerr := f.SyscallConn()
			if cerr != nil {
				return nil, toSysError(cerr, "futime", "")
			}
			if cerr = rc.Control(func(sfd uintptr) { err = unix.Futimes(int(sfd), tv) }); cerr != nil {
				err = cerr
			}
			return nil, toSysError(err, "futime", "")
		}, nil
	})
	r.defineFS(obj, "mkdtemp", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		p := r.argPath(a, 0)
		full := r.abs(p)
		return func() (any, error) {
			d, err := os.MkdirTemp(filepath.Dir(full), filepath.Base(full)+"*")
			if err != nil {
				return nil, toSysError(err, "mkdtemp", p+"XXXXXX")
			}
			if !filepath.IsAbs(p) {
				return filepath.Join(filepath.Dir(p), filepath.Base(d)), nil
			}
			return d, nil
		}, nil
	})
	r.defineFS(obj, "ftruncate", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		fd := int(r.argInt(a, 0))
		n := r.argInt(a, 1)
		return func() (any, error) {
			f, ok := r.fds.get(fd)
			if !ok {
				return nil, ebadf("ftruncate")
			}
			return nil, toSysError(f.Truncate(n), "ftruncate", "")
		}, nil
	})
	r.defineFS(obj, "truncate", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		p := r.argPath(a, 0)
		full := r.abs(p)
		n := r.argInt(a, 1)
		return func() (any, error) { return nil, toSysError(os.Truncate(full, n), "open", p) }, nil
	})
	r.defineFS(obj, "fsync", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		fd := int(r.argInt(a, 0))
		return func() (any, error) {
			f, ok := r.fds.get(fd)
			if !ok {
				return nil, ebadf("fsync")
			}
			return nil, toSysError(f.Sync(), "fsync", "")
		}, nil
	})
}

func writeAll(w io.Writer, b []byte) error {
	_, err := w.Write(b)
	return err
}

// secTimespec turns seconds into a timespec as libuv does for utimes:
// whole seconds, then the fraction truncated to microseconds.
func secTimespec(s float64) unix.Timespec {
	sec := math.Trunc(s)
	nsec := int64((s - sec) * 1e9)
	nsec -= nsec % 1000
	if nsec < 0 {
		nsec += 1e9
		sec--
	}
	return unix.Timespec{Sec: int64(sec), Nsec: nsec}
}

func copyFile(src, dst string, excl bool) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return syscall.EISDIR
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if excl {
		flags |= os.O_EXCL
	}
	out, err := os.OpenFile(dst, flags, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func copyTree(src, dst string, force, errorOnExist bool) error {
	fi, err := os.Lstat(src)
	if err != nil {
		return err
	}
	switch {
	case fi.IsDir():
		if err := os.MkdirAll(dst, fi.Mode().Perm()); err != nil {
			return err
		}
		ents, err := os.ReadDir(src)
		if err != nil {
			return err
		}
		for _, e := range ents {
			if err := copyTree(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()), force, errorOnExist); err != nil {
				return err
			}
		}
		return nil
	case fi.Mode()&fs.ModeSymlink != 0:
		t, err := os.Readlink(src)
		if err != nil {
			return err
		}
		os.Remove(dst)
		return os.Symlink(t, dst)
	}
	if _, err := os.Lstat(dst); err == nil {
		if !force {
			if errorOnExist {
				return syscall.EEXIST
			}
			return nil
		}
	}
	return copyFile(src, dst, false)
}

// fsConstants are fs.constants (Linux values, which Go's syscall package
// uses for os.OpenFile too).
var fsConstants = sync.OnceValue(func() map[string]int {
	return map[string]int{
		"O_RDONLY": syscall.O_RDONLY, "O_WRONLY": syscall.O_WRONLY, "O_RDWR": syscall.O_RDWR,
		"O_CREAT": syscall.O_CREAT, "O_EXCL": syscall.O_EXCL, "O_NOCTTY": syscall.O_NOCTTY,
		"O_TRUNC": syscall.O_TRUNC, "O_APPEND": syscall.O_APPEND, "O_DIRECTORY": syscall.O_DIRECTORY,
		"O_NOFOLLOW": syscall.O_NOFOLLOW, "O_SYNC": syscall.O_SYNC, "O_DSYNC": syscall.O_DSYNC,
		"O_NONBLOCK": syscall.O_NONBLOCK,
		"S_IFMT":     syscall.S_IFMT, "S_IFREG": syscall.S_IFREG, "S_IFDIR": syscall.S_IFDIR,
		"S_IFCHR": syscall.S_IFCHR, "S_IFBLK": syscall.S_IFBLK, "S_IFIFO": syscall.S_IFIFO,
		"S_IFLNK": syscall.S_IFLNK, "S_IFSOCK": syscall.S_IFSOCK,
		"S_IRWXU": 0o700, "S_IRUSR": 0o400, "S_IWUSR": 0o200, "S_IXUSR": 0o100,
		"S_IRWXG": 0o70, "S_IRGRP": 0o40, "S_IWGRP": 0o20, "S_IXGRP": 0o10,
		"S_IRWXO": 0o7, "S_IROTH": 0o4, "S_IWOTH": 0o2, "S_IXOTH": 0o1,
		"F_OK": 0, "R_OK": 4, "W_OK": 2, "X_OK": 1,
		"UV_FS_SYMLINK_DIR": 1, "UV_FS_SYMLINK_JUNCTION": 2,
		"COPYFILE_EXCL": 1, "COPYFILE_FICLONE": 2, "COPYFILE_FICLONE_FORCE": 4,
		"UV_FS_COPYFILE_EXCL": 1, "UV_FS_COPYFILE_FICLONE": 2, "UV_FS_COPYFILE_FICLONE_FORCE": 4,
		"UV_DIRENT_UNKNOWN": 0, "UV_DIRENT_FILE": 1, "UV_DIRENT_DIR": 2, "UV_DIRENT_LINK": 3,
		"UV_DIRENT_FIFO": 4, "UV_DIRENT_SOCKET": 5, "UV_DIRENT_CHAR": 6, "UV_DIRENT_BLOCK": 7,
	}
})

// callBackLater runs work on a goroutine (Node's thread pool) and calls
// cb(err, result) on the loop, errors made JavaScript by errValue. cb and
// args (buffers among them) stay referenced until the callback has run.
func (r *rt) callBackLater(vm *qjs.VM, cb qjs.Value, args []qjs.Value, work func() (any, error), errValue func(*qjs.VM, error) qjs.Value) {
	answer := r.answerLater(vm, cb, args, errValue)
	go func() {
		answer(work())
	}()
}

// answerLater holds cb and args and returns the function, callable from
// any goroutine once, that queues cb(err, result) on the loop.
func (r *rt) answerLater(vm *qjs.VM, cb qjs.Value, args []qjs.Value, errValue func(*qjs.VM, error) qjs.Value) func(any, error) {
	cb = vm.Dup(cb)
	keep := make([]qjs.Value, len(args))
	for i, a := range args {
		keep[i] = vm.Dup(a)
	}
	done := r.loop.RegisterCallback()
	return func(res any, err error) {
		done(func() {
			var cbArgs []qjs.Value
			if err != nil {
				cbArgs = []qjs.Value{errValue(vm, err)}
			} else {
				cbArgs = []qjs.Value{qjs.Null, r.toJS(res)}
			}
			v, cerr := vm.Call(cb, qjs.Undefined, cbArgs...)
			vm.FreeAll(cbArgs...)
			vm.Free(v)
			vm.Free(cb)
			vm.FreeAll(keep...)
			if cerr != nil {
				r.handleError(cerr)
			}
		})
	}
}

// answerNow queues cb(err, result) on the loop for an answer found on the
// loop itself (an fsTry's whole answer): answerLater's steps with one Go
// allocation instead of six. The loop is not held (RegisterCallback) since
// nothing is left to wait for: a queued callback keeps it alive, and runs
// where a thread-pool answer would. cb and args stay referenced until the
// callback ran, as with answerLater (a chunk's prototype among them).
func (r *rt) answerNow(vm *qjs.VM, cb qjs.Value, args []qjs.Value, res any, err error) {
	var keep [8]qjs.Value
	if len(args) > len(keep) {
		r.answerLater(vm, cb, args, r.errorValue)(res, err)
		return
	}
	n := len(args)
	for i, a := range args {
		keep[i] = vm.Dup(a)
	}
	cb = vm.Dup(cb)
	r.loop.Enqueue(func() {
		var v qjs.Value
		var cerr error
		if err != nil {
			e := r.errorValue(vm, err)
			v, cerr = vm.Call(cb, qjs.Undefined, e)
			vm.Free(e)
		} else {
			x := r.toJS(res)
			v, cerr = vm.Call(cb, qjs.Undefined, qjs.Null, x)
			vm.Free(x)
		}
		vm.Free(v)
		vm.Free(cb)
		vm.FreeAll(keep[:n]...)
		if cerr != nil {
			r.handleError(cerr)
		}
	})
}

// openReadResult is what openRead hands back: the new descriptor and the
// first chunk read from it, with eof when a second read found the end
// (the read a stream would issue next). Only regular files are read
// ahead: a FIFO or a terminal would hold the 'open' event until data
// came. When nothing was read ahead (not a regular file, a failed read),
// data is nil and the stream reads the ordinary way, reporting any error
// itself.
type openReadResult struct {
	fd    int
	data  []byte
	eof   bool
	proto qjs.Value // the chunk's prototype when an object (used on the loop only)
	// ab, when an object, is the engine ArrayBuffer (a reference the
	// result owns) whose memory the read went into (see chunkMemory).
	ab qjs.Value
}

// chunk makes the JavaScript chunk over data: a view with proto as its
// prototype when proto is an object, else a plain Uint8Array. It takes
// over (frees) o.ab.
func (o openReadResult) chunk(vm *qjs.VM) qjs.Value {
	if o.ab.IsObject() {
		ab := o.ab
		defer vm.Free(ab)
		// The chunk is the whole buffer, as node's (a read that came
		// short, a file shrunk since its size was taken, or one that grew
		// past it, falls back to a copy of exactly the bytes read).
		if b, ok := vm.ArrayBufferBytes(ab); ok && len(b) > 0 && len(b) == len(o.data) && &b[0] == &o.data[0] {
			if o.proto.IsObject() {
				if v, ok := vm.NewUint8View(ab, 0, len(b), o.proto); ok {
					return v
				}
			}
			return vm.TypedArray(ab, qjs.Uint8Array)
		}
		o.data = append([]byte(nil), o.data...)
	}
	if o.proto.IsObject() {
		ab := vm.NewArrayBuffer(o.data)
		v, ok := vm.NewUint8View(ab, 0, len(o.data), o.proto)
		vm.Free(ab)
		if ok {
			return v
		}
		// NewArrayBuffer took data: copy it for the fallback below.
		o.data = append([]byte(nil), o.data...)
	}
	return vm.NewUint8Array(o.data)
}

func (o openReadResult) read(f *os.File, n int, pos int64) openReadResult {
	if n == 0 {
		return o
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return o
	}
	// The buffer is sized by what the file holds past the position (a
	// fresh descriptor reads from 0): a small file does not take a
	// highWaterMark-sized buffer, which is Go heap the collector would
	// have to chase (about a third of a small file's stream cost went
	// to Go's GC and its preemptions). The probe below catches a file
	// that grew since.
	want := n
	start := max(pos, 0)
	if left := fi.Size() - start; left < int64(want) {
		want = int(max(left, 0))
	}
	buf := make([]byte, want)
	k := 0
	if want > 0 {
		if k, err = readOnce(f, buf, pos); err != nil {
			return o
		}
	}
	return o.probe(func(b []byte, at int64) (int, error) { return readOnce(f, b, at) }, buf, k, n, pos)
}

// probe finishes a first read that got k bytes into buf (asked for n, or
// fewer when the file held fewer): zero bytes of a non-empty ask is the
// end of the file; a short read reads once more, as the stream's next
// _read would, to find the end.
func (o openReadResult) probe(rd func([]byte, int64) (int, error), buf []byte, k, n int, pos int64) openReadResult {
	if k == 0 && len(buf) > 0 {
		o.data, o.eof = buf[:0], true
		return o
	}
	if k < n {
		// Less than asked for: read once more, as the stream's next _read
		// would; zero bytes is the end of the file.
		next := pos
		if pos >= 0 {
			next = pos + int64(k)
		}
		var probe [1]byte
		m, err := rd(probe[:], next)
		switch {
		case err == nil && m == 0:
			o.eof = true
		case m == 1:
			// The file grew between the reads: keep the byte.
			buf = append(buf[:k], probe[0])
			k++
		}
	}
	o.data = buf[:k]
	return o
}

func readOnce(f *os.File, buf []byte, pos int64) (int, error) {
	var k int
	var err error
	if pos >= 0 {
		k, err = f.ReadAt(buf, pos)
	} else {
		k, err = f.Read(buf)
	}
	if err == io.EOF {
		err = nil
	}
	return k, err
}
