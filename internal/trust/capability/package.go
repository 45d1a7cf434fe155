package capability

import (
	"os"
	"path/filepath"
	"strings"
)

// PackageOf returns the name of the package a module file belongs to: the
// folder after the last node_modules segment of its path (two folders for
// a scoped name). Files outside node_modules belong to the application and
// return "". The last segment decides, so a nested copy
// (a/node_modules/b) is b.
func PackageOf(file string) string {
	file = filepath.ToSlash(file)
	i := strings.LastIndex(file, "/node_modules/")
	if i < 0 {
		return ""
	}
	rest := file[i+len("/node_modules/"):]
	first, after, ok := strings.Cut(rest, "/")
	if !ok {
		// node_modules/x itself is a folder, not a module of x.
		return ""
	}
	if strings.HasPrefix(first, "@") {
		second, _, ok := strings.Cut(after, "/")
		if !ok || second == "" {
			return ""
		}
		return first + "/" + second
	}
	if first == "" || strings.HasPrefix(first, ".") {
		// node_modules/.bin, .pnpm and friends are not packages.
		return ""
	}
	return first
}

// FindPolicy returns the policy file of the project holding dir: the
// nearest gnode-policy.json in dir or one of its parents. ok is false
// when there is none.
func FindPolicy(dir string) (path string, ok bool) {
	dir = filepath.Clean(dir)
	for {
		p := filepath.Join(dir, FileName)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}
