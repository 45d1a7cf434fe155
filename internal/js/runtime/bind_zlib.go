package runtime

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"iter"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/andybalholm/brotli"
	kflate "github.com/klauspost/compress/flate"
	kgzip "github.com/klauspost/compress/gzip"
	kzlib "github.com/klauspost/compress/zlib"

	"gnode/internal/js/qjs"
)

// Modes, as in Node's zlib.constants.
const (
	zDeflate    = 1
	zInflate    = 2
	zGzip       = 3
	zGunzip     = 4
	zDeflateRaw = 5
	zInflateRaw = 6
	zUnzip      = 7
	zBrotliDec  = 8
	zBrotliEnc  = 9

	zNoFlush      = 0
	zPartialFlush = 1
	zSyncFlush    = 2
	zFullFlush    = 3
	zFinish       = 4
	zBlock        = 5
)

// zlibError is a zlib/brotli failure with Node's code and errno.
type zlibError struct {
	code  string
	errno int
	msg   string
}

func (e *zlibError) Error() string { return e.msg }

var (
	errZHeader    = &zlibError{"Z_DATA_ERROR", -3, "incorrect header check"}
	errZCheck     = &zlibError{"Z_DATA_ERROR", -3, "incorrect data check"}
	errZData      = &zlibError{"Z_DATA_ERROR", -3, "invalid block type"}
	errZEOF       = &zlibError{"Z_BUF_ERROR", -5, "unexpected end of file"}
	errZNeedDict  = &zlibError{"Z_NEED_DICT", 2, "Missing dictionary"}
	errZBadDict   = &zlibError{"Z_DATA_ERROR", -3, "Bad dictionary"}
	errBrotliData = &zlibError{"ERR__ERROR_FORMAT_PADDING_1", -14, "Decompression failed"}
)

// zstream is one compression or decompression stream. Compressors write
// into out directly; decompressors (pull-based in Go) run as coroutines
// fed one chunk at a time, see decoder.
//
// Deflate output comes from klauspost/compress, whose levels 1-6 are
// several times faster than compress/flate's (1 MB of JSON at level 6:
// about 30 ms against 180 ms, zlib's own 40 ms) for output 3-8% larger
// than zlib's at the same level. Inflate stays on compress/flate: its
// errors are what mapZlibError turns into zlib's codes.
type zstream struct {
	mode   int
	level  int
	strat  int
	dict   []byte
	params [4]int // brotli quality, lgwin, mode, size hint

	out      bytes.Buffer
	w        zwriter
	pool     *sync.Pool // where w goes back when finished, nil if it may not
	dec      *decoder
	closed   bool
	finished bool // a compressor after Z_FINISH produces nothing more

	// mu serialises writes: a chunk handed to the thread pool may still be
	// in work when the loop resets or closes the stream. A close that finds
	// it busy leaves closeReq for the write to act on when it is done.
	mu       sync.Mutex
	closeReq atomic.Bool
}

func newZstream(mode, level, strategy int, dict []byte, params [4]int) (*zstream, error) {
	z := &zstream{mode: mode, level: level, strat: strategy, dict: dict, params: params}
	return z, z.init()
}

func (z *zstream) init() error {
	z.out.Reset()
	z.finished = false
	lvl := z.level
	switch {
	case z.strat == 2: // Z_HUFFMAN_ONLY
		lvl = kflate.HuffmanOnly
	case lvl == -1:
		lvl = 6 // zlib's default; klauspost's would be 5
	}
	var err error
	switch z.mode {
	case zDeflate, zDeflateRaw, zGzip, zBrotliEnc:
		z.w, err = z.newEncoder(lvl)
	case zInflate, zInflateRaw, zGunzip, zUnzip, zBrotliDec:
		z.dec = newDecoder(z.mode, z.dict)
	default:
		return fmt.Errorf("zlib: unknown mode %d", z.mode)
	}
	if err != nil {
		return &zlibError{"Z_STREAM_ERROR", -2, "Init error"}
	}
	return nil
}

// zwriter is a compressor: klauspost's flate, zlib and gzip writers and
// brotli's all have these methods.
type zwriter interface {
	io.Writer
	Flush() error
	Close() error
	Reset(io.Writer)
}

// encKey names an encoder configuration whose writers can be reused.
type encKey struct{ mode, level, quality, lgwin int }

// encPools keeps finished encoders by configuration: a compressor's tables
// (hundreds of KB for deflate, MBs for brotli) cost more to allocate and
// clear than an 8 KB response takes to compress, and a server compresses
// many responses with one configuration.
var encPools sync.Map // encKey → *sync.Pool

func (z *zstream) encKey(lvl int) (encKey, bool) {
	if z.dict != nil {
		return encKey{}, false // a dictionary is part of the writer's state
	}
	k := encKey{mode: z.mode, level: lvl}
	if z.mode == zBrotliEnc {
		k = encKey{mode: z.mode, quality: z.params[0], lgwin: z.params[1]}
	}
	return k, true
}

func (z *zstream) newEncoder(lvl int) (zwriter, error) {
	key, poolable := z.encKey(lvl)
	z.pool = nil
	if poolable {
		p, _ := encPools.LoadOrStore(key, &sync.Pool{})
		z.pool = p.(*sync.Pool)
		if w, ok := z.pool.Get().(zwriter); ok {
			w.Reset(&z.out)
			if g, ok := w.(*kgzip.Writer); ok {
				g.Header.OS = 3
			}
			return w, nil
		}
	}
	switch z.mode {
	case zDeflate:
		return kzlib.NewWriterLevelDict(&z.out, lvl, z.dict)
	case zDeflateRaw:
		return kflate.NewWriterDict(&z.out, lvl, z.dict)
	case zGzip:
		g, err := kgzip.NewWriterLevel(&z.out, lvl)
		if err != nil {
			return nil, err
		}
		g.Header.OS = 3 // unix, as Node's zlib writes
		return g, nil
	default: // zBrotliEnc
		return brotli.NewWriterOptions(&z.out, brotli.WriterOptions{Quality: z.params[0], LGWin: z.params[1]}), nil
	}
}

// write feeds in with a flush flag and returns the output produced.
func (z *zstream) write(in []byte, flush int) ([]byte, error) {
	z.mu.Lock()
	defer z.afterWrite()
	return z.writeLocked(in, flush)
}

func (z *zstream) afterWrite() {
	z.mu.Unlock()
	if z.closeReq.Load() && z.mu.TryLock() {
		z.closeLocked()
		z.mu.Unlock()
	}
}

func (z *zstream) writeLocked(in []byte, flush int) ([]byte, error) {
	if z.closed {
		return nil, errors.New("zlib binding closed")
	}
	if z.dec != nil {
		return z.dec.write(in, flush == zFinish)
	}
	if z.finished {
		return []byte{}, nil
	}
	if flush == zFinish && z.out.Len() == 0 {
		// Room for text compressing 4:1 without the buffer regrowing.
		z.out.Grow(len(in)/4 + 64)
	}
	if len(in) > 0 {
		if _, err := z.w.Write(in); err != nil {
			return nil, err
		}
	}
	switch flush {
	case zFinish:
		z.finished = true
		if err := z.w.Close(); err != nil {
			return nil, err
		}
		if z.pool != nil {
			// Nothing writes to a finished stream (reset makes a new
			// writer), so this one can serve the next stream.
			z.pool.Put(z.w)
			z.w, z.pool = nil, nil
		}
	case zSyncFlush, zFullFlush, zPartialFlush, zBlock:
		if err := z.w.Flush(); err != nil {
			return nil, err
		}
	}
	// The bytes go to JavaScript as they are (no copy); the next write
	// starts a new buffer.
	out := z.out.Bytes()
	if out == nil {
		out = []byte{}
	}
	z.out = bytes.Buffer{}
	return out, nil
}

// close ends the stream now, or, when a write is in work, as soon as it
// is done (sequentially consistent atomics: either TryLock wins or the
// write's own check after unlocking sees closeReq).
func (z *zstream) close() {
	z.closeReq.Store(true)
	if z.mu.TryLock() {
		z.closeLocked()
		z.mu.Unlock()
	}
}

func (z *zstream) closeLocked() {
	if z.closed {
		return
	}
	z.closed = true
	if z.dec != nil {
		z.dec.close()
	}
}

func (z *zstream) reset() error {
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.dec != nil {
		z.dec.close()
	}
	z.closeReq.Store(false)
	z.dec = nil
	z.closed = false
	return z.init()
}

// decoder runs a pull-based Go decompressor as a coroutine (iter.Pull):
// write hands it a chunk and resumes it; it runs, on the caller's thread,
// until it has consumed the chunk and asks for more (all output decodable
// so far is then in out) or until the stream ends. A switch costs well
// under a microsecond, where a goroutine fed through channels paid a
// thread wake-up per chunk (milliseconds on a loaded machine).
//
// The runtime only lets a coroutine be resumed from goroutines whose
// OS-thread lock matches its creator's: the loop goroutine and the
// goroutines that run big chunks (zstream.write's callback form) lock no
// thread. Should the loop ever call runtime.LockOSThread, decoders must be
// resumed from the loop alone.
type decoder struct {
	next func() (struct{}, bool)
	stop func()

	cur       []byte // input the reader has not taken yet, valid during write
	inputDone bool   // no more input: the reader sees EOF instead of waiting
	out       []byte
	err       error // io.EOF at a clean end
	finished  bool
}

// errStopped ends a decoder that was closed while waiting for input.
var errStopped = errors.New("zlib: stream closed")

// coroReader is the decompressor's input: it yields to write for each
// chunk.
type coroReader struct {
	d     *decoder
	yield func(struct{}) bool
}

func (r *coroReader) Read(p []byte) (int, error) {
	for len(r.d.cur) == 0 {
		if r.d.inputDone {
			return 0, io.EOF
		}
		if !r.yield(struct{}{}) {
			return 0, errStopped
		}
	}
	n := copy(p, r.d.cur)
	r.d.cur = r.d.cur[n:]
	return n, nil
}

func newDecoder(mode int, dict []byte) *decoder {
	d := &decoder{}
	d.next, d.stop = iter.Pull(func(yield func(struct{}) bool) {
		d.run(mode, dict, &coroReader{d: d, yield: yield})
	})
	return d
}

// decState is a decoder's reusable memory: the input buffer, the output
// scratch and the decompressors, which allocate their window and tables
// (32 KB for inflate, up to MBs for brotli) when made.
type decState struct {
	br     *bufio.Reader
	buf    []byte
	flate  io.ReadCloser // compress/flate's, a flate.Resetter
	zlib   io.ReadCloser // a zlib.Resetter
	gzip   *gzip.Reader
	brotli *brotli.Reader
}

var decStates = sync.Pool{New: func() any {
	return &decState{br: bufio.NewReader(nil), buf: make([]byte, 32<<10)}
}}

func (st *decState) inflater(src io.Reader, dict []byte) io.Reader {
	if st.flate == nil {
		st.flate = flate.NewReaderDict(src, dict)
	} else {
		st.flate.(flate.Resetter).Reset(src, dict)
	}
	return st.flate
}

func (st *decState) zlibReader(src io.Reader, dict []byte) (io.Reader, error) {
	if st.zlib == nil {
		r, err := zlib.NewReaderDict(src, dict)
		if err != nil {
			return nil, err
		}
		st.zlib = r
		return r, nil
	}
	if err := st.zlib.(zlib.Resetter).Reset(src, dict); err != nil {
		st.zlib = nil // its state is the failed header's: do not keep it
		return nil, err
	}
	return st.zlib, nil
}

func (st *decState) brotliReader(src io.Reader) io.Reader {
	if st.brotli == nil {
		st.brotli = brotli.NewReader(src)
	} else if st.brotli.Reset(src) != nil {
		st.brotli = brotli.NewReader(src)
	}
	return st.brotli
}

func (d *decoder) run(mode int, dict []byte, src *coroReader) {
	st := decStates.Get().(*decState)
	br := st.br
	br.Reset(src)
	var r io.Reader
	var err error
	switch mode {
	case zUnzip:
		var magic []byte
		magic, err = br.Peek(2)
		if err != nil {
			err = io.ErrUnexpectedEOF
		} else if magic[0] == 0x1f && magic[1] == 0x8b {
			r, err = newGzipMembers(br, st)
		} else if err == nil {
			r, err = st.zlibReader(br, dict)
		}
	case zGunzip:
		r, err = newGzipMembers(br, st)
	case zInflate:
		r, err = st.zlibReader(br, dict)
	case zInflateRaw:
		r = st.inflater(br, dict)
	case zBrotliDec:
		r = st.brotliReader(br)
	}
	if err == nil {
		// A scratch buffer, not out's spare room: Read may wait for input
		// (yield) and write hands out to JavaScript meanwhile.
		buf := st.buf
		for {
			var n int
			n, err = r.Read(buf)
			d.out = append(d.out, buf[:n]...)
			if err != nil {
				break
			}
		}
	}
	if err == io.EOF {
		// A clean end leaves every reader reusable; anything else (a
		// corrupt or closed stream) drops them with the state.
		br.Reset(nil)
		decStates.Put(st)
	}
	if err == errStopped {
		err = io.EOF
	}
	d.err = mapZlibError(err, mode)
	d.finished = true
}

// gzipMembers reads concatenated gzip members as zlib's gunzip does: after
// a member, anything that does not start another one is a header error.
type gzipMembers struct {
	br *bufio.Reader
	z  *gzip.Reader
}

func newGzipMembers(br *bufio.Reader, st *decState) (io.Reader, error) {
	// Check the magic bytes as they arrive, as zlib does, so short garbage
	// is a header error rather than a truncated header.
	if err := gzipMagic(br); err != nil {
		return nil, err
	}
	var z *gzip.Reader
	var err error
	if st.gzip != nil {
		z = st.gzip
		err = z.Reset(br)
	} else {
		z, err = gzip.NewReader(br)
	}
	if err != nil {
		st.gzip = nil
		return nil, err
	}
	st.gzip = z
	z.Multistream(false)
	return &gzipMembers{br: br, z: z}, nil
}

func gzipMagic(br *bufio.Reader) error {
	// zlib looks at the two magic bytes together: one byte of input is a
	// truncated stream whatever it is.
	b, err := br.Peek(2)
	if err != nil {
		return io.ErrUnexpectedEOF
	}
	if b[0] != 0x1f || b[1] != 0x8b {
		return gzip.ErrHeader
	}
	return nil
}

func (g *gzipMembers) Read(p []byte) (int, error) {
	n, err := g.z.Read(p)
	if err != io.EOF {
		return n, err
	}
	b, perr := g.br.Peek(1)
	if perr == io.EOF {
		return n, io.EOF
	}
	if perr != nil {
		return n, perr
	}
	if b[0] != 0x1f {
		return n, gzip.ErrHeader
	}
	if b, perr = g.br.Peek(2); perr == nil && b[1] != 0x8b {
		return n, gzip.ErrHeader
	}
	if err := g.z.Reset(g.br); err != nil {
		return n, err
	}
	g.z.Multistream(false)
	return n, nil
}

var brotliFormatErrors = sync.OnceValue(func() map[string]int {
	return map[string]int{
		"EXUBERANT_NIBBLE": -1, "RESERVED": -2, "EXUBERANT_META_NIBBLE": -3, "SIMPLE_HUFFMAN_ALPHABET": -4,
		"SIMPLE_HUFFMAN_SAME": -5, "CL_SPACE": -6, "HUFFMAN_SPACE": -7, "CONTEXT_MAP_REPEAT": -8,
		"BLOCK_LENGTH_1": -9, "BLOCK_LENGTH_2": -10, "TRANSFORM": -11, "DICTIONARY": -12,
		"WINDOW_BITS": -13, "PADDING_1": -14, "PADDING_2": -15, "DISTANCE": -16,
	}
})

func mapZlibError(err error, mode int) error {
	switch {
	case err == nil, errors.Is(err, io.EOF):
		return io.EOF
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errZEOF
	case mode == zBrotliDec && err.Error() == "brotli: excessive input":
		// andybalholm/brotli v1.3.0 reports this at the end of a stream
		// that arrived in small pieces even with no bytes left over (its
		// partial-input buffer counter is not cleared); the output is
		// complete, and data after a stream's end is ignored as zlib's is.
		return io.EOF
	case mode == zBrotliDec:
		// andybalholm/brotli names the decoder's error as brotli's C
		// library does ("brotli: PADDING_1"); Node's code and errno follow.
		name := strings.TrimPrefix(err.Error(), "brotli: ")
		if n, ok := brotliFormatErrors()[name]; ok {
			return &zlibError{"ERR__ERROR_FORMAT_" + name, n, "Decompression failed"}
		}
		return errBrotliData
	case errors.Is(err, zlib.ErrHeader), errors.Is(err, gzip.ErrHeader):
		return errZHeader
	case errors.Is(err, zlib.ErrChecksum), errors.Is(err, gzip.ErrChecksum):
		return errZCheck
	case errors.Is(err, zlib.ErrDictionary):
		return errZNeedDict
	}
	var ce flate.CorruptInputError
	if errors.As(err, &ce) {
		return errZData
	}
	return &zlibError{"Z_DATA_ERROR", -3, err.Error()}
}

func (d *decoder) write(in []byte, finish bool) ([]byte, error) {
	if !d.finished && (len(in) > 0 || finish) && !d.inputDone {
		d.cur = in
		if finish {
			d.inputDone = true
		}
		d.next()
		// The reader copies what it takes: nothing keeps in after this.
		d.cur = nil
	}
	out := d.out
	if out == nil {
		out = []byte{}
	}
	d.out = nil
	if d.finished && d.err != io.EOF {
		return out, d.err
	}
	if finish && !d.finished {
		return out, errZEOF
	}
	return out, nil
}

func (d *decoder) close() { d.stop() }

// bindZlib is internalBinding('zlib'), see lib/bindings/zlib.md.
func bindZlib(r *rt, obj qjs.Value) {
	vm := r.vm
	cls, err := vm.NewClass("ZlibHandle", func(o any) {
		if z, ok := o.(*zstream); ok {
			z.close()
		}
	})
	if err != nil {
		panic(fmt.Sprintf("zlib binding: %v", err))
	}
	get := func(v qjs.Value) *zstream {
		o, _ := vm.Opaque(v, cls)
		z, _ := o.(*zstream)
		return z
	}
	// create(mode, level, strategy, dictionary, [quality, lgwin, mode, sizeHint])
	r.fn(obj, "create", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		var dict []byte
		if b, ok := vm.TypedArrayBytes(qjs.Arg(a, 3)); ok {
			dict = bytes.Clone(b)
		}
		var params [4]int
		if p := qjs.Arg(a, 4); p.IsObject() {
			for i := range params {
				v, _ := vm.GetIndex(p, uint32(i))
				params[i] = int(vm.Int(v))
				vm.Free(v)
			}
		}
		z, err := newZstream(int(vm.Int(qjs.Arg(a, 0))), int(vm.Int(qjs.Arg(a, 1))), int(vm.Int(qjs.Arg(a, 2))), dict, params)
		if err != nil {
			return qjs.Undefined, vm.Throw(r.zlibErrorValue(vm, err))
		}
		return vm.NewInstance(cls, qjs.Undefined, z), nil
	})
	// write(handle, chunk, flush[, cb]) -> Uint8Array of output
	r.fn(obj, "write", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		z := get(qjs.Arg(a, 0))
		if z == nil {
			return qjs.Undefined, vm.TypeError("not a zlib handle")
		}
		chunk := r.argBytes(a, 1)
		flush := int(vm.Int(qjs.Arg(a, 2)))
		cb := qjs.Arg(a, 3)
		if !vm.IsFunction(cb) {
			out, err := z.write(chunk, flush)
			if err != nil {
				return qjs.Undefined, vm.Throw(r.zlibErrorValue(vm, err))
			}
			return vm.NewUint8Array(out), nil
		}
		cb = vm.Dup(cb)
		keep := []qjs.Value{vm.Dup(qjs.Arg(a, 0)), vm.Dup(qjs.Arg(a, 1))}
		done := r.loop.RegisterCallback()
		go func() {
			out, err := z.write(chunk, flush)
			done(func() {
				var args []qjs.Value
				if err != nil {
					args = []qjs.Value{r.zlibErrorValue(vm, err)}
				} else {
					args = []qjs.Value{qjs.Null, vm.NewUint8Array(out)}
				}
				v, cerr := vm.Call(cb, qjs.Undefined, args...)
				vm.FreeAll(args...)
				vm.Free(v)
				vm.Free(cb)
				vm.FreeAll(keep...)
				if cerr != nil {
					r.handleError(cerr)
				}
			})
		}()
		return qjs.Undefined, nil
	})
	r.fn(obj, "close", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if z := get(qjs.Arg(a, 0)); z != nil {
			z.close()
		}
		return qjs.Undefined, nil
	})
	r.fn(obj, "reset", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if z := get(qjs.Arg(a, 0)); z != nil {
			if err := z.reset(); err != nil {
				return qjs.Undefined, vm.Throw(r.zlibErrorValue(vm, err))
			}
		}
		return qjs.Undefined, nil
	})
	// crc32(data, initial) -> number
	r.fn(obj, "crc32", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		c := crc32.Update(uint32(vm.Float(qjs.Arg(a, 1))), crc32.IEEETable, r.argBytes(a, 0))
		return qjs.Float(float64(c)), nil
	})
}

func (r *rt) zlibErrorValue(vm *qjs.VM, err error) qjs.Value {
	var ze *zlibError
	if errors.As(err, &ze) {
		e := vm.NewError("Error", ze.msg)
		vm.Set(e, "errno", qjs.Int(int32(ze.errno)))
		vm.Set(e, "code", vm.String(ze.code))
		return e
	}
	return r.errorValue(vm, err)
}
