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

// TestUtcSecondBefore: the shortcut says "old enough" only for times the
// full check also finds old enough.
func TestUtcSecondBefore(t *testing.T) {
	cutoff := "2026-11-24T12:00:00"
	cases := []struct {
		t    string
		want bool
	}{
		{"2026-11-24T11:59:59Z", true},
		{"2026-11-24T11:59:59.999Z", true},
		{"2026-11-24T11:59:59.999999+00:00", true},
		{"2011-10-04T16:45:50.602Z", true},
		{"2026-11-24T12:00:00Z", false},   // the cutoff's second: parsed
		{"2026-11-24T12:00:00.1Z", false}, // after it
		{"2026-11-25T00:00:00Z", false},
		{"2026-11-24T11:59:59+01:00", false}, // another offset: parsed
		{"2026-11-24T11:59:59", false},
		{"2026-11-24 11:59:59Z", false},
		{"2026-11-24T11:59:59.Z", false},
		{"2026-11-24T11:59:59.9aZ", false},
		{"2026-1x-24T11:59:59Z", false},
		{"1Z", false},
		{"", false},
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	pol := &ReleaseAgePolicy{MinimumAge: 24 * time.Hour}
	if got := now.Add(-pol.MinimumAge).Format("2006-01-02T15:04:05"); got != cutoff {
		t.Fatalf("cutoff %s", got)
	}
	for _, c := range cases {
		got := utcSecondBefore(c.t, cutoff)
		if got != c.want {
			t.Errorf("%q: %v, want %v", c.t, got, c.want)
		}
		if got {
			pub, err := packument.ParseTime(c.t)
			if err != nil || !pol.Check("a", "1", pub, now).OK {
				t.Errorf("%q: the shortcut passes a time the full check does not (%v)", c.t, err)
			}
		}
	}
}

// TestFilterLazy: a lazily decoded packument filters as the eager one does,
// and FilterCopy leaves the original alone and copies only when it must.
func TestFilterLazy(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	doc := []byte(`{"name":"http-kit","dist-tags":{"latest":"1.0.1","next":"2.0.0-rc.1"},
	  "time":{"1.0.0":"2026-10-01T00:00:00.000000+00:00","1.0.1":"2026-11-25T11:00:00.000Z","2.0.0-rc.1":"2026-11-25T10:00:00Z","0.9.0":"2025-01-01T00:00:00.123456789+00:00"},
	  "versions":{"1.0.0":{},"1.0.1":{},"2.0.0-rc.1":{},"0.9.0":{}}}`)
	pol := &ReleaseAgePolicy{MinimumAge: 24 * time.Hour}
	for _, dec := range []func([]byte) (*packument.Packument, error){packument.DecodeForInstall, packument.DecodeLazy} {
		p, err := dec(doc)
		if err != nil {
			t.Fatal(err)
		}
		cp, res := FilterCopy(p, pol, now)
		if cp == p || len(res.Passed) != 2 || cp.HasVersion("1.0.1") || !cp.HasVersion("1.0.0") || cp.DistTags["latest"] != "1.0.0" {
			t.Errorf("filtered: %+v latest %s", res, cp.DistTags["latest"])
		}
		if p.NumVersions() != 4 || p.DistTags["latest"] != "1.0.1" {
			t.Errorf("the original changed")
		}
		cp.RestoreVersion(p, "1.0.1")
		if !cp.HasVersion("1.0.1") || cp.Manifest("1.0.1") != p.Manifest("1.0.1") {
			t.Errorf("RestoreVersion")
		}
		if same, res := FilterCopy(p, &ReleaseAgePolicy{MinimumAge: time.Minute}, now); same != p || len(res.Passed) != 0 {
			t.Errorf("nothing to remove, yet copied: %+v", res)
		}
	}
}
