package modresolve

import (
	"encoding/json"
	"net/url"
	"strings"
)

// ResolveImport resolves `import specifier` from parent, a file path or a
// file: URL. Built-ins resolve to node:<id>; relative specifiers get no
// extension or index guessing; data: URLs pass through with Format
// "module" left to the loader (Path empty).
func (r *Resolver) ResolveImport(specifier, parent string) (Result, error) {
	res, err := r.resolveImport(specifier, parent)
	if e, ok := err.(*Error); ok && (e.Code == CodeESMModuleNotFound || e.Code == CodeUnsupportedDirImport) {
		r.addCommonJSHint(e, specifier, parent)
		r.Clear() // as in ResolveRequireWith: a retry after creating the file must see it
	}
	return res, err
}

// addCommonJSHint appends Node's "Did you mean to import ...?" line when
// require's rules would have found a file (a missing extension, a
// directory index). Node resolves a relative hint against the working
// directory, a bug that hides the hint for modules outside it; gnode uses
// the importing module's directory, so both agree when they are the same.
func (r *Resolver) addCommonJSHint(e *Error, specifier, parent string) {
	_, basePath, err := r.parentURL(parent)
	if err != nil {
		return
	}
	spec := specifier
	if strings.HasPrefix(spec, "file://") {
		u, err := url.Parse(spec)
		if err != nil {
			return
		}
		spec = r.po.fromURL(u)
	}
	res, err := r.ResolveRequire(spec, basePath)
	if err != nil || res.Builtin != "" {
		return
	}
	found := res.Path
	sep := r.po.sep()
	switch {
	case isRelativeOrAbsolute(spec) && spec[0] == '.':
		rel := relativePosix(r.po.toURL(r.po.dir(basePath)).Path, r.po.toURL(found).Path)
		if !strings.HasPrefix(rel, ".."+sep) && !strings.HasPrefix(rel, "../") {
			rel = "." + sep + rel
		}
		found = rel
	case spec != "" && spec[0] != '/' && spec[0] != '#' && !urlSchemeRE().MatchString(spec):
		pkg := spec
		if i := strings.IndexByte(spec, '/'); i >= 0 {
			pkg = spec[:i]
		}
		needle := sep + "node_modules" + sep + pkg + sep
		if i := strings.LastIndex(found, needle); i >= 0 {
			segs := strings.Split(found[i+len(needle):], sep)
			for k, s := range segs {
				segs[k] = url.PathEscape(s)
			}
			found = pkg + "/" + strings.Join(segs, "/")
		} else {
			found = r.po.toURL(found).String()
		}
	}
	if found != specifier {
		hint, _ := json.Marshal(found)
		e.Msg += "\nDid you mean to import " + string(hint) + "?"
	}
}

// relativePosix is path.posix.relative for two absolute URL paths.
func relativePosix(from, to string) string {
	f := strings.Split(strings.Trim(from, "/"), "/")
	t := strings.Split(strings.Trim(to, "/"), "/")
	if from == "/" {
		f = nil
	}
	i := 0
	for i < len(f) && i < len(t) && f[i] == t[i] {
		i++
	}
	var out []string
	for range f[i:] {
		out = append(out, "..")
	}
	out = append(out, t[i:]...)
	return strings.Join(out, "/")
}

func (r *Resolver) resolveImport(specifier, parent string) (Result, error) {
	baseURL, basePath, err := r.parentURL(parent)
	if err != nil {
		return Result{}, err
	}
	if id, ok, schemed := r.builtin(specifier); ok {
		return Result{Path: "node:" + id, Builtin: id, URL: "node:" + id, Format: FormatBuiltin}, nil
	} else if schemed {
		return Result{}, &Error{Code: CodeUnknownBuiltinModule, Specifier: specifier, Msg: "No such built-in module: " + specifier}
	}

	var t target
	switch {
	case isRelativeOrAbsolute(specifier):
		ref, perr := url.Parse(specifier)
		if perr != nil {
			return Result{}, &Error{Code: CodeInvalidURL, Specifier: specifier, Msg: "Invalid URL"}
		}
		if r.opts.Windows && strings.HasPrefix(specifier, "/") {
			// An absolute "/x" keeps the parent's drive, as URL resolution
			// against file:///C:/... does.
			ref.Path = "/" + r.po.volume(basePath) + ref.Path
		}
		t = r.fileTarget(baseURL.ResolveReference(ref))
	case strings.HasPrefix(specifier, "#"):
		pkg, err := r.PackageScope(basePath)
		if err != nil {
			return Result{}, err
		}
		t, err = r.packageImportsResolve(specifier, basePath, pkg, r.esmConds)
		if err != nil {
			return Result{}, err
		}
	case urlSchemeRE().MatchString(specifier):
		u, perr := url.Parse(specifier)
		if perr != nil {
			return Result{}, &Error{Code: CodeInvalidURL, Specifier: specifier, Msg: "Invalid URL"}
		}
		switch u.Scheme {
		case "file":
			t = r.fileTarget(u)
		case "data":
			return Result{URL: specifier}, nil
		case "node":
			// Unknown node: ids were rejected above.
			return Result{}, &Error{Code: CodeUnknownBuiltinModule, Specifier: specifier, Msg: "No such built-in module: " + specifier}
		default:
			return Result{}, &Error{Code: CodeUnsupportedESMURLScheme, Specifier: specifier,
				Msg: "Only URLs with a scheme in: file, data, and node are supported by the default ESM loader. Received protocol '" + u.Scheme + ":'"}
		}
	default:
		t, err = r.packageResolveESM(specifier, basePath, r.esmConds)
		if err != nil {
			return Result{}, err
		}
	}
	if t.builtin != "" {
		id := strings.TrimPrefix(t.builtin, "node:")
		return Result{Path: t.builtin, Builtin: id, URL: t.builtin, Format: FormatBuiltin}, nil
	}
	return r.finalizeESM(t, basePath)
}

func isRelativeOrAbsolute(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '/' {
		return true
	}
	if s[0] != '.' {
		return false
	}
	return len(s) == 1 || s[1] == '/' || (s[1] == '.' && (len(s) == 2 || s[2] == '/'))
}

// parentURL turns the importing module (path or file: URL) into both forms.
func (r *Resolver) parentURL(parent string) (*url.URL, string, error) {
	if strings.HasPrefix(parent, "file:") {
		u, err := url.Parse(parent)
		if err != nil {
			return nil, "", &Error{Code: CodeInvalidURL, Specifier: parent, Msg: "Invalid URL: " + parent}
		}
		return u, r.po.fromURL(u), nil
	}
	return r.po.toURL(parent), parent, nil
}

// finalizeESM checks the target is a file (not a directory), then takes
// its realpath, keeping the URL's query and fragment.
func (r *Resolver) finalizeESM(t target, basePath string) (Result, error) {
	if hasEncodedSep(t.escapedPath) {
		return Result{}, &Error{Code: CodeInvalidModuleSpecifier, Specifier: t.escapedPath,
			Msg: `Invalid module "` + t.escapedPath + `" must not include encoded "/" or "\" characters imported from ` + basePath}
	}
	p := t.path
	statPath := p
	if strings.HasSuffix(p, "/") || (r.opts.Windows && strings.HasSuffix(p, `\`)) {
		// Node stats path.slice(-1) here (the lone separator, a directory),
		// so a trailing slash always reads as a directory import.
		statPath = p[len(p)-1:]
		if r.opts.Windows {
			statPath = r.po.volume(basePath) + `\`
		}
	}
	st := r.stat(statPath)
	urlStr := t.url.String()
	if st.exists && st.isDir {
		return Result{}, &Error{Code: CodeUnsupportedDirImport, Specifier: p, URL: urlStr,
			Msg: "Directory import '" + p + "' is not supported resolving ES modules imported from " + basePath}
	}
	if !st.exists {
		return Result{}, &Error{Code: CodeESMModuleNotFound, Specifier: p, URL: urlStr,
			Msg: "Cannot find module '" + p + "' imported from " + basePath}
	}
	real := p
	if !r.opts.PreserveSymlinks {
		real = r.realpath(p)
	}
	u := r.po.toURL(real)
	u.RawQuery, u.Fragment, u.RawFragment = t.url.RawQuery, t.url.Fragment, t.url.RawFragment
	res := r.fileResult(real)
	res.URL = u.String()
	return res, nil
}

// packageResolveESM is PACKAGE_RESOLVE: a bare specifier from basePath (a
// file, or the package.json of an "imports" entry mapping to a package).
func (r *Resolver) packageResolveESM(specifier, basePath string, conds map[string]bool) (target, error) {
	if id, ok, _ := r.builtin(specifier); ok && !strings.HasPrefix(specifier, "node:") {
		return target{builtin: "node:" + id}, nil
	}
	from := basePath
	name, sub, scoped, ok := parsePackageName(specifier)
	if !ok {
		return target{}, &Error{Code: CodeInvalidModuleSpecifier, Specifier: specifier,
			Msg: `Invalid module "` + specifier + `" is not a valid package name` + importedFrom(basePath)}
	}
	_ = scoped
	// Self-reference through the package's own "exports".
	if scope, err := r.PackageScope(from); err != nil {
		return target{}, err
	} else if scope != nil && scope.HasExports && scope.Name == name {
		return r.packageExportsResolve(scope, sub, basePath, conds)
	}
	dir := r.po.dir(from)
	for {
		pkgDir := r.po.join(dir, "node_modules", name)
		if r.isDir(pkgDir) {
			pkg, err := r.readPackage(pkgDir)
			if err != nil {
				return target{}, err
			}
			if pkg == nil {
				pkg = &PackageJSON{Path: r.po.join(pkgDir, "package.json"), Dir: pkgDir}
			}
			if pkg.HasExports {
				return r.packageExportsResolve(pkg, sub, basePath, conds)
			}
			if sub == "." {
				return r.legacyMainResolve(pkg, basePath)
			}
			pkgURL := r.po.toURL(pkg.Path)
			ref, err := url.Parse(sub)
			if err != nil {
				return target{}, &Error{Code: CodeInvalidURL, Specifier: specifier, Msg: "Invalid URL"}
			}
			return r.fileTarget(pkgURL.ResolveReference(ref)), nil
		}
		parent := r.po.dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return target{}, &Error{Code: CodeESMModuleNotFound, Specifier: specifier,
		Msg: "Cannot find package '" + name + "' imported from " + basePath}
}

// parsePackageName splits "name/sub" or "@scope/name/sub" into the name and
// "./sub" ("." when there is none).
func parsePackageName(s string) (name, sub string, scoped, ok bool) {
	sep := strings.IndexByte(s, '/')
	ok = true
	if strings.HasPrefix(s, "@") {
		scoped = true
		if sep == -1 {
			ok = false
		} else if j := strings.IndexByte(s[sep+1:], '/'); j >= 0 {
			sep = sep + 1 + j
		} else {
			sep = -1
		}
	}
	name = s
	if sep != -1 {
		name = s[:sep]
	}
	if strings.HasPrefix(name, ".") || strings.ContainsAny(name, `%\`) {
		ok = false
	}
	sub = "."
	if sep != -1 {
		sub = "." + s[sep:]
	}
	return
}

// legacyMainResolve finds the entry of a package without "exports" for
// import: "main" as written, with .js/.json/.node, as a directory index,
// then the package's own index.
func (r *Resolver) legacyMainResolve(pkg *PackageJSON, basePath string) (target, error) {
	pkgURL := r.po.toURL(pkg.Path)
	try := func(rel string) (target, bool) {
		ref, err := url.Parse(rel)
		if err != nil {
			return target{}, false
		}
		t := r.fileTarget(pkgURL.ResolveReference(ref))
		if r.isFile(t.path) {
			return t, true
		}
		return target{}, false
	}
	if pkg.Main != "" {
		for _, suffix := range []string{"", ".js", ".json", ".node", "/index.js", "/index.json", "/index.node"} {
			if t, ok := try("./" + pkg.Main + suffix); ok {
				return t, nil
			}
		}
	}
	for _, f := range []string{"./index.js", "./index.json", "./index.node"} {
		if t, ok := try(f); ok {
			return t, nil
		}
	}
	// Node 20.20 names the main entry it expected (or index.js).
	want := r.po.join(pkg.Dir, "index.js")
	if pkg.Main != "" {
		want = r.po.resolve(pkg.Dir, pkg.Main)
	}
	return target{}, &Error{Code: CodeESMModuleNotFound, Specifier: want,
		Msg: "Cannot find package '" + want + "' imported from " + basePath}
}
