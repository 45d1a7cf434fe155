package runtime

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"gnode/internal/js/cjslexer"
	"gnode/internal/js/modresolve"
	"gnode/internal/js/qjs"
	"gnode/internal/js/transform"
)

// cjsParams are the parameters of the CommonJS wrapper.
const cjsParams = "exports, require, module, __filename, __dirname"

// nodeBuiltins are Node's built-in module ids. Those without a lib file
// fail with a clear "not implemented" error rather than a silent stub. (A
// literal, which the linker lays out: no work at start-up.)
var nodeBuiltins = []string{
	"_http_agent", "_http_client", "_http_common", "_http_incoming", "_http_outgoing", "_http_server",
	"_stream_duplex", "_stream_passthrough", "_stream_readable", "_stream_transform",
	"_stream_writable", "_tls_common", "_tls_wrap", "assert", "assert/strict", "async_hooks", "buffer", "child_process",
	"cluster", "console", "constants", "crypto", "dgram", "diagnostics_channel", "dns",
	"dns/promises", "domain", "events", "fs", "fs/promises", "http", "http2", "https", "inspector",
	"inspector/promises", "module", "net", "os", "path", "path/posix", "path/win32", "perf_hooks",
	"process", "punycode", "querystring", "readline", "readline/promises", "repl", "stream",
	"stream/consumers", "stream/promises", "stream/web", "string_decoder", "sys", "timers",
	"timers/promises", "tls", "trace_events", "tty", "url", "util", "util/types", "v8", "vm", "wasi",
	"worker_threads", "zlib",
}

// unavailableBuiltins are Node built-ins gnode cannot provide, with the
// reason require() and import report. They stay built-in ids (a bare
// require('wasi') never reaches node_modules, as in Node) but are left out
// of module.builtinModules and module.isBuiltin, which list what works.
// (A switch, not a map: nothing to build at start-up.)
func unavailableBuiltin(id string) (string, bool) {
	switch id {
	case "wasi":
		return "wasi is unavailable in gnode: WASI runs WebAssembly modules, and gnode's JavaScript engine (QuickJS) has no WebAssembly", true
	}
	return "", false
}

// unavailableBuiltinIDs lists the ids unavailableBuiltin knows.
var unavailableBuiltinIDs = [...]string{"wasi"}

// workingBuiltins is module.builtinModules: nodeBuiltins that load.
func workingBuiltins() []string {
	var ids []string
	for _, id := range nodeBuiltins {
		if _, ok := unavailableBuiltin(id); !ok && (libExists(id) || id == "module") {
			ids = append(ids, id)
		}
	}
	return ids
}

// schemeOnlyBuiltins exist only as node:-prefixed ids: a bare
// require('test') is the npm package of that name, as in Node.
var schemeOnlyBuiltins = sync.OnceValue(func() map[string]bool {
	return map[string]bool{"test": true, "test/reporters": true, "sea": true, "sqlite": true}
})

// isBuiltin is the resolver's Builtins callback. The resolver asks it about
// "node:test" as "test" and keeps a bare "test" an npm package on its own
// (modresolve.Options.SchemeOnlyBuiltins), so scheme-only ids count here
// when their lib file exists.
func (r *rt) isBuiltin(id string) bool {
	if schemeOnlyBuiltins()[id] {
		return libExists(id)
	}
	if libExists(id) && !strings.HasPrefix(id, "internal/") {
		return true
	}
	for _, b := range nodeBuiltins {
		if b == id {
			return true
		}
	}
	return false
}

// readSource reads a module's source, dropping a BOM and a #! line as
// Node does.
func readSource(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	s := strings.TrimPrefix(string(b), "\uFEFF")
	if strings.HasPrefix(s, "#!") {
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			s = "//" + s[2:i] + s[i:]
		} else {
			s = ""
		}
	}
	return s, nil
}

// bindModule is internalBinding('module'), see bindings/module.md.
func bindModule(r *rt, obj qjs.Value) {
	vm := r.vm
	res := r.esm.res
	// resolve(request, parentFile, isImport, paths?) -> path, or
	// "node:<id>" for a built-in imported.
	r.fn(obj, "resolve", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		req, parent := vm.Str(qjs.Arg(a, 0)), vm.Str(qjs.Arg(a, 1))
		if vm.Truthy(qjs.Arg(a, 2)) {
			rr, err := res.ResolveImport(req, parent)
			if err != nil {
				return qjs.Undefined, err
			}
			return vm.String(rr.Path), nil
		}
		o := modresolve.RequireOptions{RequireStack: []string{}}
		if p := qjs.Arg(a, 3); vm.IsArray(p) {
			o.HasPaths = true
			for i := 0; i < vm.Len(p); i++ {
				e, _ := vm.GetIndex(p, uint32(i))
				o.Paths = append(o.Paths, r.abs(vm.Str(e)))
				vm.Free(e)
			}
		}
		rr, err := res.ResolveRequireWith(req, parent, o)
		if err != nil {
			return qjs.Undefined, err
		}
		return vm.String(rr.Path), nil
	})
	r.fn(obj, "readSource", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		p := vm.Str(qjs.Arg(a, 0))
		if v, ok := r.readLargeSource(p); ok {
			return v, nil
		}
		s, err := r.esm.source(p, false)
		if err != nil {
			return qjs.Undefined, err
		}
		return vm.String(s), nil
	})
	r.fn(obj, "compile", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		file := vm.Str(qjs.Arg(a, 1))
		return r.compileWrapperValue(qjs.Arg(a, 0), file, cjsParams)
	})
	r.fn(obj, "evalScript", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return vm.Eval(vm.Str(qjs.Arg(a, 0)), vm.Str(qjs.Arg(a, 1)), qjs.Script)
	})
	r.fn(obj, "packageType", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return vm.String(res.PackageType(vm.Str(qjs.Arg(a, 0)))), nil
	})
	r.fn(obj, "format", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		f, _ := res.FormatOf(vm.Str(qjs.Arg(a, 0)))
		return vm.String(string(f)), nil
	})
	// mapPosition(file, line, col) -> [line, col] in the TypeScript source
	// of a transformed file, or undefined.
	r.fn(obj, "mapPosition", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		file := vm.Str(qjs.Arg(a, 0))
		if strings.HasPrefix(file, "file://") {
			file = fileURLToPath(file)
		}
		sm := r.esm.sourceMap(file)
		if sm == nil {
			return qjs.Undefined, nil
		}
		line, col, ok := sm.Lookup(int(vm.Int(qjs.Arg(a, 1))), int(vm.Int(qjs.Arg(a, 2))))
		if !ok {
			return qjs.Undefined, nil
		}
		return vm.ArrayOf(qjs.Int(int32(line)), qjs.Int(int32(col))), nil
	})
	// evalModule(code) evaluates -e/stdin code as an ES module (Node's
	// --input-type=module, or module syntax detected) -> promise.
	r.fn(obj, "evalModule", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		name := pathToFileURL(filepath.Join(r.opts.Cwd, "[eval1]"))
		return vm.Eval(vm.Str(qjs.Arg(a, 0)), name, qjs.Module)
	})
	// hasModuleSyntax(code) -> whether code uses import/export.
	r.fn(obj, "hasModuleSyntax", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		src := vm.Str(qjs.Arg(a, 0))
		if !strings.Contains(src, "import") && !strings.Contains(src, "export") {
			return qjs.False, nil
		}
		_, _, err := cjslexer.Analyze([]byte(src))
		return qjs.Bool(errors.Is(err, cjslexer.ErrESMSyntax)), nil
	})
	vm.Set(obj, "inputType", vm.String(r.opts.InputType))
	r.fn(obj, "detectModule", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return qjs.Bool(r.esm.detectModule(vm.Str(qjs.Arg(a, 0)))), nil
	})
	r.fn(obj, "readPackageScope", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		p, err := res.PackageScope(vm.Str(qjs.Arg(a, 0)))
		if err != nil || p == nil {
			return qjs.False, nil
		}
		b, _ := os.ReadFile(p.Path)
		o := vm.Object()
		vm.Set(o, "path", vm.String(p.Path))
		d, err := vm.ParseJSON(string(b), p.Path)
		if err != nil {
			if je, ok := err.(*qjs.JSError); ok {
				je.Release()
			}
			d = vm.Object()
		}
		vm.Set(o, "data", d)
		return o, nil
	})
	r.fn(obj, "nodeModulePaths", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return vm.StringArray(res.NodeModulePaths(vm.Str(qjs.Arg(a, 0)))), nil
	})
	r.fn(obj, "importModule", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		// importModule(path) -> promise of the namespace.
		return vm.LoadModule("", vm.Str(qjs.Arg(a, 0)))
	})
	r.fn(obj, "pathToFileURL", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return vm.String(pathToFileURL(vm.Str(qjs.Arg(a, 0)))), nil
	})
	vm.Set(obj, "builtinModules", vm.StringArray(workingBuiltins()))
	unavailable := vm.Object()
	for _, id := range unavailableBuiltinIDs {
		why, _ := unavailableBuiltin(id)
		vm.Set(unavailable, id, vm.String(why))
	}
	vm.Set(obj, "unavailableBuiltins", unavailable)
	vm.Set(obj, "globalPaths", vm.StringArray(globalPaths(r.opts.Env, r.opts.ExecPath)))
	// setGlobalPaths(paths) is what Module._initPaths() ends with.
	r.fn(obj, "setGlobalPaths", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		var paths []string
		if p := qjs.Arg(a, 0); vm.IsArray(p) {
			for i := 0; i < vm.Len(p); i++ {
				e, _ := vm.GetIndex(p, uint32(i))
				paths = append(paths, vm.Str(e))
				vm.Free(e)
			}
		}
		res.SetGlobalPaths(paths)
		return qjs.Undefined, nil
	})
}

// esmLoader adapts js/modresolve to QuickJS's module loader hooks and
// reads sources, stripping TypeScript through js/transform.
type esmLoader struct {
	r   *rt
	res *modresolve.Resolver
	ts  *transform.Transformer
	// maps holds the source maps of transformed files, for stack traces;
	// parsed on first use.
	maps   map[string][]byte
	parsed map[string]*transform.SourceMap
	// pre is what readLargeSource learnt about the text it returned
	// last (see cache.go), for the compile call that follows.
	pre *precompiled
	// keyed is the cache key LoadMapped computed for the text it
	// returned last (see esmcache.go).
	keyed moduleKey
}

func (l *esmLoader) sourceMap(path string) *transform.SourceMap {
	if sm, ok := l.parsed[path]; ok {
		return sm
	}
	raw, ok := l.maps[path]
	if !ok {
		return nil
	}
	sm, err := transform.ParseSourceMap(raw)
	if err != nil {
		sm = nil
	}
	l.parsed[path] = sm
	return sm
}

func newESMLoader(r *rt) *esmLoader {
	l := &esmLoader{r: r, maps: map[string][]byte{}, parsed: map[string]*transform.SourceMap{}}
	l.res = modresolve.NewResolver(modresolve.OSFS{}, modresolve.Options{
		Builtins: r.isBuiltin,
		// Node 22 never guesses .ts extensions; .ts entries and explicit
		// .ts specifiers still load (the file exists as written).
		TypeScript:  false,
		GlobalPaths: globalPaths(r.opts.Env, r.opts.ExecPath),
	})
	return l
}

// globalPaths is Node's Module._initPaths, the directories a bare
// require() searches after every node_modules: NODE_PATH's entries (as
// written, empty ones dropped), $HOME/.node_modules, $HOME/.node_libraries
// and <prefix>/lib/node, where prefix is two levels above the executable.
// Old tools install packages into those folders, and resolve's own suite
// checks require.resolve finds them.
func globalPaths(env []string, execPath string) []string {
	var out []string
	for _, p := range strings.Split(envLookup(env, "NODE_PATH"), ":") {
		if p != "" {
			out = append(out, p)
		}
	}
	if home := envLookup(env, "HOME"); home != "" {
		out = append(out, filepath.Join(home, ".node_modules"), filepath.Join(home, ".node_libraries"))
	}
	if execPath != "" {
		prefix := filepath.Dir(filepath.Dir(execPath))
		out = append(out, filepath.Join(prefix, "lib", "node"))
	}
	return out
}

// source reads a module's text; TypeScript is stripped (esm selects the
// output syntax for .ts files).
func (l *esmLoader) source(path string, esm bool) (string, error) {
	s, err := readSource(path)
	if err != nil {
		return "", toSysError(err, "open", path)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".ts", ".mts", ".cts", ".tsx":
	default:
		return s, nil
	}
	if l.ts == nil {
		dir := ""
		if l.r.opts.CacheDir != "" {
			dir = filepath.Join(l.r.opts.CacheDir, "transform")
		}
		l.ts = transform.New(dir)
	}
	format := transform.FormatForPath(path, l.res.PackageType(path))
	if esm && format == transform.FormatPreserve {
		format = transform.FormatESM
	}
	code, sm, err := l.ts.TS(path, []byte(s), format)
	if err != nil {
		return "", err
	}
	l.maps[path] = sm
	return string(code), nil
}

// Modules are named by URL, as in Node: file:///path for files (so ES
// module stack frames read file:///...), node:<id> for built-ins.
func (l *esmLoader) Normalize(base, spec string) (string, error) {
	parent := base
	if strings.HasPrefix(parent, "file://") {
		parent = fileURLToPath(parent)
	}
	if strings.HasPrefix(parent, "node:") || parent == "" || parent == "[eval]" {
		parent = filepath.Join(l.r.opts.Cwd, "[eval]")
	}
	if filepath.IsAbs(spec) && base == "" && isFile(spec) {
		return pathToFileURL(spec), nil
	}
	rr, err := l.res.ResolveImport(spec, parent)
	if err != nil {
		return "", err
	}
	if rr.Builtin != "" || strings.HasPrefix(rr.Path, "node:") {
		return l.r.permBuiltinName(rr.Path, parent), nil
	}
	return pathToFileURL(rr.Path), nil
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

var identRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`) })

// reexportSource builds a module that re-exports the object expr: default
// plus each name as a named export.
func reexportSource(expr string, names []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "const __m = %s;\nexport default __m;\n", expr)
	i := 0
	seen := map[string]bool{}
	for _, n := range names {
		if n == "default" || n == "" || seen[n] {
			continue
		}
		seen[n] = true
		q, _ := json.Marshal(n)
		fmt.Fprintf(&b, "const __e%d = __m == null ? undefined : __m[%s];\n", i, q)
		if identRE().MatchString(n) {
			fmt.Fprintf(&b, "export { __e%d as %s };\n", i, n)
		} else {
			fmt.Fprintf(&b, "export { __e%d as %s };\n", i, q)
		}
		i++
	}
	return b.String()
}

func (l *esmLoader) exportNames(hook, arg string) []string {
	r := l.r
	a := r.vm.String(arg)
	v := r.callHook(hook, a)
	r.vm.Free(a)
	defer r.vm.Free(v)
	n := r.vm.Len(v)
	names := make([]string, 0, n)
	for i := 0; i < n; i++ {
		e, _ := r.vm.GetIndex(v, uint32(i))
		names = append(names, r.vm.Str(e))
		r.vm.Free(e)
	}
	return names
}

// detectModule is Node 22's module syntax detection: a .js or .ts file
// whose package.json has no "type" runs as an ES module when it uses
// import/export syntax.
func (l *esmLoader) detectModule(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".js", ".ts":
	default:
		return false
	}
	if l.res.PackageType(path) != "" {
		return false
	}
	// A cheap scan rules out most files (a big CommonJS bundle cost the
	// full lexer several times its size in memory); the lexer decides
	// the rest.
	if b, ok := readScratch(path); ok {
		may := transform.MayHaveModuleSyntax(b)
		b.release()
		if !may {
			return false
		}
	}
	src, err := readSource(path)
	if err != nil {
		return false
	}
	if !strings.Contains(src, "import") && !strings.Contains(src, "export") {
		return false
	}
	_, _, err = cjslexer.Analyze([]byte(src))
	return errors.Is(err, cjslexer.ErrESMSyntax)
}

// cjsNames detects the named exports of a CommonJS file statically, as
// Node does with cjs-module-lexer, following re-exports.
func (l *esmLoader) cjsNames(path string, depth int, seen map[string]bool) []string {
	if depth > 8 || seen[path] {
		return nil
	}
	seen[path] = true
	src, err := l.source(path, false)
	if err != nil {
		return nil
	}
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return nil
	}
	names, reexports, err := cjslexer.Analyze([]byte(src))
	if err != nil {
		return nil
	}
	for _, re := range reexports {
		rr, err := l.res.ResolveRequire(re, path)
		if err != nil || rr.Builtin != "" {
			continue
		}
		names = append(names, l.cjsNames(rr.Path, depth+1, seen)...)
	}
	return names
}

func (l *esmLoader) Load(name string) (string, error) {
	if strings.HasPrefix(name, "file://") {
		name = fileURLToPath(name)
	}
	if src, ok := l.permBuiltinSource(name); ok {
		return src, nil
	}
	if id, ok := strings.CutPrefix(name, "node:"); ok {
		if why, ok := unavailableBuiltin(id); ok {
			return "", &codedError{"Error", "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM", why}
		}
		if !libExists(id) && id != "module" {
			return "", &codedError{"Error", "ERR_NOT_IMPLEMENTED", "gnode does not implement the built-in module '" + id + "' yet"}
		}
		names := l.exportNames("builtinExportNames", id)
		q, _ := json.Marshal(id)
		if schemeOnlyBuiltins()[id] {
			q, _ = json.Marshal(name) // a bare "test" is the npm package
		}
		return reexportSource("globalThis[Symbol.for('gnode.require')]("+string(q)+")", names), nil
	}
	q, _ := json.Marshal(name)
	format, _ := l.res.FormatOf(name)
	switch format {
	case modresolve.FormatJSON:
		src, err := readSource(name)
		if err != nil {
			return "", toSysError(err, "open", name)
		}
		return "export default JSON.parse(" + jsonString(src) + ");", nil
	case modresolve.FormatCommonJS, modresolve.FormatCommonJSTS, modresolve.FormatUnknown:
		if format == modresolve.FormatUnknown && !strings.HasSuffix(name, ".js") {
			break
		}
		if l.detectModule(name) {
			return l.source(name, true)
		}
		// CommonJS runs through require when the facade is evaluated, in
		// the importer's order; its names are found statically.
		names := l.cjsNames(name, 0, map[string]bool{})
		return reexportSource("globalThis[Symbol.for('gnode.require')]("+string(q)+")", names), nil
	case modresolve.FormatAddon:
		return "", &codedError{"Error", "ERR_DLOPEN_FAILED", "gnode cannot load native addons: " + name}
	}
	return l.source(name, true)
}
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (l *esmLoader) InitMeta(vm *qjs.VM, meta qjs.Value, name string) {
	if strings.HasPrefix(name, "node:") {
		vm.Set(meta, "url", vm.String(name))
		return
	}
	name = fileURLToPath(name)
	vm.Set(meta, "url", vm.String(pathToFileURL(name)))
	vm.Set(meta, "filename", vm.String(name))
	vm.Set(meta, "dirname", vm.String(filepath.Dir(name)))
	vm.Set(meta, "resolve", vm.Function("resolve", 1, func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		rr, err := l.res.ResolveImport(vm.Str(qjs.Arg(a, 0)), name)
		if err != nil {
			return qjs.Undefined, err
		}
		if rr.URL != "" {
			return vm.String(rr.URL), nil
		}
		return vm.String(pathToFileURL(rr.Path)), nil
	}))
}
