package install

import (
	"testing"

	"gnode/internal/pm/lockfile"
)

const prefetchLock = `{
  "name": "x",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {"name": "x", "dependencies": {"a": "^1.0.0"}},
    "node_modules/a": {
      "version": "1.0.0",
      "resolved": "https://r.example/a/-/a-1.0.0.tgz",
      "integrity": "sha512-AAAA",
      "description": "says \"integrity\": \"not-this\""
    },
    "node_modules/b": {"version": "2.0.0", "integrity"  :
      "sha512-BBBB"},
    "node_modules/c": {"version": "3.0.0", "integrity": "sha1-\u0041CCC"},
    "node_modules/d": {"version": "4.0.0", "integrity": "sha512-DDDD sha1-EEEE"},
    "node_modules/l": {"resolved": "../l", "link": true}
  }
}`

// TestIntegritiesIn: every integrity of the decoded lockfile written
// without an escape is yielded, in order; one with an escape is passed
// over (its lookup is the fetch phase's); yield can stop the scan.
func TestIntegritiesIn(t *testing.T) {
	var got []string
	integritiesIn([]byte(prefetchLock), func(s string) bool { got = append(got, s); return true })
	want := []string{"sha512-AAAA", "sha512-BBBB", "sha512-DDDD sha1-EEEE"}
	if len(got) != len(want) {
		t.Fatalf("integritiesIn = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("integritiesIn = %q, want %q", got, want)
		}
	}
	lf, err := lockfile.Decode([]byte(prefetchLock))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, s := range got {
		seen[s] = true
	}
	for loc, p := range lf.Packages {
		if p.Integrity != "" && p.Integrity != "sha1-ACCC" && !seen[p.Integrity] {
			t.Errorf("%s: integrity %q not yielded", loc, p.Integrity)
		}
	}
	n := 0
	integritiesIn([]byte(prefetchLock), func(string) bool { n++; return false })
	if n != 1 {
		t.Errorf("yield returning false: %d calls, want 1", n)
	}
	for _, s := range []string{``, `"integrity"`, `"integrity":`, `"integrity": "unterminated`, `"integrity" x "y"`} {
		integritiesIn([]byte(s), func(v string) bool { t.Errorf("%q yielded %q", s, v); return true })
	}
}
