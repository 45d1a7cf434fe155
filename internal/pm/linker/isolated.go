package linker

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// The isolated layout (`--linker isolated`), pnpm's idea in gnode's names:
//
//	node_modules/.gnode/<dir>/node_modules/<name>   the package's files
//	node_modules/.gnode/<dir>/node_modules/<dep>    -> ../../<dep dir>/node_modules/<dep name>
//	node_modules/.gnode/<dir>/node_modules/.bin     its dependencies' commands
//	node_modules/<direct dep>                       -> .gnode/<dir>/node_modules/<name>
//	node_modules/.bin                               the direct dependencies' commands
//
// Node resolves symlinks to their real path before looking for a module's
// own dependencies, so a package finds exactly the dependencies linked next
// to it, and the project finds only its direct dependencies: a package
// nobody declared (a phantom dependency) cannot be required.
//
// The layout is expressed as the same list of folders and symlinks the
// hoisted linker lays out (Package values), so staging, the swap, the
// incremental update and the .bin links are Apply's. What the layout
// holds is recorded in node_modules/.gnode/layout.json; without that
// record (a hoisted node_modules, or none) the whole folder is built in
// staging and swapped in, which is also how switching layouts works.

// IsolatedDirName is the folder under node_modules holding the packages.
const IsolatedDirName = ".gnode"

const (
	layoutFile   = "layout.json"
	isolatedLock = "lock.json"
	layoutKind   = "isolated-v1"
)

// IsolatedPackage is one folder of the isolated layout:
// node_modules/.gnode/<Dir>/node_modules/<Name>.
type IsolatedPackage struct {
	// Dir is the folder under node_modules/.gnode, unique in the layout:
	// IsolatedDir(name, version), plus a suffix when the same name@version
	// is laid out more than once (different contents or dependencies).
	Dir       string
	Name      string // the package name ("a", "@s/b")
	StorePath string // the store folder holding its files
	Key       string // identity of its files (integrity)
	Bin       map[string]string
	// Deps maps each name the package requires to the Dir of the package
	// it resolves to.
	Deps map[string]string
}

// DirectDep is one of the project's own dependencies, node_modules/<Name>.
type DirectDep struct {
	Name string // the folder under node_modules ("a", "@s/b", or an alias)
	Dir  string // the IsolatedPackage it links to
	// LinkTarget, instead of Dir, makes it a symlink with this text (a
	// file: folder dependency), as the hoisted layout does; Bin is then
	// the folder's commands.
	LinkTarget string
	Bin        map[string]string
}

// LinkedFolder is a folder of the project that node_modules links to (a
// file: folder dependency): its own dependencies become symlinks in
// <Folder>/node_modules, since Node looks for them from the folder's real
// path.
type LinkedFolder struct {
	Folder string            // relative to the project, slash-separated ("packages/a")
	Deps   map[string]string // name -> Dir of an IsolatedPackage
}

// IsolatedDir is the folder name of name@version under node_modules/.gnode:
// "a@1.0.0", and "@s+b@2.0.0" for "@s/b" (the scope's slash becomes '+',
// as pnpm writes it, so every package is one folder deep).
func IsolatedDir(name, version string) string {
	return strings.Replace(name, "/", "+", 1) + "@" + version
}

// IsolatedLocation is the location ("node_modules/.gnode/a@1.0.0/node_modules/a")
// of a package's files in the isolated layout.
func IsolatedLocation(dir, name string) string {
	return "node_modules/" + IsolatedDirName + "/" + dir + "/node_modules/" + name
}

// layoutRecord is node_modules/.gnode/layout.json.
type layoutRecord struct {
	Layout string `json:"layout"`
	// Locations maps every folder and symlink laid out to its key, the
	// Previous of the next Apply.
	Locations map[string]string `json:"locations"`
	// Folders are the symlinks made in linked folders' node_modules
	// ("packages/a/node_modules/x" -> text), removed when no longer wanted.
	Folders map[string]string `json:"folders,omitempty"`
}

// ApplyIsolated makes projectDir/node_modules the isolated layout of pkgs,
// with the project's direct dependencies linked at the top. opts are
// Apply's, with two differences: a non-nil Previous only says that the
// current node_modules may be reused (what is in it is read from the
// layout's own record), and nil rebuilds it from scratch, as Apply does
// (`ci`); HiddenLockfile is written to node_modules/.gnode/lock.json
// rather than node_modules/.package-lock.json, which would tell npm (and
// gnode's hoisted linker) that a hoisted tree is on disk. folders may be nil.
func ApplyIsolated(ctx context.Context, projectDir string, pkgs []IsolatedPackage, direct []DirectDep, folders []LinkedFolder, opts Options) (Result, error) {
	flat, own, err := flattenIsolated(pkgs, direct)
	if err != nil {
		return Result{}, err
	}
	nm := filepath.Join(projectDir, "node_modules")
	gdir := filepath.Join(nm, IsolatedDirName)
	Recover(projectDir)
	recorded := readLayout(filepath.Join(gdir, layoutFile))
	prev := recorded
	if opts.Previous == nil {
		prev = nil
	}

	userLinked := opts.OnLinked
	opts.OnLinked = func(loc string) {
		if userLinked != nil && own[loc] {
			userLinked(loc)
		}
	}
	hiddenOpts := Options{HiddenLockfile: opts.HiddenLockfile, HiddenLockfileFunc: opts.HiddenLockfileFunc}
	opts.HiddenLockfile, opts.HiddenLockfileFunc = nil, nil
	if prev != nil {
		opts.Previous = prev.Locations
	} else {
		opts.Previous = nil // not an isolated layout (or none): rebuild it all
	}
	if _, err := Apply(ctx, projectDir, flat, opts); err != nil {
		return Result{}, err
	}

	want := map[string]bool{}
	for _, p := range pkgs {
		want[p.Dir] = true
	}
	if err := os.MkdirAll(gdir, 0o755); err != nil {
		return Result{}, fmt.Errorf("creating %s: %w", gdir, err)
	}
	// Apply removed the folders and links that went away; the package
	// folders around them are removed here.
	ents, _ := os.ReadDir(gdir)
	for _, e := range ents {
		if e.IsDir() && !want[e.Name()] {
			os.RemoveAll(filepath.Join(gdir, e.Name()))
		}
	}
	for d := range want {
		removeEmptyScopes(filepath.Join(gdir, d, "node_modules"))
	}
	// A hoisted install's record would make the next hoisted install
	// trust a tree that is no longer there.
	os.Remove(filepath.Join(nm, ".package-lock.json"))

	// Links in the project's folders outlive a rebuilt node_modules: the
	// record is read for them either way.
	var prevFolders map[string]string
	if recorded != nil {
		prevFolders = recorded.Folders
	}
	names := make(map[string]string, len(pkgs))
	for _, p := range pkgs {
		names[p.Dir] = p.Name
	}
	madeFolders, err := linkFolders(projectDir, folders, names, prevFolders)
	if err != nil {
		return Result{}, err
	}
	if hidden := hiddenOpts.hidden(); hidden != nil {
		if err := writeAtomic(filepath.Join(gdir, isolatedLock), hidden); err != nil {
			return Result{}, err
		}
	}
	rec := layoutRecord{Layout: layoutKind, Locations: map[string]string{}, Folders: madeFolders}
	for _, p := range flat {
		rec.Locations[p.Location] = p.Key
	}
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return Result{}, err
	}
	if err := writeAtomic(filepath.Join(gdir, layoutFile), append(data, '\n')); err != nil {
		return Result{}, err
	}
	return isolatedResult(pkgs, prev), nil
}

// isolatedResult counts packages (not symlinks) added, removed and changed.
func isolatedResult(pkgs []IsolatedPackage, prev *layoutRecord) Result {
	before := map[string]string{} // package location -> key
	if prev != nil {
		for loc, k := range prev.Locations {
			if !strings.HasPrefix(k, "link:") && strings.HasPrefix(loc, "node_modules/"+IsolatedDirName+"/") {
				before[loc] = k
			}
		}
	}
	var r Result
	seen := map[string]bool{}
	for _, p := range pkgs {
		loc := IsolatedLocation(p.Dir, p.Name)
		seen[loc] = true
		k, had := before[loc]
		switch {
		case !had:
			r.Added++
		case k != p.Key:
			r.Changed++
		}
	}
	for loc := range before {
		if !seen[loc] {
			r.Removed++
		}
	}
	return r
}

func readLayout(p string) *layoutRecord {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil
	}
	var rec layoutRecord
	if json.Unmarshal(data, &rec) != nil || rec.Layout != layoutKind || rec.Locations == nil {
		return nil
	}
	return &rec
}

// validSegment rejects folder names that would leave their parent.
func validSegment(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, "/\\\x00")
}

// validName accepts "a" and "@s/a" with safe segments.
func validName(n string) bool {
	if strings.HasPrefix(n, "@") {
		scope, rest, ok := strings.Cut(n, "/")
		return ok && validSegment(scope) && validSegment(rest)
	}
	return validSegment(n) && !strings.HasPrefix(n, ".")
}

// flattenIsolated turns the layout into Apply's folders and symlinks. own
// holds the locations of package folders (the ones OnLinked reports).
func flattenIsolated(pkgs []IsolatedPackage, direct []DirectDep) ([]Package, map[string]bool, error) {
	byDir := make(map[string]*IsolatedPackage, len(pkgs))
	for i := range pkgs {
		p := &pkgs[i]
		if !validSegment(p.Dir) || strings.HasPrefix(p.Dir, ".") {
			return nil, nil, fmt.Errorf("isolated layout: invalid folder name %q for %s", p.Dir, p.Name)
		}
		if !validName(p.Name) {
			return nil, nil, fmt.Errorf("isolated layout: invalid package name %q", p.Name)
		}
		if byDir[p.Dir] != nil {
			return nil, nil, fmt.Errorf("isolated layout: two packages laid out as %s", p.Dir)
		}
		byDir[p.Dir] = p
	}
	// linkText is the symlink text from a link at location `from` to
	// the package in dir.
	linkText := func(from, dir string) string {
		to := IsolatedLocation(dir, byDir[dir].Name)
		r, err := filepath.Rel(filepath.FromSlash(path.Dir(from)), filepath.FromSlash(to))
		if err != nil {
			return to // unreachable: both are relative to the project
		}
		return filepath.ToSlash(r)
	}
	own := map[string]bool{}
	var out []Package
	for i := range pkgs {
		p := &pkgs[i]
		loc := IsolatedLocation(p.Dir, p.Name)
		own[loc] = true
		// The package's own commands are linked where its dependents are,
		// not next to it.
		out = append(out, Package{Location: loc, Name: p.Name, StorePath: p.StorePath, Key: p.Key})
		names := make([]string, 0, len(p.Deps))
		for n := range p.Deps {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, dep := range names {
			if dep == p.Name {
				continue // a package requiring its own name finds itself
			}
			target := byDir[p.Deps[dep]]
			if target == nil {
				return nil, nil, fmt.Errorf("isolated layout: %s depends on %s, which is not laid out", p.Dir, p.Deps[dep])
			}
			if !validName(dep) {
				return nil, nil, fmt.Errorf("isolated layout: %s has a dependency with an invalid name %q", p.Dir, dep)
			}
			dloc := "node_modules/" + IsolatedDirName + "/" + p.Dir + "/node_modules/" + dep
			text := linkText(dloc, target.Dir)
			out = append(out, Package{Location: dloc, Name: dep, LinkTarget: text, Key: "link:" + text, Bin: target.Bin})
		}
	}
	seen := map[string]bool{}
	for _, d := range direct {
		if !validName(d.Name) {
			return nil, nil, fmt.Errorf("isolated layout: invalid dependency name %q", d.Name)
		}
		if seen[d.Name] {
			continue
		}
		seen[d.Name] = true
		loc := "node_modules/" + d.Name
		text, bin := d.LinkTarget, d.Bin
		if text == "" {
			target := byDir[d.Dir]
			if target == nil {
				return nil, nil, fmt.Errorf("isolated layout: the project depends on %s, which is not laid out", d.Dir)
			}
			text = linkText(loc, d.Dir)
			if bin == nil {
				bin = target.Bin
			}
		}
		out = append(out, Package{Location: loc, Name: d.Name, LinkTarget: text, Key: "link:" + text, Bin: bin})
	}
	return out, own, nil
}

// linkFolders makes the symlinks of linked folders' dependencies and
// removes the ones an earlier install made that are no longer wanted. They
// live in the project's own folders, outside node_modules, so they are
// replaced in place; only symlinks are ever removed.
func linkFolders(projectDir string, folders []LinkedFolder, names, prev map[string]string) (map[string]string, error) {
	made := map[string]string{}
	for _, f := range folders {
		clean := path.Clean(f.Folder)
		if f.Folder == "" || path.IsAbs(clean) || clean == "." || clean == ".." || strings.HasPrefix(clean, "../") {
			continue // only folders inside the project are the project's to change
		}
		names := make([]string, 0, len(f.Deps))
		for n := range f.Deps {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, dep := range names {
			if !validName(dep) {
				return nil, fmt.Errorf("isolated layout: %s has a dependency with an invalid name %q", f.Folder, dep)
			}
			made[clean+"/node_modules/"+dep] = f.Deps[dep]
		}
	}
	texts := map[string]string{}
	for loc, dir := range made {
		name, ok := names[dir]
		if !ok {
			return nil, fmt.Errorf("isolated layout: %s links to %s, which is not laid out", loc, dir)
		}
		r, err := filepath.Rel(filepath.Dir(filepath.FromSlash(loc)), filepath.FromSlash(IsolatedLocation(dir, name)))
		if err != nil {
			return nil, err
		}
		texts[loc] = filepath.ToSlash(r)
	}
	for loc := range prev {
		if _, ok := texts[loc]; ok {
			continue
		}
		p := filepath.Join(projectDir, filepath.FromSlash(loc))
		if st, err := os.Lstat(p); err == nil && st.Mode()&fs.ModeSymlink != 0 {
			os.Remove(p)
		}
	}
	for loc, text := range texts {
		p := filepath.Join(projectDir, filepath.FromSlash(loc))
		if cur, err := os.Readlink(p); err == nil && cur == text {
			continue
		}
		if st, err := os.Lstat(p); err == nil {
			// A hoisted install copies a folder's conflicting dependency
			// here; in the isolated layout it is a link like the others.
			if st.IsDir() {
				if err := os.RemoveAll(p); err != nil {
					return nil, fmt.Errorf("replacing %s: %w", p, err)
				}
			} else if err := os.Remove(p); err != nil {
				return nil, fmt.Errorf("replacing %s: %w", p, err)
			}
		}
		tmp := p + ".gnode-tmp-" + suffix()
		if err := symlink(text, tmp); err != nil {
			return nil, fmt.Errorf("linking %s: %w", loc, err)
		}
		if err := os.Rename(tmp, p); err != nil {
			os.Remove(tmp)
			return nil, fmt.Errorf("linking %s: %w", loc, err)
		}
	}
	return texts, nil
}

// IsolatedLockfilePath is where the isolated layout keeps the hidden
// lockfile (npm's node_modules/.package-lock.json describes a hoisted tree).
func IsolatedLockfilePath(projectDir string) string {
	return filepath.Join(projectDir, "node_modules", IsolatedDirName, isolatedLock)
}

// IsIsolated reports whether projectDir/node_modules holds the isolated
// layout (as ApplyIsolated left it).
func IsIsolated(projectDir string) bool {
	return readLayout(filepath.Join(projectDir, "node_modules", IsolatedDirName, layoutFile)) != nil
}
