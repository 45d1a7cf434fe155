// Package modresolve implements Node's module resolution (CommonJS require
// and ES module import) over a file-system interface, with no engine
// dependency. It follows Node 20's algorithms (the LOAD_AS_FILE /
// LOAD_NODE_MODULES steps of Module._findPath and the ESM resolver's
// PACKAGE_RESOLVE, PACKAGE_EXPORTS_RESOLVE and PACKAGE_IMPORTS_RESOLVE)
// and reproduces Node's error codes and messages.
//
// TypeScript: gnode runs .ts/.mts/.cts directly, and like Node 22's type
// stripping it never guesses TypeScript extensions by default: Node 22
// registers .ts/.cts/.mts loaders but its getDefaultExtensions() filters
// them out of the extension search (nodejs/node#54062), so require("./x")
// does not find x.ts and import never guesses any extension; the file
// name must be written in full (require("./x.ts")). Options.TypeScript
// turns on probing .ts, .cts and .mts after .js, .json and .node, as
// ts-node and tsx do: a gnode extension, off unless asked for.
package modresolve

import (
	"strings"
	"sync"
)

// Format is how a resolved file is loaded. The values match the format
// names Node's ESM loader uses (Node 22 adds the -typescript ones).
type Format string

const (
	FormatCommonJS   Format = "commonjs"
	FormatModule     Format = "module"
	FormatJSON       Format = "json"
	FormatBuiltin    Format = "builtin"
	FormatAddon      Format = "addon" // .node native addons (unsupported by gnode, reported as such)
	FormatWasm       Format = "wasm"
	FormatCommonJSTS Format = "commonjs-typescript"
	FormatModuleTS   Format = "module-typescript"
	// FormatUnknown is an extension Node's ESM loader rejects with
	// ERR_UNKNOWN_FILE_EXTENSION; require loads such files as CommonJS.
	FormatUnknown Format = ""
)

// Options configure a Resolver.
type Options struct {
	// Builtins reports whether name (without "node:") is a built-in module
	// gnode provides. Nil means no built-ins.
	Builtins func(name string) bool
	// SchemeOnlyBuiltins are built-ins reachable only as "node:<name>"
	// (Node: test, test/reporters, sea, sqlite). Nil means Node's list.
	SchemeOnlyBuiltins []string
	// PreserveSymlinks is --preserve-symlinks; PreserveSymlinksMain is
	// --preserve-symlinks-main (for the entry point).
	PreserveSymlinks, PreserveSymlinksMain bool
	// Windows selects Windows path rules (drive letters, backslashes).
	Windows bool
	// Conditions are extra user conditions (--conditions / -C), tried with
	// Node's defaults ("require"/"import", "node", "node-addons", "default").
	Conditions []string
	// NoAddons drops the "node-addons" condition (--no-addons).
	NoAddons bool
	// Extensions overrides require's extension list (require.extensions
	// keys). Nil means .js .json .node, plus .ts .cts .mts with TypeScript.
	Extensions []string
	// TypeScript makes require's extension search also try .ts, .cts and
	// .mts (after .js, .json, .node). Node 22 does not (see the package
	// comment), so leave it off to behave as Node does.
	TypeScript bool
	// GlobalPaths are searched after every node_modules for bare require
	// requests (NODE_PATH entries, then $HOME/.node_modules,
	// $HOME/.node_libraries, $PREFIX/lib/node). Import never uses them.
	GlobalPaths []string
}

// Result is a resolved module.
type Result struct {
	// Path is the resolved file. For a built-in it is the request as Node's
	// require.resolve returns it ("fs" or "node:fs").
	Path string
	// Builtin is the built-in module id without "node:" ("fs"), or "".
	Builtin string
	// URL is the module URL for import: file:///..., with any ?query and
	// #fragment of the specifier, or node:<id> for built-ins. Empty for
	// require results.
	URL string
	// Format is how to load the file.
	Format Format
	// PackageJSON is the package scope (nearest package.json, not crossing
	// node_modules) of Path, or nil.
	PackageJSON *PackageJSON
}

// Resolver resolves module specifiers. It caches stat results, realpaths
// and package.json files; call Clear when the file system changes. It is
// safe for concurrent use.
type Resolver struct {
	fs   FS
	opts Options
	po   pathOps
	exts []string

	cjsConds, esmConds map[string]bool
	schemeOnly         map[string]bool

	mu    sync.Mutex
	stats map[string]statEntry
	reals map[string]string
	pkgs  map[string]pkgEntry // keyed by directory
}

type statEntry struct{ isDir, exists bool }

type pkgEntry struct {
	pkg *PackageJSON
	err error
}

// NewResolver returns a Resolver over fs.
func NewResolver(fs FS, opts Options) *Resolver {
	r := &Resolver{fs: fs, opts: opts, po: pathOps{windows: opts.Windows}}
	r.exts = opts.Extensions
	if r.exts == nil {
		r.exts = []string{".js", ".json", ".node"}
		if opts.TypeScript {
			r.exts = append(r.exts, ".ts", ".cts", ".mts")
		}
	}
	r.cjsConds = map[string]bool{"require": true, "node": true}
	r.esmConds = map[string]bool{"import": true, "node": true}
	if !opts.NoAddons {
		r.cjsConds["node-addons"] = true
		r.esmConds["node-addons"] = true
	}
	for _, c := range opts.Conditions {
		r.cjsConds[c] = true
		r.esmConds[c] = true
	}
	so := opts.SchemeOnlyBuiltins
	if so == nil {
		so = []string{"test", "test/reporters", "sea", "sqlite"}
	}
	r.schemeOnly = map[string]bool{}
	for _, s := range so {
		r.schemeOnly[s] = true
	}
	r.Clear()
	return r
}

// Clear drops every cached stat, realpath and package.json.
func (r *Resolver) Clear() {
	r.mu.Lock()
	r.stats = map[string]statEntry{}
	r.reals = map[string]string{}
	r.pkgs = map[string]pkgEntry{}
	r.mu.Unlock()
}

func (r *Resolver) stat(p string) statEntry {
	r.mu.Lock()
	e, ok := r.stats[p]
	r.mu.Unlock()
	if ok {
		return e
	}
	d, ex := r.fs.Stat(p)
	e = statEntry{d, ex}
	r.mu.Lock()
	r.stats[p] = e
	r.mu.Unlock()
	return e
}

func (r *Resolver) isFile(p string) bool { e := r.stat(p); return e.exists && !e.isDir }
func (r *Resolver) isDir(p string) bool  { e := r.stat(p); return e.exists && e.isDir }

func (r *Resolver) realpath(p string) string {
	r.mu.Lock()
	rp, ok := r.reals[p]
	r.mu.Unlock()
	if ok {
		return rp
	}
	rp, err := r.fs.Realpath(p)
	if err != nil {
		rp = p
	}
	r.mu.Lock()
	r.reals[p] = rp
	r.mu.Unlock()
	return rp
}

// readPackage reads dir/package.json; (nil, nil) when there is none.
func (r *Resolver) readPackage(dir string) (*PackageJSON, error) {
	r.mu.Lock()
	e, ok := r.pkgs[dir]
	r.mu.Unlock()
	if ok {
		return e.pkg, e.err
	}
	p := r.po.join(dir, "package.json")
	if r.isFile(p) {
		data, err := r.fs.ReadFile(p)
		if err == nil {
			e.pkg, err = parsePackageJSON(p, dir, data)
		}
		if err != nil {
			e.pkg = nil
			// Node 20's require says "Error parsing" (with no code); gnode
			// adds ERR_INVALID_PACKAGE_CONFIG, the code import uses.
			e.err = &Error{Code: CodeInvalidPackageConfig, Msg: "Error parsing " + p + ": " + err.Error(), PackageJSON: p}
		}
	}
	r.mu.Lock()
	r.pkgs[dir] = e
	r.mu.Unlock()
	return e.pkg, e.err
}

// PackageScope returns the nearest package.json above file (its own
// directory first), without crossing a node_modules directory, as Node's
// package scope lookup does; nil when there is none.
func (r *Resolver) PackageScope(file string) (*PackageJSON, error) {
	dir := r.po.dir(file)
	for {
		if r.po.base(dir) == "node_modules" {
			return nil, nil
		}
		pkg, err := r.readPackage(dir)
		if pkg != nil || err != nil {
			return pkg, err
		}
		parent := r.po.dir(dir)
		if parent == dir {
			return nil, nil
		}
		dir = parent
	}
}

// PackageType is the "type" of file's package scope: "module",
// "commonjs" or "" when absent.
func (r *Resolver) PackageType(file string) string {
	pkg, _ := r.PackageScope(file)
	if pkg == nil {
		return ""
	}
	return pkg.Type
}

// FormatOf decides how file loads from its extension and package scope.
func (r *Resolver) FormatOf(file string) (Format, *PackageJSON) {
	pkg, _ := r.PackageScope(file)
	typ := ""
	if pkg != nil {
		typ = pkg.Type
	}
	switch strings.ToLower(r.po.ext(file)) {
	case ".mjs":
		return FormatModule, pkg
	case ".cjs":
		return FormatCommonJS, pkg
	case ".js":
		if typ == "module" {
			return FormatModule, pkg
		}
		return FormatCommonJS, pkg
	case ".json":
		return FormatJSON, pkg
	case ".node":
		return FormatAddon, pkg
	case ".wasm":
		return FormatWasm, pkg
	case ".mts":
		return FormatModuleTS, pkg
	case ".cts":
		return FormatCommonJSTS, pkg
	case ".ts", ".tsx":
		if typ == "module" {
			return FormatModuleTS, pkg
		}
		return FormatCommonJSTS, pkg
	}
	return FormatUnknown, pkg
}

func (r *Resolver) fileResult(p string) Result {
	f, pkg := r.FormatOf(p)
	return Result{Path: p, Format: f, PackageJSON: pkg}
}

// builtin reports whether request names a built-in, and its id.
func (r *Resolver) builtin(request string) (id string, ok, schemed bool) {
	if r.opts.Builtins == nil {
		return "", false, strings.HasPrefix(request, "node:")
	}
	if s, found := strings.CutPrefix(request, "node:"); found {
		return s, r.opts.Builtins(s), true
	}
	if r.schemeOnly[request] {
		return "", false, false
	}
	return request, r.opts.Builtins(request), false
}

// NodeModulePaths is Module._nodeModulePaths(dir): the node_modules
// directories searched for bare requests from a file in dir.
func (r *Resolver) NodeModulePaths(dir string) []string { return r.po.nodeModulePaths(dir) }
