package runtime

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// resolver is Node's module resolution as the loaders need it. This is a
// private, minimal implementation (relative and absolute paths, extension
// and index probing, node_modules walking, package.json main and exports
// with conditions and subpath patterns, imports "#"); it is meant to give
// way to js/modresolve.
type resolver struct {
	mu   sync.Mutex
	pkgs map[string]*pkgJSON // by directory; nil entry: none
}

type pkgJSON struct {
	dir     string
	Name    string          `json:"name"`
	Main    string          `json:"main"`
	Type    string          `json:"type"`
	Exports json.RawMessage `json:"exports"`
	Imports json.RawMessage `json:"imports"`
}

func newResolver() *resolver { return &resolver{pkgs: map[string]*pkgJSON{}} }

// notFound is MODULE_NOT_FOUND / ERR_MODULE_NOT_FOUND.
func notFound(request string, esm bool, parent string, pkg bool) error {
	if esm {
		what := "module"
		if pkg {
			what = "package"
		}
		msg := "Cannot find " + what + " '" + request + "'"
		if parent != "" {
			msg += " imported from " + parent
		}
		return &codedError{"Error", "ERR_MODULE_NOT_FOUND", msg}
	}
	return &codedError{"Error", "MODULE_NOT_FOUND", "Cannot find module '" + request + "'"}
}

func (rs *resolver) readPkg(dir string) *pkgJSON {
	rs.mu.Lock()
	p, ok := rs.pkgs[dir]
	rs.mu.Unlock()
	if ok {
		return p
	}
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err == nil {
		p = &pkgJSON{dir: dir}
		if json.Unmarshal(b, p) != nil {
			p = &pkgJSON{dir: dir}
		}
	}
	rs.mu.Lock()
	rs.pkgs[dir] = p
	rs.mu.Unlock()
	return p
}

// scope returns the nearest package.json above file.
func (rs *resolver) scope(file string) *pkgJSON {
	for d := filepath.Dir(file); ; d = filepath.Dir(d) {
		if filepath.Base(d) == "node_modules" {
			return nil
		}
		if p := rs.readPkg(d); p != nil {
			return p
		}
		if filepath.Dir(d) == d {
			return nil
		}
	}
}

// packageType is "module", "commonjs" or "" for the scope of file.
func (rs *resolver) packageType(file string) string {
	if p := rs.scope(file); p != nil {
		return p.Type
	}
	return ""
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

func realpath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

var requireExts = []string{".js", ".json", ".node", ".ts", ".cts", ".mts"}

func (rs *resolver) loadAsFile(p string) string {
	if isFile(p) {
		return p
	}
	for _, e := range requireExts {
		if isFile(p + e) {
			return p + e
		}
	}
	return ""
}

func (rs *resolver) loadIndex(p string) string {
	for _, e := range requireExts {
		if f := filepath.Join(p, "index"+e); isFile(f) {
			return f
		}
	}
	return ""
}

func (rs *resolver) loadAsDir(p string) string {
	if pkg := rs.readPkg(p); pkg != nil && pkg.Main != "" {
		m := filepath.Join(p, pkg.Main)
		if f := rs.loadAsFile(m); f != "" {
			return f
		}
		if f := rs.loadIndex(m); f != "" {
			return f
		}
	}
	return rs.loadIndex(p)
}

// resolve resolves request from parent (a file path, or "" for the
// entry) to a file path or "node:<id>" for built-ins.
func (rs *resolver) resolve(request, parent string, esm bool, isBuiltin func(string) bool) (string, error) {
	if strings.HasPrefix(request, "node:") {
		id := request[5:]
		if isBuiltin(id) {
			return "node:" + id, nil
		}
		return "", &codedError{"Error", "ERR_UNKNOWN_BUILTIN_MODULE", "No such built-in module: " + request}
	}
	if isBuiltin(request) {
		return "node:" + request, nil
	}
	if esm && strings.HasPrefix(request, "file://") {
		request = fileURLToPath(request)
	}
	baseDir := filepath.Dir(parent)
	if parent == "" {
		baseDir, _ = os.Getwd()
	}
	conds := []string{"require", "node", "default"}
	if esm {
		conds = []string{"import", "node", "default"}
	}
	if strings.HasPrefix(request, "#") {
		if p := rs.scope(parent); p != nil && len(p.Imports) > 0 {
			if t, ok := resolveMap(p.Imports, request, conds); ok {
				if strings.HasPrefix(t, "./") {
					return rs.finish(filepath.Join(p.dir, t), esm, request, parent)
				}
				return rs.resolve(t, filepath.Join(p.dir, "package.json"), esm, isBuiltin)
			}
		}
		return "", &codedError{"TypeError", "ERR_PACKAGE_IMPORT_NOT_DEFINED", "Package import specifier \"" + request + "\" is not defined"}
	}
	if request == "." || request == ".." || strings.HasPrefix(request, "./") || strings.HasPrefix(request, "../") || filepath.IsAbs(request) {
		p := request
		if !filepath.IsAbs(p) {
			p = filepath.Join(baseDir, request)
		}
		if esm {
			if isFile(p) {
				return realpath(p), nil
			}
			if isDir(p) {
				return "", &codedError{"Error", "ERR_UNSUPPORTED_DIR_IMPORT", "Directory import '" + p + "' is not supported resolving ES modules imported from " + parent}
			}
			return "", notFound(p, true, parent, false)
		}
		if f := rs.loadAsFile(p); f != "" {
			return realpath(f), nil
		}
		if strings.HasSuffix(request, "/") || isDir(p) {
			if f := rs.loadAsDir(p); f != "" {
				return realpath(f), nil
			}
		}
		return "", notFound(request, false, parent, false)
	}
	// Bare specifier: package name and subpath.
	name, sub := splitPackage(request)
	// Self-reference.
	if p := rs.scope(parent); p != nil && p.Name == name && len(p.Exports) > 0 {
		if t, ok := resolveExports(p.Exports, "."+sub, conds); ok {
			return rs.finish(filepath.Join(p.dir, t), esm, request, parent)
		}
	}
	for d := baseDir; ; d = filepath.Dir(d) {
		if filepath.Base(d) != "node_modules" {
			dir := filepath.Join(d, "node_modules", name)
			if isDir(dir) {
				if pkg := rs.readPkg(dir); pkg != nil && len(pkg.Exports) > 0 && string(pkg.Exports) != "null" {
					t, ok := resolveExports(pkg.Exports, "."+sub, conds)
					if !ok {
						return "", &codedError{"Error", "ERR_PACKAGE_PATH_NOT_EXPORTED", pathNotExported(sub, dir)}
					}
					return rs.finish(filepath.Join(dir, t), esm, request, parent)
				}
				full := filepath.Join(dir, sub)
				if esm && sub != "" {
					if isFile(full) {
						return realpath(full), nil
					}
					return "", notFound(full, true, parent, false)
				}
				if sub == "" {
					if f := rs.loadAsDir(dir); f != "" {
						return realpath(f), nil
					}
				} else if f := rs.loadAsFile(full); f != "" {
					return realpath(f), nil
				} else if f := rs.loadAsDir(full); f != "" {
					return realpath(f), nil
				}
			}
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return "", notFound(request, esm, parent, esm)
}

func pathNotExported(sub, dir string) string {
	if sub == "" {
		return "No \"exports\" main defined in " + filepath.Join(dir, "package.json")
	}
	return "Package subpath '." + sub + "' is not defined by \"exports\" in " + filepath.Join(dir, "package.json")
}

func (rs *resolver) finish(p string, esm bool, request, parent string) (string, error) {
	if isFile(p) {
		return realpath(p), nil
	}
	return "", notFound(request, esm, parent, false)
}

func splitPackage(req string) (name, sub string) {
	parts := strings.SplitN(req, "/", 3)
	if strings.HasPrefix(req, "@") && len(parts) >= 2 {
		name = parts[0] + "/" + parts[1]
		if len(parts) == 3 {
			sub = "/" + parts[2]
		}
		return
	}
	name, rest, ok := strings.Cut(req, "/")
	if ok {
		sub = "/" + rest
	}
	return
}

// resolveExports resolves subpath ("." or "./x") through an exports field.
func resolveExports(raw json.RawMessage, subpath string, conds []string) (string, bool) {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return "", false
	}
	if m, ok := v.(map[string]any); ok {
		isSubpathMap := false
		for k := range m {
			if strings.HasPrefix(k, ".") {
				isSubpathMap = true
			}
			break
		}
		if !isSubpathMap {
			if subpath != "." {
				return "", false
			}
			return resolveTarget(v, "", conds)
		}
		return matchMap(m, subpath, conds)
	}
	if subpath != "." {
		return "", false
	}
	return resolveTarget(v, "", conds)
}

func resolveMap(raw json.RawMessage, key string, conds []string) (string, bool) {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return "", false
	}
	return matchMap(m, key, conds)
}

func matchMap(m map[string]any, key string, conds []string) (string, bool) {
	if t, ok := m[key]; ok && !strings.Contains(key, "*") {
		return resolveTarget(t, "", conds)
	}
	// Pattern keys, longest prefix first.
	keys := make([]string, 0, len(m))
	for k := range m {
		if strings.Count(k, "*") == 1 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) })
	for _, k := range keys {
		pre, suf, _ := strings.Cut(k, "*")
		if strings.HasPrefix(key, pre) && strings.HasSuffix(key, suf) && len(key) >= len(pre)+len(suf) {
			return resolveTarget(m[k], key[len(pre):len(key)-len(suf)], conds)
		}
	}
	// Legacy folder mappings ("./x/").
	for k, t := range m {
		if strings.HasSuffix(k, "/") && strings.HasPrefix(key, k) {
			if s, ok := t.(string); ok {
				return s + key[len(k):], true
			}
		}
	}
	return "", false
}

func resolveTarget(t any, star string, conds []string) (string, bool) {
	switch x := t.(type) {
	case string:
		return strings.ReplaceAll(x, "*", star), true
	case []any:
		for _, e := range x {
			if s, ok := resolveTarget(e, star, conds); ok {
				return s, true
			}
		}
	case map[string]any:
		// Object key order matters; json.Unmarshal into a map loses it, so
		// try the conditions in priority order (what Node effectively does
		// for the common require/import/node/default shapes).
		for _, c := range conds {
			if v, ok := x[c]; ok {
				if s, ok := resolveTarget(v, star, conds); ok {
					return s, true
				}
			}
		}
	}
	return "", false
}

func fileURLToPath(u string) string {
	p := strings.TrimPrefix(u, "file://")
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if s, err := unescapePath(p); err == nil {
		return s
	}
	return p
}

func unescapePath(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			h, ok1 := unhex(s[i+1])
			l, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				b.WriteByte(h<<4 | l)
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String(), nil
}

// pathToFileURL percent-encodes a path as Node's url.pathToFileURL does
// for the characters that matter in practice.
func pathToFileURL(p string) string {
	var b strings.Builder
	b.WriteString("file://")
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			strings.IndexByte("/-._~!$&'()*+,;=:@", c) >= 0:
			b.WriteByte(c)
		default:
			const hexd = "0123456789ABCDEF"
			b.WriteByte('%')
			b.WriteByte(hexd[c>>4])
			b.WriteByte(hexd[c&15])
		}
	}
	return b.String()
}
