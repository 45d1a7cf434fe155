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
	"strings"
	"sync"

	"github.com/andybalholm/brotli"

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
// into out directly; decompressors (pull-based in Go) run on their own
// goroutine fed through a channel, see decoder.
type zstream struct {
	mode   int
	level  int
	strat  int
	dict   []byte
	params [4]int // brotli quality, lgwin, mode, size hint

	out bytes.Buffer
	w   interface {
		io.Writer
		Flush() error
		Close() error
	}
	dec      *decoder
	closed   bool
	finished bool // a compressor after Z_FINISH produces nothing more
}

func newZstream(mode, level, strategy int, dict []byte, params [4]int) (*zstream, error) {
	z := &zstream{mode: mode, level: level, strat: strategy, dict: dict, params: params}
	return z, z.init()
}

func (z *zstream) init() error {
	z.out.Reset()
	z.finished = false
	lvl := z.level
	if z.strat == 2 { // Z_HUFFMAN_ONLY
		lvl = flate.HuffmanOnly
	}
	var err error
	switch z.mode {
	case zDeflate:
		z.w, err = zlib.NewWriterLevelDict(&z.out, lvl, z.dict)
	case zDeflateRaw:
		z.w, err = flate.NewWriterDict(&z.out, lvl, z.dict)
	case zGzip:
		var g *gzip.Writer
		g, err = gzip.NewWriterLevel(&z.out, lvl)
		if err == nil {
			g.Header.OS = 3 // unix, as Node's zlib writes
			z.w = g
		}
	case zBrotliEnc:
		q, lgwin := z.params[0], z.params[1]
		z.w = brotli.NewWriterOptions(&z.out, brotli.WriterOptions{Quality: q, LGWin: lgwin})
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

// write feeds in with a flush flag and returns the output produced.
func (z *zstream) write(in []byte, flush int) ([]byte, error) {
	if z.closed {
		return nil, errors.New("zlib binding closed")
	}
	if z.dec != nil {
		return z.dec.write(in, flush == zFinish)
	}
	if z.finished {
		return []byte{}, nil
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
	case zSyncFlush, zFullFlush, zPartialFlush, zBlock:
		if err := z.w.Flush(); err != nil {
			return nil, err
		}
	}
	out := bytes.Clone(z.out.Bytes())
	z.out.Reset()
	return out, nil
}

func (z *zstream) close() {
	if z.closed {
		return
	}
	z.closed = true
	if z.dec != nil {
		z.dec.close()
	}
}

func (z *zstream) reset() error {
	if z.dec != nil {
		z.dec.close()
	}
	z.dec = nil
	z.closed = false
	return z.init()
}

// decoder runs a pull-based Go decompressor on a goroutine. write hands it a
// chunk and waits until it asks for more input (all output decodable from
// what it has is then in out) or finishes.
type decoder struct {
	in   chan []byte
	need chan struct{}
	done chan struct{}
	quit chan struct{}

	mu  sync.Mutex
	out bytes.Buffer
	err error // io.EOF at a clean end

	finished  bool
	inputDone bool
	waiting   bool // the reader's last request for input was received: it is at <-in
	quitOnce  sync.Once
}

type chanReader struct {
	d   *decoder
	cur []byte
}

func (r *chanReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		select {
		case r.d.need <- struct{}{}:
		case <-r.d.quit:
			return 0, io.EOF
		}
		select {
		case b, ok := <-r.d.in:
			if !ok {
				return 0, io.EOF
			}
			r.cur = b
		case <-r.d.quit:
			return 0, io.EOF
		}
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

func newDecoder(mode int, dict []byte) *decoder {
	d := &decoder{in: make(chan []byte), need: make(chan struct{}), done: make(chan struct{}), quit: make(chan struct{})}
	go d.run(mode, dict)
	return d
}

func (d *decoder) run(mode int, dict []byte) {
	defer close(d.done)
	br := bufio.NewReader(&chanReader{d: d})
	var r io.Reader
	var err error
	switch mode {
	case zUnzip:
		var magic []byte
		magic, err = br.Peek(2)
		if err != nil {
			err = io.ErrUnexpectedEOF
		} else if magic[0] == 0x1f && magic[1] == 0x8b {
			r, err = newGzipMembers(br)
		} else if err == nil {
			r, err = zlib.NewReaderDict(br, dict)
		}
	case zGunzip:
		r, err = newGzipMembers(br)
	case zInflate:
		r, err = zlib.NewReaderDict(br, dict)
	case zInflateRaw:
		r = flate.NewReaderDict(br, dict)
	case zBrotliDec:
		r = brotli.NewReader(br)
	}
	if err == nil {
		buf := make([]byte, 32<<10)
		for {
			var n int
			n, err = r.Read(buf)
			if n > 0 {
				d.mu.Lock()
				d.out.Write(buf[:n])
				d.mu.Unlock()
			}
			if err != nil {
				break
			}
		}
	}
	d.mu.Lock()
	d.err = mapZlibError(err, mode)
	d.mu.Unlock()
}

// gzipMembers reads concatenated gzip members as zlib's gunzip does: after
// a member, anything that does not start another one is a header error.
type gzipMembers struct {
	br *bufio.Reader
	z  *gzip.Reader
}

func newGzipMembers(br *bufio.Reader) (io.Reader, error) {
	// Check the magic bytes as they arrive, as zlib does, so short garbage
	// is a header error rather than a truncated header.
	if err := gzipMagic(br); err != nil {
		return nil, err
	}
	z, err := gzip.NewReader(br)
	if err != nil {
		return nil, err
	}
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

var brotliFormatErrors = map[string]int{
	"EXUBERANT_NIBBLE": -1, "RESERVED": -2, "EXUBERANT_META_NIBBLE": -3, "SIMPLE_HUFFMAN_ALPHABET": -4,
	"SIMPLE_HUFFMAN_SAME": -5, "CL_SPACE": -6, "HUFFMAN_SPACE": -7, "CONTEXT_MAP_REPEAT": -8,
	"BLOCK_LENGTH_1": -9, "BLOCK_LENGTH_2": -10, "TRANSFORM": -11, "DICTIONARY": -12,
	"WINDOW_BITS": -13, "PADDING_1": -14, "PADDING_2": -15, "DISTANCE": -16,
}

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
		if n, ok := brotliFormatErrors[name]; ok {
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

// waitIdle waits until the reader asks for input (or ends).
func (d *decoder) waitIdle() {
	if d.waiting {
		return
	}
	select {
	case <-d.need:
		d.waiting = true
	case <-d.done:
	}
}

func (d *decoder) write(in []byte, finish bool) ([]byte, error) {
	if !d.finished {
		if len(in) > 0 && !d.inputDone {
			d.waitIdle()
			if d.waiting {
				d.in <- in
				d.waiting = false
				d.waitIdle()
			}
		}
		if finish && !d.inputDone {
			d.waitIdle()
			d.inputDone = true
			close(d.in)
			<-d.done
		}
		select {
		case <-d.done:
			d.finished = true
		default:
		}
	}
	d.mu.Lock()
	out := bytes.Clone(d.out.Bytes())
	d.out.Reset()
	err := d.err
	d.mu.Unlock()
	if d.finished && err != io.EOF {
		return out, err
	}
	if finish && !d.finished {
		return out, errZEOF
	}
	return out, nil
}

func (d *decoder) close() {
	d.quitOnce.Do(func() { close(d.quit) })
}

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
