// Package blobsignal finds the files in a package that a reviewer cannot
// read: native executables (ELF, Mach-O, PE, WebAssembly) and minified or
// obfuscated JavaScript. An update that brings such a file where the
// previous version had none is how several npm attacks shipped their
// payload (event-stream's minified flatmap-stream, the 2025 chalk/debug
// obfuscated browser stealer, Shai-Hulud's bundled binaries), so the
// installer reports it as a change signal.
//
// The checks are heuristics over each file's first bytes: magic numbers
// for binaries; for JavaScript, line length, the share of whitespace and
// the density of hex escapes and _0x identifiers (javascript-obfuscator's
// signature). They are tuned to stay quiet on ordinary source files and on
// generated-but-readable bundles.
package blobsignal

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Kinds of unreadable files.
const (
	ELF         = "ELF executable"
	MachO       = "Mach-O binary"
	PE          = "Windows executable"
	Wasm        = "WebAssembly module"
	Minified    = "minified JavaScript"
	Obfuscated  = "obfuscated JavaScript"
	Encoded     = "base64 blob in JavaScript"
	encodedMin  = 4096    // a base64 string this long is an embedded file
	minJSSize   = 2048    // smaller scripts are not judged: too little text to tell
	maxJSRead   = 1 << 20 // bytes of a script read for the heuristics
	longLine    = 1000    // a line this long is not written by hand
	minWSRatio  = 0.08    // hand-written code is ~15-30% whitespace
	hexEscapes  = 64      // \xNN escapes that, dense enough, mean encoded strings
	obfuscIdent = 16      // _0x1a2b-style identifiers
)

// Blob is one unreadable file.
type Blob struct {
	Path string `json:"path"` // slash-separated, relative to the package folder
	Kind string `json:"kind"`
	Why  string `json:"why"`
}

// Classify says what data (the start of the file at name) is, or "" when it
// is an ordinary file. size is the whole file's size.
func Classify(name string, data []byte, size int64) (kind, why string) {
	if k := magic(data); k != "" {
		return k, "magic number"
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".js", ".cjs", ".mjs":
	default:
		return "", ""
	}
	if size < minJSSize {
		return "", ""
	}
	return judgeScript(data)
}

// magic recognises executables by their first bytes.
func magic(b []byte) string {
	switch {
	case len(b) >= 4 && bytes.Equal(b[:4], []byte{0x7f, 'E', 'L', 'F'}):
		return ELF
	case len(b) >= 4 && bytes.Equal(b[:4], []byte{0, 'a', 's', 'm'}):
		return Wasm
	case len(b) >= 4 && (bytes.Equal(b[:4], []byte{0xfe, 0xed, 0xfa, 0xce}) || bytes.Equal(b[:4], []byte{0xce, 0xfa, 0xed, 0xfe}) ||
		bytes.Equal(b[:4], []byte{0xfe, 0xed, 0xfa, 0xcf}) || bytes.Equal(b[:4], []byte{0xcf, 0xfa, 0xed, 0xfe})):
		return MachO
	case len(b) >= 8 && bytes.Equal(b[:4], []byte{0xca, 0xfe, 0xba, 0xbe}):
		// A universal Mach-O binary, unless it is a Java class file (same
		// magic): a fat header counts architectures (a handful), a class
		// file has its version there (45 and up).
		if n := binary.BigEndian.Uint32(b[4:8]); n > 0 && n < 20 {
			return MachO
		}
	case len(b) >= 0x40 && b[0] == 'M' && b[1] == 'Z':
		off := int(binary.LittleEndian.Uint32(b[0x3c:0x40]))
		if off > 0 && off+4 <= len(b) && bytes.Equal(b[off:off+4], []byte{'P', 'E', 0, 0}) {
			return PE
		}
	}
	return ""
}

// judgeScript applies the minified/obfuscated heuristics.
func judgeScript(b []byte) (kind, why string) {
	// javascript-obfuscator's identifiers and encoded string tables.
	idents := countObfuscatedIdents(b)
	escapes := bytes.Count(b, []byte(`\x`))
	if idents >= obfuscIdent {
		return Obfuscated, fmt.Sprintf("%d _0x-style identifiers", idents)
	}
	if escapes >= hexEscapes && escapes*4*20 >= len(b) { // escapes make up 5% of the text or more
		return Obfuscated, fmt.Sprintf("%d hex-escaped characters", escapes)
	}
	st := scanScript(b)
	ratio := float64(st.ws) / float64(len(b))
	if st.longestString >= encodedMin && st.longestStringB64*100 >= st.longestString*97 {
		return Encoded, fmt.Sprintf("a %s base64 string", humanSize(st.longestString))
	}
	if st.longestCode >= longLine && ratio < minWSRatio {
		return Minified, fmt.Sprintf("a %s line, %.0f%% whitespace", humanSize(st.longestCode), ratio*100)
	}
	return "", ""
}

type scriptStats struct {
	ws               int // whitespace bytes
	longestCode      int // longest line, each string literal counted as one byte
	longestString    int // longest string literal
	longestStringB64 int // its bytes in the base64 alphabet
}

// scanScript measures a script's lines without its string literals (a
// long regular expression or message in a string is not minification)
// and its longest string (a large base64 string is an embedded file). It
// tracks strings and comments only roughly: enough for these measures.
func scanScript(b []byte) scriptStats {
	var st scriptStats
	var cur, strLen, strB64 int
	var quote byte // the open string's quote, 0 outside strings
	lineComment, blockComment, escaped := false, false, false
	endString := func() {
		if strLen > st.longestString {
			st.longestString, st.longestStringB64 = strLen, strB64
		}
		quote, strLen, strB64 = 0, 0, 0
	}
	for i, c := range b {
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			st.ws++
		}
		if c == '\n' {
			st.longestCode = max(st.longestCode, cur)
			cur = 0
			lineComment = false
			if quote == '\'' || quote == '"' { // these cannot span lines: we misread a quote
				endString()
			}
		}
		switch {
		case lineComment:
			continue
		case blockComment:
			if c == '/' && i > 0 && b[i-1] == '*' {
				blockComment = false
			}
			continue
		case quote != 0:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == quote:
				endString()
				continue
			}
			strLen++
			if isB64(c) {
				strB64++
			}
			continue
		}
		switch {
		case c == '\'' || c == '"' || c == '`':
			quote = c
			cur++
		case c == '/' && i+1 < len(b) && b[i+1] == '/':
			lineComment = true
		case c == '/' && i+1 < len(b) && b[i+1] == '*':
			blockComment = true
		case c != '\n':
			cur++
		}
	}
	if quote != 0 {
		endString()
	}
	st.longestCode = max(st.longestCode, cur)
	return st
}

func isB64(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '='
}

// countObfuscatedIdents counts identifiers such as _0x3f2a1b.
func countObfuscatedIdents(b []byte) int {
	n := 0
	for i := 0; i+6 <= len(b); i++ {
		if b[i] != '_' || b[i+1] != '0' || b[i+2] != 'x' {
			continue
		}
		if i > 0 && isIdent(b[i-1]) {
			continue
		}
		j := i + 3
		for j < len(b) && isHex(b[j]) {
			j++
		}
		if j-(i+3) >= 4 {
			n++
		}
		i = j
	}
	return n
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isIdent(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func humanSize(n int) string {
	if n >= 1024 {
		return fmt.Sprintf("%d KB", n/1024)
	}
	return fmt.Sprintf("%d B", n)
}

// ScanDir classifies the files under dir (a package folder). files lists
// them (slash-separated, relative); nil walks the folder.
func ScanDir(dir string, files []string) ([]Blob, error) {
	if files == nil {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				rel, _ := filepath.Rel(dir, p)
				files = append(files, filepath.ToSlash(rel))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var out []Blob
	buf := make([]byte, maxJSRead)
	for _, f := range files {
		kind, why, err := classifyFile(filepath.Join(dir, filepath.FromSlash(f)), f, buf)
		if err != nil {
			return nil, err
		}
		if kind != "" {
			out = append(out, Blob{Path: f, Kind: kind, Why: why})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func classifyFile(p, name string, buf []byte) (kind, why string, err error) {
	f, err := os.Open(p)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return "", "", err
	}
	want := 0x400 // enough for every magic number, including PE's header offset
	switch strings.ToLower(path.Ext(name)) {
	case ".js", ".cjs", ".mjs":
		want = len(buf)
	}
	n, err := io.ReadFull(f, buf[:min(int64(want), st.Size())])
	if err != nil && err != io.ErrUnexpectedEOF {
		return "", "", err
	}
	kind, why = Classify(name, buf[:n], st.Size())
	return kind, why, nil
}

// rank orders kinds at one path: obfuscation is worse than minification.
func rank(kind string) int {
	switch kind {
	case Minified:
		return 1
	case Obfuscated, Encoded:
		return 2
	}
	return 3 // executables
}

// Added is what next has that prev did not: a file at a path where prev
// had no unreadable file, or had a milder kind (minified code that became
// obfuscated, a script that became a binary).
func Added(prev, next []Blob) []Blob {
	had := map[string]string{}
	for _, b := range prev {
		had[b.Path] = b.Kind
	}
	var out []Blob
	for _, b := range next {
		k, ok := had[b.Path]
		if ok && (k == b.Kind || rank(k) >= rank(b.Kind)) {
			continue
		}
		out = append(out, b)
	}
	return out
}

// Describe summarises blobs for one line of the install summary:
// "new minified JavaScript dist/x.js (a 48 KB line, 2% whitespace)", at
// most three files named.
func Describe(blobs []Blob) string {
	var parts []string
	for i, b := range blobs {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(blobs)-3))
			break
		}
		parts = append(parts, fmt.Sprintf("new %s %s (%s)", b.Kind, b.Path, b.Why))
	}
	return strings.Join(parts, ", ")
}
