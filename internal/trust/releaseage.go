// Package trust holds gnode's supply-chain policy, shared by the package
// manager and the runtime: the release-age cooling-off period, registry
// signature verification, and (later) provenance continuity and runtime
// capabilities. It is pure: callers pass documents and clocks in.
package trust

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
)

// DefaultMinimumReleaseAge is the cooling-off period when none is configured:
// most malicious releases are found and pulled within hours.
const DefaultMinimumReleaseAge = 24 * time.Hour

// ParseDuration parses "3d", "12h", "30m", "45s", combinations like "1d12h",
// and "0"/"0s" (off). Bare numbers are minutes, as pnpm's setting is.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 0 {
			return 0, fmt.Errorf("invalid duration %q: negative", s)
		}
		return time.Duration(n) * time.Minute, nil
	}
	var total time.Duration
	rest := s
	for rest != "" {
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
			i++
		}
		if i == 0 || i == len(rest) {
			return 0, fmt.Errorf("invalid duration %q: want a number and a unit (s, m, h, d), like 3d", s)
		}
		n, err := strconv.ParseFloat(rest[:i], 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		var unit time.Duration
		switch rest[i] {
		case 's':
			unit = time.Second
		case 'm':
			unit = time.Minute
		case 'h':
			unit = time.Hour
		case 'd':
			unit = 24 * time.Hour
		case 'w':
			unit = 7 * 24 * time.Hour
		default:
			return 0, fmt.Errorf("invalid duration %q: unknown unit %q (use s, m, h or d)", s, rest[i])
		}
		total += time.Duration(n * float64(unit))
		rest = rest[i+1:]
	}
	return total, nil
}

// ReleaseAgePolicy decides which versions are old enough to install.
type ReleaseAgePolicy struct {
	MinimumAge time.Duration
	// Exclude lists package names or globs (@myorg/*) exempt from the policy.
	Exclude []string
	// Strict fails instead of falling back to an older version.
	Strict bool
	// Allow names packages (name or name@version) whose young versions are
	// accepted anyway: the explicit, logged override for an urgent fix.
	Allow []string
}

// Excluded reports whether name is exempt.
func (p *ReleaseAgePolicy) Excluded(name string) bool {
	for _, pat := range p.Exclude {
		if pat == name {
			return true
		}
		if ok, _ := path.Match(pat, name); ok {
			return true
		}
	}
	return false
}

// Allowed reports whether the override covers name@version.
func (p *ReleaseAgePolicy) Allowed(name, version string) bool {
	for _, a := range p.Allow {
		if a == name || a == name+"@"+version {
			return true
		}
	}
	return false
}

// Verdict says why a version may or may not be selected.
type Verdict struct {
	OK         bool
	Age        time.Duration // how old the version is (unknown: -1)
	Reason     string        // for a refused version: "published 2h ago, minimum release age is 1d"
	Overridden bool
}

// Check decides for one version. published is the registry's time[version]
// (zero when the registry did not say: such versions are treated as mature,
// since refusing every package of a registry without times would leave the
// user no choice but to turn the policy off).
func (p *ReleaseAgePolicy) Check(name, version string, published, now time.Time) Verdict {
	if p == nil || p.MinimumAge <= 0 || p.Excluded(name) {
		return Verdict{OK: true, Age: -1}
	}
	if published.IsZero() {
		return Verdict{OK: true, Age: -1}
	}
	age := now.Sub(published)
	if age >= p.MinimumAge {
		return Verdict{OK: true, Age: age}
	}
	if p.Allowed(name, version) {
		return Verdict{OK: true, Age: age, Overridden: true}
	}
	return Verdict{OK: false, Age: age, Reason: fmt.Sprintf("published %s ago, minimum release age is %s", FormatAge(age), FormatAge(p.MinimumAge))}
}

// FormatAge prints a duration the way the settings are written: 2d, 5h, 12m.
func FormatAge(d time.Duration) string {
	switch {
	case d < 0:
		return "in the future"
	case d >= 24*time.Hour:
		days := d / (24 * time.Hour)
		if rem := (d % (24 * time.Hour)) / time.Hour; rem > 0 && days < 3 {
			return fmt.Sprintf("%dd%dh", days, rem)
		}
		return fmt.Sprintf("%dd", days)
	case d >= time.Hour:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d >= time.Minute:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return fmt.Sprintf("%ds", d/time.Second)
}
