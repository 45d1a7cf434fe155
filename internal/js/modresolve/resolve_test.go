package modresolve

import (
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var testBuiltins = map[string]bool{"fs": true, "fs/promises": true, "path": true, "util": true, "events": true, "test": true, "test/reporters": true}

func testOptions(windows bool) Options {
	return Options{Windows: windows, Builtins: func(s string) bool { return testBuiltins[s] }}
}

func memTree(root string, windows bool) *MemFS {
	po := pathOps{windows: windows}
	m := NewMemFS(nil, windows)
	for rel, c := range baseTree {
		p := po.join(root, rel)
		if t, ok := strings.CutPrefix(c, "@link:"); ok {
			m.AddSymlink(p, po.join(root, t))
			continue
		}
		m.AddFile(p, c)
	}
	return m
}

func osTree(t testing.TB) string {
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var links [][2]string
	for rel, c := range baseTree {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if tgt, ok := strings.CutPrefix(c, "@link:"); ok {
			links = append(links, [2]string{p, filepath.Join(root, tgt)})
			continue
		}
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range links {
		if err := os.Symlink(l[1], l[0]); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func expandSpec(spec, root string, po pathOps) string {
	u := po.toURL(root).String()
	spec = strings.ReplaceAll(spec, "$URLROOT", u)
	if strings.Contains(spec, "$ROOT") {
		rest := strings.TrimPrefix(spec, "$ROOT")
		return po.join(root, rest)
	}
	return spec
}

// outcome renders a resolution as "path:<rel>", "url:<rel>?q#h",
// "builtin:<id>" or "!<CODE>", relative to root, for comparison.
func render(res Result, err error, mode byte, root string, po pathOps) string {
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return "!" + e.Code
		}
		return "!go:" + err.Error()
	}
	if res.Builtin != "" {
		if mode == 'i' {
			return "builtin:" + res.URL
		}
		return "builtin:" + res.Path
	}
	if mode == 'i' {
		u, perr := url.Parse(res.URL)
		if perr != nil {
			return "!badurl:" + res.URL
		}
		p := po.fromURL(u)
		if po.fromURL(u) != res.Path {
			return "!url/path mismatch: " + res.URL + " vs " + res.Path
		}
		s := relTo(root, p, po)
		if u.RawQuery != "" {
			s += "?" + u.RawQuery
		}
		if u.Fragment != "" {
			s += "#" + u.Fragment
		}
		return s
	}
	return relTo(root, res.Path, po)
}

func relTo(root, p string, po pathOps) string {
	prefix := root + po.sep()
	if po.windows {
		if strings.HasPrefix(strings.ToLower(p), strings.ToLower(prefix)) {
			return strings.ReplaceAll(p[len(prefix):], `\`, "/")
		}
		return "!outside:" + p
	}
	if strings.HasPrefix(p, prefix) {
		return p[len(prefix):]
	}
	return "!outside:" + p
}

func runCase(r *Resolver, c resolveCase, root string, po pathOps) (Result, error) {
	from := po.join(root, c.from)
	spec := expandSpec(c.spec, root, po)
	if c.mode == 'r' {
		return r.ResolveRequire(spec, from)
	}
	return r.ResolveImport(spec, from)
}

func TestResolveMemFS(t *testing.T) {
	for _, sys := range []struct {
		name    string
		windows bool
		root    string
	}{{"unix", false, "/root"}, {"windows", true, `C:\root`}} {
		t.Run(sys.name, func(t *testing.T) {
			fs := memTree(sys.root, sys.windows)
			r := NewResolver(fs, testOptions(sys.windows))
			po := pathOps{windows: sys.windows}
			for _, c := range resolveCases {
				if c.wantOS && sys.windows {
					continue
				}
				res, err := runCase(r, c, sys.root, po)
				if got := render(res, err, c.mode, sys.root, po); got != c.want {
					t.Errorf("%s: %c %q from %s = %s (err %v), want %s", c.name, c.mode, c.spec, c.from, got, err, c.want)
				}
			}
		})
	}
}

func TestResolveOSFS(t *testing.T) {
	root := osTree(t)
	r := NewResolver(OSFS{}, testOptions(false))
	po := pathOps{}
	for _, c := range resolveCases {
		res, err := runCase(r, c, root, po)
		if got := render(res, err, c.mode, root, po); got != c.want {
			t.Errorf("%s: %c %q from %s = %s (err %v), want %s", c.name, c.mode, c.spec, c.from, got, err, c.want)
		}
	}
}

const nodeResolveScript = `
const { createRequire } = require('module');
const { pathToFileURL, fileURLToPath } = require('url');
const fs = require('fs');
const cases = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = [];
(async () => {
  // import.meta.resolve with a parent URL needs --experimental-import-meta-resolve
  // and a module context; compile one ES module that resolves every case.
  const probe = await import('data:text/javascript,export default (s, p) => import.meta.resolve(s, p);');
  for (const c of cases) {
    try {
      if (c.mode === 'r') {
        out.push({ ok: createRequire(c.from).resolve(c.spec) });
        continue;
      }
      const u = probe.default(c.spec, pathToFileURL(c.from).href);
      if (u.startsWith('file:')) {
        // import.meta.resolve returns the URL of a missing file or of a
        // directory instead of throwing. For those, run a real import()
        // from a probe module next to the parent, with the working
        // directory there too (Node resolves its "Did you mean" hint
        // against the working directory).
        const p = fileURLToPath(u);
        let st = null;
        try { st = fs.statSync(p.endsWith('/') ? '/' : p); } catch {}
        if (!st || st.isDirectory()) {
          const dir = require('path').dirname(c.from);
          const probe = require('path').join(dir, '__probe_' + out.length + '.mjs');
          fs.writeFileSync(probe, 'export default (s) => import(s);');
          process.chdir(dir);
          try {
            await (await import(pathToFileURL(probe).href)).default(c.spec);
            out.push({ ok: u });
          } catch (e) {
            out.push({ code: e.code, name: e.name, message: e.message.split(probe).join(c.from) });
          } finally {
            fs.unlinkSync(probe);
          }
          continue;
        }
      }
      out.push({ ok: u });
    } catch (e) {
      out.push({ code: e.code, name: e.name, message: e.message });
    }
  }
  process.stdout.write(JSON.stringify(out));
})();
`

func TestResolveDifferentialNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed: skipping the differential resolution test")
	}
	root := osTree(t)
	type in struct {
		Mode string `json:"mode"`
		From string `json:"from"`
		Spec string `json:"spec"`
	}
	po := pathOps{}
	var ins []in
	for _, c := range resolveCases {
		ins = append(ins, in{string(c.mode), po.join(root, c.from), expandSpec(c.spec, root, po)})
	}
	data, _ := json.Marshal(ins)
	cmd := exec.Command(node, "--experimental-import-meta-resolve", "--no-warnings", "-e", nodeResolveScript)
	cmd.Stdin = strings.NewReader(string(data))
	cmd.Dir = root
	outb, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var outs []struct {
		OK      string `json:"ok"`
		Code    string `json:"code"`
		Message string `json:"message"`
		Name    string `json:"name"`
	}
	if err := json.Unmarshal(outb, &outs); err != nil {
		t.Fatalf("node output: %v\n%s", err, outb)
	}
	r := NewResolver(OSFS{}, testOptions(false))
	mismatch, msgMismatch := 0, 0
	for i, c := range resolveCases {
		o := outs[i]
		var nodeGot string
		switch {
		case o.Code != "":
			nodeGot = "!" + o.Code
		case strings.HasPrefix(o.Message, "Error parsing "):
			// Node 20 gives a broken package.json no code; gnode uses import's.
			nodeGot = "!" + CodeInvalidPackageConfig
		case c.mode == 'r' && !filepath.IsAbs(o.OK):
			nodeGot = "builtin:" + o.OK
		case strings.HasPrefix(o.OK, "node:"):
			nodeGot = "builtin:" + o.OK
		case c.mode == 'i':
			u, _ := url.Parse(o.OK)
			nodeGot = relTo(root, po.fromURL(u), po)
			if u.RawQuery != "" {
				nodeGot += "?" + u.RawQuery
			}
			if u.Fragment != "" {
				nodeGot += "#" + u.Fragment
			}
		default:
			nodeGot = relTo(root, o.OK, po)
		}
		if nodeGot != c.want {
			t.Errorf("%s: node says %s (%s), table wants %s", c.name, nodeGot, o.Message, c.want)
		}
		res, err := runCase(r, c, root, po)
		got := render(res, err, c.mode, root, po)
		if got != nodeGot {
			mismatch++
			t.Errorf("%s: %c %q: gnode %s, node %s (%s)", c.name, c.mode, c.spec, got, nodeGot, o.Message)
			continue
		}
		if o.Code != "" && err.Error() != o.Message {
			msgMismatch++
			t.Errorf("%s: message differs\n gnode: %q\n node:  %q", c.name, err.Error(), o.Message)
		}
		var me *Error
		if o.Code != "" && errors.As(err, &me) && me.JSType() != o.Name {
			t.Errorf("%s: error type %s, node %s", c.name, me.JSType(), o.Name)
		}
	}
	t.Logf("differential resolution: %d cases, %d result mismatches, %d message mismatches", len(resolveCases), mismatch, msgMismatch)
}
