package runtime

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gnode/internal/js/qjs"
)

// cjsParams are the parameters of the CommonJS wrapper.
const cjsParams = "exports, require, module, __filename, __dirname"

// nodeBuiltins are Node's built-in module ids. Those without a lib file
// fail with a clear "not implemented" error rather than a silent stub.
var nodeBuiltins = strings.Fields(`assert assert/strict async_hooks buffer child_process cluster console
constants crypto dgram diagnostics_channel dns dns/promises domain events fs fs/promises http http2
https inspector inspector/promises module net os path path/posix path/win32 perf_hooks process
punycode querystring readline readline/promises repl stream stream/consumers stream/promises
stream/web string_decoder sys timers timers/promises tls trace_events tty url util util/types v8
vm wasi worker_threads zlib test`)

func (r *rt) isBuiltin(id string) bool {
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
	r.fn(obj, "resolve", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		p, err := res.resolve(vm.Str(qjs.Arg(a, 0)), vm.Str(qjs.Arg(a, 1)), vm.Truthy(qjs.Arg(a, 2)), r.isBuiltin)
		if err != nil {
			return qjs.Undefined, err
		}
		return vm.String(p), nil
	})
	r.fn(obj, "readSource", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		p := vm.Str(qjs.Arg(a, 0))
		s, err := readSource(p)
		if err != nil {
			return qjs.Undefined, toSysError(err, "open", p)
		}
		return vm.String(s), nil
	})
	r.fn(obj, "compile", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		code, file := vm.Str(qjs.Arg(a, 0)), vm.Str(qjs.Arg(a, 1))
		return r.compileWrapper(code, file, cjsParams)
	})
	r.fn(obj, "evalScript", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return vm.Eval(vm.Str(qjs.Arg(a, 0)), vm.Str(qjs.Arg(a, 1)), qjs.Script)
	})
	r.fn(obj, "packageType", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return vm.String(res.packageType(vm.Str(qjs.Arg(a, 0)))), nil
	})
	r.fn(obj, "readPackageScope", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		p := res.scope(vm.Str(qjs.Arg(a, 0)))
		if p == nil {
			return qjs.False, nil
		}
		b, _ := os.ReadFile(filepath.Join(p.dir, "package.json"))
		o := vm.Object()
		vm.Set(o, "path", vm.String(filepath.Join(p.dir, "package.json")))
		d, err := vm.ParseJSON(string(b), filepath.Join(p.dir, "package.json"))
		if err != nil {
			if je, ok := err.(*qjs.JSError); ok {
				je.Release()
			}
			d = vm.Object()
		}
		vm.Set(o, "data", d)
		return o, nil
	})
	r.fn(obj, "importModule", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		// importModule(path) -> promise of the namespace.
		return vm.LoadModule("", vm.Str(qjs.Arg(a, 0)))
	})
	r.fn(obj, "isBuiltin", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		id := strings.TrimPrefix(vm.Str(qjs.Arg(a, 0)), "node:")
		return qjs.Bool(r.isBuiltin(id)), nil
	})
	r.fn(obj, "pathToFileURL", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return vm.String(pathToFileURL(vm.Str(qjs.Arg(a, 0)))), nil
	})
	vm.Set(obj, "builtinModules", vm.StringArray(nodeBuiltins))
}

// esmLoader adapts the resolver to QuickJS's module loader hooks.
type esmLoader struct {
	r   *rt
	res *resolver
}

func newESMLoader(r *rt) *esmLoader { return &esmLoader{r: r, res: newResolver()} }

func (l *esmLoader) Normalize(base, spec string) (string, error) {
	parent := base
	if strings.HasPrefix(parent, "node:") || parent == "" {
		parent = filepath.Join(l.r.opts.Cwd, "[eval]")
	}
	if strings.HasPrefix(parent, "file://") {
		parent = fileURLToPath(parent)
	}
	if filepath.IsAbs(spec) && !strings.HasPrefix(spec, "node:") {
		if isFile(spec) {
			return realpath(spec), nil
		}
	}
	return l.res.resolve(spec, parent, true, l.r.isBuiltin)
}

var identRE = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

// reexportSource builds a module that re-exports the object expr: default
// plus each name as a named export.
func reexportSource(expr string, names []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "const __m = %s;\nexport default __m;\n", expr)
	i := 0
	for _, n := range names {
		if n == "default" || n == "" {
			continue
		}
		q, _ := json.Marshal(n)
		fmt.Fprintf(&b, "const __e%d = __m == null ? undefined : __m[%s];\n", i, q)
		if identRE.MatchString(n) {
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

func (l *esmLoader) Load(name string) (string, error) {
	if id, ok := strings.CutPrefix(name, "node:"); ok {
		if !libExists(id) {
			return "", &codedError{"Error", "ERR_NOT_IMPLEMENTED", "gnode does not implement the built-in module '" + id + "' yet"}
		}
		names := l.exportNames("builtinExportNames", id)
		q, _ := json.Marshal(id)
		return reexportSource("globalThis[Symbol.for('gnode.require')]("+string(q)+")", names), nil
	}
	q, _ := json.Marshal(name)
	ext := filepath.Ext(name)
	switch {
	case ext == ".mjs", ext == ".mts":
	case ext == ".json":
		src, err := readSource(name)
		if err != nil {
			return "", toSysError(err, "open", name)
		}
		return "export default JSON.parse(" + jsonString(src) + ");", nil
	case ext == ".cjs", ext == ".cts", l.res.packageType(name) != "module":
		// CommonJS: run it through require and re-export its properties.
		names := l.exportNames("cjsExportNames", name)
		return reexportSource("globalThis[Symbol.for('gnode.require')]("+string(q)+")", names), nil
	}
	src, err := readSource(name)
	if err != nil {
		return "", toSysError(err, "open", name)
	}
	return src, nil
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
	vm.Set(meta, "url", vm.String(pathToFileURL(name)))
	vm.Set(meta, "filename", vm.String(name))
	vm.Set(meta, "dirname", vm.String(filepath.Dir(name)))
	vm.Set(meta, "resolve", vm.Function("resolve", 1, func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		p, err := l.res.resolve(vm.Str(qjs.Arg(a, 0)), name, true, l.r.isBuiltin)
		if err != nil {
			return qjs.Undefined, err
		}
		if strings.HasPrefix(p, "node:") {
			return vm.String(p), nil
		}
		return vm.String(pathToFileURL(p)), nil
	}))
}
