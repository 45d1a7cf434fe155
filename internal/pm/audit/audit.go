// Package audit asks the registry's bulk advisory endpoint about an
// installed tree and explains every finding with the chain of dependencies
// that pulls the package in.
package audit

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gnode/internal/npm/semver"
	"gnode/internal/pm/lockfile"
)

// Severities from lowest to highest, as npm orders them.
var Severities = []string{"info", "low", "moderate", "high", "critical"}

// SeverityRank returns the index of s in Severities (-1 when unknown).
func SeverityRank(s string) int {
	for i, x := range Severities {
		if x == s {
			return i
		}
	}
	return -1
}

// Advisory is one entry of the bulk endpoint's answer.
type Advisory struct {
	ID                 int64    `json:"id"`
	URL                string   `json:"url"`
	Title              string   `json:"title"`
	Severity           string   `json:"severity"`
	VulnerableVersions string   `json:"vulnerable_versions"`
	CWE                []string `json:"cwe"`
}

// Malicious reports whether the advisory marks a malicious package (OSV MAL- records).
func (a Advisory) Malicious() bool {
	return strings.HasPrefix(a.Title, "Malicious package") || strings.Contains(a.URL, "/MAL-")
}

// Finding is a vulnerable installed package.
type Finding struct {
	Name     string     `json:"name"`
	Version  string     `json:"version"`
	Severity string     `json:"severity"` // the highest of its advisories
	Via      []Advisory `json:"via"`
	Nodes    []string   `json:"nodes"`  // lockfile paths (node_modules/...)
	Chains   []string   `json:"chains"` // "app > express > qs"
}

// Report is the result of one audit.
type Report struct {
	Findings     []Finding      `json:"findings"`
	Counts       map[string]int `json:"counts"`
	Dependencies int            `json:"dependencies"`
}

// Installed is the set of name@version in a tree, keyed by lockfile path.
type Installed struct {
	lock *lockfile.Lockfile
}

// LoadInstalled reads the project's package-lock.json, or the hidden
// lockfile in node_modules.
func LoadInstalled(projectDir string) (*Installed, error) {
	for _, p := range []string{filepath.Join(projectDir, "package-lock.json"), filepath.Join(projectDir, "node_modules", ".package-lock.json")} {
		lf, err := lockfile.Read(p)
		if err == nil {
			return &Installed{lock: lf}, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("no package-lock.json in %s: run `gnode install` first", projectDir)
}

// nameAt is the package name installed at a lockfile path.
func (in *Installed) nameAt(path string) string {
	if p := in.lock.Packages[path]; p != nil && p.Name != "" && path != "" {
		return p.Name
	}
	i := strings.LastIndex(path, "node_modules/")
	if i < 0 {
		return ""
	}
	return path[i+len("node_modules/"):]
}

// Request is the body of the bulk request: name → versions.
func (in *Installed) Request() map[string][]string {
	req := map[string][]string{}
	for path, p := range in.lock.Packages {
		if path == "" || p.Link || p.Version == "" {
			continue
		}
		name := in.nameAt(path)
		if !contains(req[name], p.Version) {
			req[name] = append(req[name], p.Version)
		}
	}
	for _, v := range req {
		sort.Strings(v)
	}
	return req
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// resolve finds where dependency name of the package at path is installed,
// walking up node_modules folders as Node's resolution does.
func (in *Installed) resolve(path, name string) string {
	for {
		cand := name
		if path != "" {
			cand = path + "/node_modules/" + name
		} else {
			cand = "node_modules/" + name
		}
		if _, ok := in.lock.Packages[cand]; ok {
			return cand
		}
		if path == "" {
			return ""
		}
		i := strings.LastIndex(path, "/node_modules/")
		if i < 0 {
			path = ""
		} else {
			path = path[:i]
		}
	}
}

// chains returns, for every lockfile path, the shortest chain of package
// names from the root that requires it.
func (in *Installed) chains() map[string][]string {
	out := map[string][]string{"": {}}
	queue := []string{""}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		p := in.lock.Packages[cur]
		if p == nil {
			continue
		}
		var deps []string
		for _, m := range []map[string]string{p.Dependencies, p.OptionalDependencies, p.PeerDependencies} {
			for d := range m {
				deps = append(deps, d)
			}
		}
		if cur == "" {
			for d := range p.DevDependencies {
				deps = append(deps, d)
			}
		}
		sort.Strings(deps)
		for _, d := range deps {
			at := in.resolve(cur, d)
			if at == "" {
				continue
			}
			if _, seen := out[at]; seen {
				continue
			}
			out[at] = append(append([]string{}, out[cur]...), in.nameAt(at))
			queue = append(queue, at)
		}
	}
	return out
}

// Match turns the endpoint's answer into findings for the installed tree.
func (in *Installed) Match(answer map[string][]Advisory) *Report {
	rep := &Report{Counts: map[string]int{}}
	chains := in.chains()
	byKey := map[string]*Finding{}
	var paths []string
	for path := range in.lock.Packages {
		if path != "" {
			paths = append(paths, path)
		}
	}
	sort.Strings(paths)
	rep.Dependencies = len(paths)
	root := in.lock.Name
	if root == "" {
		root = "(root)"
	}
	for _, path := range paths {
		p := in.lock.Packages[path]
		name := in.nameAt(path)
		advs := answer[name]
		if len(advs) == 0 || p.Version == "" {
			continue
		}
		v, err := semver.Parse(p.Version)
		if err != nil {
			continue
		}
		for _, a := range advs {
			r, err := semver.ParseRange(a.VulnerableVersions)
			if err != nil || !r.Test(v) {
				continue
			}
			key := name + "@" + p.Version
			f := byKey[key]
			if f == nil {
				f = &Finding{Name: name, Version: p.Version}
				byKey[key] = f
			}
			if !containsAdvisory(f.Via, a.ID) {
				f.Via = append(f.Via, a)
			}
			if SeverityRank(a.Severity) > SeverityRank(f.Severity) {
				f.Severity = a.Severity
			}
			if !contains(f.Nodes, path) {
				f.Nodes = append(f.Nodes, path)
				if c, ok := chains[path]; ok {
					f.Chains = append(f.Chains, strings.Join(append([]string{root}, c...), " > "))
				}
			}
		}
	}
	for _, f := range byKey {
		rep.Findings = append(rep.Findings, *f)
		rep.Counts[f.Severity]++
	}
	sort.Slice(rep.Findings, func(i, j int) bool {
		a, b := rep.Findings[i], rep.Findings[j]
		if SeverityRank(a.Severity) != SeverityRank(b.Severity) {
			return SeverityRank(a.Severity) > SeverityRank(b.Severity)
		}
		return a.Name+"@"+a.Version < b.Name+"@"+b.Version
	})
	return rep
}

func containsAdvisory(list []Advisory, id int64) bool {
	for _, a := range list {
		if a.ID == id {
			return true
		}
	}
	return false
}

// Query posts the bulk request (gzipped, as npm 11 sends it) to the
// registry at base and decodes the answer. authHeader may be empty.
func Query(ctx context.Context, client *http.Client, base, authHeader string, req map[string][]string) (map[string][]Advisory, error) {
	body, _ := json.Marshal(req)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(body)
	zw.Close()
	url := strings.TrimSuffix(base, "/") + "/-/npm/v1/security/advisories/bulk"
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, url, &gz)
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Content-Encoding", "gzip")
	if authHeader != "" {
		hr.Header.Set("Authorization", authHeader)
	}
	resp, err := client.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("audit request to %s: %w", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed || resp.StatusCode == http.StatusNotImplemented:
		return nil, &UnsupportedError{URL: url, Status: resp.Status}
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("audit request to %s: %s: %s", url, resp.Status, strings.TrimSpace(string(b)))
	}
	var out map[string][]Advisory
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("audit answer from %s is not valid: %w", url, err)
	}
	return out, nil
}

// UnsupportedError: the registry has no audit endpoint.
type UnsupportedError struct{ URL, Status string }

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("the registry does not answer audit requests (%s answered %s)", e.URL, e.Status)
}

// Hint tells the user where audits can be answered.
func (e *UnsupportedError) Hint() string {
	return "run a gnode registry with advisories (`gnode registry advisories import`) or set audit-registry to one that supports audits"
}
