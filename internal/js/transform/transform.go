// Package transform strips TypeScript to JavaScript with esbuild's Go API,
// in-process, and caches the output on disk keyed by a content hash.
//
// gnode runs .ts, .mts, .cts and .tsx files directly. The engine (QuickJS)
// implements ES2023, so esbuild lowers anything newer (for example standard
// decorators, which QuickJS lacks) and transforms TypeScript-only runtime
// constructs (enums, namespaces, parameter properties). Type-only imports are
// dropped, as tsc does without verbatimModuleSyntax.
package transform

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/evanw/esbuild/pkg/api"
)

// Format says which module syntax the output must use.
type Format int

const (
	// FormatPreserve keeps the module syntax the source was written in: ESM
	// stays ESM and CommonJS stays CommonJS. Use it for .ts files whose
	// package scope decides (the loader chooses CJS or ESM afterwards).
	FormatPreserve Format = iota
	// FormatCommonJS converts import/export to require/module.exports, as
	// tsc does for .cts files.
	FormatCommonJS
	// FormatESM keeps (or requires) ES module syntax, for .mts files and
	// .ts files in a "type": "module" scope.
	FormatESM
)

func (f Format) String() string {
	switch f {
	case FormatCommonJS:
		return "commonjs"
	case FormatESM:
		return "esm"
	}
	return "preserve"
}

// FormatForPath picks the output format Node's type stripping would give a
// file: .cts is CommonJS, .mts is ESM, and .ts/.tsx follow the nearest
// package.json "type" (pkgType "module" means ESM; anything else preserves
// the syntax so a CommonJS-scoped file that uses import still runs).
func FormatForPath(path, pkgType string) Format {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".cts":
		return FormatCommonJS
	case ".mts":
		return FormatESM
	}
	if pkgType == "module" {
		return FormatESM
	}
	return FormatPreserve
}

// Error is a TypeScript syntax error reported by esbuild, positioned in the
// source file (Line is 1-based, Column 0-based as esbuild counts bytes).
type Error struct {
	File     string
	Line     int
	Column   int
	Text     string
	LineText string
	// More holds further errors after the first, already formatted.
	More []string
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column+1, e.Text)
	if len(e.More) > 0 {
		s += fmt.Sprintf(" (and %d more error(s))", len(e.More))
	}
	return s
}

// Transformer turns TypeScript into JavaScript with an optional on-disk
// cache. It is safe for concurrent use.
type Transformer struct {
	cacheDir string
	tsconfig string

	mu  sync.Mutex
	mem map[string]entry // in-process cache, keyed like the disk cache
}

type entry struct{ code, sourceMap []byte }

// New returns a Transformer caching under cacheDir. An empty cacheDir uses
// DefaultCacheDir(); "-" disables the disk cache.
func New(cacheDir string) *Transformer {
	if cacheDir == "" {
		cacheDir = DefaultCacheDir()
	}
	if cacheDir == "-" {
		cacheDir = ""
	}
	return &Transformer{cacheDir: cacheDir, mem: map[string]entry{}}
}

// WithTsconfig returns a copy of t that applies the given tsconfig JSON
// (only compilerOptions that affect emit matter: experimentalDecorators,
// useDefineForClassFields, verbatimModuleSyntax, jsx settings ...).
func (t *Transformer) WithTsconfig(raw string) *Transformer {
	return &Transformer{cacheDir: t.cacheDir, tsconfig: raw, mem: map[string]entry{}}
}

// DefaultCacheDir is $GNODE_CACHE_DIR/transform, else the user cache
// directory's gnode/transform, else "" (no disk cache).
func DefaultCacheDir() string {
	if d := os.Getenv("GNODE_CACHE_DIR"); d != "" {
		return filepath.Join(d, "transform")
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "gnode", "transform")
	}
	return ""
}

// EsbuildVersion is the esbuild module version linked into this binary; it
// is part of every cache key so an upgrade never serves stale output. It is
// read on first use: parsing the build information at package init cost
// every gnode command, TypeScript or not.
var EsbuildVersion = sync.OnceValue(func() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/evanw/esbuild" {
				if d.Replace != nil {
					return d.Replace.Version
				}
				return d.Version
			}
		}
	}
	return "v0.28.2"
})

// optionsVersion changes whenever the esbuild options below change meaning.
const optionsVersion = "gnode-transform-1"

func (t *Transformer) options(path string, format Format) api.TransformOptions {
	loader := api.LoaderTS
	if strings.EqualFold(filepath.Ext(path), ".tsx") {
		loader = api.LoaderTSX
	}
	ef := api.FormatDefault
	switch format {
	case FormatCommonJS:
		ef = api.FormatCommonJS
	case FormatESM:
		ef = api.FormatESModule
	}
	return api.TransformOptions{
		Loader:     loader,
		Format:     ef,
		Platform:   api.PlatformNode,
		Target:     api.ES2023,
		Sourcemap:  api.SourceMapExternal,
		Sourcefile: path,
		// QuickJS has these ES2024+ regexp features; without saying so
		// esbuild would refuse or rewrite such literals.
		Supported: map[string]bool{
			"regexp-set-notation":             true,
			"regexp-match-indices":            true,
			"regexp-unicode-property-escapes": true,
		},
		TsconfigRaw: t.tsconfig,
		LogLevel:    api.LogLevelSilent,
		// Keep the output close to the input so columns in stack traces
		// stay meaningful even without the source map.
		MinifyWhitespace:  false,
		MinifySyntax:      false,
		MinifyIdentifiers: false,
		KeepNames:         false,
	}
}

func (t *Transformer) key(path string, src []byte, format Format) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%d\x00%s\x00%s\x00", optionsVersion, EsbuildVersion(), format, len(t.tsconfig), t.tsconfig, strings.ToLower(filepath.Ext(path)))
	// The path is in the key because the source map names it.
	fmt.Fprintf(h, "%d\x00%s\x00", len(path), path)
	h.Write(src)
	return hex.EncodeToString(h.Sum(nil))
}

// TS strips the types from a TypeScript file. path names the file in errors
// and in the source map; its extension picks the loader (.tsx allows JSX).
// It returns the JavaScript and an external source map (JSON, version 3).
func (t *Transformer) TS(path string, src []byte, format Format) (code []byte, sourceMap []byte, err error) {
	k := t.key(path, src, format)
	t.mu.Lock()
	e, ok := t.mem[k]
	t.mu.Unlock()
	if ok {
		return e.code, e.sourceMap, nil
	}
	if t.cacheDir != "" {
		if c, m, ok := t.readCache(k); ok {
			t.remember(k, c, m)
			return c, m, nil
		}
	}
	res := api.Transform(string(src), t.options(path, format))
	if len(res.Errors) > 0 {
		return nil, nil, toError(path, res.Errors)
	}
	code, sourceMap = res.Code, res.Map
	t.remember(k, code, sourceMap)
	if t.cacheDir != "" {
		// A cache that cannot be written only costs speed; the transform
		// itself succeeded, so the error is dropped on purpose.
		_ = t.writeCache(k, code, sourceMap)
	}
	return code, sourceMap, nil
}

func (t *Transformer) remember(k string, code, sm []byte) {
	t.mu.Lock()
	if len(t.mem) > 4096 {
		t.mem = map[string]entry{}
	}
	t.mem[k] = entry{code, sm}
	t.mu.Unlock()
}

func toError(path string, msgs []api.Message) error {
	e := &Error{File: path}
	for i, m := range msgs {
		var s string
		if m.Location != nil {
			if i == 0 {
				e.File, e.Line, e.Column, e.LineText = m.Location.File, m.Location.Line, m.Location.Column, m.Location.LineText
			}
			s = fmt.Sprintf("%s:%d:%d: %s", m.Location.File, m.Location.Line, m.Location.Column+1, m.Text)
		} else {
			s = fmt.Sprintf("%s: %s", path, m.Text)
		}
		if i == 0 {
			e.Text = m.Text
		} else {
			e.More = append(e.More, s)
		}
	}
	if e.File == "" {
		e.File = path
	}
	return e
}

func (t *Transformer) cachePaths(k string) (string, string) {
	dir := filepath.Join(t.cacheDir, k[:2])
	return filepath.Join(dir, k+".js"), filepath.Join(dir, k+".js.map")
}

func (t *Transformer) readCache(k string) ([]byte, []byte, bool) {
	jsPath, mapPath := t.cachePaths(k)
	// The map is written before the code, so code present means both are.
	code, err := os.ReadFile(jsPath)
	if err != nil {
		return nil, nil, false
	}
	sm, err := os.ReadFile(mapPath)
	if err != nil {
		return nil, nil, false
	}
	return code, sm, true
}

func (t *Transformer) writeCache(k string, code, sm []byte) error {
	jsPath, mapPath := t.cachePaths(k)
	if err := os.MkdirAll(filepath.Dir(jsPath), 0o755); err != nil {
		return fmt.Errorf("transform cache: %w", err)
	}
	if err := writeAtomic(mapPath, sm); err != nil {
		return err
	}
	return writeAtomic(jsPath, code)
}

func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("transform cache: %w", err)
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("transform cache: writing %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("transform cache: %w", err)
	}
	return nil
}
