package qjs

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// memCache is a ModuleLoader with an in-memory module bytecode cache.
type memCache struct {
	mapLoader
	store  map[string][]byte
	hits   int
	stores int
}

func (c *memCache) ModuleCacheKey(name string, src []byte) string {
	return name + "\x00" + string(src)
}

func (c *memCache) CachedModule(key string) ([]byte, func(), bool) {
	b, ok := c.store[key]
	if ok {
		c.hits++
	}
	return b, func() {}, ok
}

func (c *memCache) StoreModule(key string, write func(io.Writer) error) {
	var b bytes.Buffer
	if write(&b) == nil {
		c.store[key] = b.Bytes()
		c.stores++
	}
}

var modCacheFiles = map[string]string{
	"/m/main.mjs": "import { x, boom } from './dep.mjs';\nlet where = '';\ntry { boom() } catch (e) { where = e.stack.trim().split('\\n').map((l) => l.trim()).join(' | ') }\nglobalThis.out = [x, import.meta.url, where, (await import('./dep.mjs')).x].join(' ');",
	"/m/dep.mjs":  "export const x = 'dep:' + import.meta.url;\nexport function boom() {\n  throw new Error('b');\n}\n",
}

// runModCache runs /m/main.mjs in a fresh VM with loader l and returns out.
func runModCache(t *testing.T, l ModuleLoader) string {
	t.Helper()
	vm := newVM(t)
	defer closeVM(t, vm)
	vm.SetModuleLoader(l)
	p, err := vm.LoadModule("", "/m/main.mjs")
	if err != nil {
		t.Fatal(err)
	}
	if err := vm.RunJobs(); err != nil {
		t.Fatal(err)
	}
	if s := vm.PromiseState(p); s != PromiseFulfilled {
		r := vm.PromiseResult(p)
		t.Fatalf("module promise state %d: %s", s, vm.Str(r))
	}
	vm.Free(p)
	return evalString(t, vm, "out")
}

func TestModuleCache(t *testing.T) {
	want := runModCache(t, mapLoader(modCacheFiles))
	// The frames' columns are the engine's; the lines are the sources'.
	if !strings.Contains(want, "at boom (/m/dep.mjs:3:") || !strings.Contains(want, "(/m/main.mjs:3:") || !strings.HasPrefix(want, "dep:file:///m/dep.mjs file:///m/main.mjs ") {
		t.Fatalf("uncached: %q", want)
	}
	c := &memCache{mapLoader: mapLoader(modCacheFiles), store: map[string][]byte{}}
	if got := runModCache(t, c); got != want || c.stores != 2 || c.hits != 0 {
		t.Fatalf("cold: %q (stores %d hits %d), want %q", got, c.stores, c.hits, want)
	}
	if got := runModCache(t, c); got != want || c.stores != 2 || c.hits != 2 {
		t.Fatalf("warm: %q (stores %d hits %d), want %q", got, c.stores, c.hits, want)
	}
}

func TestModuleCacheBadEntries(t *testing.T) {
	vm := newVM(t)
	script, err := vm.Compile("(function () { return 1 })", "/m/x.js", Script)
	closeVM(t, vm)
	if err != nil {
		t.Fatal(err)
	}
	want := runModCache(t, mapLoader(modCacheFiles))
	for name, bad := range map[string][]byte{
		"empty":           {},
		"garbage":         {0xff, 0x00, 0x13, 0x37},
		"script bytecode": script, // not a module: must not be used as one
	} {
		t.Run(name, func(t *testing.T) {
			c := &memCache{mapLoader: mapLoader(modCacheFiles), store: map[string][]byte{}}
			for n, src := range modCacheFiles {
				c.store[c.ModuleCacheKey(n, []byte(src))] = bad
			}
			if got := runModCache(t, c); got != want || c.hits != 2 || c.stores != 2 {
				t.Fatalf("got %q (hits %d stores %d), want %q", got, c.hits, c.stores, want)
			}
		})
	}
}
