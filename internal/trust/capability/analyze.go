package capability

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// The analysis is lexical and errs towards granting: any mention of a
// core module in a require/import, any process.env access. A package that
// computes module names at run time gets what its literal uses show; the
// runtime then refuses the rest with ERR_GNODE_PERMISSION, which is the
// point.
var (
	reRequire = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?:\brequire\s*\(\s*|\bimport\s*\(\s*|\bfrom\s*|\bimport\s+)["'\x60](node:)?([a-z_0-9/]+)["'\x60]`)
	})
	reEnv = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`\bprocess\s*\.\s*env\b|\bprocess\s*\[\s*["']env["']\s*\]`)
	})
	reDlopen = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\bprocess\s*\.\s*dlopen\b|\.node["']\s*\)`) })
)

// maxAnalyzedFile skips huge generated bundles' tails: the first 4 MB of a
// file is plenty to see its imports.
const maxAnalyzedFile = 4 << 20

// AnalyzePackage returns the capabilities the code of the package in dir
// uses, not counting nested node_modules.
func AnalyzePackage(dir string) ([]string, error) {
	found := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != dir && d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".js", ".cjs", ".mjs", ".jsx", ".ts", ".cts", ".mts":
		case ".node":
			found[Native] = true
			return nil
		default:
			if d.Name() == "binding.gyp" {
				found[Native] = true
			}
			return nil
		}
		b, err := readHead(p)
		if err != nil {
			return nil
		}
		AnalyzeSource(b, found)
		return nil
	})
	out := []string{}
	for _, c := range All {
		if found[c] {
			out = append(out, c)
		}
	}
	return out, err
}

func readHead(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	b := make([]byte, min(st.Size(), maxAnalyzedFile))
	n, _ := io.ReadFull(f, b)
	return b[:n], nil
}

// AnalyzeSource adds the capabilities src uses to found.
func AnalyzeSource(src []byte, found map[string]bool) {
	for _, m := range reRequire().FindAllSubmatch(src, -1) {
		for _, c := range CapsForModule(string(m[2])) {
			found[c] = true
		}
	}
	if reEnv().Match(src) {
		found[Env] = true
	}
	if reDlopen().Match(src) {
		found[Native] = true
	}
}
