package install

import (
	"bytes"
	"math/rand"
	"os"
	"testing"

	"gnode/internal/pm/lockfile"
	"gnode/internal/pm/manifest"
	"gnode/internal/pm/tree"
)

// TestHiddenFromCanonical: cutting the hidden lockfile out of the full
// lockfile's encoding gives exactly what encoding the hidden lockfile
// gives, for random sets of packages left out, several indents and an
// entry with no fields; shapes the encoder does not write are refused.
func TestHiddenFromCanonical(t *testing.T) {
	data, err := os.ReadFile("../lockfile/testdata/express-app.package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	base, err := lockfile.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	base.Packages["node_modules/zz-empty"] = &lockfile.Package{}
	var locs []string
	for loc := range base.Packages {
		if loc != "" {
			locs = append(locs, loc)
		}
	}
	rng := rand.New(rand.NewSource(1))
	for _, indent := range []string{"  ", "\t", "    "} {
		for round := 0; round < 40; round++ {
			skip := map[string]bool{}
			switch round {
			case 0: // nothing left out
			case 1: // all but one left out
				for _, l := range locs[1:] {
					skip[l] = true
				}
			default:
				for _, l := range locs {
					if rng.Intn(4) == 0 {
						skip[l] = true
					}
				}
			}
			full := *base
			full.Indent = indent
			raw := full.Encode(false)
			hidden := full
			hidden.Packages = map[string]*lockfile.Package{}
			for loc, p := range base.Packages {
				if !skip[loc] {
					hidden.Packages[loc] = p
				}
			}
			want := hidden.Encode(true)
			got, ok := hiddenFromCanonical(raw, indent, skip, len(hidden.Packages)-1)
			if !ok {
				t.Fatalf("indent %q round %d: refused", indent, round)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("indent %q round %d: differs\n got %.300s\nwant %.300s", indent, round, got, want)
			}
			// A wrong count, another indent or CRLF newlines are refused.
			if _, ok := hiddenFromCanonical(raw, indent, skip, len(hidden.Packages)); ok {
				t.Fatalf("round %d: a wrong count was accepted", round)
			}
			if _, ok := hiddenFromCanonical(raw, indent+" ", skip, len(hidden.Packages)-1); ok {
				t.Fatalf("round %d: another indent was accepted", round)
			}
			if _, ok := hiddenFromCanonical(bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n")), indent, skip, len(hidden.Packages)-1); ok {
				t.Fatalf("round %d: CRLF was accepted", round)
			}
		}
	}
	// Every location left out: the hidden lockfile is encoded instead.
	raw := base.Encode(false)
	all := map[string]bool{}
	for _, l := range locs {
		all[l] = true
	}
	if _, ok := hiddenFromCanonical(raw, "  ", all, 0); ok {
		t.Fatal("an empty packages object was cut")
	}
	// A key with an escape is refused.
	esc := *base
	esc.Packages = map[string]*lockfile.Package{"": base.Packages[""], "node_modules/a\"b": {Version: "1.0.0"}}
	if _, ok := hiddenFromCanonical(esc.Encode(false), "  ", nil, 1); ok {
		t.Fatal("a key with an escape was cut")
	}
}

// TestWalkAnyVisitsWhatWalkVisits: the same nodes, each once, including
// a workspace folder's subtree.
func TestWalkAnyVisitsWhatWalkVisits(t *testing.T) {
	data, err := os.ReadFile("../lockfile/testdata/express-app.package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	lf, err := lockfile.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	lf.Packages["packages/w"] = &lockfile.Package{Name: "w", Version: "1.0.0"}
	lf.Packages["packages/w/node_modules/x"] = &lockfile.Package{Version: "1.0.0"}
	lf.Packages["node_modules/w"] = &lockfile.Package{Resolved: "packages/w", Link: true}
	m, err := manifest.Parse("package.json", []byte(`{"name":"app","dependencies":{"express":"*"}}`))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := tree.FromLockfile(lf, m, tree.Platform{OS: "linux", CPU: "x64"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[*tree.Node]int{}
	tr.Walk(func(n *tree.Node) { want[n]++ })
	got := map[*tree.Node]int{}
	walkAny(tr, func(n *tree.Node) { got[n]++ })
	if len(want) < 100 || len(got) != len(want) {
		t.Fatalf("walkAny visited %d nodes, Walk %d", len(got), len(want))
	}
	for n, c := range want {
		if got[n] != c {
			t.Fatalf("%s visited %d times by walkAny, %d by Walk", n.Location(), got[n], c)
		}
	}
}
