package trust

import (
	"testing"
	"time"

	"gnode/internal/npm/packument"
)

func TestFilterPackument(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	mk := func() *packument.Packument {
		return &packument.Packument{
			Name:     "http-kit",
			DistTags: map[string]string{"latest": "1.0.1", "next": "2.0.0-rc.1"},
			Versions: map[string]*packument.Manifest{"1.0.0": {Version: "1.0.0"}, "1.0.1": {Version: "1.0.1"}, "2.0.0-rc.1": {Version: "2.0.0-rc.1"}, "0.9.0": {Version: "0.9.0"}},
			Time: map[string]string{
				"1.0.0":      "2026-10-01T00:00:00.000000+00:00",    // the mirror's format
				"1.0.1":      "2026-11-25T11:00:00.000Z",            // an hour old
				"2.0.0-rc.1": "2026-11-25T10:00:00Z",                // two hours old
				"0.9.0":      "2025-01-01T00:00:00.123456789+00:00", // old
			},
		}
	}
	p := mk()
	res := FilterPackument(p, &ReleaseAgePolicy{MinimumAge: 24 * time.Hour}, now)
	if len(res.Passed) != 2 || p.Versions["1.0.1"] != nil || p.Versions["2.0.0-rc.1"] != nil || p.Versions["1.0.0"] == nil {
		t.Fatalf("filter: %+v, versions %v", res, p.Versions)
	}
	if p.DistTags["latest"] != "1.0.0" || p.DistTags["next"] != "" {
		t.Errorf("dist-tags after filter: %v", p.DistTags)
	}
	msgs := Explain(res.Passed, map[string][]string{"http-kit": {"1.0.0"}})
	if len(msgs) != 1 || msgs[0] != "http-kit@1.0.1 was passed over (published 1h ago, minimum release age is 1d); installed 1.0.0" {
		t.Errorf("explain: %q", msgs)
	}
	// Override and exclude.
	p = mk()
	res = FilterPackument(p, &ReleaseAgePolicy{MinimumAge: 24 * time.Hour, Allow: []string{"http-kit@1.0.1"}}, now)
	if p.Versions["1.0.1"] == nil || len(res.Overridden) != 1 || p.DistTags["latest"] != "1.0.1" {
		t.Errorf("override: %+v %v", res, p.DistTags)
	}
	p = mk()
	if res := FilterPackument(p, &ReleaseAgePolicy{MinimumAge: 24 * time.Hour, Exclude: []string{"http-*"}}, now); len(res.Passed) != 0 {
		t.Errorf("excluded package filtered: %+v", res)
	}
	p = mk()
	if res := FilterPackument(p, &ReleaseAgePolicy{MinimumAge: 0}, now); len(res.Passed) != 0 || len(p.Versions) != 4 {
		t.Errorf("0s filtered something")
	}
}
