// Package migrate reads the lockfiles of other package managers (pnpm's
// pnpm-lock.yaml v9, yarn's classic yarn.lock v1 and bun's text bun.lock)
// so that a project moving to gnode installs the versions it already had.
// Each parser yields the same shape: the packages the lockfile pins, their
// exact versions and integrity, and the exact version each dependency edge
// resolved to. Preferred turns that into what tree.Options.Preferred takes.
package migrate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Package is one pinned package version.
type Package struct {
	Name      string // the package's real name on the registry
	Version   string
	Integrity string // SRI string when the lockfile records one
	// Dependencies maps each dependency name (as the package requires it)
	// to the exact version the lockfile resolved it to.
	Dependencies map[string]string
}

// Lock is what a foreign lockfile pins.
type Lock struct {
	File string // base name of the lockfile read ("pnpm-lock.yaml" ...)
	// Root maps the project's direct dependencies to their exact versions.
	Root map[string]string
	// Packages are sorted by name, then version; each name@version once.
	Packages []Package

	// specs maps "name@range" to the version it resolved to, for lockfiles
	// that do not record the project's own dependencies (yarn.lock).
	specs map[string]string
}

// SetRoot fills Root from the project's direct dependencies (name ->
// range, as package.json has them) when the lockfile does not record them
// itself, as yarn.lock does not. Preferred then lists those versions first.
func (l *Lock) SetRoot(deps map[string]string) {
	for name, rng := range deps {
		if _, ok := l.Root[name]; ok {
			continue
		}
		if v, ok := l.specs[name+"@"+rng]; ok {
			l.Root[name] = v
		}
	}
}

// Files are the lockfiles Find looks for, in the order it prefers them.
var Files = []string{"pnpm-lock.yaml", "yarn.lock", "bun.lock"}

// ErrNone is returned by Find when dir holds none of Files.
var ErrNone = errors.New("no pnpm-lock.yaml, yarn.lock or bun.lock")

// Find reads the first of Files present in dir.
func Find(dir string) (*Lock, error) {
	for _, f := range Files {
		p := filepath.Join(dir, f)
		b, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		l, err := Parse(f, b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		return l, nil
	}
	return nil, ErrNone
}

// Parse reads lockfile data; name is the lockfile's base name and picks
// the format.
func Parse(name string, data []byte) (*Lock, error) {
	switch name {
	case "pnpm-lock.yaml":
		return ParsePnpm(data)
	case "yarn.lock":
		return ParseYarn(data)
	case "bun.lock":
		return ParseBun(data)
	}
	return nil, fmt.Errorf("unknown lockfile %q (gnode reads %v)", name, Files)
}

// Preferred returns the versions pinned for each package name in the
// shape tree.Options.Preferred takes (the shape tree.Preferred builds from
// package-lock.json). The version the project depends on directly comes
// first, because the resolver keeps the first preferred version that
// satisfies a range.
func (l *Lock) Preferred() map[string][]string {
	out := map[string][]string{}
	seen := map[string]bool{}
	add := func(name, v string) {
		if name == "" || v == "" || seen[name+"@"+v] {
			return
		}
		seen[name+"@"+v] = true
		out[name] = append(out[name], v)
	}
	names := make([]string, 0, len(l.Root))
	for n := range l.Root {
		names = append(names, n)
	}
	sort.Strings(names)
	have := map[string]bool{}
	for _, p := range l.Packages {
		have[p.Name+"@"+p.Version] = true
	}
	for _, n := range names {
		// Root keys are the names as depended on: an alias ("other":
		// "npm:leaf@1") names no package and is left to the list below.
		if have[n+"@"+l.Root[n]] {
			add(n, l.Root[n])
		}
	}
	for _, p := range l.Packages {
		add(p.Name, p.Version)
	}
	return out
}

// set collects packages, one per name@version.
type set map[string]*Package

func (s set) add(name, version string) *Package {
	k := name + "@" + version
	if p := s[k]; p != nil {
		return p
	}
	p := &Package{Name: name, Version: version, Dependencies: map[string]string{}}
	s[k] = p
	return p
}

func (s set) list() []Package {
	out := make([]Package, 0, len(s))
	for _, p := range s {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Version < out[j].Version
	})
	return out
}

// splitNameVersion splits "name@version" and "@scope/name@version" at the
// last @ that is not the scope's.
func splitNameVersion(s string) (name, version string, ok bool) {
	start := 0
	if len(s) > 0 && s[0] == '@' {
		start = 1
	}
	for i := len(s) - 1; i >= start; i-- {
		if s[i] == '@' {
			if i == start && start == 1 {
				break
			}
			return s[:i], s[i+1:], i > 0 && i < len(s)-1
		}
	}
	return s, "", false
}

// PreferredFor is what an install without package-lock.json needs: the
// preferred versions of the first foreign lockfile in dir (with the
// project's direct dependencies, name -> range from package.json, listed
// first) and that lockfile's name. It returns no error and an empty name
// when dir has none.
func PreferredFor(dir string, deps ...map[string]string) (map[string][]string, string, error) {
	l, err := Find(dir)
	if errors.Is(err, ErrNone) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	for _, d := range deps {
		l.SetRoot(d)
	}
	return l.Preferred(), l.File, nil
}
