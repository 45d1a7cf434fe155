package migrate

import (
	"fmt"
	"strconv"
	"strings"
)

// yarnEntry is one block of yarn.lock: the specs it satisfies and its
// fields.
type yarnEntry struct {
	specs     []string
	version   string
	integrity string
	deps      map[string]string // name -> range
}

// ParseYarn reads yarn's classic lockfile (yarn.lock v1). The file says
// which version each name@range resolved to; edges are resolved through
// those same specs.
func ParseYarn(data []byte) (*Lock, error) {
	text := string(data)
	if strings.Contains(text, "\n__metadata:") || strings.HasPrefix(text, "__metadata:") {
		return nil, fmt.Errorf("this yarn.lock is from yarn 2 or later (berry); gnode reads yarn 1 lockfiles")
	}
	var entries []*yarnEntry
	var cur *yarnEntry
	inDeps := false
	for lineNo, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, " \t\r")
		trimmed := strings.TrimLeft(line, " ")
		if trimmed == "" || trimmed[0] == '#' {
			continue
		}
		indent := len(line) - len(trimmed)
		fail := func(what string) error {
			return fmt.Errorf("yarn.lock line %d: %s: %q", lineNo+1, what, line)
		}
		switch {
		case indent == 0:
			if !strings.HasSuffix(trimmed, ":") {
				return nil, fail("expected a list of specs ending with ':'")
			}
			toks, err := yarnTokens(strings.TrimSuffix(trimmed, ":"), true)
			if err != nil || len(toks) == 0 {
				return nil, fail("bad spec list")
			}
			cur = &yarnEntry{specs: toks, deps: map[string]string{}}
			entries = append(entries, cur)
			inDeps = false
		case cur == nil:
			return nil, fail("field outside an entry")
		case indent <= 2:
			inDeps = false
			if strings.HasSuffix(trimmed, ":") {
				f := strings.TrimSuffix(trimmed, ":")
				inDeps = f == "dependencies" || f == "optionalDependencies"
				continue
			}
			toks, err := yarnTokens(trimmed, false)
			if err != nil || len(toks) != 2 {
				return nil, fail("expected `field value`")
			}
			switch toks[0] {
			case "version":
				cur.version = toks[1]
			case "integrity":
				cur.integrity = toks[1]
			}
		default:
			if !inDeps {
				continue
			}
			toks, err := yarnTokens(trimmed, false)
			if err != nil || len(toks) != 2 {
				return nil, fail("expected `name range`")
			}
			cur.deps[toks[0]] = toks[1]
		}
	}
	l := &Lock{File: "yarn.lock", Root: map[string]string{}}
	pkgs := set{}
	bySpec := map[string]string{} // "name@range" -> version
	realName := map[string]string{}
	for _, e := range entries {
		if e.version == "" {
			return nil, fmt.Errorf("yarn.lock entry %q has no version", strings.Join(e.specs, ", "))
		}
		for _, s := range e.specs {
			name, rng, ok := splitSpec(s)
			if !ok {
				return nil, fmt.Errorf("yarn.lock entry %q: %q is not name@range", strings.Join(e.specs, ", "), s)
			}
			bySpec[name+"@"+rng] = e.version
			real := name
			if alias, ok := strings.CutPrefix(rng, "npm:"); ok {
				if n, _, ok := splitNameVersion(alias); ok {
					real = n
				}
			}
			if realName[s] == "" {
				realName[s] = real
			}
		}
	}
	for _, e := range entries {
		name, rng, _ := splitSpec(e.specs[0])
		if strings.Contains(rng, ":") && !strings.HasPrefix(rng, "npm:") {
			continue // file:, link:, git and tarball URLs pin no registry version
		}
		if r := realName[e.specs[0]]; r != "" {
			name = r
		}
		if strings.Contains(e.version, ":") {
			continue
		}
		p := pkgs.add(name, e.version)
		if e.integrity != "" {
			p.Integrity = e.integrity
		}
		for d, rng := range e.deps {
			if v, ok := bySpec[d+"@"+rng]; ok {
				p.Dependencies[d] = v
			}
		}
	}
	l.Packages = pkgs.list()
	l.specs = bySpec
	return l, nil
}

// yarnTokens splits a yarn.lock line into words and quoted strings; with
// commas, words are separated by ", " (the spec list of an entry).
func yarnTokens(s string, commas bool) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimLeft(s, " ") {
		if commas && len(out) > 0 {
			if s[0] != ',' {
				return nil, fmt.Errorf("expected ',' in %q", s)
			}
			s = strings.TrimLeft(s[1:], " ")
		}
		if s == "" {
			return nil, fmt.Errorf("trailing separator")
		}
		if s[0] == '"' {
			end := quotedEnd(s)
			if end < 0 {
				return nil, fmt.Errorf("unterminated string in %q", s)
			}
			v, err := strconv.Unquote(s[:end+1])
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			s = s[end+1:]
			continue
		}
		end := strings.IndexAny(s, " ,")
		if !commas {
			end = strings.IndexByte(s, ' ')
		}
		if end < 0 {
			end = len(s)
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out, nil
}

// splitSpec splits a yarn spec "name@range" at the first @ after the
// name, so "other@npm:leaf@^1" is other and npm:leaf@^1.
func splitSpec(s string) (name, rng string, ok bool) {
	i := strings.IndexByte(s[min(1, len(s)):], '@') + 1
	if i <= 0 || i == len(s)-1 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}
