package migrate

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ParseBun reads bun's text lockfile (bun.lock, JSON with comments and
// trailing commas). Each "packages" entry is keyed by its install path
// ("a", "a/b" for b nested under a) and holds
// [ "name@version", registry, {dependencies...}, integrity ].
func ParseBun(data []byte) (*Lock, error) {
	clean, err := stripJSONC(data)
	if err != nil {
		return nil, fmt.Errorf("bun.lock: %w", err)
	}
	var doc struct {
		LockfileVersion *int `json:"lockfileVersion"`
		Workspaces      map[string]struct {
			Dependencies         map[string]string `json:"dependencies"`
			DevDependencies      map[string]string `json:"devDependencies"`
			OptionalDependencies map[string]string `json:"optionalDependencies"`
		} `json:"workspaces"`
		Packages map[string][]json.RawMessage `json:"packages"`
	}
	if err := json.Unmarshal(clean, &doc); err != nil {
		return nil, fmt.Errorf("bun.lock: %w", err)
	}
	if doc.LockfileVersion == nil {
		return nil, fmt.Errorf("not a bun lockfile: no lockfileVersion")
	}
	if *doc.LockfileVersion > 2 {
		return nil, fmt.Errorf("bun lockfile version %d is not supported (gnode reads versions 0 to 2)", *doc.LockfileVersion)
	}
	type entry struct {
		name, version, integrity string
		deps                     map[string]string
	}
	entries := map[string]*entry{}
	for key, arr := range doc.Packages {
		if len(arr) == 0 {
			continue
		}
		var ident string
		if json.Unmarshal(arr[0], &ident) != nil {
			return nil, fmt.Errorf("bun.lock: package %q: first element is not a string", key)
		}
		name, ver, ok := splitNameVersion(ident)
		if !ok || strings.Contains(ver, ":") {
			continue // workspace:, github:, file: ... are not registry versions
		}
		e := &entry{name: name, version: ver}
		if len(arr) >= 3 {
			var info struct {
				Dependencies         map[string]string `json:"dependencies"`
				OptionalDependencies map[string]string `json:"optionalDependencies"`
			}
			if json.Unmarshal(arr[2], &info) == nil {
				e.deps = info.Dependencies
				for k, v := range info.OptionalDependencies {
					if e.deps == nil {
						e.deps = map[string]string{}
					}
					e.deps[k] = v
				}
			}
		}
		if len(arr) >= 4 {
			json.Unmarshal(arr[3], &e.integrity)
		}
		entries[key] = e
	}
	// lookup finds the entry a dependency of the package at path from
	// resolves to, as node_modules lookup would: nested first, then up.
	lookup := func(from, dep string) *entry {
		for p := from; p != ""; {
			if e := entries[p+"/"+dep]; e != nil {
				return e
			}
			i := strings.LastIndexByte(p, '/')
			if i < 0 {
				break
			}
			p = p[:i]
			// a scoped name's own slash is not a nesting level
			if j := strings.LastIndexByte(p, '/'); strings.HasPrefix(p[j+1:], "@") {
				p = p[:max(j, 0)]
			}
		}
		return entries[dep]
	}
	l := &Lock{File: "bun.lock", Root: map[string]string{}}
	pkgs := set{}
	if ws, ok := doc.Workspaces[""]; ok {
		for _, deps := range []map[string]string{ws.Dependencies, ws.DevDependencies, ws.OptionalDependencies} {
			for d := range deps {
				if e := entries[d]; e != nil {
					l.Root[d] = e.version
				}
			}
		}
	}
	for key, e := range entries {
		p := pkgs.add(e.name, e.version)
		if e.integrity != "" {
			p.Integrity = e.integrity
		}
		for d := range e.deps {
			if de := lookup(key, d); de != nil {
				p.Dependencies[d] = de.version
			}
		}
	}
	l.Packages = pkgs.list()
	return l, nil
}

// stripJSONC removes // and /* */ comments and trailing commas before }
// or ], leaving strings untouched, so encoding/json can read the rest.
func stripJSONC(b []byte) ([]byte, error) {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '"':
			j := i + 1
			for ; j < len(b) && b[j] != '"'; j++ {
				if b[j] == '\\' {
					j++
				}
			}
			if j >= len(b) {
				return nil, fmt.Errorf("unterminated string at byte %d", i)
			}
			out = append(out, b[i:j+1]...)
			i = j
		case c == '/' && i+1 < len(b) && b[i+1] == '/':
			for i < len(b) && b[i] != '\n' {
				i++
			}
			i--
		case c == '/' && i+1 < len(b) && b[i+1] == '*':
			end := strings.Index(string(b[i+2:]), "*/")
			if end < 0 {
				return nil, fmt.Errorf("unterminated comment at byte %d", i)
			}
			i += end + 3
		case c == ',':
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\n' || b[j] == '\r') {
				j++
			}
			if j < len(b) && (b[j] == '}' || b[j] == ']') {
				continue // trailing comma
			}
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return out, nil
}
