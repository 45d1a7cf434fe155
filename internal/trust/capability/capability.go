// Package capability is gnode's per-package capability policy: what each
// package in node_modules may do at run time (fs.read, fs.write, net,
// child_process, env, worker, native), how a policy is generated from what
// a package's code uses, and how it is stored (gnode-policy.json).
package capability

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// The capabilities a package can be granted.
const (
	FSRead       = "fs.read"
	FSWrite      = "fs.write"
	Net          = "net"
	ChildProcess = "child_process"
	Env          = "env"
	Worker       = "worker"
	Native       = "native"
)

// All lists every capability in a stable order.
var All = []string{FSRead, FSWrite, Net, ChildProcess, Env, Worker, Native}

// moduleCaps maps a core module to the capabilities using it needs.
var moduleCaps = sync.OnceValue(func() map[string][]string {
	return map[string][]string{
		"fs": {FSRead, FSWrite}, "fs/promises": {FSRead, FSWrite},
		"net": {Net}, "http": {Net}, "https": {Net}, "http2": {Net}, "tls": {Net}, "dgram": {Net}, "dns": {Net}, "dns/promises": {Net},
		"child_process":  {ChildProcess},
		"worker_threads": {Worker}, "cluster": {Worker, ChildProcess},
	}
})

// CapsForModule returns the capabilities a core module needs (nil: none).
func CapsForModule(id string) []string {
	return moduleCaps()[strings.TrimPrefix(id, "node:")]
}

// FileName is the policy's file name at the project root.
const FileName = "gnode-policy.json"

// Policy grants capabilities per package name.
type Policy struct {
	Version  int                 `json:"version"`
	Packages map[string][]string `json:"packages"`
}

// Grants reports whether pkg may use capability c. A package missing from
// the policy gets nothing.
func (p *Policy) Grants(pkg, c string) bool {
	for _, g := range p.Packages[pkg] {
		if g == c {
			return true
		}
	}
	return false
}

// Missing returns the capabilities need has that the policy does not grant pkg.
func (p *Policy) Missing(pkg string, need []string) []string {
	var out []string
	for _, c := range need {
		if !p.Grants(pkg, c) {
			out = append(out, c)
		}
	}
	return out
}

// Load reads a policy file.
func Load(path string) (*Policy, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p Policy
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if p.Version != 1 {
		return nil, fmt.Errorf("%s: unsupported policy version %d (want 1)", path, p.Version)
	}
	known := map[string]bool{}
	for _, c := range All {
		known[c] = true
	}
	for pkg, caps := range p.Packages {
		for _, c := range caps {
			if !known[c] {
				return nil, fmt.Errorf("%s: package %s: unknown capability %q (known: %s)", path, pkg, c, strings.Join(All, ", "))
			}
		}
	}
	if p.Packages == nil {
		p.Packages = map[string][]string{}
	}
	return &p, nil
}

// Save writes the policy through a temp file and a rename.
func (p *Policy) Save(path string) error {
	for k, v := range p.Packages {
		sort.Slice(v, func(i, j int) bool { return capIndex(v[i]) < capIndex(v[j]) })
		p.Packages[k] = v
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func capIndex(c string) int {
	for i, x := range All {
		if x == c {
			return i
		}
	}
	return len(All)
}

// Generate analyses every package under root/node_modules and grants each
// what its code uses.
func Generate(root string) (*Policy, error) {
	p := &Policy{Version: 1, Packages: map[string][]string{}}
	err := forEachPackage(filepath.Join(root, "node_modules"), func(name, dir string) error {
		caps, err := AnalyzePackage(dir)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		// Several copies of one name (nested versions) share one entry: the union.
		p.Packages[name] = union(p.Packages[name], caps)
		return nil
	})
	return p, err
}

func union(a, b []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, x := range append(append([]string{}, a...), b...) {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Slice(out, func(i, j int) bool { return capIndex(out[i]) < capIndex(out[j]) })
	return out
}

// forEachPackage visits every package folder of a node_modules tree,
// nested ones included.
func forEachPackage(nm string, fn func(name, dir string) error) error {
	entries, err := os.ReadDir(nm)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, ".") || !e.IsDir() && e.Type()&os.ModeSymlink == 0 {
			continue
		}
		if strings.HasPrefix(n, "@") {
			scoped, err := os.ReadDir(filepath.Join(nm, n))
			if err != nil {
				return err
			}
			for _, s := range scoped {
				if err := visit(filepath.Join(nm, n, s.Name()), n+"/"+s.Name(), fn); err != nil {
					return err
				}
			}
			continue
		}
		if err := visit(filepath.Join(nm, n), n, fn); err != nil {
			return err
		}
	}
	return nil
}

func visit(dir, name string, fn func(name, dir string) error) error {
	if err := fn(name, dir); err != nil {
		return err
	}
	return forEachPackage(filepath.Join(dir, "node_modules"), fn)
}
