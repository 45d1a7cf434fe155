package runtime

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bigESM is an ES module over the strip-source threshold (so it is read
// from a mapping and its functions keep no text) that throws from line 3.
func bigESM() string {
	var b strings.Builder
	b.WriteString("export let sum = 0;\nexport function boom() {\n  throw new Error('big boom');\n}\n")
	for b.Len() < stripSourceMinSize+1024 {
		b.WriteString("sum += " + strings.Repeat("1 + ", 20) + "1; // padding with a / division / and 'quotes'\n")
	}
	return b.String()
}

var esmCacheFiles = map[string]string{
	"main.mjs": `import { f, where } from './lib/b.mjs';
import { f as f2 } from './lib/copy.mjs';
import { sum, boom } from './big.mjs';
import { g } from './t.mts';
import cjs from './c.cjs';
await 0;
console.log(import.meta.url.replace(/^.*\//, ''), import.meta.filename === process.argv[1]);
console.log(f(2), f2(3), sum > 0, g(4), cjs.n);
console.log(where());
const dyn = await import('./lib/b.mjs');
console.log(dyn.f === f, f.toString().split('\n')[0]);
for (const fn of [() => f(-1), () => f2(-1), boom, () => g(-1)]) {
  try { fn() } catch (e) { console.log(e.stack.split('\n').slice(0, 3).join(' | ')) }
}
`,
	"lib/b.mjs": `export function f(x) {
  if (x < 0) {
      throw new Error('neg ' + import.meta.url.replace(/^.*\//, ''));
  }
  return x * 2;
}
export function where() {
  return [import.meta.url, import.meta.filename, import.meta.dirname, import.meta.resolve('./copy.mjs')].join(' ');
}
`,
	"t.mts": `interface P { n: number }
const p: P = { n: 1 };
export function g(x: number): number {
  if (x < 0) throw new Error('ts neg');
  return x + p.n;
}
`,
	"c.cjs": "module.exports = { n: 7 };\n",
}

// esmEntries returns the ES module cache entries under cache.
func esmEntries(t *testing.T, cache string) map[string]os.FileInfo {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(cache, "bytecode", "m-*.qbc"))
	out := map[string]os.FileInfo{}
	for _, p := range m {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		out[p] = fi
	}
	return out
}

func setupESMCache(t *testing.T) (dir string) {
	dir = t.TempDir()
	files := map[string]string{"big.mjs": bigESM()}
	for k, v := range esmCacheFiles {
		files[k] = v
	}
	// Same text under another name: a separate entry, since
	// import.meta.url and stack frames come from the name.
	files["lib/copy.mjs"] = files["lib/b.mjs"]
	writeFiles(t, dir, files)
	return dir
}

func TestESMBytecodeCache(t *testing.T) {
	dir := setupESMCache(t)
	cache := t.TempDir()
	ref, refErr, code := runCached(t, dir, "", "main.mjs")
	if code != 0 || refErr != "" {
		t.Fatalf("uncached run: code %d stderr %q", code, refErr)
	}
	for _, want := range []string{
		"main.mjs true\n",
		"4 6 true 5 7\n",
		"file://<dir>/lib/b.mjs <dir>/lib/b.mjs <dir>/lib file://<dir>/lib/copy.mjs\n",
		"true function f(x) {\n",
		"Error: neg b.mjs |     at f (file://<dir>/lib/b.mjs:3:",
		"Error: neg copy.mjs |     at f (file://<dir>/lib/copy.mjs:3:",
		"Error: big boom |     at boom (file://<dir>/big.mjs:3:",
		"Error: ts neg |     at g (file://<dir>/t.mts:4:",
	} {
		if !strings.Contains(ref, want) {
			t.Fatalf("uncached output lacks %q:\n%s", want, ref)
		}
	}
	if n := len(esmEntries(t, cache)); n != 0 {
		t.Fatalf("%d entries before any cached run", n)
	}
	out, errOut, code := runCached(t, dir, cache, "main.mjs")
	if out != ref || errOut != "" || code != 0 {
		t.Fatalf("cold: code %d stderr %q out\n%s\nwant\n%s", code, errOut, out, ref)
	}
	cold := esmEntries(t, cache)
	// main, b, copy, big, t.mts, the CommonJS facade of c.cjs.
	if len(cold) != 6 {
		t.Fatalf("cold run wrote %d entries, want 6", len(cold))
	}
	for p := range cold {
		b, _ := os.ReadFile(p)
		if _, ok := checkESMEntry(b); !ok {
			t.Errorf("entry %s does not verify", p)
		}
	}
	for _, pass := range []string{"warm", "warm again"} {
		out, errOut, code := runCached(t, dir, cache, "main.mjs")
		if out != ref || errOut != "" || code != 0 {
			t.Fatalf("%s: code %d stderr %q out\n%s\nwant\n%s", pass, code, errOut, out, ref)
		}
		// A warm run reads every entry and rewrites none (a miss would
		// replace the file by a rename).
		warm := esmEntries(t, cache)
		if len(warm) != len(cold) {
			t.Fatalf("%s: %d entries, want %d", pass, len(warm), len(cold))
		}
		for p, fi := range cold {
			if !os.SameFile(fi, warm[p]) {
				t.Errorf("%s: entry %s was rewritten", pass, p)
			}
		}
	}
	// Changing a module's text makes a new entry for it alone.
	writeFiles(t, dir, map[string]string{"t.mts": strings.Replace(esmCacheFiles["t.mts"], "n: 1", "n: 2", 1)})
	out, _, _ = runCached(t, dir, cache, "main.mjs")
	if want := strings.Replace(ref, "4 6 true 5 7\n", "4 6 true 6 7\n", 1); out != want {
		t.Fatalf("after edit: out\n%s\nwant\n%s", out, want)
	}
	if n := len(esmEntries(t, cache)); n != 7 {
		t.Errorf("after editing one module: %d entries, want 7", n)
	}
}

func TestESMBytecodeCacheDamaged(t *testing.T) {
	damage := []struct {
		name string
		f    func([]byte) []byte
	}{
		{"empty", func([]byte) []byte { return nil }},
		{"truncated", func(b []byte) []byte { return b[:len(b)/2] }},
		{"header only", func(b []byte) []byte { return b[:esmHeaderSize] }},
		{"payload bit flip", func(b []byte) []byte { b[len(b)-3] ^= 0x40; return b }},
		{"payload garbage", func(b []byte) []byte {
			for i := esmHeaderSize; i < len(b); i++ {
				b[i] = byte(i * 7)
			}
			return b
		}},
		{"no header", func(b []byte) []byte { return b[esmHeaderSize:] }},
		{"longer", func(b []byte) []byte { return append(b, 1, 2, 3) }},
	}
	dir := setupESMCache(t)
	ref, _, _ := runCached(t, dir, "", "main.mjs")
	for _, d := range damage {
		t.Run(d.name, func(t *testing.T) {
			cache := t.TempDir()
			runCached(t, dir, cache, "main.mjs")
			entries := esmEntries(t, cache)
			for p := range entries {
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, d.f(b), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out, errOut, code := runCached(t, dir, cache, "main.mjs")
			if out != ref || errOut != "" || code != 0 {
				t.Fatalf("damaged cache: code %d stderr %q out\n%s\nwant\n%s", code, errOut, out, ref)
			}
			after := esmEntries(t, cache)
			if len(after) != len(entries) {
				t.Fatalf("%d entries after the run, want %d", len(after), len(entries))
			}
			for p := range entries {
				b, _ := os.ReadFile(p)
				if _, ok := checkESMEntry(b); !ok {
					t.Errorf("damaged entry %s was not rewritten", p)
				}
			}
		})
	}
}

func FuzzCheckESMEntry(f *testing.F) {
	f.Add([]byte(esmBytecodeMagic + "\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00x"))
	f.Add([]byte{})
	f.Add([]byte(esmBytecodeMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, ok := checkESMEntry(b)
		if ok && (len(p) == 0 || len(p) != len(b)-esmHeaderSize) {
			t.Fatalf("accepted payload of %d bytes from %d", len(p), len(b))
		}
	})
}
