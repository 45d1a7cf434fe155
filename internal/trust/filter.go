package trust

import (
	"fmt"
	"sort"
	"time"

	"gnode/internal/npm/packument"
	"gnode/internal/npm/semver"
)

// PassedOver is a version the release-age policy kept out of resolution.
type PassedOver struct {
	Name    string
	Version string
	Age     time.Duration
	Reason  string
}

// Overridden is a young version accepted through the explicit override.
type Overridden struct {
	Name, Version string
	Age           time.Duration
}

// FilterResult says what FilterPackument changed.
type FilterResult struct {
	Passed     []PassedOver
	Overridden []Overridden
}

// FilterPackument removes the versions of p younger than the policy's
// minimum release age, so resolution falls back to the newest mature
// version. Dist-tags pointing at a removed version are re-pointed: latest
// to the highest remaining version not above it (preferring releases), any
// other tag dropped. Registries write `time` in several formats; versions
// without a time entry are kept. p must be a copy of its own
// (packument.Packument.Clone).
func FilterPackument(p *packument.Packument, policy *ReleaseAgePolicy, now time.Time) FilterResult {
	var res FilterResult
	if policy == nil || policy.MinimumAge <= 0 || policy.Excluded(p.Name) {
		return res
	}
	var drop []string
	for v := range p.VersionKeys() {
		published, _ := p.PublishTime(v)
		verdict := policy.Check(p.Name, v, published, now)
		if verdict.Overridden {
			res.Overridden = append(res.Overridden, Overridden{Name: p.Name, Version: v, Age: verdict.Age})
		}
		if !verdict.OK {
			res.Passed = append(res.Passed, PassedOver{Name: p.Name, Version: v, Age: verdict.Age, Reason: verdict.Reason})
			drop = append(drop, v)
		}
	}
	for _, v := range drop {
		p.DeleteVersion(v)
	}
	if len(res.Passed) == 0 {
		return res
	}
	sort.Slice(res.Passed, func(i, j int) bool { return res.Passed[i].Version < res.Passed[j].Version })
	for tag, v := range p.DistTags {
		if p.HasVersion(v) {
			continue
		}
		if tag != "latest" {
			delete(p.DistTags, tag)
			continue
		}
		if repl := highestAtMost(p, v); repl != "" {
			p.DistTags["latest"] = repl
		} else {
			delete(p.DistTags, "latest")
		}
	}
	return res
}

// highestAtMost is the highest remaining version <= limit, releases first.
func highestAtMost(p *packument.Packument, limit string) string {
	lim, err := semver.ParseLoose(limit)
	if err != nil {
		return ""
	}
	var best, bestPre *semver.Version
	for k := range p.VersionKeys() {
		v, err := semver.ParseLoose(k)
		if err != nil || semver.Compare(v, lim) > 0 {
			continue
		}
		if v.IsPrerelease() {
			if bestPre == nil || semver.Compare(v, bestPre) > 0 {
				bestPre = v
			}
		} else if best == nil || semver.Compare(v, best) > 0 {
			best = v
		}
	}
	if best == nil {
		best = bestPre
	}
	if best == nil {
		return ""
	}
	// Return the key as the packument spells it.
	for k := range p.VersionKeys() {
		if v, err := semver.ParseLoose(k); err == nil && semver.Compare(v, best) == 0 {
			return k
		}
	}
	return best.String()
}

// Explain turns the versions passed over into messages for the install
// summary, keeping only those that would have been newer than what was
// installed (a passed-over version of a package not installed at all, or
// older than the installed one, changed nothing). installed maps a package
// name to its installed versions.
func Explain(passed []PassedOver, installed map[string][]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range passed {
		vs := installed[p.Name]
		if len(vs) == 0 {
			continue
		}
		pv, err := semver.ParseLoose(p.Version)
		if err != nil {
			continue
		}
		newer := false
		using := vs[0]
		for _, iv := range vs {
			v, err := semver.ParseLoose(iv)
			if err == nil && semver.Compare(pv, v) > 0 && pv.Major == v.Major {
				newer, using = true, iv
			}
		}
		if !newer || seen[p.Name+"@"+p.Version] {
			continue
		}
		seen[p.Name+"@"+p.Version] = true
		out = append(out, fmt.Sprintf("%s@%s was passed over (%s); installed %s", p.Name, p.Version, p.Reason, using))
	}
	sort.Strings(out)
	return out
}
