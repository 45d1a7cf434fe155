package startup

import (
	"os"
	"testing"
)

// TestMemProfileRate: sampling is off unless a heap profile was asked for
// (the variable set, even empty) or GODEBUG sets the rate.
func TestMemProfileRate(t *testing.T) {
	cases := []struct {
		name          string
		heapSet       bool
		heap, godebug string
		want          int
	}{
		{"default", false, "", "", 0},
		{"heap profile asked", true, "/tmp/heap.prof", "", 512 * 1024},
		{"heap profile variable empty", true, "", "", 512 * 1024},
		{"godebug rate", false, "", "gctrace=0,memprofilerate=1", 512 * 1024},
		{"other godebug", false, "", "gctrace=0", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("GODEBUG", c.godebug)
			t.Setenv("GNODE_INSTALL_HEAPPROFILE", c.heap) // restored after the test
			if !c.heapSet {
				os.Unsetenv("GNODE_INSTALL_HEAPPROFILE")
			}
			if got := memProfileRate(512 * 1024); got != c.want {
				t.Errorf("memProfileRate = %d, want %d", got, c.want)
			}
		})
	}
}

func TestContains(t *testing.T) {
	for _, c := range []struct {
		s, sub string
		want   bool
	}{{"", "", true}, {"a", "", true}, {"", "a", false}, {"abc", "bc", true}, {"abc", "bd", false}, {"ab", "abc", false}} {
		if got := contains(c.s, c.sub); got != c.want {
			t.Errorf("contains(%q, %q) = %v", c.s, c.sub, got)
		}
	}
}
