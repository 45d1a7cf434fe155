package install

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gnode/internal/npm/integrity"
	"gnode/internal/npm/packument"
	"gnode/internal/npm/spec"
	"gnode/internal/pm/linker"
	"gnode/internal/pm/store"
	"gnode/internal/pm/tree"
	"gnode/internal/registryclient"
)

// localFetcher reads file: tarballs and remote tarball URLs into the store
// while the tree is resolved: their manifest is only known from inside
// them, and their integrity is computed on the way in.
type localFetcher struct {
	c   *registryclient.Client
	st  *store.Store
	dir string // the project folder; file: paths in the lockfile are relative to it
}

// sha512Of keeps the sha512 of a computed integrity: npm records only that.
func sha512Of(sum integrity.Integrity) string {
	for _, h := range sum.Hashes {
		if s := h.String(); strings.HasPrefix(s, "sha512-") {
			return s
		}
	}
	return sum.String()
}

// resolvedFor is what package-lock.json records for a tarball spec.
func (l *localFetcher) resolvedFor(sp *spec.Spec) string {
	if sp.Type == spec.TypeRemote {
		return sp.URL
	}
	rel, err := filepath.Rel(l.dir, sp.Path)
	if err != nil {
		rel = sp.Path
	}
	return "file:" + filepath.ToSlash(rel)
}

// open returns the bytes of a tarball dependency: a file: path relative to
// the project, or an http(s) URL fetched with the registry client (so
// .npmrc credentials for that host apply).
func (l *localFetcher) open(ctx context.Context, resolved string) (io.ReadCloser, error) {
	if p, ok := strings.CutPrefix(resolved, "file:"); ok {
		if !filepath.IsAbs(p) {
			p = filepath.Join(l.dir, filepath.FromSlash(p))
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("reading tarball dependency: %w", err)
		}
		return f, nil
	}
	return l.c.Tarball(ctx, resolved)
}

// Resolve implements tree.LocalResolver.
func (l *localFetcher) Resolve(ctx context.Context, name string, sp *spec.Spec) (*tree.LocalPackage, error) {
	resolved := l.resolvedFor(sp)
	body, err := l.open(ctx, resolved)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", resolved, err)
	}
	defer body.Close()
	p, sum, err := l.st.Import(ctx, body)
	if err != nil {
		return nil, fmt.Errorf("extracting %s: %w", resolved, err)
	}
	idx, err := l.st.Index(p)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", resolved, err)
	}
	var m packument.Manifest
	if err := json.Unmarshal(idx.PackageJSON, &m); err != nil {
		return nil, fmt.Errorf("%s: package.json inside the tarball is invalid: %w", resolved, err)
	}
	if m.Name == "" {
		m.Name = name
	}
	sri := sha512Of(sum)
	m.Dist = packument.Dist{Tarball: resolved, Integrity: sri}
	return &tree.LocalPackage{Manifest: &m, Resolved: resolved, Integrity: sri}, nil
}

// linkPackage lays out a file: folder dependency as a symlink whose text is
// the folder relative to the symlink's own folder, as npm writes it.
func linkPackage(projectDir string, n *tree.Node) linker.Package {
	loc := n.Location()
	from := filepath.Dir(filepath.Join(projectDir, filepath.FromSlash(loc)))
	target := filepath.Join(projectDir, filepath.FromSlash(n.Resolved))
	rel, err := filepath.Rel(from, target)
	if err != nil {
		rel = target
	}
	var bin map[string]string
	if n.Target != nil && n.Target.Manifest != nil {
		bin = n.Target.Manifest.Bin
	} else if n.Target != nil && n.Target.Lock != nil {
		bin = n.Target.Lock.Bin
	}
	return linker.Package{Location: loc, Name: n.Name, LinkTarget: rel, Key: nodeKey(n), Bin: bin}
}

// localName reads the package name of a folder, tarball or URL argument
// (`gnode install ../lib`), which the command line does not say.
func localName(ctx context.Context, l *localFetcher, sp *spec.Spec) (string, error) {
	if sp.Type == spec.TypeDirectory {
		raw, err := os.ReadFile(filepath.Join(sp.Path, "package.json"))
		if err != nil {
			return "", fmt.Errorf("installing the folder %s: %w", sp.Path, err)
		}
		var pj struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(raw, &pj); err != nil || pj.Name == "" {
			return "", fmt.Errorf("installing the folder %s: its package.json has no valid name", sp.Path)
		}
		return pj.Name, nil
	}
	lp, err := l.Resolve(ctx, "", sp)
	if err != nil {
		return "", err
	}
	if lp.Manifest.Name == "" {
		return "", fmt.Errorf("%s: the package.json inside has no name", l.resolvedFor(sp))
	}
	return lp.Manifest.Name, nil
}

// layOutInFolders places packages that belong in a linked folder's own
// node_modules ("sub/node_modules/x"), where npm puts a dependency of the
// folder that conflicts with the project's. They are outside the project's
// node_modules, so each is replaced in place rather than staged.
func layOutInFolders(projectDir string, nodes []*tree.Node, paths map[*tree.Node]string, ls *linkStore) error {
	for _, n := range nodes {
		dest := filepath.Join(projectDir, filepath.FromSlash(n.Location()))
		if err := os.RemoveAll(dest); err != nil {
			return fmt.Errorf("replacing %s: %w", dest, err)
		}
		if err := ls.Link(paths[n], dest); err != nil {
			return fmt.Errorf("laying out %s: %w", n.Location(), err)
		}
	}
	return nil
}
