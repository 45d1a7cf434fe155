package runtime

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"unsafe"

	"gnode/internal/exepages"
	"gnode/internal/js/modresolve"
	"gnode/internal/js/qjs"
)

// The bytecode cache keeps QuickJS bytecode of lib files and of large user
// modules under CacheDir/bytecode, keyed by a hash of the wrapped source
// and its file name, so a warm start does not parse them again.
func (r *rt) bytecodePath(code, filename string) string {
	if r.opts.CacheDir == "" {
		return ""
	}
	h := sha256.New()
	h.Write([]byte(bytecodeVersion))
	io.WriteString(h, filename)
	h.Write([]byte{0})
	io.WriteString(h, code) // no []byte copy of a multi-megabyte source
	return filepath.Join(r.opts.CacheDir, "bytecode", hex.EncodeToString(h.Sum(nil)[:16])+".qbc")
}

// bytecodeVersion changes when the engine or the bytecode format does.
const bytecodeVersion = "libquickjs-v0.14.0/2" // 2: files ≥1 MB keep no function source

func (r *rt) cachedBytecode(code, filename string) ([]byte, bool) {
	if !strings.HasPrefix(filename, "node:") && len(code) < bytecodeMinSize {
		return nil, false
	}
	p := r.bytecodePath(code, filename)
	if p == "" {
		return nil, false
	}
	b, err := os.ReadFile(p)
	return b, err == nil
}

func (r *rt) storeBytecode(code, filename string, bc []byte) {
	p := r.bytecodePath(code, filename)
	if p == "" {
		return
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return
	}
	_, err = tmp.Write(bc)
	if cerr := tmp.Close(); err == nil && cerr == nil {
		os.Rename(tmp.Name(), p)
		return
	}
	os.Remove(tmp.Name())
}

// scratch is a buffer outside the Go heap for reading a big file: unmapping
// it hands its pages back at once, where a Go buffer of the same size
// would raise the heap's goal and stay resident until the scavenger gets
// to it. (require('typescript') read its 9 MB compiler several times.)
type scratch []byte

// readScratch reads the whole file at path into a scratch buffer. ok is
// false (and nothing needs releasing) when the file cannot be read this
// way; callers then take their ordinary path, which reports errors.
func readScratch(path string) (b scratch, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() == 0 || fi.Size() > 1<<31 {
		return nil, false
	}
	size := int(fi.Size())
	// One byte more than the size: a file that grew since Stat fills it.
	m, err := syscall.Mmap(-1, 0, size+1, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, false
	}
	n, err := io.ReadFull(f, m)
	if err != io.ErrUnexpectedEOF || n == 0 {
		syscall.Munmap(m)
		return nil, false
	}
	return scratch(m[:n]), true
}

func (b scratch) release() {
	if cap(b) > 0 {
		syscall.Munmap(b[:cap(b)])
	}
}

// largeSourceMin is the size from which module sources are read into
// scratch buffers and compiled straight from the JavaScript string.
const largeSourceMin = bytecodeMinSize

// readLargeSource returns the text of a big plain-JavaScript module as a
// JavaScript string (owned) without a Go copy. ok is false for small
// files, for sources needing a change (a BOM, a #! line, TypeScript) and
// on any error: the ordinary path then reads the file.
func (r *rt) readLargeSource(path string) (qjs.Value, bool) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".ts", ".mts", ".cts", ".tsx":
		return qjs.Undefined, false
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Size() < largeSourceMin {
		return qjs.Undefined, false
	}
	b, ok := readScratch(path)
	if !ok {
		return qjs.Undefined, false
	}
	defer b.release()
	if bytes.HasPrefix(b, []byte("\uFEFF")) || bytes.HasPrefix(b, []byte("#!")) {
		return qjs.Undefined, false
	}
	return r.vm.String(unsafe.String(unsafe.SliceData(b), len(b))), true
}

// compileWrapperValue is compileWrapper for a body given as a JavaScript
// string (borrowed), as the CommonJS loader passes it. A big body is
// hashed and compiled where it lies in engine memory, and its cached
// bytecode is read from a scratch buffer and run without the ReadBytecode
// round trip a fresh compile used to take; the Go heap never holds a copy
// of either. Small bodies take compileWrapper.
func (r *rt) compileWrapperValue(body qjs.Value, filename, params string) (qjs.Value, error) {
	vm := r.vm
	latin1, wide, flat, ok := vm.StringData(body)
	size := len(latin1) + 2*len(wide)
	if !ok || size < largeSourceMin {
		vm.Free(flat)
		return r.compileWrapper(vm.Str(body), filename, params)
	}
	path := r.bytecodePathOf(filename, params, latin1, wide)
	vm.Free(flat)
	if size >= stripSourceMinSize {
		vm.SetStripSource(true)
		defer vm.SetStripSource(false)
		// Loading the module is this run's memory peak: its text, its
		// bytecode and the functions read from it are all alive at once.
		// Start-up and module resolution have by now mapped megabytes of
		// the binary (code, and the pclntab the Go runtime reads when it
		// scans and grows the deep interpreter stacks) that reading and
		// compiling need little of: drop them and let what is used fault
		// back in. require('typescript'): peak 47.6 -> 46.2 MB, and 44.3
		// -> 38.0 MB once the loader frees the module text before running
		// it.
		exepages.Release()
	}
	if path != "" {
		if b, ok := readScratch(path); ok {
			f, err := vm.ReadBytecode(b)
			b.release()
			if err == nil {
				return vm.EvalFunction(f)
			}
			releaseJSError(err) // a damaged cache file: compile again
		}
	}
	prefix, suffix := "(function ("+params+") {", "\n})"
	if path == "" {
		v, _, err := vm.EvalWrapped(prefix, body, suffix, filename, qjs.Script)
		return v, err
	}
	f, _, err := vm.EvalWrapped(prefix, body, suffix, filename, qjs.Script|qjs.CompileOnly)
	if err != nil {
		return qjs.Undefined, err
	}
	r.storeBytecodeOf(path, f)
	return vm.EvalFunction(f)
}

// bytecodePathOf is bytecodePath for a wrapper around a body held as
// Latin-1 or UTF-16 characters.
func (r *rt) bytecodePathOf(filename, params string, latin1 []byte, wide []uint16) string {
	if r.opts.CacheDir == "" {
		return ""
	}
	h := sha256.New()
	io.WriteString(h, bytecodeVersion)
	io.WriteString(h, filename)
	h.Write([]byte{0})
	io.WriteString(h, params)
	if wide != nil {
		h.Write([]byte{0, 'W'})
		h.Write(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(wide))), 2*len(wide)))
	} else {
		h.Write([]byte{0, 'L'})
		h.Write(latin1)
	}
	return filepath.Join(r.opts.CacheDir, "bytecode", hex.EncodeToString(h.Sum(nil)[:16])+".qbc")
}

// storeBytecodeOf writes the bytecode of the compiled function f
// (borrowed) to path, atomically; failures only cost the cache entry.
func (r *rt) storeBytecodeOf(path string, f qjs.Value) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return
	}
	err = r.vm.WriteBytecodeTo(f, tmp)
	if cerr := tmp.Close(); err == nil && cerr == nil {
		os.Rename(tmp.Name(), path)
		return
	}
	releaseJSError(err)
	os.Remove(tmp.Name())
}

func releaseJSError(err error) {
	if je, ok := err.(*qjs.JSError); ok {
		je.Release()
	}
}

var _ qjs.MappedLoader = (*esmLoader)(nil)

// LoadMapped hands QuickJS the text of a big plain-JavaScript ES module
// straight from a scratch buffer (whose mapping is one zero byte longer
// than the file), where Load would copy it into a Go string and then into
// C memory. Functions of a module of 1 MB or more keep no source text, as
// for CommonJS (see stripSourceMinSize). Everything else (small files,
// TypeScript, JSON, CommonJS facades, built-ins, a BOM or #! line) takes
// Load.
func (l *esmLoader) LoadMapped(name string) ([]byte, func(), bool) {
	if !strings.HasPrefix(name, "file://") {
		return nil, nil, false
	}
	path := fileURLToPath(name)
	switch strings.ToLower(filepath.Ext(path)) {
	case ".mjs":
	case ".js":
		switch format, _ := l.res.FormatOf(path); format {
		case modresolve.FormatModule:
		case modresolve.FormatCommonJS, modresolve.FormatUnknown:
			if !l.detectModule(path) {
				return nil, nil, false
			}
		default:
			return nil, nil, false
		}
	default:
		return nil, nil, false
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() < largeSourceMin {
		return nil, nil, false
	}
	b, ok := readScratch(path)
	if !ok {
		return nil, nil, false
	}
	if bytes.HasPrefix(b, []byte("\uFEFF")) || bytes.HasPrefix(b, []byte("#!")) {
		b.release()
		return nil, nil, false
	}
	vm := l.r.vm
	strip := len(b) >= stripSourceMinSize
	if strip {
		vm.SetStripSource(true)
		exepages.Release() // as in compileWrapperValue
	}
	return b, func() {
		if strip {
			vm.SetStripSource(false)
		}
		b.release()
	}, true
}
