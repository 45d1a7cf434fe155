package tree

import (
	"context"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gnode/internal/npm/packument"
	"gnode/internal/pm/manifest"
)

// TestOnSpeculated checks which versions are reported for early download:
// every package the tree places from a regular dependency, once each, and
// never a peer, anything reached only through a peer, a package for
// another platform, or anything when overrides are set.
func TestOnSpeculated(t *testing.T) {
	src := memSource{}
	src.add("a@1.0.0", func(m *packument.Manifest) {
		m.Dependencies = deps("b", "^2.0.0", "shared", "^1.0.0")
		m.PeerDependencies = deps("p", ">=1")
		m.OptionalDependencies = deps("mac-only", "^1.0.0")
	})
	src.add("a@1.1.0", func(m *packument.Manifest) {
		m.Dependencies = deps("b", "^2.0.0", "shared", "^1.0.0")
		m.PeerDependencies = deps("p", ">=1", "q", "^1.0.0")
		m.PeerDependenciesMeta = map[string]packument.PeerDependencyMeta{"q": {Optional: true}}
		m.OptionalDependencies = deps("mac-only", "^1.0.0")
	})
	src.add("b@2.0.0", func(m *packument.Manifest) { m.Dependencies = deps("shared", "^1.0.0") })
	src.add("b@2.3.0", func(m *packument.Manifest) { m.Dependencies = deps("shared", "^1.0.0") })
	src.add("shared@1.0.0", nil)
	src.add("shared@1.2.0", nil)
	src.add("p@1.0.0", nil)
	src.add("p@2.0.0", func(m *packument.Manifest) { m.Dependencies = deps("p-dep", "^1.0.0") })
	src.add("p-dep@1.0.0", nil)
	src.add("q@1.0.0", nil)
	src.add("mac-only@1.0.0", func(m *packument.Manifest) { m.OS = []string{"darwin"} })
	src.add("c@1.0.0", func(m *packument.Manifest) { m.Dependencies = deps("shared", "^1.0.0") })

	cases := []struct {
		name, pkg string
		want      []string
		placed    bool // every placed package outside peers was told
	}{
		{
			name:   "dependencies, not peers nor other platforms",
			pkg:    `{"dependencies":{"a":"^1.0.0","c":"1.0.0","p":"^1.0.0"}}`,
			want:   []string{"a@1.1.0", "b@2.3.0", "c@1.0.0", "p@1.0.0", "shared@1.2.0"},
			placed: true,
		},
		{
			// The project's peer is installed (npm 7+), but only once
			// placed: what it needs is then fetched like anything placed.
			name: "a peer of the project is not downloaded early",
			pkg:  `{"peerDependencies":{"p":"^2.0.0"},"dependencies":{"c":"^1.0.0"}}`,
			want: []string{"c@1.0.0", "p-dep@1.0.0", "shared@1.2.0"},
		},
		{
			name: "overrides turn it off",
			pkg:  `{"dependencies":{"a":"^1.0.0"},"overrides":{"shared":"1.0.0"}}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := manifest.Parse("package.json", []byte(tc.pkg))
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			count := map[string]int{}
			tr, err := Build(context.Background(), m, Options{
				Source: src, Platform: Platform{OS: "linux", CPU: "x64", Libc: "glibc"}, NodeVersion: "v22.12.0", Concurrency: 4,
				OnSpeculated: func(n *Node) {
					if n.Integrity == "" || n.Resolved == "" || n.Manifest == nil || n.Parent != nil {
						t.Errorf("speculated %s without integrity, URL or manifest, or attached", n.ID())
					}
					mu.Lock()
					count[n.ID()]++
					mu.Unlock()
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			var got []string
			for id, c := range count {
				got = append(got, id)
				if c != 1 {
					t.Errorf("%s told %d times", id, c)
				}
			}
			sort.Strings(got)
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("speculated %v, want %v", got, tc.want)
			}
			if tc.placed {
				tr.Walk(func(n *Node) {
					if !n.IsRoot() && !n.Peer && count[n.ID()] == 0 && n.Manifest != nil && len(n.Manifest.OS) == 0 {
						t.Errorf("%s placed but never told", n.ID())
					}
				})
			}
		})
	}
}

// gatedSource serves "z" only after "a" was served.
type gatedSource struct {
	memSource
	aServed chan struct{}
	once    sync.Once
}

func (s *gatedSource) Packument(ctx context.Context, name string) (*packument.Packument, error) {
	if name == "z" {
		select {
		case <-s.aServed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	p, err := s.memSource.Packument(ctx, name)
	if name == "a" {
		s.once.Do(func() { close(s.aServed) })
	}
	return p, err
}

// TestWaitedPackumentNotQueued: with one slot for speculative fetches,
// taken by a fetch that cannot finish before the packument the resolver
// waits on, the resolver's packument still gets a slot of its own. Without
// the reserved slots, whenever z's fetch takes the slot first the build
// can never finish.
func TestWaitedPackumentNotQueued(t *testing.T) {
	for i := 0; i < 50; i++ {
		src := &gatedSource{memSource: memSource{}, aServed: make(chan struct{})}
		src.add("a@1.0.0", nil)
		src.add("z@1.0.0", nil)
		m, err := manifest.Parse("package.json", []byte(`{"dependencies":{"a":"1.0.0","z":"1.0.0"}}`))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		tr, err := Build(ctx, m, Options{Source: src, Platform: Platform{OS: "linux", CPU: "x64", Libc: "glibc"}, Concurrency: 1})
		cancel()
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		if got := layout(tr); got != "node_modules/a a@1.0.0\nnode_modules/z z@1.0.0" {
			t.Fatalf("run %d: tree\n%s", i, got)
		}
	}
}

// recordingSource is a memSource that records the names asked for.
type recordingSource struct {
	memSource
	mu    sync.Mutex
	asked map[string]bool
}

func (s *recordingSource) Packument(ctx context.Context, name string) (*packument.Packument, error) {
	s.mu.Lock()
	s.asked[name] = true
	s.mu.Unlock()
	return s.memSource.Packument(ctx, name)
}

// TestPeerRangesAreLeaves: speculation reads the packument of a peer's
// range but not the dependencies of the version that range picks, since
// the tree usually meets the peer otherwise, only its peers (placing a
// peer set checks them); a peer the tree does place still gets its
// dependencies, and the tree is the same.
func TestPeerRangesAreLeaves(t *testing.T) {
	src := &recordingSource{memSource: memSource{}, asked: map[string]bool{}}
	src.add("a@1.0.0", func(m *packument.Manifest) {
		m.PeerDependencies = deps("p", ">=1", "q", "^1.0.0", "o", "^1.0.0")
		m.PeerDependenciesMeta = map[string]packument.PeerDependencyMeta{"o": {Optional: true}}
	})
	src.add("p@1.0.0", nil)
	src.add("p@2.0.0", func(m *packument.Manifest) { // >=1 picks it; the project's p@1 meets the peer
		m.Dependencies = deps("p-dep", "^1.0.0")
		m.PeerDependencies = deps("pp", "^1.0.0")
	})
	src.add("pp@1.0.0", func(m *packument.Manifest) { m.Dependencies = deps("pp-dep", "^1.0.0") })
	src.add("pp-dep@1.0.0", nil)
	src.add("p-dep@1.0.0", nil)
	src.add("q@1.0.0", func(m *packument.Manifest) { m.Dependencies = deps("q-dep", "^1.0.0") }) // placed as a's peer
	src.add("q-dep@1.0.0", nil)
	src.add("o@1.0.0", func(m *packument.Manifest) { m.Dependencies = deps("o-dep", "^1.0.0") }) // optional: not placed
	src.add("o-dep@1.0.0", nil)
	m, err := manifest.Parse("package.json", []byte(`{"dependencies":{"a":"^1.0.0","p":"^1.0.0"}}`))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := Build(context.Background(), m, Options{Source: src, Platform: Platform{OS: "linux", CPU: "x64", Libc: "glibc"}, Concurrency: 8})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := layout(tr), "node_modules/a a@1.0.0\nnode_modules/p p@1.0.0\nnode_modules/q q@1.0.0 peer\nnode_modules/q-dep q-dep@1.0.0 peer"; got != want {
		t.Fatalf("tree\n%s\nwant\n%s", got, want)
	}
	src.mu.Lock()
	defer src.mu.Unlock()
	for _, name := range []string{"p-dep", "o-dep", "pp-dep"} {
		if src.asked[name] {
			t.Errorf("%s was fetched: speculation followed a peer's range", name)
		}
	}
	if !src.asked["q-dep"] {
		t.Error("q-dep was not fetched, yet q is placed")
	}
}

// TestLeafRangeSpeculatedAgain: a range first seen as a peer's (a leaf)
// prefetches the peers of the version it picks but not its dependencies,
// and is speculated on fully when it is seen again as a regular
// dependency's.
func TestLeafRangeSpeculatedAgain(t *testing.T) {
	src := &recordingSource{memSource: memSource{}, asked: map[string]bool{}}
	src.add("p@1.0.0", func(m *packument.Manifest) {
		m.Dependencies = deps("p-dep", "^1.0.0")
		m.PeerDependencies = deps("pp", "^1.0.0")
	})
	src.add("p-dep@1.0.0", nil)
	src.add("pp@1.0.0", nil)
	f := newFetcher(context.Background(), Options{Source: src, Concurrency: 4}, false)
	ds, err := parseDepSpec("p", "^1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	f.prefetchAs("p", ds, false, true, 1)
	if _, err := f.wait("p"); err != nil {
		t.Fatal(err)
	}
	// The speculation on p's pick runs after p is handed out: wait for
	// its peer, prefetched in the same pass after the dependencies.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		f.mu.Lock()
		_, pp := f.items["pp"]
		f.mu.Unlock()
		if pp {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a leaf range's peer was not prefetched")
		}
	}
	f.prefetchAs("p", ds, false, true, 1) // the same leaf again: nothing new
	f.mu.Lock()
	_, started := f.items["p-dep"]
	f.mu.Unlock()
	if started {
		t.Fatal("a leaf range's dependencies were prefetched")
	}
	f.prefetchAs("p", ds, false, false, 1)
	f.mu.Lock()
	_, started = f.items["p-dep"]
	f.mu.Unlock()
	if !started {
		t.Fatal("the range seen again as a regular dependency's did not prefetch p-dep")
	}
	if _, err := f.wait("p-dep"); err != nil {
		t.Fatal(err)
	}
}
