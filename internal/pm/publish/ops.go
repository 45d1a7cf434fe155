package publish

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"gnode/internal/npm/npmrc"
	"gnode/internal/npm/pkgname"
	"gnode/internal/npm/semver"
	"gnode/internal/pm/pack"
)

// PublishOptions are publish's flags.
type PublishOptions struct {
	Tag    string // --tag; "" means publishConfig.tag, else "latest"
	Access string // --access: "public", "restricted" or "" (sent as null)
	DryRun bool
	// Registry overrides the registry (publishConfig.registry is applied
	// by Publish itself when this is empty).
	Registry string
	// NodeVersion and ClientVersion fill _nodeVersion/_npmVersion.
	NodeVersion, ClientVersion string
}

// PublishResult says what was (or would be) sent.
type PublishResult struct {
	Registry string
	Tag      string
	Access   string
	Body     map[string]any // the PUT body
}

var readmeRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^readme(\..*)?$`) })

// Publish uploads a packed package with npm's PUT body.
func (c *Client) Publish(ctx context.Context, res *pack.Result, opts PublishOptions) (*PublishResult, error) {
	m := res.Manifest
	var doc map[string]any
	if err := json.Unmarshal(m.Bytes(), &doc); err != nil {
		return nil, fmt.Errorf("read %s: %w", m.Path, err)
	}
	if p, _ := doc["private"].(bool); p {
		return nil, fmt.Errorf("this package has been marked as private: remove the \"private\" field from %s to publish it", m.Path)
	}
	v, err := semver.Parse(strings.TrimPrefix(strings.TrimSpace(m.Version), "v"))
	if err != nil {
		return nil, fmt.Errorf("invalid semver: %s", m.Version)
	}
	version := v.String()
	pc, _ := doc["publishConfig"].(map[string]any)
	registry := opts.Registry
	if registry == "" {
		if r, ok := pc["registry"].(string); ok && r != "" {
			registry = r
		}
	}
	if registry == "" {
		if registry, err = c.RegistryFor(m.Name); err != nil {
			return nil, err
		}
	}
	if !strings.HasSuffix(registry, "/") {
		registry += "/"
	}
	tag := opts.Tag
	explicitTag := tag != ""
	if tag == "" {
		if t, ok := pc["tag"].(string); ok && t != "" {
			tag, explicitTag = t, true
		} else if t := c.Config.Get("tag"); t != "" && t != "latest" {
			tag, explicitTag = t, true
		} else {
			tag = "latest"
		}
	}
	if _, err := semver.ParseRange(tag); err == nil {
		return nil, fmt.Errorf("tag name must not be a valid semver range: %s", tag)
	}
	access := opts.Access
	if access == "" {
		if a, ok := pc["access"].(string); ok {
			access = a
		}
	}
	switch access {
	case "", "public", "restricted":
	default:
		return nil, fmt.Errorf("--access must be public or restricted, not %q", access)
	}
	if access == "restricted" && !strings.HasPrefix(m.Name, "@") {
		return nil, errors.New("can't restrict access to unscoped packages")
	}
	if err := c.needAuth(registry); err != nil && !opts.DryRun {
		return nil, err
	}
	// Refuse to publish over a version, or to move latest backwards, as
	// npm does before sending anything.
	if cur, found, err := c.Packument(ctx, registry, m.Name, false); err != nil && !opts.DryRun {
		return nil, err
	} else if found {
		vers, _ := cur["versions"].(map[string]any)
		var highest *semver.Version
		for k := range vers {
			if k == version {
				return nil, fmt.Errorf("you cannot publish over the previously published versions: %s", version)
			}
			if pv, err := semver.Parse(k); err == nil && (highest == nil || pv.Compare(highest) > 0) {
				highest = pv
			}
		}
		if highest != nil && highest.Compare(v) >= 0 && !explicitTag {
			return nil, fmt.Errorf("cannot implicitly apply the \"latest\" tag because previously published version %s is higher than the new version %s: you must specify a tag using --tag", highest, version)
		}
	}

	// The version document: package.json plus what npm adds.
	doc["version"] = version
	if opts.NodeVersion != "" {
		doc["_nodeVersion"] = strings.TrimPrefix(opts.NodeVersion, "v")
	}
	if opts.ClientVersion != "" {
		doc["_npmVersion"] = opts.ClientVersion
	}
	if r, _ := doc["readme"].(string); r == "" {
		if name, text := findReadme(filepath.Dir(m.Path), res.Readmes); name != "" {
			doc["readme"] = text
			doc["readmeFilename"] = name
		} else {
			doc["readme"] = noReadme
		}
	}
	if d, _ := doc["description"].(string); d == "" {
		if r, _ := doc["readme"].(string); r != "" && r != noReadme {
			if d := extractDescription(r); d != "" {
				doc["description"] = d
			}
		}
	}
	if bins := m.Bin; len(bins) > 0 {
		bm := map[string]any{}
		for k, v := range bins {
			bm[k] = v
		}
		doc["bin"] = bm
	}
	tarballName := m.Name + "-" + version + ".tgz"
	tarURL, err := url.JoinPath(registry, m.Name, "-", tarballName)
	if err != nil {
		return nil, err
	}
	tarURL = strings.Replace(tarURL, "https://", "http://", 1)
	doc["_id"] = m.Name + "@" + version
	dist, _ := doc["dist"].(map[string]any)
	if dist == nil {
		dist = map[string]any{}
	}
	dist["integrity"] = res.Integrity
	dist["shasum"] = res.Shasum
	dist["tarball"] = tarURL
	doc["dist"] = dist
	var accessVal any
	if access != "" {
		accessVal = access
	}
	body := map[string]any{
		"_id":       m.Name,
		"name":      m.Name,
		"dist-tags": map[string]any{tag: version},
		"versions":  map[string]any{version: doc},
		"access":    accessVal,
		"_attachments": map[string]any{tarballName: map[string]any{
			"content_type": "application/octet-stream",
			"data":         base64.StdEncoding.EncodeToString(res.Tarball),
			"length":       len(res.Tarball),
		}},
	}
	if d, ok := doc["description"]; ok {
		body["description"] = d // undefined in npm's body when absent
	}
	out := &PublishResult{Registry: registry, Tag: tag, Access: access, Body: body}
	if opts.DryRun {
		return out, nil
	}
	if _, err := c.do(ctx, "PUT", joinURL(registry, pkgname.Escape(m.Name)), body, nil, nil); err != nil {
		return nil, err
	}
	return out, nil
}

// findReadme picks the readme as npm's manifest normalisation does: among
// README and README.* (any case), the first markdown-looking one, else a
// bare README. files, when non-nil, are a tarball's root files; otherwise
// dir is read.
func findReadme(dir string, files map[string][]byte) (string, string) {
	var names []string
	if files != nil {
		for n := range files {
			if readmeRe().MatchString(n) {
				names = append(names, n)
			}
		}
	} else {
		ents, err := os.ReadDir(dir)
		if err != nil {
			return "", ""
		}
		for _, e := range ents {
			if !e.IsDir() && readmeRe().MatchString(e.Name()) {
				names = append(names, e.Name())
			}
		}
	}
	sort.Strings(names)
	pick := ""
	for _, n := range names {
		if mdRe().MatchString(n) {
			pick = n
			break
		}
		if strings.HasSuffix(strings.ToUpper(n), "README") {
			pick = n
		}
	}
	if pick == "" {
		return "", ""
	}
	if files != nil {
		return pick, string(files[pick])
	}
	b, err := os.ReadFile(filepath.Join(dir, pick))
	if err != nil {
		return "", ""
	}
	return pick, string(b)
}

var mdRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\.m?a?r?k?d?o?w?n?$`) })

// noReadme is what npm publishes as the readme of a package without one.
const noReadme = "ERROR: No README data found!"

// extractDescription is npm's description taken from a readme: the first
// paragraph that is not a heading.
func extractDescription(readme string) string {
	lines := strings.Split(strings.TrimSpace(readme), "\n")
	start := 0
	for start < len(lines) && (strings.TrimSpace(lines[start]) == "" || strings.HasPrefix(strings.TrimSpace(lines[start]), "#")) {
		start++
	}
	end := start + 1
	for end < len(lines) && strings.TrimSpace(lines[end]) != "" {
		end++
	}
	if start >= len(lines) {
		return ""
	}
	if end > len(lines) {
		end = len(lines)
	}
	return strings.TrimSpace(strings.Join(lines[start:end], " "))
}

// DistTags lists a package's dist-tags.
func (c *Client) DistTags(ctx context.Context, name string) (map[string]string, error) {
	reg, err := c.RegistryFor(name)
	if err != nil {
		return nil, err
	}
	var tags map[string]any
	if _, err := c.do(ctx, "GET", joinURL(reg, "-/package/"+pkgname.Escape(name)+"/dist-tags"), nil, &tags, nil); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range tags {
		if s, ok := v.(string); ok && k != "_etag" {
			out[k] = s
		}
	}
	return out, nil
}

// DistTagAdd points tag at version.
func (c *Client) DistTagAdd(ctx context.Context, name, version, tag string) error {
	if _, err := semver.ParseRange(tag); err == nil && tag != "" {
		return fmt.Errorf("tag name must not be a valid semver range: %s", tag)
	}
	reg, err := c.RegistryFor(name)
	if err != nil {
		return err
	}
	if err := c.needAuth(reg); err != nil {
		return err
	}
	body, _ := json.Marshal(version)
	_, err = c.do(ctx, "PUT", joinURL(reg, "-/package/"+pkgname.Escape(name)+"/dist-tags/"+url.PathEscape(tag)), body, nil, nil)
	return err
}

// DistTagRm deletes tag.
func (c *Client) DistTagRm(ctx context.Context, name, tag string) error {
	reg, err := c.RegistryFor(name)
	if err != nil {
		return err
	}
	if err := c.needAuth(reg); err != nil {
		return err
	}
	tags, err := c.DistTags(ctx, name)
	if err != nil {
		return err
	}
	if _, ok := tags[tag]; !ok {
		return fmt.Errorf("%s is not a dist-tag on %s", tag, name)
	}
	_, err = c.do(ctx, "DELETE", joinURL(reg, "-/package/"+pkgname.Escape(name)+"/dist-tags/"+url.PathEscape(tag)), nil, nil, nil)
	return err
}

// Deprecate sets (or, with msg "", clears) the deprecation message of the
// versions matching rng ("" or "*" for all). It returns the versions changed.
func (c *Client) Deprecate(ctx context.Context, name, rng, msg string) ([]string, error) {
	reg, err := c.RegistryFor(name)
	if err != nil {
		return nil, err
	}
	if err := c.needAuth(reg); err != nil {
		return nil, err
	}
	if rng == "" {
		rng = "*"
	}
	_, err = semver.ParseRangeLoose(rng)
	if err != nil {
		return nil, fmt.Errorf("invalid version range %q: %w", rng, err)
	}
	doc, found, err := c.Packument(ctx, reg, name, true)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("package %s not found on %s", name, hostOf(reg))
	}
	vers, _ := doc["versions"].(map[string]any)
	var changed []string
	for k, vv := range vers {
		pv, err := semver.Parse(k)
		if err != nil || !semver.Satisfies(pv.String(), rng, semver.Options{Loose: true, IncludePrerelease: true}) {
			continue
		}
		if vm, ok := vv.(map[string]any); ok {
			vm["deprecated"] = msg
			changed = append(changed, k)
		}
	}
	if len(changed) == 0 {
		return nil, fmt.Errorf("no version of %s matches %s", name, rng)
	}
	sort.Strings(changed)
	if _, err := c.do(ctx, "PUT", joinURL(reg, pkgname.Escape(name)), doc, nil, nil); err != nil {
		return nil, err
	}
	return changed, nil
}

// Unpublish removes one version (npm's -rev flow: PUT the document without
// it, then DELETE its tarball) or, with version "" (--force), the whole
// package.
func (c *Client) Unpublish(ctx context.Context, name, version string) error {
	reg, err := c.RegistryFor(name)
	if err != nil {
		return err
	}
	if err := c.needAuth(reg); err != nil {
		return err
	}
	doc, found, err := c.Packument(ctx, reg, name, true)
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("package %s not found on %s", name, hostOf(reg))
	}
	rev, _ := doc["_rev"].(string)
	if rev == "" {
		rev = "undefined"
	}
	vers, _ := doc["versions"].(map[string]any)
	if version == "" || (len(vers) == 1 && vers[version] != nil) {
		_, err := c.do(ctx, "DELETE", joinURL(reg, pkgname.Escape(name)+"/-rev/"+rev), nil, nil, nil)
		if st := httpStatus(err); st == 404 {
			return nil
		}
		return err
	}
	vd, ok := vers[version].(map[string]any)
	if !ok {
		return fmt.Errorf("%s@%s is not in the registry", name, version)
	}
	tarURL := ""
	if d, ok := vd["dist"].(map[string]any); ok {
		tarURL, _ = d["tarball"].(string)
	}
	delete(vers, version)
	tags, _ := doc["dist-tags"].(map[string]any)
	latestGone := false
	for t, tv := range tags {
		if tv == version {
			delete(tags, t)
			if t == "latest" {
				latestGone = true
			}
		}
	}
	if latestGone {
		var best *semver.Version
		for k := range vers {
			if pv, err := semver.Parse(k); err == nil && (best == nil || pv.Compare(best) > 0) {
				best = pv
			}
		}
		if best != nil {
			tags["latest"] = best.String()
		}
	}
	delete(doc, "_revisions")
	delete(doc, "_attachments")
	if _, err := c.do(ctx, "PUT", joinURL(reg, pkgname.Escape(name)+"/-rev/"+rev), doc, nil, nil); err != nil {
		return err
	}
	doc2, found, err := c.Packument(ctx, reg, name, true)
	if err != nil || !found {
		return err
	}
	rev2, _ := doc2["_rev"].(string)
	if rev2 == "" {
		rev2 = "undefined"
	}
	tarPath := pkgname.Escape(name) + "/-/" + pkgname.TarballFile(name, version)
	if tarURL != "" {
		if tu, err := url.Parse(tarURL); err == nil {
			if ru, err := url.Parse(reg); err == nil {
				tarPath = strings.TrimPrefix(tu.Path, strings.TrimSuffix(ru.Path, "/"))
			}
		}
	}
	_, err = c.do(ctx, "DELETE", joinURL(reg, tarPath+"/-rev/"+rev2), nil, nil, nil)
	if httpStatus(err) == 404 {
		return nil
	}
	return err
}

func httpStatus(err error) int {
	var he *HTTPError
	if errors.As(err, &he) {
		return he.Status
	}
	return 0
}

// Whoami returns the user the registry knows the configured credential as.
func (c *Client) Whoami(ctx context.Context, registry string) (string, error) {
	if err := c.needAuth(registry); err != nil {
		return "", err
	}
	var out struct {
		Username string `json:"username"`
	}
	if _, err := c.do(ctx, "GET", joinURL(registry, "-/whoami"), nil, &out, nil); err != nil {
		return "", err
	}
	if out.Username == "" {
		return "", fmt.Errorf("%w to %s", ErrNeedAuth, registry)
	}
	return out.Username, nil
}

// Login runs the couch flow (npm login --auth-type=legacy) and returns the
// token: PUT the user document; when the user exists (409), GET it and PUT
// again with Basic credentials under its revision.
func (c *Client) Login(ctx context.Context, registry, user, password, email string) (string, error) {
	doc := map[string]any{
		"_id": "org.couchdb.user:" + user, "name": user, "password": password,
		"type": "user", "roles": []any{}, "date": nowISO(),
	}
	if email != "" {
		doc["email"] = email
	}
	u := joinURL(registry, "-/user/org.couchdb.user:"+url.PathEscape(user))
	var out struct {
		Token string `json:"token"`
	}
	// The first PUT goes without credentials, as npm's does.
	anon := &Client{HTTP: c.HTTP, OTP: c.OTP, Command: c.Command, UserAgent: c.UserAgent, AskOTP: c.AskOTP}
	st, err := anon.do(ctx, "PUT", u, doc, &out, nil)
	if err == nil && out.Token != "" {
		return out.Token, nil
	}
	if st != 409 && err != nil {
		if st == 400 {
			return "", fmt.Errorf("no such user %q on %s", user, hostOf(registry))
		}
		return "", err
	}
	var existing map[string]any
	if _, err := anon.do(ctx, "GET", u+"?write=true", nil, &existing, nil); err != nil {
		return "", err
	}
	rev, _ := existing["_rev"].(string)
	if rev == "" {
		rev = "undefined"
	}
	for k, v := range existing {
		if _, ok := doc[k]; !ok && k != "_rev" {
			doc[k] = v
		}
	}
	basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
	if _, err := anon.do(ctx, "PUT", u+"/-rev/"+rev, doc, &out, http.Header{"Authorization": {"Basic " + basic}}); err != nil {
		return "", err
	}
	if out.Token == "" {
		return "", fmt.Errorf("the registry at %s answered the login without a token", hostOf(registry))
	}
	return out.Token, nil
}

// Logout revokes the configured token on the registry.
func (c *Client) Logout(ctx context.Context, registry string) error {
	a := c.Config.AuthFor(registry)
	if a.Token == "" {
		return fmt.Errorf("not logged in to %s, so can't log out", registry)
	}
	_, err := c.do(ctx, "DELETE", joinURL(registry, "-/user/token/"+url.PathEscape(a.Token)), nil, nil, nil)
	return err
}

// SaveToken writes key=value into the ini file at path (replacing the key
// when present), or with value "" removes the key; it writes a temporary
// file and renames it.
func SaveToken(path, key, value string) error {
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	var lines []string
	if len(b) > 0 {
		lines = strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	}
	var out []string
	done := false
	for _, l := range lines {
		k, _, ok := strings.Cut(l, "=")
		if ok && strings.TrimSpace(k) == key {
			if value != "" && !done {
				out = append(out, key+"="+value)
				done = true
			}
			continue
		}
		out = append(out, l)
	}
	if value != "" && !done {
		out = append(out, key+"="+value)
	}
	data := strings.Join(out, "\n")
	if data != "" {
		data += "\n"
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".npmrc-*")
	if err != nil {
		return err
	}
	if _, err := tmp.WriteString(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	tmp.Chmod(0o600)
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// TokenKey is the .npmrc key holding the token for a registry.
func TokenKey(registry string) (string, error) {
	nd, err := npmrc.NerfDart(registry)
	if err != nil {
		return "", err
	}
	return nd + ":_authToken", nil
}
