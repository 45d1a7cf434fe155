package install

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"gnode/internal/npm/npmrc"
	"gnode/internal/npm/packument"
	"gnode/internal/npm/semver"
	"gnode/internal/pm/audit"
	"gnode/internal/pm/lockfile"
	"gnode/internal/pm/manifest"
	"gnode/internal/pm/store"
	"gnode/internal/pm/tree"
	"gnode/internal/registryclient"
	"gnode/internal/trust"
	"gnode/internal/trust/blobsignal"
	"gnode/internal/trust/provenance"
)

// TrustRecordName is the record of the last install's trust decisions,
// read by `gnode why-blocked`.
const TrustRecordName = ".gnode-trust.json"

// youngSignal is the age under which a newly installed version is flagged.
const youngSignal = 7 * 24 * time.Hour

// trustConfig is the supply-chain policy of one install.
type trustConfig struct {
	age    *trust.ReleaseAgePolicy
	strict bool // change signals fail the install
}

// gnodeField is package.json's "gnode" object, read here because the
// manifest package only keeps trustedDependencies.
type gnodeField struct {
	MinimumReleaseAge        *string  `json:"minimumReleaseAge"`
	MinimumReleaseAgeExclude []string `json:"minimumReleaseAgeExclude"`
	MinimumReleaseAgeStrict  bool     `json:"minimumReleaseAgeStrict"`
	Strict                   bool     `json:"strict"`
	AllowYoung               []string `json:"allowYoung"`
}

// loadTrust reads the policy: package.json "gnode" first, then .npmrc
// `minimum-release-age`, then the 1d default; flags add overrides.
func loadTrust(pkgRaw []byte, cfg *npmrc.Config, o Options) (*trustConfig, error) {
	var doc struct {
		Gnode gnodeField `json:"gnode"`
	}
	if mayHaveKey(pkgRaw, "gnode") {
		json.Unmarshal(pkgRaw, &doc) // package.json was already parsed; a bad "gnode" field is ignored
	}
	g := doc.Gnode
	tc := &trustConfig{age: &trust.ReleaseAgePolicy{MinimumAge: trust.DefaultMinimumReleaseAge}}
	raw, where := "", ""
	if g.MinimumReleaseAge != nil {
		raw, where = *g.MinimumReleaseAge, "package.json gnode.minimumReleaseAge"
	} else if v := cfg.Get("minimum-release-age"); v != "" {
		raw, where = v, ".npmrc minimum-release-age"
	}
	if raw != "" {
		d, err := trust.ParseDuration(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		tc.age.MinimumAge = d
	}
	tc.age.Exclude = g.MinimumReleaseAgeExclude
	tc.age.Strict = g.MinimumReleaseAgeStrict || o.Strict || g.Strict
	tc.strict = g.Strict || o.Strict
	tc.age.Allow = append(append([]string(nil), g.AllowYoung...), o.AllowYoung...)
	return tc, nil
}

// TrustReport is what the supply-chain checks decided, for the summary.
type TrustReport struct {
	// PassedOver explains each newer version the release-age policy kept out.
	PassedOver []string `json:"passedOver,omitempty"`
	// Overrides are young versions accepted through the explicit override.
	Overrides []string `json:"overrides,omitempty"`
	// Signals are changes worth a look (new install script, young version).
	Signals []string `json:"signals,omitempty"`
	// SignaturesVerified counts versions whose registry signatures checked out.
	SignaturesVerified int `json:"signaturesVerified"`
}

// Decision is one entry of the trust record.
type Decision struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Rule    string `json:"rule"`    // release-age, signature, scripts, signal, advisory
	Verdict string `json:"verdict"` // passed-over, overridden, verified, skipped, jailed, flagged, blocked
	Detail  string `json:"detail"`
}

// TrustRecord is node_modules/.gnode-trust.json.
type TrustRecord struct {
	Time             string     `json:"time"`
	MinimumAge       string     `json:"minimumReleaseAge"`
	Strict           bool       `json:"strict"`
	ReleaseAgeStrict bool       `json:"minimumReleaseAgeStrict"`
	Decisions        []Decision `json:"decisions"`
}

// ReadTrustRecord reads the record the last install left in dir.
func ReadTrustRecord(dir string) (*TrustRecord, error) {
	b, err := os.ReadFile(filepath.Join(dir, "node_modules", TrustRecordName))
	if err != nil {
		return nil, err
	}
	var r TrustRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", TrustRecordName, err)
	}
	return &r, nil
}

// TrustError is an install refused by a supply-chain rule.
type TrustError struct {
	Code    string // EINTEGRITYSIGNATURE..., EMALICIOUS, ERELEASEAGE, ESIGNAL
	Package string
	Msg     string
	Fix     string
}

func (e *TrustError) Error() string { return e.Msg }

// Hint says how to proceed.
func (e *TrustError) Hint() string { return e.Fix }

// ErrorCode is npm-style error code.
func (e *TrustError) ErrorCode() string { return e.Code }

// filter applies the release-age policy to a packument the resolver asks
// for. The client's document is shared and must not be modified, so the
// filtered one is a copy, made only when a version is removed. Versions
// the lockfile already holds are kept: the lock was vetted when it was
// written.
func (s *source) filter(ctx context.Context, p *packument.Packument) *packument.Packument {
	pol := s.policy
	if pol == nil || pol.MinimumAge <= 0 || pol.Excluded(p.Name) {
		return p
	}
	if !p.HasTimes() && s.full != nil {
		// An abbreviated document without `time`: ask for the full one.
		if fp, err := s.full.Packument(registryclient.WithLazyDecode(ctx), p.Name); err == nil && fp.HasTimes() {
			p = fp
		}
	}
	cp, res := trust.FilterCopy(p, pol, s.now)
	kept := res.Passed[:0]
	for _, po := range res.Passed {
		if containsStr(s.locked[p.Name], po.Version) {
			cp.RestoreVersion(p, po.Version)
			continue
		}
		kept = append(kept, po)
	}
	s.mu.Lock()
	if _, seen := s.times[p.Name]; !seen { // a package is asked for more than once (install <spec>, then resolution)
		s.passed = append(s.passed, kept...)
		s.overridden = append(s.overridden, res.Overridden...)
		s.times[p.Name] = p
	}
	s.mu.Unlock()
	return cp
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// publishTime is when name@version was published, if the registry said.
func (s *source) publishTime(name, version string, m *packument.Manifest) time.Time {
	s.mu.Lock()
	p := s.times[name]
	s.mu.Unlock()
	if p == nil {
		return time.Time{}
	}
	t, _ := p.PublishTime(version)
	return t
}

// keyCache holds each registry's signing keys for one install.
type keyCache struct {
	dir string // metadata cache folder
	hc  *http.Client
	// offline uses cached keys of any age and fetches nothing; a registry
	// without cached keys is then not checked.
	offline bool
	mu      sync.Mutex
	m       map[string]trust.Keys // nil entry: the registry does not sign
}

type keysFile struct {
	Fetched string          `json:"fetched"`
	Signs   bool            `json:"signs"`
	Doc     json.RawMessage `json:"doc,omitempty"`
}

// keys returns registry's keys (nil when it publishes none). They are
// cached on disk for a day; refresh skips the disk (after a key miss).
func (k *keyCache) keys(ctx context.Context, registry string, refresh bool) (trust.Keys, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if ks, ok := k.m[registry]; ok && !refresh {
		return ks, nil
	}
	sum := sha256.Sum256([]byte(registry))
	path := ""
	if k.dir != "" {
		path = filepath.Join(k.dir, "metadata", "_keys", hex.EncodeToString(sum[:8])+".json")
	}
	if path != "" && !refresh {
		if b, err := os.ReadFile(path); err == nil {
			var f keysFile
			if json.Unmarshal(b, &f) == nil {
				if at, err := time.Parse(time.RFC3339, f.Fetched); err == nil && (k.offline || time.Since(at) < 24*time.Hour) {
					var ks trust.Keys
					if f.Signs {
						ks, err = trust.ParseKeys(f.Doc)
					}
					if err == nil {
						k.m[registry] = ks
						return ks, nil
					}
				}
			}
		}
	}
	if k.offline {
		k.m[registry] = nil
		return nil, nil
	}
	status, body, err := fetchKeysDoc(ctx, k.hc, strings.TrimSuffix(registry, "/")+"/-/npm/v1/keys")
	if err != nil {
		return nil, fmt.Errorf("fetch signing keys of %s: %w", registry, err)
	}
	resp := &http.Response{StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status))}
	f := keysFile{Fetched: time.Now().UTC().Format(time.RFC3339)}
	var ks trust.Keys
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusMethodNotAllowed:
		// The registry does not sign: nothing to verify.
	case resp.StatusCode == http.StatusOK:
		ks, err = trust.ParseKeys(body)
		if err != nil {
			return nil, fmt.Errorf("signing keys of %s: %w", registry, err)
		}
		f.Signs, f.Doc = true, body
	default:
		return nil, fmt.Errorf("fetch signing keys of %s: %s", registry, resp.Status)
	}
	k.m[registry] = ks
	if path != "" {
		if b, err := json.Marshal(f); err == nil && os.MkdirAll(filepath.Dir(path), 0o755) == nil {
			tmp := path + fmt.Sprintf(".%d.tmp", os.Getpid())
			if os.WriteFile(tmp, b, 0o644) == nil {
				os.Rename(tmp, path)
			}
		}
	}
	return ks, nil
}

// keysAttempts is how many times the keys document is asked for when the
// connection fails or is cut off, or the registry answers 5xx: one cut
// response must not fail an install that the registry client's own
// retries would have carried.
const keysAttempts = 3

// fetchKeysDoc GETs url and returns the status and the whole body,
// retrying network errors, truncated bodies and 5xx answers with a short
// backoff.
func fetchKeysDoc(ctx context.Context, hc *http.Client, url string) (int, []byte, error) {
	var lastErr error
	for attempt := 0; attempt < keysAttempts; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return 0, nil, ctx.Err()
			case <-time.After(time.Duration(attempt*attempt) * 150 * time.Millisecond):
			}
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return 0, nil, err
		}
		resp, err := hc.Do(req)
		if err != nil {
			lastErr = err
			continue
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if err != nil {
			lastErr = fmt.Errorf("reading the answer: %w", err)
			continue
		}
		if resp.StatusCode >= 500 {
			lastErr = fmt.Errorf("%s", resp.Status)
			continue
		}
		return resp.StatusCode, body, nil
	}
	return 0, nil, fmt.Errorf("%w (after %d attempts)", lastErr, keysAttempts)
}

// verifySignatures checks dist.signatures of every freshly resolved
// registry version. Lockfile nodes carry no packument and are not checked:
// their integrity is pinned by the lock.
func verifySignatures(ctx context.Context, cfg *npmrc.Config, kc *keyCache, src *source, nodes []*tree.Node, rep *TrustReport, rec *[]Decision) error {
	// Provenance continuity needs the same resolved set: it runs beside
	// the signature checks, in the background step install.go waits for
	// before linking.
	var provRec []Decision
	provErr := make(chan error, 1)
	go func() { provErr <- checkProvenance(ctx, cfg, kc.hc, kc.offline, src, nodes, &provRec) }()
	err := verifyRegistrySignatures(ctx, cfg, kc, src, nodes, rep, rec)
	perr := <-provErr
	*rec = append(*rec, provRec...)
	if err != nil {
		return err
	}
	return perr
}

func verifyRegistrySignatures(ctx context.Context, cfg *npmrc.Config, kc *keyCache, src *source, nodes []*tree.Node, rep *TrustReport, rec *[]Decision) error {
	for _, n := range nodes {
		if n.Manifest == nil || n.Integrity == "" || !strings.HasPrefix(n.Resolved, "http") {
			continue
		}
		reg, err := cfg.RegistryFor(n.PackageName)
		if err != nil {
			return err
		}
		ks, err := kc.keys(ctx, reg, false)
		if err != nil {
			return err
		}
		if ks == nil {
			continue
		}
		sigs := make([]trust.Signature, len(n.Manifest.Dist.Signatures))
		for i, s := range n.Manifest.Dist.Signatures {
			sigs[i] = trust.Signature{KeyID: s.KeyID, Sig: s.Sig}
		}
		published := src.publishTime(n.PackageName, n.Version, n.Manifest)
		err = trust.VerifySignatures(ks, n.PackageName, n.Version, n.Integrity, sigs, published)
		var se *trust.SignatureError
		if errors.As(err, &se) && se.Code == "EMISSINGSIGNATUREKEY" {
			// The registry may have rotated its keys since they were cached.
			if fresh, ferr := kc.keys(ctx, reg, true); ferr == nil && fresh != nil {
				err = trust.VerifySignatures(fresh, n.PackageName, n.Version, n.Integrity, sigs, published)
			}
		}
		if err != nil {
			code := "EINTEGRITYSIGNATURE"
			if errors.As(err, &se) {
				code = se.Code
			}
			*rec = append(*rec, Decision{Name: n.PackageName, Version: n.Version, Rule: "signature", Verdict: "blocked", Detail: err.Error()})
			return &TrustError{Code: code, Package: n.ID(),
				Msg: fmt.Sprintf("registry signature check failed for %s: %v", n.ID(), err),
				Fix: "the version's metadata does not match what the registry signed; do not install it, and tell the registry's operators"}
		}
		rep.SignaturesVerified++
	}
	return nil
}

// advisoryMemoTTL is how long a registry's "no advisory endpoint" answer
// is remembered. Such a registry (a read-only mirror, a plain Verdaccio)
// does not grow the endpoint from one install to the next, and asking
// costs a round trip (a TLS handshake through a proxy here: 110-140 ms)
// that a warm install would otherwise wait for. A day matches the signing
// keys cache; registries that do answer are asked on every install.
const advisoryMemoTTL = 24 * time.Hour

type advisoryMemo struct {
	Checked     string `json:"checked"`
	Unsupported bool   `json:"unsupported"`
	Status      string `json:"status,omitempty"`
}

func advisoryMemoPath(cacheDir, registry string) string {
	if cacheDir == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(strings.TrimSuffix(registry, "/")))
	return filepath.Join(cacheDir, "metadata", "_advisory", hex.EncodeToString(sum[:8])+".json")
}

// advisoryUnsupported reports whether registry answered, less than
// advisoryMemoTTL ago, that it has no bulk advisory endpoint.
func advisoryUnsupported(cacheDir, registry string, now time.Time) bool {
	path := advisoryMemoPath(cacheDir, registry)
	if path == "" {
		return false
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	var m advisoryMemo
	if json.Unmarshal(b, &m) != nil || !m.Unsupported {
		return false
	}
	at, err := time.Parse(time.RFC3339, m.Checked)
	return err == nil && now.Sub(at) >= 0 && now.Sub(at) < advisoryMemoTTL
}

func rememberAdvisoryUnsupported(cacheDir, registry, status string, now time.Time) {
	path := advisoryMemoPath(cacheDir, registry)
	if path == "" {
		return
	}
	b, _ := json.Marshal(advisoryMemo{Checked: now.UTC().Format(time.RFC3339), Unsupported: true, Status: status})
	if os.MkdirAll(filepath.Dir(path), 0o755) == nil {
		manifest.WriteFileAtomic(path, b) // an optimisation: a failed write only costs the next install a request
	}
}

// checkMalicious asks each registry's bulk advisory endpoint about the
// resolved set and refuses any package with a malicious-package advisory.
// A registry that does not answer the endpoint is skipped silently (and
// not asked again for advisoryMemoTTL); other failures become a warning
// (the advisory service must not stop installs).
func checkMalicious(ctx context.Context, cfg *npmrc.Config, hc *http.Client, nodes []*tree.Node, warn func(string), rec *[]Decision) error {
	byReg := map[string]map[string][]string{}
	// A package's registry depends only on its scope: asked once per scope.
	type regAnswer struct {
		reg string
		err error
	}
	scopeReg := map[string]regAnswer{}
	for _, n := range nodes {
		if !strings.HasPrefix(n.Resolved, "http") && n.Resolved != "" {
			continue
		}
		scope := npmrc.Scope(n.PackageName)
		ra, ok := scopeReg[scope]
		if !ok {
			ra.reg, ra.err = cfg.RegistryFor(n.PackageName)
			scopeReg[scope] = ra
		}
		reg, err := ra.reg, ra.err
		if err != nil {
			continue
		}
		if byReg[reg] == nil {
			byReg[reg] = map[string][]string{}
		}
		if !containsStr(byReg[reg][n.PackageName], n.Version) {
			byReg[reg][n.PackageName] = append(byReg[reg][n.PackageName], n.Version)
		}
	}
	for reg, req := range byReg {
		if advisoryUnsupported(cfg.CacheDir(), reg, time.Now()) {
			continue
		}
		ans, err := audit.Query(ctx, hc, reg, cfg.AuthFor(reg).Header(), req)
		var ue *audit.UnsupportedError
		if errors.As(err, &ue) {
			rememberAdvisoryUnsupported(cfg.CacheDir(), reg, ue.Status, time.Now())
			continue
		}
		if err != nil {
			warn("could not check for malicious packages: " + err.Error())
			continue
		}
		names := make([]string, 0, len(ans))
		for name := range ans {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			for _, a := range ans[name] {
				if !a.Malicious() {
					continue
				}
				ver := strings.Join(req[name], ", ")
				*rec = append(*rec, Decision{Name: name, Version: ver, Rule: "advisory", Verdict: "blocked", Detail: a.Title + " " + a.URL})
				return &TrustError{Code: "EMALICIOUS", Package: name,
					Msg: fmt.Sprintf("%s@%s has a malicious-package advisory: %s (%s)", name, ver, a.Title, a.URL),
					Fix: "remove the dependency that pulls it in (`gnode why " + name + "`), and treat any machine that installed it as compromised"}
			}
		}
	}
	return nil
}

// changeSignals flags what an install brings in that deserves a look: a
// package new to the tree with an install script, and, when node_modules
// held a previous install (an update), a newly installed version published
// less than 7 days ago, and an updated package that brings a binary or a
// minified, obfuscated or base64 blob its previous version did not have.
// A first install of a project is not flagged for young versions:
// everything is new then, and the release-age policy has already kept out
// what is younger than its minimum.
func changeSignals(src *source, nodes []*tree.Node, paths map[*tree.Node]string, st *store.Store, before *priorInstall, now time.Time) []Decision {
	var out []Decision
	for _, n := range nodes {
		id := n.PackageName + "@" + n.Version
		if before.ids[id] {
			continue
		}
		if !before.ids[n.PackageName] {
			if idx, _ := st.Index(paths[n]); idx != nil && idx.HasInstallScripts {
				out = append(out, Decision{Name: n.PackageName, Version: n.Version, Rule: "signal", Verdict: "flagged", Detail: "new dependency with an install script"})
			}
		}
		if n.Manifest != nil && len(before.ids) > 0 {
			if pt := src.publishTime(n.PackageName, n.Version, n.Manifest); !pt.IsZero() && now.Sub(pt) < youngSignal {
				out = append(out, Decision{Name: n.PackageName, Version: n.Version, Rule: "signal", Verdict: "flagged", Detail: "published " + trust.FormatAge(now.Sub(pt)) + " ago"})
			}
		}
		if before.ids[n.PackageName] {
			if d := newBlobs(n, paths[n], st, before); d != "" {
				out = append(out, Decision{Name: n.PackageName, Version: n.Version, Rule: "signal", Verdict: "flagged", Detail: d})
			}
		}
	}
	return out
}

// newBlobs compares the unreadable files of an updated package with those
// of the version it replaces, read from the store (by the lockfile's
// integrity) or else from node_modules, which still holds the previous
// install while the checks run. "" when nothing is new, or when the
// previous version's files are nowhere on this machine (not fetched again:
// a signal must not slow the install down).
func newBlobs(n *tree.Node, pkgPath string, st *store.Store, before *priorInstall) string {
	prev, ok := before.previous(n)
	if !ok || pkgPath == "" {
		return ""
	}
	var prevBlobs []blobsignal.Blob
	var err error
	if p, ok := st.Has(prev.integrity); ok && prev.integrity != "" {
		prevBlobs, err = scanStored(st, p)
	} else if dir := filepath.Join(before.dir, filepath.FromSlash(prev.location)); before.dir != "" && installedVersion(dir) == prev.version {
		prevBlobs, err = blobsignal.ScanDir(dir, nil)
	} else {
		return ""
	}
	if err != nil {
		return ""
	}
	next, err := scanStored(st, pkgPath)
	if err != nil {
		return ""
	}
	added := blobsignal.Added(prevBlobs, next)
	if len(added) == 0 {
		return ""
	}
	return blobsignal.Describe(added) + "; " + prev.version + " had none there"
}

// scanStored classifies a store entry's files (listed by its index).
func scanStored(st *store.Store, pkgPath string) ([]blobsignal.Blob, error) {
	idx, err := st.Index(pkgPath)
	if err != nil {
		return nil, err
	}
	files := make([]string, len(idx.Files))
	for i, f := range idx.Files {
		files[i] = f.Path
	}
	return blobsignal.ScanDir(pkgPath, files)
}

// installedVersion is the version in dir/package.json ("" when unreadable).
func installedVersion(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return ""
	}
	var m struct{ Version string }
	json.Unmarshal(b, &m)
	return m.Version
}

// priorInstall is what the previous install left (the hidden lockfile) or
// package-lock.json already held (a package in the committed lockfile was
// vetted when it was added).
type priorInstall struct {
	// ids holds name and name@version of every package.
	ids map[string]bool
	// dir is the project folder, which locations are relative to.
	dir string
	// pkgs lists each name's previous versions with where they were.
	pkgs map[string][]priorPkg
}

type priorPkg struct {
	version, integrity, location string // location is relative to the project ("node_modules/a")
}

// previous is the version n replaces: the one at n's location, else the
// first one listed.
func (pi *priorInstall) previous(n *tree.Node) (priorPkg, bool) {
	list := pi.pkgs[n.PackageName]
	if len(list) == 0 {
		return priorPkg{}, false
	}
	for _, p := range list {
		if p.location == n.Location() {
			return p, p.version != n.Version
		}
	}
	return list[0], list[0].version != n.Version
}

func installedBefore(hiddenPath string, lock *lockfile.Lockfile) *priorInstall {
	n := 0
	if lock != nil {
		n = len(lock.Packages)
	}
	pi := &priorInstall{ids: make(map[string]bool, 2*n), pkgs: make(map[string][]priorPkg, n), dir: filepath.Dir(filepath.Dir(hiddenPath))}
	if lock != nil {
		pi.add(lock)
	}
	if lf, err := lockfile.Read(hiddenPath); err == nil {
		pi.add(lf)
	}
	return pi
}

func (pi *priorInstall) add(lf *lockfile.Lockfile) {
	for loc, p := range lf.Packages {
		if loc == "" || p.Link || !strings.Contains(loc, "node_modules/") {
			continue // linked folders are not registry packages
		}
		name := p.PackageName(loc)
		pi.ids[name] = true
		pi.ids[name+"@"+p.Version] = true
		seen := false
		for _, x := range pi.pkgs[name] {
			seen = seen || x.location == loc && x.version == p.Version
		}
		if !seen {
			pi.pkgs[name] = append(pi.pkgs[name], priorPkg{version: p.Version, integrity: p.Integrity, location: loc})
		}
	}
}

// writeTrustRecord writes node_modules/.gnode-trust.json.
func writeTrustRecord(dir string, tc *trustConfig, decisions []Decision) {
	writeTrustRecordAt(filepath.Join(dir, "node_modules", TrustRecordName), tc, decisions)
}

// writeTrustRecordAt writes the trust record to the file p.
func writeTrustRecordAt(p string, tc *trustConfig, decisions []Decision) {
	r := TrustRecord{Time: time.Now().UTC().Format(time.RFC3339), MinimumAge: trust.FormatAge(tc.age.MinimumAge), Strict: tc.strict, ReleaseAgeStrict: tc.age.Strict, Decisions: decisions}
	if tc.age.MinimumAge <= 0 {
		r.MinimumAge = "0s"
	}
	manifest.WriteFileAtomic(p, append(encodeTrustRecord(&r), '\n'))
}

// writeTrustRecordTo records decisions of a refused install when
// node_modules exists (a refused first install leaves nothing to explain in).
func writeTrustRecordTo(dir string, tc *trustConfig, decisions []Decision) {
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		if os.MkdirAll(filepath.Join(dir, "node_modules"), 0o755) != nil {
			return
		}
	}
	writeTrustRecord(dir, tc, decisions)
}

// jailBinary is the gnode executable that can enter the jail: this one,
// unless it is a Go test binary, then GNODE_BIN ("" when unset).
func jailBinary(env []string) string {
	exe, err := os.Executable()
	if err == nil && !strings.HasSuffix(filepath.Base(exe), ".test") {
		return exe
	}
	return getenv(env, "GNODE_BIN")
}

// YoungError is a resolution failure in which the release-age policy took
// part: the versions it passed over are named, with the override.
type YoungError struct {
	Err    error
	Passed []trust.PassedOver
}

func (e *YoungError) Error() string {
	var b strings.Builder
	b.WriteString(e.Err.Error())
	for _, p := range e.Passed {
		fmt.Fprintf(&b, "\n  %s@%s was passed over (%s)", p.Name, p.Version, p.Reason)
	}
	return b.String()
}

func (e *YoungError) Unwrap() error { return e.Err }

// Hint names the override.
func (e *YoungError) Hint() string {
	p := e.Passed[len(e.Passed)-1]
	return fmt.Sprintf("wait until the version is older than the minimum release age, or accept it explicitly with --allow-young=%s@%s", p.Name, p.Version)
}

// explainFailure adds the versions passed over for packages the error
// names, when there are any.
func (s *source) explainFailure(err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	msg := err.Error()
	var rel []trust.PassedOver
	for _, p := range s.passed {
		if strings.Contains(msg, p.Name+"@") || strings.Contains(msg, " "+p.Name+" ") {
			rel = append(rel, p)
		}
	}
	if len(rel) == 0 {
		return err
	}
	sort.Slice(rel, func(i, j int) bool { return rel[i].Name+"@"+rel[i].Version < rel[j].Name+"@"+rel[j].Version })
	return &YoungError{Err: err, Passed: rel}
}

// maxPublisherChecks bounds the version documents fetched to compare
// publishers (two per updated package), keeping a large update cheap.
const maxPublisherChecks = 32

// previousVersions maps each package name to a version the previous
// install (hidden lockfile) or package-lock.json held.
func previousVersions(hiddenPath string, lock *lockfile.Lockfile) map[string]string {
	out := map[string]string{}
	add := func(lf *lockfile.Lockfile) {
		for loc, p := range lf.Packages {
			if loc == "" || p.Version == "" || p.Link || !strings.Contains(loc, "node_modules/") {
				continue
			}
			name := p.PackageName(loc)
			out[name] = p.Version
		}
	}
	if lock != nil {
		add(lock)
	}
	if lf, err := lockfile.Read(hiddenPath); err == nil {
		add(lf)
	}
	return out
}

type versionDoc struct {
	NpmUser struct {
		Name string `json:"name"`
	} `json:"_npmUser"`
	Maintainers []struct {
		Name string `json:"name"`
	} `json:"maintainers"`
}

func fetchVersionDoc(ctx context.Context, cfg *npmrc.Config, hc *http.Client, name, version string) (*versionDoc, error) {
	reg, err := cfg.RegistryFor(name)
	if err != nil {
		return nil, err
	}
	u := reg + strings.Replace(name, "/", "%2f", 1) + "/" + version
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if h := cfg.AuthFor(u).Header(); h != "" {
		req.Header.Set("Authorization", h)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", u, resp.Status)
	}
	var d versionDoc
	if err := json.NewDecoder(io.LimitReader(resp.Body, 8<<20)).Decode(&d); err != nil {
		return nil, err
	}
	return &d, nil
}

// publisherChanges flags updated packages whose new version was published
// by another account than the version it replaces, or lists maintainers
// the previous one did not (a hijacked or newly added account). Versions
// documents that cannot be fetched are skipped: this is a signal, not a gate.
func publisherChanges(ctx context.Context, cfg *npmrc.Config, hc *http.Client, nodes []*tree.Node, prev map[string]string) []Decision {
	var out []Decision
	checked := 0
	for _, n := range nodes {
		old, ok := prev[n.PackageName]
		if !ok || old == n.Version || n.Manifest == nil || !strings.HasPrefix(n.Resolved, "http") {
			continue
		}
		if checked++; checked > maxPublisherChecks {
			break
		}
		nd, err := fetchVersionDoc(ctx, cfg, hc, n.PackageName, n.Version)
		if err != nil {
			continue
		}
		od, err := fetchVersionDoc(ctx, cfg, hc, n.PackageName, old)
		if err != nil {
			continue
		}
		if nd.NpmUser.Name != "" && od.NpmUser.Name != "" && nd.NpmUser.Name != od.NpmUser.Name {
			out = append(out, Decision{Name: n.PackageName, Version: n.Version, Rule: "signal", Verdict: "flagged",
				Detail: fmt.Sprintf("published by %s; %s was published by %s", nd.NpmUser.Name, old, od.NpmUser.Name)})
		}
		had := map[string]bool{}
		for _, m := range od.Maintainers {
			had[m.Name] = true
		}
		var added []string
		for _, m := range nd.Maintainers {
			if len(od.Maintainers) > 0 && !had[m.Name] {
				added = append(added, m.Name)
			}
		}
		if len(added) > 0 {
			out = append(out, Decision{Name: n.PackageName, Version: n.Version, Rule: "signal", Verdict: "flagged",
				Detail: fmt.Sprintf("new maintainer(s) %s since %s", strings.Join(added, ", "), old)})
		}
	}
	return out
}

// Provenance continuity (issue 6, item 4). When earlier versions of a
// package carry Sigstore provenance (dist.attestations), a newly resolved
// version must carry it too, it must verify (sigstore-go, against the
// public-good trusted root built into gnode, or the one named by
// `sigstore-trusted-root`),
// and it must come from the same source repository and workflow as the
// newest earlier version whose provenance verifies. pnpm's no-downgrade
// policy only asks whether provenance exists; a CI hijack from another
// repository or workflow keeps valid provenance and is caught here.

// provenanceConcurrency bounds the attestation checks running at once.
const provenanceConcurrency = 8

// maxBaselineTries bounds how many earlier attested versions are tried
// when the newest one's provenance cannot be verified.
const maxBaselineTries = 3

// provenanceChecker holds one install's provenance state.
type provenanceChecker struct {
	cfg     *npmrc.Config
	hc      *http.Client
	offline bool
	allow   []string // name or name@version accepted despite a change

	once    sync.Once
	ver     *provenance.Verifier
	verErr  error
	mu      sync.Mutex
	results map[string]provResult
}

// provResult is the verified identity of one name@version (or why not).
type provResult struct {
	ID  *provenance.Identity `json:"identity,omitempty"`
	Err string               `json:"error,omitempty"`
}

// verifier returns the install's Sigstore verifier, built on first use:
// most installs never need one.
func (pc *provenanceChecker) verifier() (*provenance.Verifier, error) {
	pc.once.Do(func() {
		if path := pc.cfg.Get("sigstore-trusted-root"); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				pc.verErr = fmt.Errorf("sigstore-trusted-root: %w", err)
				return
			}
			pc.ver, pc.verErr = provenance.NewVerifier(b, path)
			return
		}
		pc.ver, pc.verErr = provenance.PublicGood()
	})
	return pc.ver, pc.verErr
}

// cachePath is where a verified result is kept: a published version and
// its attestation never change, so a result is valid as long as the
// tarball's integrity and the trusted root's source are the same.
func (pc *provenanceChecker) cachePath(name, version, integrity, source string) string {
	dir := pc.cfg.CacheDir()
	if dir == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(name + "@" + version + "\x00" + integrity + "\x00" + source))
	return filepath.Join(dir, "metadata", "_provenance", hex.EncodeToString(sum[:12])+".json")
}

// identity fetches and verifies the provenance of name@version. A failure
// to verify is a result (Err set); an error is a failure to find out.
func (pc *provenanceChecker) identity(ctx context.Context, name, version, integrity string) (provResult, error) {
	key := name + "@" + version
	pc.mu.Lock()
	r, ok := pc.results[key]
	pc.mu.Unlock()
	if ok {
		return r, nil
	}
	v, err := pc.verifier()
	if err != nil {
		return provResult{}, err
	}
	path := pc.cachePath(name, version, integrity, v.Source)
	if path != "" {
		if b, err := os.ReadFile(path); err == nil && json.Unmarshal(b, &r) == nil && (r.ID != nil || r.Err != "") {
			pc.remember(key, r)
			return r, nil
		}
	}
	if pc.offline {
		return provResult{}, fmt.Errorf("the attestation of %s is not cached and the install is offline", key)
	}
	doc, err := pc.fetch(ctx, name, version)
	if err != nil {
		return provResult{}, err
	}
	if doc == nil {
		r = provResult{Err: "the registry serves no attestations for it"}
	} else if b := doc.Provenance(); b == nil {
		r = provResult{Err: "its attestations hold no SLSA provenance"}
	} else if id, err := v.VerifyBundle(b, name, version, integrity); err != nil {
		r = provResult{Err: err.Error()}
		var pe *provenance.Error
		if errors.As(err, &pe) { // the message names the package already
			r.Err = pe.Reason
			if pe.Err != nil {
				r.Err += ": " + pe.Err.Error()
			}
		}
	} else {
		r = provResult{ID: id}
	}
	pc.remember(key, r)
	if path != "" {
		if b, err := json.Marshal(r); err == nil && os.MkdirAll(filepath.Dir(path), 0o755) == nil {
			manifest.WriteFileAtomic(path, b)
		}
	}
	return r, nil
}

func (pc *provenanceChecker) remember(key string, r provResult) {
	pc.mu.Lock()
	pc.results[key] = r
	pc.mu.Unlock()
}

// fetch asks the configured registry (as npm does, whatever host the
// attestation URL names) for name@version's attestations; nil on a 404.
func (pc *provenanceChecker) fetch(ctx context.Context, name, version string) (*provenance.Document, error) {
	reg, err := pc.cfg.RegistryFor(name)
	if err != nil {
		return nil, err
	}
	u := strings.TrimSuffix(reg, "/") + "/-/npm/v1/attestations/" + strings.Replace(name, "/", "%2f", 1) + "@" + version
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if h := pc.cfg.AuthFor(u).Header(); h != "" {
		req.Header.Set("Authorization", h)
	}
	resp, err := pc.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch attestations of %s@%s: %w", name, version, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch attestations of %s@%s: %s", name, version, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	return provenance.ParseDocument(b)
}

// allowed reports whether the override names name@version (or name).
func (pc *provenanceChecker) allowed(name, version string) bool {
	for _, a := range pc.allow {
		if a == name || a == name+"@"+version {
			return true
		}
	}
	return false
}

// provenanceAllowList is the explicit override: `allow-provenance-change`
// (.npmrc, npm_config_allow_provenance_change, or the command-line flag
// when the CLI passes it through) and package.json
// "gnode": {"allowProvenanceChange": [...]}, each NAME or NAME@VERSION.
func provenanceAllowList(cfg *npmrc.Config) []string {
	var out []string
	for _, f := range strings.FieldsFunc(cfg.Get("allow-provenance-change"), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
		out = append(out, f)
	}
	if dir := cfg.ProjectDir(); dir != "" {
		if b, err := os.ReadFile(filepath.Join(dir, "package.json")); err == nil {
			var doc struct {
				Gnode struct {
					AllowProvenanceChange []string `json:"allowProvenanceChange"`
				} `json:"gnode"`
			}
			if mayHaveKey(b, "gnode") && json.Unmarshal(b, &doc) == nil {
				out = append(out, doc.Gnode.AllowProvenanceChange...)
			}
		}
	}
	return out
}

// provenanceBaselines are the versions before version (by semver
// precedence) that carry dist.attestations, newest first.
func provenanceBaselines(p *packument.Packument, version string) []string {
	cur, err := semver.Parse(version)
	if err != nil {
		return nil
	}
	var vs []*semver.Version
	for v := range p.VersionKeys() {
		h, _ := p.Head(v)
		if h.Attestations == nil || h.Attestations.URL == "" {
			continue
		}
		sv, err := semver.Parse(v)
		if err != nil || sv.Compare(cur) >= 0 {
			continue
		}
		vs = append(vs, sv)
	}
	semver.Sort(vs)
	out := make([]string, 0, len(vs))
	for i := len(vs) - 1; i >= 0; i-- {
		out = append(out, vs[i].String())
	}
	return out
}

// provFinding is the outcome for one resolved version.
type provFinding struct {
	n       *tree.Node
	problem string // "" when fine
	detail  string // what was verified, for the record
}

// checkProvenance applies provenance continuity to every freshly resolved
// registry version (lockfile entries carry no packument and were vetted
// when they were locked).
func checkProvenance(ctx context.Context, cfg *npmrc.Config, hc *http.Client, offline bool, src *source, nodes []*tree.Node, rec *[]Decision) error {
	pc := &provenanceChecker{cfg: cfg, hc: hc, offline: offline, allow: provenanceAllowList(cfg), results: map[string]provResult{}}
	var todo []*tree.Node
	for _, n := range nodes {
		if n.Manifest == nil || n.Integrity == "" || !strings.HasPrefix(n.Resolved, "http") {
			continue
		}
		// Most packages have no provenance at all: decide that here,
		// without a goroutine each (the packument is in memory).
		if n.Manifest.Dist.Attestations == nil && !anyAttested(ctx, src, n.PackageName) {
			continue
		}
		todo = append(todo, n)
	}
	findings := make([]provFinding, len(todo))
	sem := make(chan struct{}, provenanceConcurrency)
	var wg sync.WaitGroup
	for i, n := range todo {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			findings[i] = pc.check(ctx, src, n)
		}()
	}
	wg.Wait()
	var problems []string
	var blocked string
	for _, f := range findings {
		id := f.n.PackageName + "@" + f.n.Version
		switch {
		case f.problem == "" && strings.HasPrefix(f.detail, "provenance not checked"):
			*rec = append(*rec, Decision{Name: f.n.PackageName, Version: f.n.Version, Rule: "provenance", Verdict: "skipped", Detail: f.detail})
		case f.problem == "" && f.detail != "":
			*rec = append(*rec, Decision{Name: f.n.PackageName, Version: f.n.Version, Rule: "provenance", Verdict: "verified", Detail: f.detail})
		case f.problem != "" && pc.allowed(f.n.PackageName, f.n.Version):
			*rec = append(*rec, Decision{Name: f.n.PackageName, Version: f.n.Version, Rule: "provenance", Verdict: "overridden",
				Detail: f.problem + "; accepted by allow-provenance-change"})
		case f.problem != "":
			*rec = append(*rec, Decision{Name: f.n.PackageName, Version: f.n.Version, Rule: "provenance", Verdict: "blocked", Detail: f.problem})
			problems = append(problems, id+": "+f.problem)
			if blocked == "" {
				blocked = id
			}
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &TrustError{Code: "EPROVENANCE", Package: blocked,
		Msg: "provenance continuity check failed:\n  " + strings.Join(problems, "\n  "),
		Fix: fmt.Sprintf("a version built elsewhere than its predecessors may come from a hijacked account or CI; if the change is expected, accept it explicitly with allow-provenance-change=%s in .npmrc (or \"gnode\": {\"allowProvenanceChange\": [%q]} in package.json)", blocked, blocked)}
}

// anyAttested reports whether some version of name carries provenance.
func anyAttested(ctx context.Context, src *source, name string) bool {
	p, err := src.c.Packument(registryclient.WithLazyDecode(ctx), name)
	if err != nil {
		return false
	}
	for v := range p.VersionKeys() {
		if h, _ := p.Head(v); h.Attestations != nil {
			return true
		}
	}
	return false
}

// check decides one version.
func (pc *provenanceChecker) check(ctx context.Context, src *source, n *tree.Node) provFinding {
	f := provFinding{n: n}
	name, version := n.PackageName, n.Version
	p, err := src.c.Packument(registryclient.WithLazyDecode(ctx), name)
	if err != nil {
		return f // the resolver read it moments ago; nothing to compare without it
	}
	baselines := provenanceBaselines(p, version)
	hasOwn := n.Manifest.Dist.Attestations != nil && n.Manifest.Dist.Attestations.URL != ""
	if len(baselines) == 0 && !hasOwn {
		return f // no provenance history: nothing to continue
	}

	// The newest earlier version whose provenance verifies sets the
	// expected builder.
	var base string
	var baseID *provenance.Identity
	for i, b := range baselines {
		if i == maxBaselineTries {
			break
		}
		bm := p.Manifest(b)
		r, err := pc.identity(ctx, name, b, bm.Dist.Integrity)
		if err == nil && r.ID != nil {
			base, baseID = b, r.ID
			break
		}
	}
	builtBy := func() string {
		switch {
		case baseID != nil:
			return fmt.Sprintf(" (%s was built by %s)", base, baseID)
		case len(baselines) > 0:
			return fmt.Sprintf(" (%s carried provenance)", baselines[0])
		}
		return ""
	}

	if !hasOwn {
		if len(baselines) > 0 {
			f.problem = "provenance dropped" + builtBy()
		}
		return f
	}
	r, err := pc.identity(ctx, name, version, n.Integrity)
	switch {
	case err != nil && len(baselines) == 0:
		f.detail = "provenance not checked: " + err.Error() // nothing to continue yet
	case err != nil:
		f.problem = "provenance could not be checked: " + err.Error() + builtBy()
	case r.ID == nil:
		f.problem = "provenance does not verify: " + r.Err + builtBy()
	case baseID == nil:
		f.detail = "built by " + r.ID.String()
		if len(baselines) > 0 {
			f.detail += fmt.Sprintf("; no earlier version's provenance could be verified to compare with (%s)", strings.Join(baselines[:min(len(baselines), maxBaselineTries)], ", "))
		}
	default:
		if ch := provenance.Change(*baseID, *r.ID); ch != "" {
			f.problem = "provenance changed: " + ch + builtBy()
		} else {
			f.detail = "built by " + r.ID.String() + ", like " + base
		}
	}
	return f
}
