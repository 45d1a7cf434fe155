package tree

import (
	"regexp"
	"testing"
)

// TestIsTag: the hand-written check accepts what the dist-tag pattern does.
func TestIsTag(t *testing.T) {
	re := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	for _, s := range []string{"", "latest", "next", "v1.2", "beta_2", "a-b", "-x", ".x", "_x", "x y", "x/y", "x@1", "X9", "ünï", "x\n", "1.2.3", "x+y", "github:a/b", "git+ssh"} {
		if got, want := isTag(s), re.MatchString(s); got != want {
			t.Errorf("isTag(%q) = %v, want %v", s, got, want)
		}
	}
}
