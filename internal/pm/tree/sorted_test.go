package tree

import (
	"testing"

	"gnode/internal/npm/packument"
)

// TestSortedCache: cached sorted versions are the sorted versions of that
// packument, computed once per packument.
func TestSortedCache(t *testing.T) {
	a, b := memSource{}, memSource{}
	for _, v := range []string{"1.10.0", "1.2.0", "2.0.0-rc.1", "2.0.0", "0.9.9"} {
		a.add("a@"+v, nil)
	}
	b.add("a@3.0.0", nil)
	var c sortedCache
	for _, p := range []*packument.Packument{a["a"], b["a"], a["a"]} {
		got := c.sorted(p)
		want := sortedVersions(p)
		if len(got) != len(want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		for i := range got {
			if got[i].String() != want[i].String() {
				t.Fatalf("got %v, want %v", got, want)
			}
		}
	}
	if len(c.m) != 2 {
		t.Errorf("%d packuments cached, want 2", len(c.m))
	}
	if s1, s2 := c.sorted(a["a"]), c.sorted(a["a"]); &s1[0] != &s2[0] {
		t.Errorf("sorted again instead of cached")
	}
}
