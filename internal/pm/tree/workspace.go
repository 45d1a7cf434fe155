package tree

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	npmspec "gnode/internal/npm/spec"
	"gnode/internal/pm/lockfile"
	"gnode/internal/pm/manifest"
)

// AddWorkspaceEdges gives the root one edge per workspace, as npm does:
// spec "file:<folder>", never dev nor optional, and it replaces a
// dependency of the same name the root declares. It returns the
// workspaces by name.
func AddWorkspaceEdges(root *Node, ws []manifest.Workspace) map[string]manifest.Workspace {
	byName := make(map[string]manifest.Workspace, len(ws))
	for _, w := range ws {
		byName[w.Name] = w
		root.setEdge(w.Name, "file:"+w.Path, Prod)
		root.edge(w.Name).Workspace = true
	}
	if len(ws) > 0 {
		root.sortEdges()
	}
	return byName
}

// IsWorkspace reports whether n is a workspace package's folder.
func (n *Node) IsWorkspace() bool { return n.workspace }

// ErrNoWorkspace is a `workspace:` dependency on a package that is not one
// of the project's workspaces.
var ErrNoWorkspace = manifest.ErrNoWorkspace

// isWorkspaceSpec reports whether spec uses pnpm's and yarn's workspace:
// protocol.
func isWorkspaceSpec(spec string) bool {
	return strings.HasPrefix(strings.TrimSpace(spec), "workspace:")
}

// parseWorkspaceSpec splits "workspace:<range>" (or the aliasing form
// "workspace:<name>@<range>") into the workspace's name and the range its
// version must satisfy ("" when any version will do: *, ^ and ~ only say
// what a publish writes).
func parseWorkspaceSpec(name, spec string) (ws, rng string) {
	rest := strings.TrimPrefix(strings.TrimSpace(spec), "workspace:")
	ws = name
	if at := strings.LastIndexByte(rest, '@'); at > 0 {
		ws, rest = rest[:at], rest[at+1:]
	} else if at < 0 && !strings.ContainsAny(rest, "0123456789*^~<>=| ") && rest != "" && !strings.HasPrefix(rest, "../") && !strings.HasPrefix(rest, "./") {
		ws, rest = rest, "" // "workspace:other-name"
	}
	switch rest {
	case "", "*", "^", "~":
		return ws, ""
	}
	return ws, rest
}

// resolveWorkspaceSpec links a `workspace:` dependency to the workspace
// package of that name, checking its version against the range.
func (r *resolver) resolveWorkspaceSpec(e *Edge, spec string) error {
	name, rng := parseWorkspaceSpec(e.Name, spec)
	w, ok := r.workspaces[name]
	if !ok {
		return &WorkspaceSpecError{Name: e.Name, Spec: spec, Chain: r.chain(e.From), Err: ErrNoWorkspace}
	}
	if rng != "" {
		v, _ := r.workspaceVersion(w)
		if !workspaceSatisfies(v, rng) {
			return &WorkspaceSpecError{Name: e.Name, Spec: spec, Chain: r.chain(e.From),
				Err: fmt.Errorf("workspace %s is at version %q, which does not satisfy %q", name, v, rng)}
		}
	}
	sp := &npmspec.Spec{Name: e.Name, Type: npmspec.TypeDirectory, Path: w.Dir}
	return r.resolveLink(e, sp)
}

func (r *resolver) workspaceVersion(w manifest.Workspace) (string, error) {
	if n := r.links[w.Path]; n != nil {
		return n.Version, nil
	}
	m, err := manifest.Read(filepath.Join(w.Dir, "package.json"))
	if err != nil {
		return "", err
	}
	return m.Version, nil
}

func workspaceSatisfies(version, rng string) bool {
	r, err := parseRange(rng)
	if err != nil {
		return false
	}
	return depSpec{Range: r, Raw: rng}.satisfies(version)
}

// WorkspaceSpecError is a `workspace:` dependency that cannot be met.
type WorkspaceSpecError struct {
	Name, Spec string
	Chain      []string
	Err        error
}

func (e *WorkspaceSpecError) Error() string {
	return fmt.Sprintf("%s@%s (required by %s): %v", e.Name, e.Spec, joinChain(e.Chain), e.Err)
}
func (e *WorkspaceSpecError) Unwrap() error { return e.Err }

// Hint says what to check.
func (e *WorkspaceSpecError) Hint() string {
	return `workspace: dependencies name a package of this project's "workspaces" (workspace:*, workspace:^, workspace:~ or workspace:<range>)`
}

// WorkspaceProblems lists how the lockfile's entries for the workspace
// folders differ from their package.json files (and workspaces the
// lockfile does not link), so a stale lockfile is resolved again rather
// than trusted.
func WorkspaceProblems(lf *lockfile.Lockfile, root *manifest.Manifest, ws []manifest.Workspace) []string {
	var out []string
	r := lf.Packages[""]
	var lockWs any
	if r != nil && r.Extra != nil {
		lockWs = r.Extra["workspaces"]
	}
	if want := workspacesField(root); fmt.Sprint(want) != fmt.Sprint(lockWs) {
		out = append(out, "the workspaces field differs from the lockfile's")
	}
	// A workspace folder removed from the project, still linked by the
	// lockfile (aliases of workspaces and file: folders that exist are fine).
	wsPath := map[string]bool{}
	for _, w := range ws {
		wsPath[w.Path] = true
	}
	if len(ws) > 0 || workspacesField(root) != nil {
		projectDir := filepath.Dir(root.Path)
		for loc, p := range lf.Packages {
			name, ok := strings.CutPrefix(loc, "node_modules/")
			if !ok || !p.Link || strings.Contains(name, "node_modules/") || strings.HasPrefix(p.Resolved, "../") || wsPath[p.Resolved] {
				continue
			}
			if _, err := os.Stat(filepath.Join(projectDir, filepath.FromSlash(p.Resolved), "package.json")); err != nil {
				out = append(out, fmt.Sprintf("the lockfile links %s to %s, which is no longer a workspace", name, p.Resolved))
			}
		}
	}
	for _, w := range ws {
		link := lf.Packages["node_modules/"+w.Name]
		if link == nil || !link.Link || link.Resolved != w.Path {
			out = append(out, fmt.Sprintf("workspace %s (%s) is not linked in the lockfile", w.Name, w.Path))
			continue
		}
		e := lf.Packages[w.Path]
		if e == nil {
			out = append(out, fmt.Sprintf("workspace %s (%s) has no lockfile entry", w.Name, w.Path))
			continue
		}
		raw, err := os.ReadFile(filepath.Join(w.Dir, "package.json"))
		if err != nil {
			out = append(out, fmt.Sprintf("workspace %s: %v", w.Name, err))
			continue
		}
		m, err := manifest.Parse(filepath.Join(w.Dir, "package.json"), raw)
		if err != nil {
			out = append(out, fmt.Sprintf("workspace %s: %v", w.Name, err))
			continue
		}
		if m.Version != e.Version {
			out = append(out, fmt.Sprintf("workspace %s is version %q in package.json but %q in the lockfile", w.Name, m.Version, e.Version))
		}
		cmp := func(field string, want, got map[string]string) {
			if len(want) != len(got) {
				out = append(out, fmt.Sprintf("workspace %s: %s differ from the lockfile", w.Name, field))
				return
			}
			for k, v := range want {
				if got[k] != v {
					out = append(out, fmt.Sprintf("workspace %s: %s %s is %q in package.json but %q in the lockfile", w.Name, field, k, v, got[k]))
				}
			}
		}
		cmp("dependencies", m.Dependencies, e.Dependencies)
		cmp("devDependencies", m.DevDependencies, e.DevDependencies)
		cmp("optionalDependencies", m.OptionalDependencies, e.OptionalDependencies)
		cmp("peerDependencies", m.PeerDependencies, e.PeerDependencies)
	}
	return out
}

// workspacesField is the root's "workspaces" as npm copies it into the
// lockfile (nil when absent or empty).
func workspacesField(m *manifest.Manifest) any {
	v := m.Doc.Get("workspaces")
	if v == nil {
		return nil
	}
	switch x := v.Interface().(type) {
	case []any:
		if len(x) > 0 {
			return x
		}
	case map[string]any:
		if len(x) > 0 {
			return x
		}
	}
	return nil
}

// folderName is the name npm gives a folder's node: the folder's name, or
// "@scope/name" inside a scope folder.
func folderName(loc string) string {
	base := path.Base(loc)
	if parent := path.Base(path.Dir(loc)); strings.HasPrefix(parent, "@") {
		return parent + "/" + base
	}
	return base
}

// workspaceSpecProblem checks a resolved `workspace:` edge: it must reach
// a link to the workspace, whose version satisfies the range.
func workspaceSpecProblem(e *Edge, spec string) string {
	name, rng := parseWorkspaceSpec(e.Name, spec)
	to := e.To
	if !to.Link || to.PackageName != name {
		return fmt.Sprintf("invalid: %s@%s resolves to %s, not the workspace %s", e.Name, spec, to.ID(), name)
	}
	if rng != "" && !workspaceSatisfies(to.Version, rng) {
		return fmt.Sprintf("invalid: workspace %s@%s does not satisfy %s", name, to.Version, spec)
	}
	return ""
}
