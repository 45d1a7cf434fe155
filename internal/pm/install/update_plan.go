package install

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gnode/internal/npm/npmrc"
	"gnode/internal/npm/packument"
	"gnode/internal/pm/linker"
	"gnode/internal/pm/lockfile"
	"gnode/internal/pm/manifest"
	"gnode/internal/pm/store"
	"gnode/internal/pm/tree"
	"gnode/internal/registryclient"
)

// Change is one difference between what node_modules holds and what an
// update would install, in npm's dry-run terms.
type Change struct {
	Action   string `json:"action"` // add, remove, change
	Name     string `json:"name"`   // the folder name (an alias for aliased packages)
	Location string `json:"location"`
	From     string `json:"from,omitempty"` // installed version (change, remove)
	To       string `json:"to,omitempty"`   // version the update installs (add, change)
}

// PlanUpdate resolves what Update(names) would install and lists the
// changes against what node_modules holds, without writing anything in
// the project (`gnode update --dry-run`). Packuments are fetched and the
// release-age policy applies as in an install; no tarball is downloaded,
// so the checks that need files (signatures, change signals) do not run.
func PlanUpdate(ctx context.Context, o Options, names []string) ([]Change, error) {
	o.Update, o.UpdateAll = names, len(names) == 0
	pkgPath := filepath.Join(o.Dir, "package.json")
	pkgRaw, err := os.ReadFile(pkgPath)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &NoManifestError{Dir: o.Dir, Err: fmt.Errorf("%w at %s", manifest.ErrNotFound, pkgPath)}
		}
		return nil, err
	}
	m, err := manifest.Parse(pkgPath, pkgRaw)
	if err != nil {
		return nil, err
	}
	cfg, err := npmrc.Load(npmrc.LoadOptions{Cwd: o.Dir, Env: o.Env, Home: getenv(o.Env, "HOME"), Flags: o.Flags})
	if err != nil {
		return nil, err
	}
	tc, err := loadTrust(pkgRaw, cfg, o)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if o.Now != nil {
		now = o.Now()
	}
	plat := o.Platform
	if plat == (tree.Platform{}) {
		plat = tree.HostPlatform()
	}
	workspaces, err := manifest.Workspaces(o.Dir, m)
	if err != nil {
		return nil, err
	}
	var pref map[string][]string
	if lf, err := lockfile.Read(filepath.Join(o.Dir, lockName)); err == nil {
		pref = tree.Preferred(lf)
	}
	pref = o.unlocked(pref)
	st, err := store.Open(cfg.CacheDir())
	if err != nil {
		return nil, err
	}
	client := registryclient.New(cfg, registryclient.Options{MaxConns: 32})
	defer client.Close()
	src := &source{c: client, policy: tc.age, now: now, times: map[string]*packument.Packument{}, locked: pref}
	if tc.age.MinimumAge > 0 {
		src.full = registryclient.New(cfg, registryclient.Options{MaxConns: 16, FullMetadata: true})
		defer src.full.Close()
	}
	local := &localFetcher{c: client, st: st, dir: o.Dir}
	t, err := tree.Build(ctx, m, tree.Options{
		Source: src, Platform: plat, NodeVersion: o.NodeVersion, Preferred: pref,
		Dir: o.Dir, Local: local.Resolve, Workspaces: workspaces,
	})
	if err != nil {
		return nil, src.explainFailure(err)
	}
	omit := tree.ParseOmit(cfg.Omit())
	lockOpts := tree.LockOptions{OmitRegistryResolved: cfg.GetBool("omit-lockfile-registry-resolved"), Indent: "  ", DirName: filepath.Base(o.Dir)}
	want := t.ToLockfile(m, lockOpts, true, omit)
	return diffLockfiles(installedLockfile(o.Dir), want), nil
}

// installedLockfile is the hidden lockfile of the layout node_modules
// holds (nil when nothing is installed).
func installedLockfile(dir string) *lockfile.Lockfile {
	p := filepath.Join(dir, "node_modules", hiddenName)
	if linker.IsIsolated(dir) {
		p = linker.IsolatedLockfilePath(dir)
	}
	lf, err := lockfile.Read(p)
	if err != nil {
		return nil
	}
	return lf
}

// diffLockfiles lists the package locations added, removed and changed
// from have to want, in the order npm's reify reports them (see
// orderChanges).
func diffLockfiles(have, want *lockfile.Lockfile) []Change {
	pkgs := func(lf *lockfile.Lockfile) map[string]*lockfile.Package {
		out := map[string]*lockfile.Package{}
		if lf == nil {
			return out
		}
		for loc, p := range lf.Packages {
			if strings.Contains(loc, "node_modules/") && !p.InBundle {
				out[loc] = p
			}
		}
		return out
	}
	h, w := pkgs(have), pkgs(want)
	key := func(p *lockfile.Package) string {
		if p.Link {
			return "link:" + p.Resolved
		}
		if p.Integrity != "" {
			return p.Integrity
		}
		return p.Resolved + "#" + p.Version
	}
	changes := map[string]Change{}
	for loc, wp := range w {
		name := lockfile.NameAt(loc)
		hp, ok := h[loc]
		switch {
		case !ok:
			changes[loc] = Change{Action: "add", Name: name, Location: loc, To: wp.Version}
		case key(hp) != key(wp):
			changes[loc] = Change{Action: "change", Name: name, Location: loc, From: hp.Version, To: wp.Version}
		}
	}
	for loc, hp := range h {
		if _, ok := w[loc]; !ok {
			changes[loc] = Change{Action: "remove", Name: lockfile.NameAt(loc), Location: loc, From: hp.Version}
		}
	}
	return orderChanges(h, w, changes)
}

// orderChanges puts changes in arborist's diff order: each folder's
// children are the installed ones (in lockfile order) followed by the new
// ones; an unchanged package's own changes count as its parent's children;
// and the walk that reports them (treeverse's depth-first stack) visits a
// change before its children and siblings last to first.
func orderChanges(have, want map[string]*lockfile.Package, changes map[string]Change) []Change {
	kids := map[string][]string{}
	add := func(loc string) {
		parent := ""
		if i := strings.LastIndex(loc, "/node_modules/"); i >= 0 {
			parent = loc[:i]
		}
		_, inHave := have[parent]
		_, inWant := want[parent]
		if !inHave && !inWant {
			parent = "" // inside a linked folder: the project's fsChildren
		}
		kids[parent] = append(kids[parent], loc)
	}
	for loc := range have {
		add(loc)
	}
	for loc := range want {
		if _, ok := have[loc]; !ok {
			add(loc)
		}
	}
	for p, ls := range kids {
		sort.Slice(ls, func(i, j int) bool {
			_, ei := have[ls[i]]
			_, ej := have[ls[j]]
			if ei != ej {
				return ei
			}
			return lessLocation(ls[i], ls[j])
		})
		kids[p] = ls
	}
	type dnode struct {
		loc      string
		children []*dnode
	}
	var diffKids func(parent string) []*dnode
	diffKids = func(parent string) []*dnode {
		var out []*dnode
		for _, c := range kids[parent] {
			if _, ok := changes[c]; ok {
				out = append(out, &dnode{loc: c, children: diffKids(c)})
			} else {
				out = append(out, diffKids(c)...)
			}
		}
		return out
	}
	var out []Change
	var visit func(list []*dnode)
	visit = func(list []*dnode) {
		for i := len(list) - 1; i >= 0; i-- {
			out = append(out, changes[list[i].loc])
			visit(list[i].children)
		}
	}
	visit(diffKids(""))
	return out
}

// lessLocation orders locations depth-first: a package before the
// packages nested in it, siblings by name.
func lessLocation(a, b string) bool {
	as, bs := strings.Split(a, "/node_modules/"), strings.Split(b, "/node_modules/")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if as[i] != bs[i] {
			return manifest.LocaleCompare(as[i], bs[i]) < 0
		}
	}
	return len(as) < len(bs)
}
