package trust

import (
	"fmt"
	"sort"
	"strings"
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
	res := checkAges(p, policy, now)
	filter(p, res)
	return res
}

// FilterCopy is FilterPackument on a copy of p (p is left alone), made
// only when a version is removed: otherwise it returns p itself. Most
// packuments have no version younger than the minimum age, and copying
// the version index of each cost more than checking the ages.
func FilterCopy(p *packument.Packument, policy *ReleaseAgePolicy, now time.Time) (*packument.Packument, FilterResult) {
	res := checkAges(p, policy, now)
	if len(res.Passed) == 0 {
		return p, res
	}
	cp := p.Clone()
	filter(cp, res)
	return cp, res
}

// checkAges lists the versions of p the policy passes over or accepts
// through its override.
func checkAges(p *packument.Packument, policy *ReleaseAgePolicy, now time.Time) FilterResult {
	var res FilterResult
	if policy == nil || policy.MinimumAge <= 0 || policy.Excluded(p.Name) {
		return res
	}
	// Most versions are years old: a time in the registry's usual UTC
	// form whose second is before the cutoff's is old enough without
	// parsing it (a cold install checks ~68,000).
	cutoff := now.Add(-policy.MinimumAge).UTC().Format("2006-01-02T15:04:05")
	for v := range p.VersionKeys() {
		if t, ok := p.TimeOf(v); ok && utcSecondBefore(t, cutoff) {
			continue
		}
		published, _ := p.PublishTime(v)
		verdict := policy.Check(p.Name, v, published, now)
		if verdict.Overridden {
			res.Overridden = append(res.Overridden, Overridden{Name: p.Name, Version: v, Age: verdict.Age})
		}
		if !verdict.OK {
			res.Passed = append(res.Passed, PassedOver{Name: p.Name, Version: v, Age: verdict.Age, Reason: verdict.Reason})
		}
	}
	sort.Slice(res.Passed, func(i, j int) bool { return res.Passed[i].Version < res.Passed[j].Version })
	return res
}

// utcSecondBefore reports whether t, a time written
// "YYYY-MM-DDTHH:MM:SS[.fraction]" and "Z" or "+00:00", lies in a second
// before cutoff (written "YYYY-MM-DDTHH:MM:SS", UTC). In that form the
// text orders as the times do. Anything else gives false, and the caller
// parses it.
func utcSecondBefore(t, cutoff string) bool {
	switch {
	case strings.HasSuffix(t, "Z"):
		t = t[:len(t)-1]
	case strings.HasSuffix(t, "+00:00"):
		t = t[:len(t)-6]
	default:
		return false
	}
	if len(t) < 19 || t[:19] >= cutoff {
		return false
	}
	for i := 0; i < 19; i++ {
		c := t[i]
		switch i {
		case 4, 7:
			if c != '-' {
				return false
			}
		case 10:
			if c != 'T' {
				return false
			}
		case 13, 16:
			if c != ':' {
				return false
			}
		default:
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	frac := t[19:]
	if frac == "" {
		return true
	}
	if len(frac) < 2 || frac[0] != '.' {
		return false
	}
	for i := 1; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return false
		}
	}
	return true
}

// filter removes the versions res passed over from p and re-points its
// dist-tags.
func filter(p *packument.Packument, res FilterResult) {
	for _, po := range res.Passed {
		p.DeleteVersion(po.Version)
	}
	if len(res.Passed) == 0 {
		return
	}
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
