package runtime

import (
	"strings"
	"testing"
)

func TestWasiUnavailable(t *testing.T) {
	// wasi stays a built-in id (a node_modules/wasi is not loaded in its
	// place) but reports why it cannot load, for require and import, and
	// is not listed as a working built-in.
	out, errs, code := run(t, map[string]string{
		"node_modules/wasi/index.js": "console.log('npm wasi loaded');\n",
		"a.js": `
const m = require('module');
for (const id of ['wasi', 'node:wasi']) {
  try { require(id); console.log('loaded'); } catch (e) { console.log(id, e.code, /WebAssembly/.test(e.message)); }
}
console.log(m.isBuiltin('wasi'), m.builtinModules.includes('wasi'), require('repl')._builtinLibs.includes('wasi'));
import('node:wasi').then(() => console.log('imported'), (e) => console.log('import', e.code, /WebAssembly/.test(e.message)));
`}, "a.js")
	want := "wasi ERR_FEATURE_UNAVAILABLE_ON_PLATFORM true\nnode:wasi ERR_FEATURE_UNAVAILABLE_ON_PLATFORM true\nfalse false false\nimport ERR_FEATURE_UNAVAILABLE_ON_PLATFORM true\n"
	if code != 0 || out != want || strings.Contains(errs, "leak") {
		t.Fatalf("code %d, stdout %q, stderr %q", code, out, errs)
	}
}
