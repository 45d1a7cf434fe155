package migrate

import (
	"fmt"
	"strconv"
	"strings"
)

// ynode is a node of the YAML subset pnpm writes: block mappings nested by
// indentation whose leaves are plain or quoted scalars, or flow
// collections ({...}, [...]) kept as raw text. Block sequences are skipped:
// nothing gnode reads from the lockfile is written as one.
type ynode struct {
	val  string
	keys []string
	m    map[string]*ynode
}

func (n *ynode) get(path ...string) *ynode {
	for _, k := range path {
		if n == nil || n.m == nil {
			return nil
		}
		n = n.m[k]
	}
	return n
}

func (n *ynode) set(k string, c *ynode) {
	if n.m == nil {
		n.m = map[string]*ynode{}
	}
	if _, dup := n.m[k]; !dup {
		n.keys = append(n.keys, k)
	}
	n.m[k] = c
}

// parseYAML parses the subset described on ynode.
func parseYAML(data []byte) (*ynode, error) {
	root := &ynode{}
	type frame struct {
		indent int
		n      *ynode
	}
	stack := []frame{{-1, root}}
	for lineNo, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, " \t\r")
		trimmed := strings.TrimLeft(line, " ")
		if trimmed == "" || trimmed[0] == '#' || trimmed == "---" {
			continue
		}
		if strings.HasPrefix(trimmed, "\t") {
			return nil, fmt.Errorf("line %d: tabs are not valid YAML indentation", lineNo+1)
		}
		indent := len(line) - len(trimmed)
		for len(stack) > 1 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		if trimmed[0] == '-' && (len(trimmed) == 1 || trimmed[1] == ' ') {
			continue // a block sequence item
		}
		key, rest, err := yamlKey(trimmed)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", lineNo+1, err)
		}
		c := &ynode{}
		if rest != "" {
			c.val, err = yamlScalar(rest)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", lineNo+1, err)
			}
		}
		stack[len(stack)-1].n.set(key, c)
		if rest == "" {
			stack = append(stack, frame{indent, c})
		}
	}
	return root, nil
}

// yamlKey splits `key: value` (the key plain or quoted) into key and the
// raw value text.
func yamlKey(s string) (key, rest string, err error) {
	if s[0] == '\'' || s[0] == '"' {
		end := quotedEnd(s)
		if end < 0 {
			return "", "", fmt.Errorf("unterminated quoted key %q", s)
		}
		key, err = yamlScalar(s[:end+1])
		if err != nil {
			return "", "", err
		}
		s = s[end+1:]
		if !strings.HasPrefix(s, ":") {
			return "", "", fmt.Errorf("expected ':' after key %q", key)
		}
		return key, strings.TrimSpace(s[1:]), nil
	}
	if i := strings.Index(s, ": "); i >= 0 {
		return s[:i], strings.TrimSpace(s[i+2:]), nil
	}
	if strings.HasSuffix(s, ":") {
		return s[:len(s)-1], "", nil
	}
	return "", "", fmt.Errorf("expected `key: value`, found %q", s)
}

// quotedEnd returns the index of the quote closing s's opening quote.
func quotedEnd(s string) int {
	q := s[0]
	for i := 1; i < len(s); i++ {
		switch {
		case q == '"' && s[i] == '\\':
			i++
		case s[i] == q && q == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i++ // '' is an escaped quote
		case s[i] == q:
			return i
		}
	}
	return -1
}

// yamlScalar decodes a scalar; flow collections are returned as written.
func yamlScalar(s string) (string, error) {
	switch s[0] {
	case '\'':
		if quotedEnd(s) != len(s)-1 {
			return "", fmt.Errorf("bad single-quoted scalar %q", s)
		}
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'"), nil
	case '"':
		if quotedEnd(s) != len(s)-1 {
			return "", fmt.Errorf("bad double-quoted scalar %q", s)
		}
		v, err := strconv.Unquote(s)
		if err != nil {
			return "", fmt.Errorf("bad double-quoted scalar %q: %w", s, err)
		}
		return v, nil
	}
	if i := strings.Index(s, " #"); i >= 0 && s[0] != '{' && s[0] != '[' {
		s = strings.TrimSpace(s[:i])
	}
	return s, nil
}

// flowField returns field's value in a one-line flow mapping such as
// `{integrity: sha512-..., tarball: ...}`.
func flowField(flow, field string) string {
	flow = strings.TrimSpace(flow)
	if !strings.HasPrefix(flow, "{") || !strings.HasSuffix(flow, "}") {
		return ""
	}
	for _, part := range strings.Split(flow[1:len(flow)-1], ",") {
		k, v, ok := strings.Cut(part, ":")
		if ok && strings.TrimSpace(k) == field {
			v = strings.TrimSpace(v)
			if uv, err := yamlScalar(v); err == nil && v != "" {
				v = uv
			}
			return v
		}
	}
	return ""
}

// pnpmVersion reads a version as pnpm writes it for a dependency of
// depName: "1.2.3", "1.2.3(peer@1.0.0)" (peer suffix), "real@1.2.3" (an
// npm: alias) or "link:../x" (not from a registry: ok is false).
func pnpmVersion(depName, v string) (name, version string, ok bool) {
	if i := strings.IndexByte(v, '('); i > 0 {
		v = v[:i]
	}
	if strings.Contains(v, ":") || v == "" {
		return "", "", false // link:, file:, workspace:, URLs
	}
	if n, ver, ok := splitNameVersion(v); ok && n != "" {
		return n, ver, true
	}
	return depName, v, true
}

var pnpmDepFields = []string{"dependencies", "optionalDependencies", "devDependencies"}

// ParsePnpm reads pnpm-lock.yaml (lockfile version 9; 6 is read too, its
// package keys carry a leading slash).
func ParsePnpm(data []byte) (*Lock, error) {
	doc, err := parseYAML(data)
	if err != nil {
		return nil, err
	}
	lv := doc.get("lockfileVersion")
	if lv == nil {
		return nil, fmt.Errorf("not a pnpm lockfile: no lockfileVersion")
	}
	major, _, _ := strings.Cut(lv.val, ".")
	if major != "9" && major != "6" {
		return nil, fmt.Errorf("pnpm lockfile version %s is not supported (gnode reads versions 6 and 9)", lv.val)
	}
	l := &Lock{File: "pnpm-lock.yaml", Root: map[string]string{}}
	pkgs := set{}
	importer := doc.get("importers", ".")
	if importer == nil {
		importer = doc // older single-project layout: fields at the top
	}
	for _, f := range pnpmDepFields {
		deps := importer.get(f)
		if deps == nil {
			continue
		}
		for _, dep := range deps.keys {
			d := deps.m[dep]
			v := d.val
			if vn := d.get("version"); vn != nil {
				v = vn.val
			}
			if name, ver, ok := pnpmVersion(dep, v); ok {
				l.Root[dep] = ver
				pkgs.add(name, ver)
			}
		}
	}
	for _, section := range []string{"packages", "snapshots"} {
		sec := doc.get(section)
		if sec == nil {
			continue
		}
		for _, key := range sec.keys {
			k := strings.TrimPrefix(key, "/")
			if i := strings.IndexByte(k, '('); i > 0 {
				k = k[:i]
			}
			name, ver, ok := splitNameVersion(k)
			if !ok || strings.Contains(ver, ":") {
				continue
			}
			p := pkgs.add(name, ver)
			e := sec.m[key]
			if r := e.get("resolution"); r != nil {
				if in := flowField(r.val, "integrity"); in != "" {
					p.Integrity = in
				}
			}
			for _, f := range pnpmDepFields {
				deps := e.get(f)
				if deps == nil {
					continue
				}
				for _, dep := range deps.keys {
					if n, dv, ok := pnpmVersion(dep, deps.m[dep].val); ok {
						p.Dependencies[dep] = dv
						pkgs.add(n, dv)
					}
				}
			}
		}
	}
	l.Packages = pkgs.list()
	return l, nil
}
