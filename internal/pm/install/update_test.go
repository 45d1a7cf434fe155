package install

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"gnode/internal/pm/lockfile"
	"gnode/internal/pm/manifest"
)

func TestUnlocked(t *testing.T) {
	pref := map[string][]string{"a": {"1.0.0"}, "b": {"2.0.0", "1.0.0"}, "c": {"3.0.0"}}
	for _, tc := range []struct {
		name string
		o    Options
		want map[string][]string
	}{
		{"install keeps every lock entry", Options{}, pref},
		{"update all forgets the lockfile", Options{UpdateAll: true}, nil},
		{"named update drops those names", Options{Update: []string{"b", "nothere"}}, map[string][]string{"a": {"1.0.0"}, "c": {"3.0.0"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.o.unlocked(pref); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			if tc.o.updating() != (tc.o.UpdateAll || len(tc.o.Update) > 0) {
				t.Errorf("updating() is wrong")
			}
		})
	}
	if len(pref) != 3 || len(pref["b"]) != 2 {
		t.Errorf("unlocked modified its input: %v", pref)
	}
}

func TestDiffInstalled(t *testing.T) {
	before := map[string]string{"node_modules/a": "sha-a1", "node_modules/b": "sha-b1", "node_modules/gone": "x"}
	after := map[string]string{"node_modules/a": "sha-a2", "node_modules/b": "sha-b1", "node_modules/new": "y", "node_modules/a/node_modules/c": "z"}
	a, r, c := diffInstalled(before, after)
	if a != 2 || r != 1 || c != 1 {
		t.Errorf("added %d removed %d changed %d, want 2 1 1", a, r, c)
	}
}

// TestSaveRanges follows npm's update --save rules for each kind of spec.
func TestSaveRanges(t *testing.T) {
	lock := `{"name":"app","lockfileVersion":3,"requires":true,"packages":{
"":{"name":"app"},
"node_modules/caret":{"version":"1.4.0"},
"node_modules/tilde":{"version":"1.0.7"},
"node_modules/tilde-wide":{"version":"1.2.0"},
"node_modules/star":{"version":"2.1.0"},
"node_modules/tag":{"version":"3.0.0"},
"node_modules/exact":{"version":"1.0.1"},
"node_modules/alias":{"name":"real","version":"4.1.0"},
"node_modules/dev":{"version":"5.5.0"},
"node_modules/pinnedby":{"version":"6.1.0"},
"node_modules/x":{"version":"1.0.0","dependencies":{"pinnedby":"6.1.0"}},
"node_modules/local":{"resolved":"pkgs/local","link":true},
"node_modules/range":{"version":"1.1.0"}
}}`
	pkg := `{
  "name": "app",
  "dependencies": {
    "caret": "^1.0.0",
    "tilde": "~1.0.0",
    "tilde-wide": "~1",
    "star": "*",
    "tag": "latest",
    "exact": "1.0.0",
    "alias": "npm:real@^4.0.0",
    "pinnedby": "^6.0.0",
    "local": "file:pkgs/local",
    "range": ">=1.0.0 <1.2.0",
    "x": "^1.0.0"
  },
  "devDependencies": {
    "dev": "^5.0.0"
  },
  "peerDependencies": {
    "dev": "^5.0.0"
  }
}
`
	want := map[string]string{
		"caret": "^1.4.0", "tilde": "~1.0.0", "tilde-wide": "^1.2.0", "star": "^2.1.0", "tag": "^3.0.0",
		"exact": "1.0.0", "alias": "npm:real@^4.1.0", "pinnedby": "^6.0.0", "local": "file:pkgs/local",
		"range": ">=1.0.0 <1.2.0", "x": "^1.0.0",
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(pkg), 0o644)
	os.WriteFile(filepath.Join(dir, "package-lock.json"), []byte(lock), 0o644)
	changed, err := SaveUpdatedRanges(dir, nil, "^")
	if err != nil || !changed {
		t.Fatalf("SaveUpdatedRanges: %v %v", changed, err)
	}
	m, err := manifest.Read(filepath.Join(dir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m.Dependencies, want) {
		t.Errorf("dependencies\n got %v\nwant %v", m.Dependencies, want)
	}
	if m.DevDependencies["dev"] != "^5.5.0" || m.PeerDependencies["dev"] != "^5.0.0" {
		t.Errorf("dev %q peer %q, want ^5.5.0 and the intersecting peer range kept", m.DevDependencies["dev"], m.PeerDependencies["dev"])
	}

	// Names limit the edit; an exact prefix saves bare versions.
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(pkg), 0o644)
	if _, err := SaveUpdatedRanges(dir, []string{"caret"}, ""); err != nil {
		t.Fatal(err)
	}
	m, _ = manifest.Read(filepath.Join(dir, "package.json"))
	if m.Dependencies["caret"] != "1.4.0" || m.Dependencies["star"] != "*" {
		t.Errorf("named save-exact: caret %q star %q", m.Dependencies["caret"], m.Dependencies["star"])
	}
	if _, err := lockfile.Read(filepath.Join(dir, "package-lock.json")); err != nil {
		t.Fatal(err)
	}
}

// TestDiffLockfilesOrder: npm's reify order (new siblings first, then the
// installed ones last to first, each change before its nested ones), a
// removed package's nested packages removed too, and packages inside a
// linked folder reported with the project's.
func TestDiffLockfilesOrder(t *testing.T) {
	have, err := lockfile.Decode([]byte(`{"lockfileVersion":3,"packages":{"":{},
"node_modules/a":{"version":"1.0.0","integrity":"a1"},
"node_modules/b":{"version":"1.0.0","integrity":"b1"},
"node_modules/b/node_modules/c":{"version":"1.0.0","integrity":"c1"},
"node_modules/gone":{"version":"1.0.0","integrity":"g1"},
"node_modules/gone/node_modules/x":{"version":"1.0.0","integrity":"x1"},
"packages/w/node_modules/y":{"version":"1.0.0","integrity":"y1"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	want, err := lockfile.Decode([]byte(`{"lockfileVersion":3,"packages":{"":{},
"node_modules/a":{"version":"1.1.0","integrity":"a2"},
"node_modules/b":{"version":"1.0.0","integrity":"b1"},
"node_modules/b/node_modules/c":{"version":"1.2.0","integrity":"c2"},
"node_modules/b/node_modules/d":{"version":"1.0.0","integrity":"d1"},
"node_modules/new":{"version":"3.0.0","integrity":"n1"},
"packages/w/node_modules/y":{"version":"2.0.0","integrity":"y2"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range diffLockfiles(have, want) {
		got = append(got, c.Action+" "+c.Location+" "+c.From+">"+c.To)
	}
	exp := []string{
		"add node_modules/new >3.0.0",
		"change packages/w/node_modules/y 1.0.0>2.0.0",
		"remove node_modules/gone 1.0.0>",
		"remove node_modules/gone/node_modules/x 1.0.0>",
		"add node_modules/b/node_modules/d >1.0.0",
		"change node_modules/b/node_modules/c 1.0.0>1.2.0",
		"change node_modules/a 1.0.0>1.1.0",
	}
	if !reflect.DeepEqual(got, exp) {
		t.Errorf("got\n%v\nwant\n%v", got, exp)
	}
}
