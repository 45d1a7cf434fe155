package runtime

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"unsafe"

	"gnode/internal/exepages"
	"gnode/internal/js/qjs"
)

// ES modules keep their compiled bytecode under CacheDir/bytecode too, in
// files named for a hash of the module's URL (import.meta.url and stack
// frames come from it), its source text (after the TypeScript transform)
// and the gnode build. QuickJS trusts the bytecode it reads, so each file
// carries a header with the payload's length and CRC: a damaged or
// truncated entry is treated as a miss and written again.

var _ qjs.ModuleCache = (*esmLoader)(nil)

// esmBytecodeMagic starts every ES module cache file.
const esmBytecodeMagic = "gnode-esm-qbc\x01"

// esmHeaderSize is the magic, the payload length (8 bytes) and its
// CRC-32C (4 bytes).
const esmHeaderSize = len(esmBytecodeMagic) + 8 + 4

// crc32c is made on first use: building the Castagnoli table at package
// init cost every gnode command (install included) about 0.2 ms.
var crc32c = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

// buildID names the engine and the gnode build that wrote a cache entry,
// so a different binary never reads bytecode it did not write.
var buildID = sync.OnceValue(func() string {
	id := bytecodeVersion
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return id
	}
	id += "|" + bi.GoVersion + "|" + bi.Main.Version
	for _, d := range bi.Deps {
		if d.Path == "modernc.org/libquickjs" || d.Path == "modernc.org/libc" {
			id += "|" + d.Path + "@" + d.Version
		}
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
			id += "|" + s.Value
		}
	}
	return id
})

// ModuleCacheKey returns the path of the cache entry of the module name
// with source src, or "" when the cache is off or name is not a file
// (built-in facades are generated per run and cheap). The key of a text
// LoadMapped has just hashed (the same buffer) is not computed again.
func (l *esmLoader) ModuleCacheKey(name string, src []byte) string {
	if l.r.opts.CacheDir == "" || !strings.HasPrefix(name, "file://") {
		return ""
	}
	if k := l.keyed; k.key != "" && k.name == name && k.n == len(src) && k.src == unsafe.SliceData(src) {
		l.keyed = moduleKey{}
		return k.key
	}
	h := l.moduleHash(name)
	h.Write(src)
	return l.moduleKeyOf(h)
}

// moduleKey is a module text's cache key, remembered for the buffer
// holding the text.
type moduleKey struct {
	name string
	src  *byte
	n    int
	key  string
}

// moduleHash starts the hash of the cache key of module name; its source
// text follows.
func (l *esmLoader) moduleHash(name string) hash.Hash {
	h := sha256.New()
	io.WriteString(h, "esm\x00")
	io.WriteString(h, buildID())
	h.Write([]byte{0})
	io.WriteString(h, name)
	h.Write([]byte{0})
	return h
}

func (l *esmLoader) moduleKeyOf(h hash.Hash) string {
	return filepath.Join(l.r.opts.CacheDir, "bytecode", "m-"+hex.EncodeToString(h.Sum(nil)[:16])+".qbc")
}

// compileModuleIsolated compiles the module name from the mapped file w
// in a runtime of its own and stores its bytecode under key. A module
// that does not compile is left to the VM, which reports the error.
func (l *esmLoader) compileModuleIsolated(name string, w *wrappedSource, key string) {
	isolatedCompiles.Add(1)
	exepages.Release()
	debug.FreeOSMemory()
	err := qjs.CompileIsolated(w.all(), name, qjs.IsolatedOptions{
		MaxStackSlots: maxStackSlots,
		StripSource:   w.textLen >= stripSourceMinSize,
		Module:        true,
		Progress:      w.progress(),
	}, func(bc []byte) error {
		if !w.unchanged() {
			return errors.New("file changed while compiled")
		}
		l.StoreModule(key, func(w io.Writer) error {
			_, err := w.Write(bc)
			return err
		})
		return nil
	})
	_ = err // the VM compiles what failed here, and reports it
}

// CachedModule returns the verified payload of the cache entry at path.
func (l *esmLoader) CachedModule(path string) ([]byte, func(), bool) {
	var b []byte
	done := func() {}
	if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
		return nil, nil, false
	} else if fi.Size() >= largeSourceMin {
		s, ok := readScratch(path)
		if !ok {
			return nil, nil, false
		}
		b, done = s, s.release
	} else if b, err = os.ReadFile(path); err != nil {
		return nil, nil, false
	}
	payload, ok := checkESMEntry(b)
	if !ok {
		done()
		return nil, nil, false
	}
	return payload, done, true
}

// checkESMEntry returns the payload of a cache file when its header,
// length and checksum all match.
func checkESMEntry(b []byte) ([]byte, bool) {
	if len(b) < esmHeaderSize || !bytes.HasPrefix(b, []byte(esmBytecodeMagic)) {
		return nil, false
	}
	h := b[len(esmBytecodeMagic):esmHeaderSize]
	payload := b[esmHeaderSize:]
	if binary.LittleEndian.Uint64(h) != uint64(len(payload)) || binary.LittleEndian.Uint32(h[8:]) != crc32.Checksum(payload, crc32c()) || len(payload) == 0 {
		return nil, false
	}
	return payload, true
}

// StoreModule writes a cache entry atomically: a temp file in the same
// directory, renamed over path once complete. Failures only cost the
// entry.
func (l *esmLoader) StoreModule(path string, write func(io.Writer) error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return
	}
	cw := &crcWriter{w: tmp, h: crc32.New(crc32c())}
	_, err = tmp.Write(make([]byte, esmHeaderSize)) // filled in below
	if err == nil {
		err = write(cw)
	}
	if err == nil {
		hdr := make([]byte, esmHeaderSize)
		copy(hdr, esmBytecodeMagic)
		binary.LittleEndian.PutUint64(hdr[len(esmBytecodeMagic):], uint64(cw.n))
		binary.LittleEndian.PutUint32(hdr[len(esmBytecodeMagic)+8:], cw.h.Sum32())
		_, err = tmp.WriteAt(hdr, 0)
	}
	if cerr := tmp.Close(); err == nil && cerr == nil {
		if os.Rename(tmp.Name(), path) == nil {
			return
		}
	}
	os.Remove(tmp.Name())
}

type crcWriter struct {
	w io.Writer
	h hash.Hash32
	n int64
}

func (c *crcWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	return n, err
}
