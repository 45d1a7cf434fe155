package runtime

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"syscall"
	"unicode/utf16"
	"unicode/utf8"
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
const bytecodeVersion = "libquickjs-v0.14.0/3" // 2: files ≥1 MB keep no function source; 3: wrapper bodies hashed as UTF-8

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
	if p := r.bytecodePath(code, filename); p != "" {
		r.storeBytecodeBytes(p, bc)
	}
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
//
// A CommonJS file (.js, .cjs) is read from a mapping of the file laid out
// as the wrapper the loader compiles, "(function (...) {" + text + "\n})",
// and its bytecode cache key is computed here. When the cache has no entry,
// the wrapper is compiled right away, before the text exists as a
// JavaScript string, in a throwaway runtime (qjs.CompileIsolated) whose
// memory all goes back to the OS; the compile binding that follows reads
// the bytecode like a warm start. Compiling in the loader's VM held the
// text twice and kept the parser's peak resident for the rest of the run
// (require('typescript') cold: 69 MB peak, warm 37 MB).
func (r *rt) readLargeSource(path string) (qjs.Value, bool) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".ts", ".mts", ".cts", ".tsx":
		return qjs.Undefined, false
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Size() < largeSourceMin {
		return qjs.Undefined, false
	}
	// A fresh runtime and context cost about 3 ms: worth it where the
	// parser's peak is megabytes.
	if (ext == ".js" || ext == ".cjs") && r.opts.CacheDir != "" && fi.Size() >= isolatedCompileMin {
		if v, ok := r.readWrapped(path); ok {
			return v, true
		}
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

// isolatedCompileMin is the size from which CommonJS files are compiled
// in a runtime of their own (readWrapped); tests lower it.
var isolatedCompileMin int64 = stripSourceMinSize

// isolatedCompiles counts compileIsolated calls, for tests.
var isolatedCompiles atomic.Int64

// precompiled is what readLargeSource learnt about the text it returned:
// the compile binding uses it when it is given that very string.
type precompiled struct {
	text qjs.Value // the string returned (a reference of its own)
	file string    // the file name it was read for
	path string    // its bytecode cache entry
	bc   scratch   // the bytecode compiled this run, or nil: read path
}

// dropPrecompiled forgets the text readLargeSource returned last and
// releases its bytecode (unless taken: nil).
func (r *rt) dropPrecompiled() {
	if p := r.esm.pre; p != nil {
		r.esm.pre = nil
		r.vm.Free(p.text)
		p.bc.release()
	}
}

// readWrapped is readLargeSource for a CommonJS file with the cache on.
func (r *rt) readWrapped(path string) (qjs.Value, bool) {
	r.dropPrecompiled()
	prefix, suffix := "(function ("+cjsParams+") {", "\n})"
	src, err := mapWrapped(path, prefix, suffix)
	if err != nil {
		return qjs.Undefined, false
	}
	defer src.release()
	text := src.text()
	if bytes.HasPrefix(text, []byte("\uFEFF")) || bytes.HasPrefix(text, []byte("#!")) {
		return qjs.Undefined, false
	}
	h := r.wrapperHash(path, cjsParams)
	valid := true
	if faulted(func() {
		// Hash and check the text a megabyte at a time, dropping each
		// part once read (the pages come back from the page cache).
		for off := 0; off < len(text); off += 1 << 20 {
			part := text[off:min(off+1<<20, len(text))]
			h.Write(part)
			valid = valid && utf8.Valid(part) // a rune split across parts: see below
			src.drop(off, len(part))
		}
		if !valid {
			valid = utf8.Valid(text)
			src.drop(0, len(text))
		}
	}) || !valid {
		// The string would not read back as these bytes: the compile
		// binding takes its ordinary path.
		return qjs.Undefined, false
	}
	entry := filepath.Join(r.opts.CacheDir, "bytecode", hex.EncodeToString(h.Sum(nil)[:16])+".qbc")
	var bc scratch
	if _, err := os.Stat(entry); err != nil {
		// The compile is the run's memory peak: let the binary's pages
		// (see compileWrapperValue and progress) and the Go heap's free
		// spans go first (cold require('typescript') -2 MB).
		exepages.Release()
		debug.FreeOSMemory()
		bc = r.compileIsolated(src, path)
		if bc != nil {
			r.storeBytecodeBytes(entry, bc)
		}
	}
	v := qjs.Undefined
	if faulted(func() { v = r.vm.String(unsafe.String(unsafe.SliceData(text), len(text))) }) {
		bc.release()
		return qjs.Undefined, false
	}
	r.esm.pre = &precompiled{text: r.vm.Dup(v), file: path, path: entry, bc: bc}
	return v, true
}

// faulted runs f and reports whether it faulted reading a file mapping
// (a file cut short after it was mapped raises SIGBUS on its missing
// pages, which would otherwise end the process).
func faulted(f func()) (fault bool) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if e := recover(); e != nil {
			if _, ok := e.(interface{ Addr() uintptr }); !ok {
				panic(e)
			}
			fault = true
		}
	}()
	f()
	return false
}

// compileIsolated compiles the wrapped source src in a runtime of its
// own and returns the bytecode in a scratch buffer, or nil when that
// fails (a syntax error, the file changing meanwhile): the compile
// binding then compiles in the VM and reports the error.
func (r *rt) compileIsolated(src *wrappedSource, path string) scratch {
	isolatedCompiles.Add(1)
	var bc scratch
	err := qjs.CompileIsolated(src.all(), path, qjs.IsolatedOptions{
		MaxStackSlots: maxStackSlots,
		StripSource:   len(src.text()) >= stripSourceMinSize,
		Progress:      src.progress(),
	}, func(b []byte) error {
		var ok bool
		bc, ok = newScratch(len(b))
		if !ok {
			return errors.New("out of memory")
		}
		copy(bc, b)
		return nil
	})
	if err != nil || !src.unchanged() {
		bc.release()
		return nil
	}
	return bc
}

// newScratch maps a scratch buffer of n bytes.
func newScratch(n int) (scratch, bool) {
	m, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, false
	}
	return scratch(m), true
}

// compileWrapperValue is compileWrapper for a body given as a JavaScript
// string (borrowed), as the CommonJS loader passes it. A big body is
// hashed and compiled where it lies in engine memory, and its cached
// bytecode is read from a scratch buffer and run without the ReadBytecode
// round trip a fresh compile used to take; the Go heap never holds a copy
// of either. The string readLargeSource returned comes with its cache
// entry (and its bytecode, when compiled this run). Small bodies take
// compileWrapper.
func (r *rt) compileWrapperValue(body qjs.Value, filename, params string) (qjs.Value, error) {
	vm := r.vm
	r.noteWrapper(filename, params) // cpuprof.go
	if p := r.esm.pre; p != nil {
		// Each read is followed by its compile: whatever the body, the
		// string read last is not needed any more.
		same := p.file == filename && params == cjsParams && qjs.SameString(p.text, body)
		b := p.bc
		p.bc = nil
		r.dropPrecompiled()
		if !same {
			b.release() // a hook changed the text: compile what it gave
		} else {
			exepages.Release() // see below: p is a file of isolatedCompileMin or more
			ok := b != nil
			if !ok {
				b, ok = readScratch(p.path)
			}
			if ok {
				f, err := vm.ReadBytecode(b)
				b.release()
				if err == nil {
					return vm.EvalFunction(f)
				}
				releaseJSError(err) // a damaged cache file: compile again
			}
		}
	}
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

// wrapperHash starts the hash naming the cache entry of a wrapper with
// params around a body, for file name filename; the body's text follows,
// as UTF-8.
func (r *rt) wrapperHash(filename, params string) hash.Hash {
	h := sha256.New()
	io.WriteString(h, bytecodeVersion)
	io.WriteString(h, filename)
	h.Write([]byte{0})
	io.WriteString(h, params)
	h.Write([]byte{0})
	return h
}

// bytecodePathOf is bytecodePath for a wrapper around a body held as
// Latin-1 or UTF-16 characters. The body is hashed as UTF-8, the bytes
// the compiler reads (a lone surrogate as U+FFFD, as EvalWrapped gives
// it), so a string read from a file has the key of the file's text.
func (r *rt) bytecodePathOf(filename, params string, latin1 []byte, wide []uint16) string {
	if r.opts.CacheDir == "" {
		return ""
	}
	h := r.wrapperHash(filename, params)
	var buf [32 << 10]byte
	n := 0
	put := func(c rune) {
		if n+utf8.UTFMax > len(buf) {
			h.Write(buf[:n])
			n = 0
		}
		n += utf8.EncodeRune(buf[n:], c)
	}
	if wide != nil {
		for i := 0; i < len(wide); i++ {
			c := rune(wide[i])
			if utf16.IsSurrogate(c) {
				c = utf8.RuneError
				if i+1 < len(wide) {
					if d := utf16.DecodeRune(rune(wide[i]), rune(wide[i+1])); d != utf8.RuneError {
						c = d
						i++
					}
				}
			}
			put(c)
		}
	} else {
		for len(latin1) > 0 {
			// ASCII runs go to the hash as they are.
			i := 0
			for i < len(latin1) && latin1[i] < utf8.RuneSelf {
				i++
			}
			if i > 0 {
				h.Write(buf[:n])
				n = 0
				h.Write(latin1[:i])
				latin1 = latin1[i:]
				continue
			}
			put(rune(latin1[0]))
			latin1 = latin1[1:]
		}
	}
	h.Write(buf[:n])
	return filepath.Join(r.opts.CacheDir, "bytecode", hex.EncodeToString(h.Sum(nil)[:16])+".qbc")
}

// storeBytecodeBytes writes bytecode bc to path, atomically; failures
// only cost the cache entry.
func (r *rt) storeBytecodeBytes(path string, bc []byte) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return
	}
	_, err = tmp.Write(bc)
	if cerr := tmp.Close(); err == nil && cerr == nil {
		os.Rename(tmp.Name(), path)
		return
	}
	os.Remove(tmp.Name())
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
	if l.r.opts.CacheDir != "" && len(b) >= int(isolatedCompileMin) {
		if b, ok = l.precompileModule(name, path, b); !ok {
			return nil, nil, false
		}
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

// precompileModule makes sure the module name, whose text b (a scratch
// buffer one zero byte longer) was read from path, has a cache entry, and
// returns the text to compile, with its key remembered for
// ModuleCacheKey (so a warm start hashes it once). On a miss the module is
// compiled in a runtime of its own (qjs.CompileIsolated) from a mapping of
// the file whose pages are dropped as the compiler reads them, the text
// being released meanwhile and read again afterwards: the parser's peak
// then holds neither copy. Cold import of typescript.js as a .mjs:
// 41.5 MB peak (49.6 compiling from the scratch buffer, 60.2 in the VM). ok is
// false when the file cannot be read again (the caller then loads it the
// ordinary way).
func (l *esmLoader) precompileModule(name, path string, b scratch) (scratch, bool) {
	key := l.ModuleCacheKey(name, b)
	if _, err := os.Stat(key); err == nil {
		l.keyed = moduleKey{name: name, src: unsafe.SliceData(b), n: len(b), key: key}
		return b, true
	}
	b.release()
	if w, err := mapWrapped(path, "", ""); err == nil {
		text := w.text()
		var key2 string
		if !faulted(func() {
			h := l.moduleHash(name)
			for off := 0; off < len(text); off += 1 << 20 {
				part := text[off:min(off+1<<20, len(text))]
				h.Write(part)
				w.drop(off, len(part))
			}
			key2 = l.moduleKeyOf(h)
		}) && key2 == key {
			l.compileModuleIsolated(name, w, key)
		}
		w.release()
	}
	b, ok := readScratch(path)
	if !ok {
		return nil, false
	}
	// Read again: the entry holds the text hashed first, which this read
	// matches only if the file did not change (ModuleCacheKey hashes it).
	l.keyed = moduleKey{}
	return b, true
}

// wrappedSource is a file mapped as the source the compiler reads:
// prefix, the file's text, suffix and a zero byte, contiguous. The text is
// a private mapping of the file itself (copy on write: the suffix lands
// on its last page), so pages the compiler has read can be dropped and
// come back from the page cache when read again; the prefix sits at the
// end of the anonymous page before it.
type wrappedSource struct {
	mem      []byte // the whole reservation
	start    int    // offset of the prefix in mem
	textOff  int    // offset of the text in mem
	textLen  int
	end      int // offset just past the zero byte
	fileInfo os.FileInfo
	path     string
}

const osPageSize = 4096

// mapWrapped maps path as prefix + text + suffix + "\x00".
func mapWrapped(path, prefix, suffix string) (*wrappedSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() == 0 || fi.Size() > 1<<31 {
		return nil, errors.New("not a regular file of a mappable size")
	}
	n := int(fi.Size())
	head := (len(prefix) + osPageSize - 1) &^ (osPageSize - 1)
	fileMap := (n + osPageSize - 1) &^ (osPageSize - 1)
	// One more page: the suffix of a text ending on a page boundary.
	mem, err := syscall.Mmap(-1, 0, head+fileMap+osPageSize, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, err
	}
	addr := uintptr(unsafe.Pointer(&mem[head]))
	_, _, e := syscall.Syscall6(syscall.SYS_MMAP, addr, uintptr(fileMap), syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_PRIVATE|syscall.MAP_FIXED, f.Fd(), 0)
	if e != 0 {
		syscall.Munmap(mem)
		return nil, e
	}
	w := &wrappedSource{mem: mem, start: head - len(prefix), textOff: head, textLen: n, fileInfo: fi, path: path}
	copy(mem[w.start:], prefix)
	// A file cut short since Stat would fault on its missing pages: check
	// again before the last page is written.
	if fi2, err := f.Stat(); err != nil || fi2.Size() != fi.Size() {
		syscall.Munmap(mem)
		return nil, errors.New("file changed while mapped")
	}
	k := head + n + copy(mem[head+n:], suffix)
	mem[k] = 0
	w.end = k + 1
	return w, nil
}

func (w *wrappedSource) text() []byte { return w.mem[w.textOff : w.textOff+w.textLen] }

// all is the whole source with its terminating zero byte.
func (w *wrappedSource) all() []byte { return w.mem[w.start:w.end] }

// drop hands back the resident pages of the text between off and off+n
// (rounded inwards to whole pages; never the last page, which holds the
// suffix). They are read again from the file when touched.
func (w *wrappedSource) drop(off, n int) {
	lo := (off + osPageSize - 1) &^ (osPageSize - 1)
	hi := min(off+n, w.textLen) &^ (osPageSize - 1)
	if last := w.textLen &^ (osPageSize - 1); hi > last {
		hi = last
	}
	if hi > lo {
		syscall.Madvise(w.mem[w.textOff+lo:w.textOff+hi], syscall.MADV_DONTNEED)
	}
}

// progress is called as the compiler of src works (qjs.IsolatedOptions
// Progress: every megabyte it allocates). It drops the text's pages: the
// compiler reads the text once front to back (and again, piecemeal, to
// number lines), so what stays resident is what it read last. Every
// eighth call it drops the binary's read-only pages too (exepages): the
// compiler's code and tables and the pclntab entries the Go runtime reads
// to grow its deep stack fault back in by 64 KiB neighbourhoods and
// reached 9-10 MB by the end of typescript's compile, most of it touched
// once (cold peak 46.3 -> 42.5 MB; refaulting what is in use costs a
// little system time). Tied to the compiler's work rather than a timer,
// this keeps working on a loaded machine.
func (w *wrappedSource) progress() func() {
	n := 0
	return func() {
		w.drop(0, w.textLen)
		if n++; n%8 == 0 {
			exepages.Release()
		}
	}
}

// unchanged reports whether the file still looks as it did when mapped
// (a text rewritten meanwhile may have been read half old, half new).
func (w *wrappedSource) unchanged() bool {
	fi, err := os.Stat(w.path)
	return err == nil && fi.Size() == w.fileInfo.Size() && fi.ModTime().Equal(w.fileInfo.ModTime())
}

func (w *wrappedSource) release() {
	syscall.Munmap(w.mem)
}
