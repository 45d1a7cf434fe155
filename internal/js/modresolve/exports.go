package modresolve

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// target is the outcome of an "exports"/"imports" lookup: a file URL or a
// built-in.
type target struct {
	url         *url.URL
	path        string // file path for file: URLs
	escapedPath string
	builtin     string // "node:fs" when an imports entry maps to a built-in
}

// outcome distinguishes the three results of Node's resolvePackageTarget:
// undefined (no condition matched), null (explicitly excluded) and a URL.
type outcome int

const (
	outUndefined outcome = iota
	outNull
	outFound
)

var (
	invalidSegmentRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)(^|\\|/)((\.|%2e)(\.|%2e)?|(n|%6e|%4e)(o|%6f|%4f)(d|%64|%44)(e|%65|%45)(_|%5f)(m|%6d|%4d)(o|%6f|%4f)(d|%64|%44)(u|%75|%55)(l|%6c|%4c)(e|%65|%45)(s|%73|%53))?(\\|/|$)`)
	})
	deprecatedSegmentRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)(^|\\|/)((\.|%2e)(\.|%2e)?|(n|%6e|%4e)(o|%6f|%4f)(d|%64|%44)(e|%65|%45)(_|%5f)(m|%6d|%4d)(o|%6f|%4f)(d|%64|%44)(u|%75|%55)(l|%6c|%4c)(e|%65|%45)(s|%73|%53))(\\|/|$)`)
	})
	urlSchemeRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.\-]*:`) })
)

// resolveCtx carries what every step of an exports/imports resolution
// needs for its errors.
type resolveCtx struct {
	pkg   *PackageJSON
	base  string // importing file for messages, "" when Node passes null
	conds map[string]bool
}

func importedFrom(base string) string {
	if base == "" {
		return ""
	}
	return " imported from " + base
}

func (c *resolveCtx) invalidTarget(key string, t jsonValue, internal bool) *Error {
	var s string
	switch t.kind {
	case jsonString:
		s = t.str
	case jsonObject, jsonArray:
		s = t.display()
	default:
		s = t.display()
	}
	q, _ := json.Marshal(s)
	qs := strings.ReplaceAll(string(q), `\u0026`, "&")
	rel := ""
	// Node stringifies the target before this test, so numbers and objects
	// get the hint too.
	if !internal && s != "" && !strings.HasPrefix(s, "./") {
		rel = `; targets must start with "./"`
	}
	if key == "." {
		return &Error{Code: CodeInvalidPackageTarget, PackageJSON: c.pkg.Path,
			Msg: `Invalid "exports" main target ` + qs + ` defined in the package config ` + c.pkg.Path + importedFrom(c.base) + rel}
	}
	field := "exports"
	if internal {
		field = "imports"
	}
	return &Error{Code: CodeInvalidPackageTarget, PackageJSON: c.pkg.Path,
		Msg: `Invalid "` + field + `" target ` + qs + ` defined for '` + key + `' in the package config ` + c.pkg.Path + importedFrom(c.base) + rel}
}

func (c *resolveCtx) invalidConfig(msg string) *Error {
	while := ""
	if c.base != "" {
		while = " while importing " + c.base
	}
	return &Error{Code: CodeInvalidPackageConfig, PackageJSON: c.pkg.Path, Msg: "Invalid package config " + c.pkg.Path + while + ". " + msg}
}

func (c *resolveCtx) exportsNotFound(sub string) *Error {
	if sub == "." {
		return &Error{Code: CodePackagePathNotExported, Specifier: sub, PackageJSON: c.pkg.Path,
			Msg: `No "exports" main defined in ` + c.pkg.Path + importedFrom(c.base)}
	}
	return &Error{Code: CodePackagePathNotExported, Specifier: sub, PackageJSON: c.pkg.Path,
		Msg: "Package subpath '" + sub + `' is not defined by "exports" in ` + c.pkg.Path + importedFrom(c.base)}
}

// patternKeyCompare orders pattern keys: longer prefix before the "*"
// first, then longer keys.
func patternKeyCompare(a, b string) int {
	ai, bi := strings.IndexByte(a, '*'), strings.IndexByte(b, '*')
	baseA, baseB := len(a), len(b)
	if ai != -1 {
		baseA = ai + 1
	}
	if bi != -1 {
		baseB = bi + 1
	}
	switch {
	case baseA > baseB:
		return -1
	case baseB > baseA:
		return 1
	case ai == -1:
		return 1
	case bi == -1:
		return -1
	case len(a) > len(b):
		return -1
	case len(b) > len(a):
		return 1
	}
	return 0
}

// matchPattern finds the best "*" key of m matching name: the key and the
// text the "*" stands for.
func matchPattern(keys []string, name string) (best, sub string) {
	for _, k := range keys {
		i := strings.IndexByte(k, '*')
		if i == -1 || !strings.HasPrefix(name, k[:i]) {
			continue
		}
		trailer := k[i+1:]
		if len(name) >= len(k) && strings.HasSuffix(name, trailer) && patternKeyCompare(best, k) == 1 && strings.LastIndexByte(k, '*') == i {
			best = k
			sub = name[i : len(name)-len(trailer)]
		}
	}
	return best, sub
}

// MatchPattern exposes the "exports"/"imports" subpath pattern matcher:
// among keys, the best one matching name and what its "*" matched.
func MatchPattern(keys []string, name string) (key, star string, ok bool) {
	k, s := matchPattern(keys, name)
	return k, s, k != ""
}

// packageExportsResolve is PACKAGE_EXPORTS_RESOLVE for subpath ("." or
// "./x") of pkg.
func (r *Resolver) packageExportsResolve(pkg *PackageJSON, sub, base string, conds map[string]bool) (target, error) {
	c := &resolveCtx{pkg: pkg, base: base, conds: conds}
	exports := pkg.exports
	sugar := false
	switch exports.kind {
	case jsonString, jsonArray:
		sugar = true
	case jsonObject:
		first := true
		for _, k := range exports.keys() {
			cur := k == "" || k[0] != '.'
			if first {
				sugar = cur
				first = false
			} else if sugar != cur {
				return target{}, c.invalidConfig(`"exports" cannot contain some keys starting with '.' and some not. The exports object must either be an object of package subpath keys or an object of main entry condition name keys only.`)
			}
		}
	}
	if sugar {
		exports = jsonValue{kind: jsonObject, obj: []jsonMember{{".", exports}}}
	}
	if exports.kind == jsonObject {
		if t, ok := exports.get(sub); ok && !strings.Contains(sub, "*") && !strings.HasSuffix(sub, "/") {
			res, out, err := r.resolveTarget(c, t, "", sub, false, false, false)
			if err != nil {
				return target{}, err
			}
			if out != outFound {
				return target{}, c.exportsNotFound(sub)
			}
			return res, nil
		}
		if best, star := matchPattern(exports.keys(), sub); best != "" {
			t, _ := exports.get(best)
			res, out, err := r.resolveTarget(c, t, star, best, true, false, strings.HasSuffix(sub, "/"))
			if err != nil {
				return target{}, err
			}
			if out != outFound {
				return target{}, c.exportsNotFound(sub)
			}
			return res, nil
		}
	}
	return target{}, c.exportsNotFound(sub)
}

// packageImportsResolve is PACKAGE_IMPORTS_RESOLVE for a "#name" from
// base (a file path) whose package scope is pkg (may be nil).
func (r *Resolver) packageImportsResolve(name, base string, pkg *PackageJSON, conds map[string]bool) (target, error) {
	if name == "#" || strings.HasPrefix(name, "#/") || strings.HasSuffix(name, "/") {
		return target{}, &Error{Code: CodeInvalidModuleSpecifier, Specifier: name,
			Msg: `Invalid module "` + name + `" is not a valid internal imports specifier name` + importedFrom(base)}
	}
	if pkg != nil && pkg.HasImports {
		c := &resolveCtx{pkg: pkg, base: base, conds: conds}
		imports := pkg.imports
		if t, ok := imports.get(name); ok && imports.kind == jsonObject && !strings.Contains(name, "*") {
			res, out, err := r.resolveTarget(c, t, "", name, false, true, false)
			if err != nil {
				return target{}, err
			}
			if out == outFound {
				return res, nil
			}
		} else if imports.kind == jsonObject {
			if best, star := matchPattern(imports.keys(), name); best != "" {
				t, _ := imports.get(best)
				res, out, err := r.resolveTarget(c, t, star, best, true, true, false)
				if err != nil {
					return target{}, err
				}
				if out == outFound {
					return res, nil
				}
			}
		}
	}
	in := ""
	if pkg != nil {
		in = " in package " + pkg.Path
	}
	return target{}, &Error{Code: CodePackageImportNotDefined, Specifier: name,
		Msg: `Package import specifier "` + name + `" is not defined` + in + " imported from " + base}
}

// resolveTarget is resolvePackageTarget.
func (r *Resolver) resolveTarget(c *resolveCtx, t jsonValue, sub, key string, pattern, internal, isPathMap bool) (target, outcome, error) {
	switch t.kind {
	case jsonString:
		res, err := r.resolveTargetString(c, t, sub, key, pattern, internal)
		if err != nil {
			return target{}, outUndefined, err
		}
		return res, outFound, nil
	case jsonArray:
		if len(t.arr) == 0 {
			return target{}, outNull, nil
		}
		var last error
		lastIsNull := false
		for _, item := range t.arr {
			res, out, err := r.resolveTarget(c, item, sub, key, pattern, internal, isPathMap)
			if err != nil {
				last, lastIsNull = err, false
				if HasCode(err, CodeInvalidPackageTarget) {
					continue
				}
				return target{}, outUndefined, err
			}
			switch out {
			case outUndefined:
				continue
			case outNull:
				last, lastIsNull = nil, true
				continue
			}
			return res, outFound, nil
		}
		if last != nil {
			return target{}, outUndefined, last
		}
		if lastIsNull {
			return target{}, outNull, nil
		}
		return target{}, outUndefined, nil
	case jsonObject:
		keys := t.keys()
		for _, k := range keys {
			if _, isIdx := arrayIndex(k); isIdx {
				return target{}, outUndefined, c.invalidConfig(`"exports" cannot contain numeric property keys.`)
			}
		}
		for _, k := range keys {
			if k == "default" || c.conds[k] {
				v, _ := t.get(k)
				res, out, err := r.resolveTarget(c, v, sub, key, pattern, internal, isPathMap)
				if err != nil {
					return target{}, outUndefined, err
				}
				if out == outUndefined {
					continue
				}
				return res, out, nil
			}
		}
		return target{}, outUndefined, nil
	case jsonNull:
		return target{}, outNull, nil
	}
	return target{}, outUndefined, c.invalidTarget(key, t, internal)
}

func (r *Resolver) resolveTargetString(c *resolveCtx, t jsonValue, sub, key string, pattern, internal bool) (target, error) {
	s := t.str
	if sub != "" && !pattern && !strings.HasSuffix(s, "/") {
		return target{}, c.invalidTarget(key, t, internal)
	}
	if !strings.HasPrefix(s, "./") {
		if internal && !strings.HasPrefix(s, "../") && !strings.HasPrefix(s, "/") && !urlSchemeRE().MatchString(s) {
			spec := s + sub
			if pattern {
				spec = strings.ReplaceAll(s, "*", sub)
			}
			// Node resolves the mapped bare name from the package.json itself.
			return r.packageResolveESM(spec, c.pkg.Path, c.conds)
		}
		return target{}, c.invalidTarget(key, t, internal)
	}
	if invalidSegmentRE().MatchString(s[2:]) && deprecatedSegmentRE().MatchString(s[2:]) {
		return target{}, c.invalidTarget(key, t, internal)
	}
	pkgURL := r.po.toURL(c.pkg.Path)
	ref, err := url.Parse(s)
	if err != nil {
		return target{}, c.invalidTarget(key, t, internal)
	}
	resolved := pkgURL.ResolveReference(ref)
	pkgDirURL := pkgURL.ResolveReference(&url.URL{Path: "."})
	if !strings.HasPrefix(resolved.Path, pkgDirURL.Path) {
		return target{}, c.invalidTarget(key, t, internal)
	}
	if sub == "" {
		return r.fileTarget(resolved), nil
	}
	if invalidSegmentRE().MatchString(sub) && deprecatedSegmentRE().MatchString(sub) {
		request := key + sub
		if pattern {
			request = strings.Replace(key, "*", sub, 1)
		}
		field := "exports"
		if internal {
			field = "imports"
		}
		return target{}, &Error{Code: CodeInvalidModuleSpecifier, Specifier: request, PackageJSON: c.pkg.Path,
			Msg: `Invalid module "` + request + `" request is not a valid match in pattern "` + key + `" for the "` + field + `" resolution of ` + c.pkg.Path + importedFrom(c.base)}
	}
	if pattern {
		u, err := url.Parse(strings.ReplaceAll(resolved.String(), "*", sub))
		if err != nil {
			return target{}, c.invalidTarget(key, t, internal)
		}
		return r.fileTarget(u), nil
	}
	ref, err = url.Parse(sub)
	if err != nil {
		return target{}, c.invalidTarget(key, t, internal)
	}
	return r.fileTarget(resolved.ResolveReference(ref)), nil
}

func (r *Resolver) fileTarget(u *url.URL) target {
	if u.Scheme == "node" {
		return target{url: u, builtin: u.String()}
	}
	return target{url: u, path: r.po.fromURL(u), escapedPath: u.EscapedPath()}
}
