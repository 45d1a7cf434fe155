package modresolve

import (
	"strings"
	"testing"
)

// FuzzExportsResolution feeds arbitrary package.json text and requests
// through both resolvers: no panics, and every success is a file that
// exists inside the package (exports targets may not escape it).
func FuzzExportsResolution(f *testing.F) {
	f.Add(`{"name":"p","exports":{"./*":"./lib/*.js","./x":{"import":"./x.mjs","default":"./x.js"}}}`, "p/a", "p/x")
	f.Add(`{"exports":"./lib/a.js","imports":{"#i/*":"./lib/*.js","#d":"p"}}`, "#i/a", "p")
	f.Add(`{"exports":[null,{"require":"../x"}],"main":"lib/a"}`, "p", "#d")
	f.Add(`{"exports":{"./a/":"./lib/","./b":5,"./c":[]}}`, "p/a/a.js", "p/c")
	f.Fuzz(func(t *testing.T, pkgJSON, req1, req2 string) {
		files := map[string]string{
			"/w/node_modules/p/package.json": pkgJSON,
			"/w/node_modules/p/lib/a.js":     "",
			"/w/node_modules/p/x.js":         "",
			"/w/node_modules/p/x.mjs":        "",
			"/w/node_modules/x":              "",
			"/w/node_modules/p/index.js":     "",
			"/w/main.js":                     "",
		}
		fs := NewMemFS(files, false)
		r := NewResolver(fs, Options{Builtins: func(s string) bool { return s == "fs" }})
		for _, req := range []string{req1, req2} {
			for _, from := range []string{"/w/main.js", "/w/node_modules/p/lib/a.js"} {
				for _, mode := range []byte{'r', 'i'} {
					var res Result
					var err error
					if mode == 'r' {
						res, err = r.ResolveRequire(req, from)
					} else {
						res, err = r.ResolveImport(req, from)
					}
					if err != nil || res.Builtin != "" || res.Path == "" {
						continue
					}
					if isDir, ok := fs.Stat(res.Path); !ok || isDir {
						t.Fatalf("%c %q from %s resolved to %q, which is not a file", mode, req, from, res.Path)
					}
					if !strings.HasPrefix(res.Path, "/w/") && !strings.HasPrefix(req, "/") && !strings.HasPrefix(req, "file:") && !strings.HasPrefix(req, ".") {
						t.Fatalf("%c %q escaped the tree: %q", mode, req, res.Path)
					}
				}
			}
		}
	})
}
