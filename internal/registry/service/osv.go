package service

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strings"

	"gnode/internal/npm/semver"
	"gnode/internal/registry/meta"
)

// osvRecord is the part of an OSV (osv.dev schema) record gnode reads.
type osvRecord struct {
	ID       string `json:"id"`
	Summary  string `json:"summary"`
	Details  string `json:"details"`
	Aliases  []string
	Affected []struct {
		Package struct {
			Ecosystem string `json:"ecosystem"`
			Name      string `json:"name"`
		} `json:"package"`
		Ranges []struct {
			Type   string              `json:"type"`
			Events []map[string]string `json:"events"`
		} `json:"ranges"`
		Versions []string `json:"versions"`
	} `json:"affected"`
	Severity []struct {
		Type  string `json:"type"`
		Score string `json:"score"`
	} `json:"severity"`
	DatabaseSpecific struct {
		Severity string   `json:"severity"`
		CWEIDs   []string `json:"cwe_ids"`
	} `json:"database_specific"`
	References []struct {
		Type string `json:"type"`
		URL  string `json:"url"`
	} `json:"references"`
}

// ParseOSV converts OSV records (one object, an array, or JSON lines) into
// advisories for the npm ecosystem. MAL- records (malicious packages) become
// critical advisories titled "Malicious package".
func ParseOSV(data []byte) ([]meta.Advisory, error) {
	var recs []osvRecord
	trimmed := strings.TrimSpace(string(data))
	switch {
	case strings.HasPrefix(trimmed, "["):
		if err := json.Unmarshal([]byte(trimmed), &recs); err != nil {
			return nil, fmt.Errorf("OSV array: %w", err)
		}
	default:
		dec := json.NewDecoder(strings.NewReader(trimmed))
		for dec.More() {
			var r osvRecord
			if err := dec.Decode(&r); err != nil {
				return nil, fmt.Errorf("OSV record %d: %w", len(recs)+1, err)
			}
			recs = append(recs, r)
		}
	}
	var out []meta.Advisory
	for _, r := range recs {
		if r.ID == "" {
			return nil, fmt.Errorf("OSV record without an id")
		}
		for _, a := range r.Affected {
			if !strings.EqualFold(a.Package.Ecosystem, "npm") || a.Package.Name == "" {
				continue
			}
			rng, err := osvRange(a.Ranges, a.Versions)
			if err != nil {
				return nil, fmt.Errorf("%s (%s): %w", r.ID, a.Package.Name, err)
			}
			adv := meta.Advisory{
				ID:                 osvNumericID(r.ID + "\x00" + a.Package.Name),
				Name:               a.Package.Name,
				VulnerableVersions: rng,
				Severity:           osvSeverity(r),
				Title:              r.Summary,
				URL:                "https://osv.dev/vulnerability/" + r.ID,
				CWE:                r.DatabaseSpecific.CWEIDs,
			}
			if adv.Title == "" {
				adv.Title = r.ID
			}
			if strings.HasPrefix(r.ID, "MAL-") {
				adv.Title = "Malicious package: " + adv.Title
			}
			for _, s := range r.Severity {
				if strings.HasPrefix(s.Type, "CVSS") {
					adv.CVSSVector = s.Score
				}
			}
			out = append(out, adv)
		}
	}
	return out, nil
}

// osvNumericID gives npm's numeric advisory id a stable value per record
// and package (within JavaScript's safe integer range).
func osvNumericID(s string) int64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return int64(h.Sum64() & (1<<53 - 1))
}

func osvSeverity(r osvRecord) string {
	if strings.HasPrefix(r.ID, "MAL-") {
		return "critical"
	}
	switch strings.ToLower(r.DatabaseSpecific.Severity) {
	case "critical":
		return "critical"
	case "high":
		return "high"
	case "moderate", "medium":
		return "moderate"
	case "low":
		return "low"
	}
	return "moderate"
}

// osvRange turns OSV SEMVER/ECOSYSTEM events and version lists into a
// node-semver range.
func osvRange(ranges []struct {
	Type   string              `json:"type"`
	Events []map[string]string `json:"events"`
}, versions []string) (string, error) {
	var parts []string
	for _, rg := range ranges {
		if rg.Type != "SEMVER" && rg.Type != "ECOSYSTEM" {
			continue
		}
		lo := ""
		open := false
		for _, ev := range rg.Events {
			switch {
			case ev["introduced"] != "":
				lo, open = ev["introduced"], true
			case ev["fixed"] != "" && open:
				parts = append(parts, bound(lo)+"<"+ev["fixed"])
				open = false
			case ev["last_affected"] != "" && open:
				parts = append(parts, bound(lo)+"<="+ev["last_affected"])
				open = false
			}
		}
		if open {
			if lo == "0" {
				parts = append(parts, "*")
			} else {
				parts = append(parts, ">="+lo)
			}
		}
	}
	for _, v := range versions {
		if !containsString(parts, v) {
			parts = append(parts, v)
		}
	}
	if len(parts) == 0 {
		return "", fmt.Errorf("no affected versions or ranges")
	}
	rng := strings.Join(parts, " || ")
	if _, err := semver.ParseRange(rng); err != nil {
		return "", fmt.Errorf("range %q: %w", rng, err)
	}
	return rng, nil
}

func bound(lo string) string {
	if lo == "0" {
		return ""
	}
	return ">=" + lo + " "
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ImportOSV stores the advisories of OSV data and returns how many.
func (s *Service) ImportOSV(ctx context.Context, data []byte) (int, error) {
	advs, err := ParseOSV(data)
	if err != nil {
		return 0, errorf(KindInvalid, "%v", err)
	}
	for _, a := range advs {
		if err := s.meta.PutAdvisory(ctx, a); err != nil {
			return 0, err
		}
	}
	return len(advs), nil
}
