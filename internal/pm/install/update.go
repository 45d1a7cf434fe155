package install

// `gnode update` is an install whose resolution forgets what
// package-lock.json pins for some names (all of them with no names), so
// those resolve to the newest versions their ranges allow. Like npm 11's
// `npm update`, it goes through the whole install path: the cooling-off
// period, signatures, advisories and the chosen layout all apply, and the
// lockfile and node_modules are rewritten. package.json is left alone
// unless --save is given (npm's update defaults save to false).

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gnode/internal/npm/npmrc"
	"gnode/internal/npm/semver"
	"gnode/internal/npm/spec"
	"gnode/internal/pm/linker"
	"gnode/internal/pm/lockfile"
	"gnode/internal/pm/manifest"
)

// updating reports whether this run is `gnode update`.
func (o Options) updating() bool {
	return o.UpdateAll || len(o.Update) > 0
}

// unlocked drops the lockfile's versions of the names being updated from
// the versions the resolver prefers. Updating everything starts from no
// lockfile at all, as npm does (arborist resets the lockfile when every
// package is updated), so the tree is what a fresh install would build.
func (o Options) unlocked(pref map[string][]string) map[string][]string {
	if o.UpdateAll {
		return nil
	}
	if len(o.Update) == 0 || pref == nil {
		return pref
	}
	out := make(map[string][]string, len(pref))
	for name, vs := range pref {
		out[name] = vs
	}
	for _, name := range o.Update {
		delete(out, name)
	}
	return out
}

// Update re-resolves names (every package when names is empty) to the
// newest versions their ranges allow and reinstalls. With save, the
// project's (and workspaces') ranges for the updated direct dependencies
// are then raised to the installed versions as `npm update --save` does,
// and the lockfile is rewritten to match.
func Update(ctx context.Context, o Options, names []string, save bool) (*Summary, error) {
	start := time.Now()
	o.Mode = ModeInstall
	o.Add, o.Remove, o.Targets = nil, nil, nil
	o.Update, o.UpdateAll = names, len(names) == 0
	before := installedKeys(o.Dir)
	s, err := Run(ctx, o)
	if err != nil {
		return nil, err
	}
	if linker.IsIsolated(o.Dir) && !s.UpToDate {
		// The isolated linker counts folders, and a new version is a new
		// folder: count by hoisted location instead, as npm (and the
		// hoisted layout) report an update, "changed N packages".
		s.Added, s.Removed, s.Changed = diffInstalled(before, installedKeys(o.Dir))
	}
	if !save || o.NoSave {
		return s, nil
	}
	cfg, err := npmrc.Load(npmrc.LoadOptions{Cwd: o.Dir, Env: o.Env, Home: getenv(o.Env, "HOME"), Flags: o.Flags})
	if err != nil {
		return nil, err
	}
	prefix := cfg.Get("save-prefix")
	if cfg.GetBool("save-exact") {
		prefix = ""
	}
	changed, err := SaveUpdatedRanges(o.Dir, names, prefix)
	if err != nil || !changed {
		return s, err
	}
	// The lockfile's root and workspace entries repeat package.json's
	// ranges: a plain install now keeps every version and rewrites them.
	o.Update, o.UpdateAll, o.Progress = nil, false, nil
	if _, err := Run(ctx, o); err != nil {
		return nil, fmt.Errorf("rewriting package-lock.json after saving the updated ranges: %w", err)
	}
	s.Seconds = time.Since(start).Seconds()
	return s, nil
}

// installedKeys maps each installed location to its identity, from the
// hidden lockfile of whichever layout node_modules holds.
func installedKeys(dir string) map[string]string {
	if linker.IsIsolated(dir) {
		return previous(linker.IsolatedLockfilePath(dir))
	}
	return previous(filepath.Join(dir, "node_modules", hiddenName))
}

// diffInstalled counts locations added, removed and holding another
// package between two installedKeys maps.
func diffInstalled(before, after map[string]string) (added, removed, changed int) {
	for loc, k := range after {
		switch old, ok := before[loc]; {
		case !ok:
			added++
		case old != k:
			changed++
		}
	}
	for loc := range before {
		if _, ok := after[loc]; !ok {
			removed++
		}
	}
	return added, removed, changed
}

// SaveUpdatedRanges raises the ranges of direct dependencies in
// package.json (the project's and its workspaces') to what
// package-lock.json now has at the top of node_modules, following npm's
// save rules: a registry range becomes prefix+version when that allows
// nothing the old range did not; exact pins, links and non-registry specs
// stay. names limits it to those packages (all when empty). It reports
// whether any package.json changed.
func SaveUpdatedRanges(dir string, names []string, prefix string) (bool, error) {
	lf, err := lockfile.Read(filepath.Join(dir, lockName))
	if err != nil {
		return false, fmt.Errorf("reading the lockfile to save updated ranges: %w", err)
	}
	root, err := manifest.Read(filepath.Join(dir, "package.json"))
	if err != nil {
		return false, err
	}
	ms := []*manifest.Manifest{root}
	ws, err := manifest.Workspaces(dir, root)
	if err != nil {
		return false, err
	}
	for _, w := range ws {
		wm, err := manifest.Read(filepath.Join(dir, filepath.FromSlash(w.Path), "package.json"))
		if err != nil {
			return false, err
		}
		ms = append(ms, wm)
	}
	exact := exactlyPinned(lf)
	var wsNames []string
	for _, w := range ws {
		wsNames = append(wsNames, w.Name)
	}
	wrote := false
	for i, m := range ms {
		var rootWs []string
		if i == 0 {
			rootWs = wsNames
		}
		if saveRanges(m, lf, names, prefix, exact, rootWs) {
			before, _ := os.ReadFile(m.Path)
			if after := m.Bytes(); !bytes.Equal(before, after) {
				if err := manifest.WriteFileAtomic(m.Path, after); err != nil {
					return false, err
				}
				wrote = true
			}
		}
	}
	return wrote, nil
}

// exactlyPinned lists top-level locations some dependent asks for with an
// exact version: npm leaves those ranges alone when saving an update.
func exactlyPinned(lf *lockfile.Lockfile) map[string]bool {
	out := map[string]bool{}
	for loc, p := range lf.Packages {
		for _, deps := range []map[string]string{p.Dependencies, p.OptionalDependencies, p.DevDependencies, p.PeerDependencies} {
			for name, sp := range deps {
				if to := resolveIn(lf, loc, name); to != "" && semver.IsExactVersion(strings.TrimPrefix(strings.TrimSpace(sp), "=")) {
					if v, err := semver.ParseLoose(strings.TrimPrefix(strings.TrimSpace(sp), "=")); err == nil && lf.Packages[to] != nil && v.String() == lf.Packages[to].Version {
						out[to] = true
					}
				}
			}
		}
	}
	return out
}

// resolveIn is where Node's walk-up from the package at loc finds name.
func resolveIn(lf *lockfile.Lockfile, loc, name string) string {
	for cur := loc; ; {
		cand := name
		if cur != "" {
			cand = cur + "/node_modules/" + name
		} else {
			cand = "node_modules/" + name
		}
		if _, ok := lf.Packages[cand]; ok {
			return cand
		}
		if cur == "" {
			return ""
		}
		i := strings.LastIndex(cur, "/node_modules/")
		if i < 0 {
			cur = "" // a workspace folder or a top-level package: the root next
		} else {
			cur = cur[:i]
		}
	}
}

// saveRanges applies npm's update --save rules to one package.json and
// reports whether it must be written.
func saveRanges(m *manifest.Manifest, lf *lockfile.Lockfile, names []string, prefix string, exact map[string]bool, workspaceNames []string) bool {
	where := filepath.Dir(m.Path)
	// The spec npm's edge carries: devDependencies win over
	// optionalDependencies over dependencies over peerDependencies.
	specs := map[string]string{}
	for _, f := range []string{manifest.PeerDependencies, manifest.Dependencies, manifest.OptionalDependencies, manifest.DevDependencies} {
		if v := m.Doc.Get(f); v != nil && v.Kind == manifest.ObjectKind {
			for _, k := range v.Object.Keys {
				if s := v.Object.Get(k); s != nil && s.Kind == manifest.String {
					specs[k] = s.Str
				}
			}
		}
	}
	// npm rewrites (and so re-sorts) every package.json with an edge to an
	// updated top-level package, whether or not a range changed; the
	// root's edges to its workspaces count.
	touched := false
	for _, w := range workspaceNames {
		if len(names) == 0 || containsStr(names, w) {
			touched = true
		}
	}
	for name, raw := range specs {
		if len(names) > 0 && !containsStr(names, name) {
			continue
		}
		// Only packages at the top of node_modules count (npm: a direct
		// dependency whose resolveParent is the root).
		loc := path.Join("node_modules", name)
		p := lf.Packages[loc]
		if p == nil || p.InBundle || exact[loc] {
			continue
		}
		version := p.Version
		if p.Link {
			if t := lf.Packages[path.Clean(p.Resolved)]; t != nil {
				version = t.Version
			}
		}
		touched = true
		sp, err := spec.Resolve(name, raw, where)
		if err != nil || !sp.Registry || version == "" {
			continue
		}
		sub := sp
		if sp.Type == spec.TypeAlias && sp.SubSpec != nil {
			sub = sp.SubSpec
		}
		if sub.Type == spec.TypeVersion && !p.Link {
			continue // an exact pin
		}
		prefixed := prefix + version
		rng := sub.RawSpec
		if sub.Type != spec.TypeRange || strings.TrimSpace(rng) == "*" || rangeSubset(prefixed, rng) {
			rng = prefixed
		}
		newSpec := rng
		if sp.Type == spec.TypeAlias {
			newSpec = "npm:" + p.PackageName(loc) + "@" + rng
		}
		setSpec(m, name, newSpec)
	}
	if touched {
		normalizeDeps(m)
	}
	return touched
}

// normalizeDeps is what npm's package.json writer does to the dependency
// fields of a file it saves: each sorted by name, an optional dependency
// not repeated in dependencies, empty fields dropped.
func normalizeDeps(m *manifest.Manifest) {
	for _, f := range []string{manifest.Dependencies, manifest.OptionalDependencies, manifest.DevDependencies, manifest.PeerDependencies} {
		v := m.Doc.Get(f)
		if v == nil || v.Kind != manifest.ObjectKind {
			continue
		}
		sort.SliceStable(v.Object.Keys, func(i, j int) bool {
			return manifest.LocaleCompare(v.Object.Keys[i], v.Object.Keys[j]) < 0
		})
	}
	deps, opt := m.Doc.Get(manifest.Dependencies), m.Doc.Get(manifest.OptionalDependencies)
	if deps != nil && deps.Kind == manifest.ObjectKind && opt != nil && opt.Kind == manifest.ObjectKind {
		for _, k := range opt.Object.Keys {
			deps.Object.Delete(k)
		}
	}
	for _, f := range []string{manifest.Dependencies, manifest.OptionalDependencies, manifest.DevDependencies, manifest.PeerDependencies} {
		if v := m.Doc.Get(f); v != nil && v.Kind == manifest.ObjectKind && len(v.Object.Keys) == 0 {
			m.Doc.Delete(f)
		}
	}
}

// setSpec writes newSpec where npm's save does: dependencies and
// devDependencies always; peer and optional entries beside a dev entry
// only when they no longer intersect it.
func setSpec(m *manifest.Manifest, name, newSpec string) {
	set := func(field string) {
		v := m.Doc.Get(field)
		if v == nil || v.Kind != manifest.ObjectKind {
			return
		}
		e := v.Object.Get(name)
		if e == nil || e.Kind != manifest.String || e.Str == newSpec {
			return
		}
		v.Object.Set(name, manifest.StringValue(newSpec))
	}
	has := func(field string) (string, bool) {
		v := m.Doc.Get(field)
		if v == nil || v.Kind != manifest.ObjectKind {
			return "", false
		}
		e := v.Object.Get(name)
		if e == nil || e.Kind != manifest.String {
			return "", false
		}
		return e.Str, true
	}
	set(manifest.Dependencies)
	if _, ok := has(manifest.DevDependencies); ok {
		set(manifest.DevDependencies)
		for _, f := range []string{manifest.PeerDependencies, manifest.OptionalDependencies} {
			if old, ok := has(f); ok && !rangesIntersect(newSpec, old) {
				set(f)
			}
		}
	} else {
		set(manifest.PeerDependencies)
		set(manifest.OptionalDependencies)
	}
}

func rangeSubset(sub, dom string) bool {
	s, err1 := semver.ParseRangeLoose(sub)
	d, err2 := semver.ParseRangeLoose(dom)
	return err1 == nil && err2 == nil && semver.Subset(s, d)
}

func rangesIntersect(a, b string) bool {
	ra, err1 := semver.ParseRangeLoose(a)
	rb, err2 := semver.ParseRangeLoose(b)
	return err1 == nil && err2 == nil && semver.Intersects(ra, rb)
}
