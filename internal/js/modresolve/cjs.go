package modresolve

import (
	"regexp"
	"strings"
	"sync"
)

// RequireOptions are the less common inputs of a require resolution.
type RequireOptions struct {
	// Paths is require.resolve's {paths} option: for relative requests the
	// directories to resolve against, otherwise the starting points of the
	// node_modules walks.
	Paths []string
	// HasPaths distinguishes an empty Paths array from no option.
	HasPaths bool
	// RequireStack is the chain of requiring files, nearest first, for the
	// "Require stack" of MODULE_NOT_FOUND errors. Nil means [parentFile].
	RequireStack []string
	// IsMain resolves the program's entry point (--preserve-symlinks-main
	// applies instead of --preserve-symlinks).
	IsMain bool
}

// ResolveRequire resolves require(specifier) from parentFile (an absolute
// file path; "" for a request with no parent, relative to nothing).
func (r *Resolver) ResolveRequire(specifier, parentFile string) (Result, error) {
	return r.ResolveRequireWith(specifier, parentFile, RequireOptions{})
}

// ResolveMain resolves the entry point file (an absolute path), as `node
// FILE` does: Module._findPath with isMain, no extension guessing beyond
// require's, error without a require stack.
func (r *Resolver) ResolveMain(file string) (Result, error) {
	return r.ResolveRequireWith(file, "", RequireOptions{IsMain: true, RequireStack: []string{}})
}

// ResolveRequireWith is ResolveRequire with options.
func (r *Resolver) ResolveRequireWith(request, parentFile string, o RequireOptions) (Result, error) {
	stack := o.RequireStack
	if stack == nil && parentFile != "" {
		stack = []string{parentFile}
	}
	if id, ok, _ := r.builtin(request); ok {
		return Result{Path: request, Builtin: id, Format: FormatBuiltin}, nil
	}

	var paths []string
	if o.HasPaths {
		if r.isRelativeOpt(request) {
			paths = o.Paths
		} else {
			seen := map[string]bool{}
			for _, p := range o.Paths {
				for _, lp := range r.lookupPaths(request, r.po.nodeModulePaths(p), p) {
					if !seen[lp] {
						seen[lp] = true
						paths = append(paths, lp)
					}
				}
			}
		}
	} else {
		var nm []string
		parentDir := "."
		if parentFile != "" {
			parentDir = r.po.dir(parentFile)
			nm = r.po.nodeModulePaths(parentDir)
		}
		paths = r.lookupPaths(request, nm, parentDir)
	}

	if strings.HasPrefix(request, "#") && parentFile != "" {
		pkg, err := r.PackageScope(parentFile)
		if err != nil {
			return Result{}, err
		}
		if pkg != nil && pkg.HasImports {
			res, err := r.packageImportsResolve(request, parentFile, pkg, r.cjsConds)
			if err != nil {
				if HasCode(err, CodeESMModuleNotFound) {
					return Result{}, esmNotFoundForCJS(request, "")
				}
				return Result{}, err
			}
			return r.finalizeForCJS(res, pkg.Path, parentFile, o.IsMain)
		}
	}

	if parentFile != "" {
		if res, ok, err := r.trySelf(parentFile, request, o.IsMain); ok || err != nil {
			return res, err
		}
	}

	p, err := r.findPath(request, paths, o.IsMain)
	if err != nil {
		return Result{}, err
	}
	if p == "" {
		// Node stats afresh for every require; this resolver keeps its
		// stats between calls, so a miss forgets them: a program that
		// catches MODULE_NOT_FOUND, writes the file and requires it again
		// must find it.
		r.Clear()
		return Result{}, notFoundRequire(request, stack)
	}
	return r.fileResult(p), nil
}

// SetGlobalPaths replaces Options.GlobalPaths, as Node's
// Module._initPaths() does after a program changes NODE_PATH or HOME.
func (r *Resolver) SetGlobalPaths(paths []string) {
	r.mu.Lock()
	r.opts.GlobalPaths = append([]string(nil), paths...)
	r.mu.Unlock()
}

// isRelativeOpt is the check require.resolve's {paths} uses.
func (r *Resolver) isRelativeOpt(request string) bool {
	return strings.HasPrefix(request, "./") || strings.HasPrefix(request, "../") ||
		(r.opts.Windows && (strings.HasPrefix(request, `.\`) || strings.HasPrefix(request, `..\`)))
}

// lookupPaths is Module._resolveLookupPaths: a request not starting with
// "." followed by ".", "/" (or "\" on Windows), or the end, searches the
// node_modules chain and the global paths; anything else resolves against
// the parent's directory.
func (r *Resolver) lookupPaths(request string, nodeModules []string, parentDir string) []string {
	if request == "" || request[0] != '.' || (len(request) > 1 && request[1] != '.' && request[1] != '/' && (!r.opts.Windows || request[1] != '\\')) {
		out := append([]string{}, nodeModules...)
		r.mu.Lock()
		global := r.opts.GlobalPaths
		r.mu.Unlock()
		return append(out, global...)
	}
	return []string{parentDir}
}

var packageNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^((?:@[^/\\%]+/)?[^./\\%][^/\\%]*)(/.*)?$`) })

// findPath is Module._findPath; "" when nothing matched.
func (r *Resolver) findPath(request string, paths []string, isMain bool) (string, error) {
	absolute := r.po.isAbs(request)
	if absolute {
		paths = []string{""}
	} else if len(paths) == 0 {
		return "", nil
	}
	n := len(request)
	sepAt := func(i int) bool { return i >= 0 && i < n && r.po.isSep(request[i]) }
	trailingSlash := n > 0 && (sepAt(n-1) ||
		(request[n-1] == '.' && (n == 1 || sepAt(n-2) || (request[n-2] == '.' && (n == 2 || sepAt(n-3))))))

	for _, cur := range paths {
		if cur != "" && !r.isDir(cur) {
			continue
		}
		if !absolute {
			res, ok, err := r.resolveExportsCJS(cur, request, isMain)
			if err != nil {
				return "", err
			}
			if ok {
				return res, nil
			}
		}
		var base string
		if cur == "" {
			base = r.po.clean(request)
		} else {
			base = r.po.resolve(cur, request)
		}
		st := r.stat(base)
		var filename string
		if !trailingSlash {
			if st.exists && !st.isDir {
				filename = r.maybeReal(base, isMain)
			}
			if filename == "" {
				filename = r.tryExtensions(base, isMain)
			}
		}
		if filename == "" && st.exists && st.isDir {
			f, err := r.tryPackage(base, isMain, request)
			if err != nil {
				return "", err
			}
			filename = f
		}
		if filename != "" {
			return filename, nil
		}
	}
	return "", nil
}

func (r *Resolver) maybeReal(p string, isMain bool) string {
	if (isMain && r.opts.PreserveSymlinksMain) || (!isMain && r.opts.PreserveSymlinks) {
		return p
	}
	return r.realpath(p)
}

func (r *Resolver) tryFile(p string, isMain bool) string {
	if !r.isFile(p) {
		return ""
	}
	return r.maybeReal(p, isMain)
}

func (r *Resolver) tryExtensions(base string, isMain bool) string {
	for _, e := range r.exts {
		if f := r.tryFile(base+e, isMain); f != "" {
			return f
		}
	}
	return ""
}

// tryPackage loads a directory: package.json "main" (as a file, with
// extensions, or as a directory index), else index.<ext>.
func (r *Resolver) tryPackage(dir string, isMain bool, request string) (string, error) {
	pkg, err := r.readPackage(dir)
	if err != nil {
		return "", err
	}
	if pkg == nil || pkg.Main == "" {
		return r.tryExtensions(r.po.join(dir, "index"), isMain), nil
	}
	filename := r.po.resolve(dir, pkg.Main)
	f := r.tryFile(filename, isMain)
	if f == "" {
		f = r.tryExtensions(filename, isMain)
	}
	if f == "" {
		f = r.tryExtensions(r.po.join(filename, "index"), isMain)
	}
	if f == "" {
		// Node falls back to index (with a DEP0128 warning) and only then
		// reports the broken "main".
		f = r.tryExtensions(r.po.join(dir, "index"), isMain)
	}
	if f == "" {
		return "", &Error{Code: CodeModuleNotFound, Specifier: request, PackageJSON: pkg.Path,
			Msg: "Cannot find module '" + filename + "'. Please verify that the package.json has a valid \"main\" entry"}
	}
	return f, nil
}

// resolveExportsCJS applies "exports" of the package a bare request names,
// found directly in nmPath.
func (r *Resolver) resolveExportsCJS(nmPath, request string, isMain bool) (string, bool, error) {
	m := packageNameRE().FindStringSubmatch(request)
	if m == nil {
		return "", false, nil
	}
	pkgDir := r.po.resolve(nmPath, m[1])
	if nmPath == "" {
		pkgDir = m[1]
	}
	pkg, err := r.readPackage(pkgDir)
	if err != nil {
		return "", false, err
	}
	if pkg == nil || !pkg.HasExports {
		return "", false, nil
	}
	res, err := r.packageExportsResolve(pkg, "."+m[2], "", r.cjsConds)
	if err != nil {
		if HasCode(err, CodeESMModuleNotFound) {
			return "", false, esmNotFoundForCJS(request, pkg.Path)
		}
		return "", false, err
	}
	f, err := r.finalizeForCJS(res, pkg.Path, "", isMain)
	return f.Path, err == nil, err
}

// trySelf resolves a request naming the parent's own package through its
// "exports".
func (r *Resolver) trySelf(parentFile, request string, isMain bool) (Result, bool, error) {
	pkg, err := r.PackageScope(parentFile)
	if err != nil || pkg == nil || !pkg.HasExports || pkg.Name == "" {
		return Result{}, false, nil
	}
	var sub string
	if request == pkg.Name {
		sub = "."
	} else if rest, ok := strings.CutPrefix(request, pkg.Name+"/"); ok {
		sub = "./" + rest
	} else {
		return Result{}, false, nil
	}
	res, err := r.packageExportsResolve(pkg, sub, parentFile, r.cjsConds)
	if err != nil {
		if HasCode(err, CodeESMModuleNotFound) {
			return Result{}, false, esmNotFoundForCJS(request, pkg.Path)
		}
		return Result{}, false, err
	}
	f, err := r.finalizeForCJS(res, pkg.Path, parentFile, isMain)
	return f, err == nil, err
}

// finalizeForCJS is finalizeEsmResolution: an exports/imports target must
// be an existing file, with no encoded separators.
func (r *Resolver) finalizeForCJS(u target, pkgJSON, parentFile string, isMain bool) (Result, error) {
	if u.builtin != "" {
		return Result{Path: u.builtin, Builtin: strings.TrimPrefix(u.builtin, "node:"), Format: FormatBuiltin}, nil
	}
	if hasEncodedSep(u.escapedPath) {
		return Result{}, &Error{Code: CodeInvalidModuleSpecifier, Specifier: u.path, PackageJSON: pkgJSON,
			Msg: "Invalid module \"" + u.url.String() + "\" must not include encoded \"/\" or \"\\\" characters" + importedFrom(parentFile)}
	}
	f := r.tryFile(u.path, isMain)
	if f == "" {
		return Result{}, esmNotFoundForCJS(u.path, pkgJSON)
	}
	return r.fileResult(f), nil
}

func esmNotFoundForCJS(request, pkgJSON string) *Error {
	return &Error{Code: CodeModuleNotFound, Msg: "Cannot find module '" + request + "'", Specifier: request, PackageJSON: pkgJSON}
}

func hasEncodedSep(escaped string) bool {
	l := strings.ToLower(escaped)
	return strings.Contains(l, "%2f") || strings.Contains(l, "%5c")
}
