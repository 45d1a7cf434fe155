package runtime

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
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
