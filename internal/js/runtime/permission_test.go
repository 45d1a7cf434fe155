package runtime

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/trust/capability"
)

// runPerm runs main in a project made of files under perm (Policy's file
// is <dir>/gnode-policy.json; flags take <dir> for "$DIR").
func runPerm(t *testing.T, files map[string]string, main string, policy map[string][]string, flags []string) (string, string, int) {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if target, ok := strings.CutPrefix(src, "symlink:"); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(src, "$DIR", dir)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var perm Permissions
	if policy != nil {
		perm.Policy = &capability.Policy{Version: 1, Packages: policy}
		perm.PolicyFile = filepath.Join(dir, capability.FileName)
	}
	if len(flags) > 0 {
		f := &capability.Flags{}
		for _, a := range flags {
			if ok, err := f.ParseFlag(strings.ReplaceAll(a, "$DIR", dir), dir); !ok || err != nil {
				t.Fatalf("flag %s: %v %v", a, ok, err)
			}
		}
		perm.Flags = f
	}
	var out, errb bytes.Buffer
	code := Run(Options{Script: filepath.Join(dir, main), Cwd: dir, Stdout: &out, Stderr: &errb,
		Env: []string{"GNODE_DEBUG_LEAKS=1", "VISIBLE=1", "HIDDEN=2"}, Permissions: perm})
	return strings.ReplaceAll(out.String(), dir, "<dir>"), strings.ReplaceAll(errb.String(), dir, "<dir>"), code
}

// try prints the code of the error fn throws, or "ok".
const tryJS = `
function tryIt(label, fn) {
  try { fn(); console.log(label, 'ok'); }
  catch (e) { console.log(label, e.code || e.name, e.package || ''); }
}
module.exports = tryIt;
`

func TestPolicyGatesCoreModulesPerPackage(t *testing.T) {
	files := map[string]string{
		"try.js": tryJS,
		"node_modules/bad/index.js": `
			const cp = require('child_process');
			const fs = require('node:fs');
			module.exports = {
				exec: () => cp.execSync('true'),
				read: () => fs.readFileSync(__filename),
				write: () => fs.writeFileSync(__dirname + '/x', 'x'),
				openWrite: () => fs.openSync(__dirname + '/y', 'w'),
				openRead: () => fs.closeSync(fs.openSync(__filename, 'r')),
				promisesWrite: () => { const p = fs.promises.writeFile(__dirname + '/z', 'z'); p.catch((e) => console.log('rejected', e.code)); },
				viaMain: () => process.mainModule.require('child_process').execSync('true'),
				viaLoad: () => require('module')._load('child_process', null, false).execSync('true'),
				viaCreateRequire: () => require('module').createRequire('$DIR/app.js')('child_process').execSync('true'),
				viaHook: () => globalThis[Symbol.for('gnode.require')]('child_process').execSync('true'),
				viaHookNamed: () => globalThis[Symbol.for('gnode.require')]('child_process?gnode-package=good').execSync('true'),
				viaBuiltinHook: () => require('module')._requireBuiltin('child_process').execSync('true'),
				viaCompile: () => {
					const M = require('module');
					const m = new M('$DIR/app.js');
					m._compile("require('child_process').execSync('true')", '$DIR/app.js');
				},
				viaRecompile: () => require.cache['$DIR/app.js']._compile("require('child_process').execSync('true')", '$DIR/app.js'),
				patch: () => { 'use strict'; cp.exec = () => 1; },
				dataKept: () => {
					const h = require('http');
					if (!h.METHODS.map((m) => m).includes('GET') || h.STATUS_CODES[404] !== 'Not Found' || !h.hasOwnProperty('METHODS')) throw new Error('data lost');
				},
				agentMethods: () => require('https').globalAgent.createConnection(),
			};`,
		"node_modules/@scope/good/index.js": `
			const cp = require('child_process');
			module.exports = () => cp.execSync('true');`,
		"node_modules/unlisted/index.js":                        `module.exports = () => require('net').createServer();`,
		"node_modules/@scope/good/node_modules/nested/index.js": `module.exports = () => require('child_process').execSync('true');`,
		"node_modules/@scope/good/lib/nested.js":                `module.exports = require('nested');`,
		"worker.js": `
			const { parentPort } = require('worker_threads');
			let r;
			try { require('bad').exec(); r = 'ran'; } catch (e) { r = e.code + ' ' + e.package; }
			parentPort.postMessage(r);`,
		"node_modules/hook/index.js": `
			const M = require('module');
			const orig = M._extensions['.js'];
			M._extensions['.js'] = function (module, filename) {
				require('path');
				if (filename.endsWith('hooked.js')) return module._compile(require('fs').readFileSync(filename, 'utf8'), filename);
				return orig(module, filename);
			};`,
		"hooked.js": "module.exports = () => require('child_process').execSync('true');",
		"app.js": `
			const tryIt = require('./try.js');
			require('hook');
			tryIt('app through a hook', require('./hooked.js'));
			const bad = require('bad');
			for (const k of Object.keys(bad)) tryIt(k, bad[k]);
			tryIt('good', require('@scope/good'));
			tryIt('nested copy', require('@scope/good/lib/nested.js'));
			tryIt('unlisted', require('unlisted'));
			tryIt('app', () => require('child_process').execSync('true'));
			console.log('same module for the app', require('fs') === require('node:fs'), require('child_process').exec.name);
			const w = new (require('worker_threads').Worker)(__dirname + '/worker.js');
			w.on('message', (m) => console.log('worker', m));
		`,
	}
	policy := map[string][]string{"bad": {capability.FSRead}, "hook": {capability.FSRead}, "@scope/good": {capability.ChildProcess}, "good": {capability.ChildProcess}}
	out, errOut, code := runPerm(t, files, "app.js", policy, nil)
	want := `app through a hook ok
exec ERR_GNODE_PERMISSION bad
read ok
write ERR_GNODE_PERMISSION bad
openWrite ERR_GNODE_PERMISSION bad
openRead ok
promisesWrite ok
viaMain ERR_GNODE_PERMISSION bad
viaLoad ERR_GNODE_PERMISSION bad
viaCreateRequire ERR_GNODE_PERMISSION bad
viaHook ERR_GNODE_PERMISSION bad
viaHookNamed ERR_GNODE_PERMISSION bad
viaBuiltinHook ERR_GNODE_PERMISSION bad
viaCompile ERR_GNODE_PERMISSION bad
viaRecompile ERR_GNODE_PERMISSION bad
patch TypeError 
dataKept ok
agentMethods TypeError 
good ok
nested copy ERR_GNODE_PERMISSION nested
unlisted ERR_GNODE_PERMISSION unlisted
app ok
same module for the app true exec
rejected ERR_GNODE_PERMISSION
worker ERR_GNODE_PERMISSION bad
`
	if out != want || code != 0 {
		t.Errorf("code %d\n got:\n%s\nwant:\n%s\nstderr: %s", code, out, want, errOut)
	}
	if _, err := os.Stat(filepath.Join(t.TempDir(), "x")); err == nil {
		t.Errorf("write went through")
	}
}

func TestPolicyMessageNamesPackageCapabilityAndFix(t *testing.T) {
	files := map[string]string{
		"node_modules/crypto-kit/index.js": "require('child_process').exec('true');",
		"app.js":                           "require('crypto-kit');",
	}
	_, errOut, code := runPerm(t, files, "app.js", map[string][]string{}, nil)
	for _, want := range []string{"ERR_GNODE_PERMISSION", `package "crypto-kit"`, "child_process.exec()", `"child_process" capability`,
		"<dir>/gnode-policy.json", "gnode policy generate", "node_modules/crypto-kit/index.js:1"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if code != 1 {
		t.Errorf("code %d", code)
	}
}

func TestPolicyGatesESMImports(t *testing.T) {
	files := map[string]string{
		"node_modules/esm-bad/package.json": `{"type":"module"}`,
		"node_modules/esm-bad/index.js": `
			import { execSync } from 'node:child_process';
			import cp from 'child_process';
			import { readFileSync } from 'fs';
			export function run(fn) { try { fn(); return 'ok'; } catch (e) { return e.code; } }
			export const named = () => run(() => execSync('true'));
			export const dflt = () => run(() => cp.execSync('true'));
			export const read = () => run(() => readFileSync(import.meta.filename));
			export const dyn = async () => { const m = await import('node:child_process'); return run(() => m.execSync('true')); };`,
		"app.mjs": `
			import { execSync } from 'node:child_process';
			import * as bad from 'esm-bad';
			console.log(bad.named(), bad.dflt(), bad.read(), await bad.dyn());
			execSync('true');
			console.log('app ok');`,
	}
	out, errOut, code := runPerm(t, files, "app.mjs", map[string][]string{"esm-bad": {capability.FSRead}}, nil)
	want := "ERR_GNODE_PERMISSION ERR_GNODE_PERMISSION ok ERR_GNODE_PERMISSION\napp ok\n"
	if out != want || code != 0 {
		t.Errorf("code %d out %q want %q\nstderr: %s", code, out, want, errOut)
	}
}

// A restricted package's require() of an ES module evaluates that
// module's imports under the restricted package's stack frames; the
// built-in they import must still be the importer's, not the restricted
// package's facade, and not for later importers either.
func TestPolicyImportsNotPoisonedByRequireOfESM(t *testing.T) {
	files := map[string]string{
		"node_modules/r/index.js":     "module.exports = require('e');",
		"node_modules/e/package.json": `{"type":"module"}`,
		"node_modules/e/index.js":     "import fs from 'node:fs';\nexport const w = () => fs.writeFileSync(import.meta.dirname + '/out', 'x');",
		"app.mjs": `
			import { createRequire } from 'node:module';
			const require = createRequire(import.meta.url);
			const e = require('r');
			for (const [label, fn] of [['e', () => e.w()], ['app', async () => (await import('node:fs')).writeFileSync(import.meta.dirname + '/out2', 'y')]]) {
				try { await fn(); console.log(label, 'ok'); } catch (err) { console.log(label, err.code, err.package); }
			}
			const cp = globalThis[Symbol.for('gnode.require')]('child_process?gnode-package=&gnode-token=guess');
			console.log('hook with a guessed token from the app', typeof cp.execSync);`,
	}
	policy := map[string][]string{"r": {}, "e": {capability.FSRead, capability.FSWrite}}
	out, errOut, code := runPerm(t, files, "app.mjs", policy, nil)
	want := "e ok\napp ok\nhook with a guessed token from the app function\n"
	if out != want || code != 0 {
		t.Errorf("code %d out %q want %q\nstderr: %s", code, out, want, errOut)
	}
}

func TestNoPolicyNoChange(t *testing.T) {
	files := map[string]string{
		"node_modules/crypto-kit/index.js": "module.exports = require('child_process').execSync('echo ran').toString();",
		"app.js":                           "process.stdout.write(require('crypto-kit'));",
	}
	out, errOut, code := runPerm(t, files, "app.js", nil, nil)
	if out != "ran\n" || code != 0 {
		t.Errorf("code %d out %q stderr %s", code, out, errOut)
	}
}

func TestProcessFlags(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	app := `
		const fs = require('fs');
		const tryIt = require('./try.js');
		tryIt('read inside', () => fs.readFileSync('$DIR/data/a.txt'));
		tryIt('read outside', () => fs.readFileSync('/etc/hostname'));
		tryIt('stat outside', () => fs.statSync('/etc'));
		tryIt('exists outside', () => { if (fs.existsSync('/etc')) throw Object.assign(new Error(), { code: 'VISIBLE' }); });
		tryIt('write inside', () => fs.writeFileSync('$DIR/data/b.txt', 'b'));
		tryIt('write outside', () => fs.writeFileSync('$DIR/c.txt', 'c'));
		tryIt('link out', () => fs.readFileSync('$DIR/data/link'));
		tryIt('run', () => require('child_process').execFileSync('true'));
		console.log('env', process.env.VISIBLE, process.env.HIDDEN);
		const net = require('net');
		let pending = 0;
		function connect(label, port) {
			pending++;
			try {
				const s = net.connect(port, '127.0.0.1');
				s.on('connect', () => { console.log(label, 'connected'); s.destroy(); });
				s.on('error', (e) => console.log(label, e.code));
			} catch (e) { console.log(label, e.code); }
		}
		connect('net allowed', PORT);
		connect('net other', PORT + 1 === 65536 ? 1 : PORT + 1);
	`
	files := map[string]string{"try.js": tryJS, "data/a.txt": "a", "app.js": strings.ReplaceAll(app, "PORT", itoa(port)),
		// A link inside the allowed folder to a file outside it.
		"data/link": "symlink:/etc/hostname"}
	flags := []string{"--allow-read=$DIR", "--deny-read=/etc", "--allow-write=$DIR/data", "--allow-env=VISIBLE",
		"--allow-net=127.0.0.1:" + itoa(port)}
	out, errOut, code := runPerm(t, files, "app.js", nil, flags)
	for _, want := range []string{
		"read inside ok\n", "read outside ERR_GNODE_PERMISSION", "stat outside ERR_GNODE_PERMISSION", "exists outside ok\n",
		"write inside ok\n", "write outside ERR_GNODE_PERMISSION", "link out ERR_GNODE_PERMISSION", "run ERR_GNODE_PERMISSION",
		"env 1 undefined\n", "net allowed connected\n", "net other ERR_GNODE_PERMISSION",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s\nstderr: %s", want, out, errOut)
		}
	}
	if code != 0 {
		t.Errorf("code %d stderr %s", code, errOut)
	}
}

func TestDenyFlagsWithoutPermissionMode(t *testing.T) {
	files := map[string]string{"try.js": tryJS, "app.js": `
		const tryIt = require('./try.js');
		tryIt('read', () => require('fs').readFileSync(__filename));
		tryIt('run', () => require('child_process').execFileSync('true'));
		tryIt('lookup', () => require('dns').lookup('localhost', () => {}));
		console.log('env', process.env.VISIBLE);
		fetch('http://127.0.0.1:39999/').then(() => console.log('fetch ok'), (e) => console.log('fetch', e.code || (e.cause && e.cause.code)));
	`}
	out, errOut, code := runPerm(t, files, "app.js", nil, []string{"--deny-net", "--deny-run", "--deny-env"})
	want := "read ok\nrun ERR_GNODE_PERMISSION \nlookup ERR_GNODE_PERMISSION \nenv undefined\nfetch ERR_GNODE_PERMISSION\n"
	if out != want || code != 0 {
		t.Errorf("code %d out:\n%s\nwant:\n%s\nstderr: %s", code, out, want, errOut)
	}
}

// TestPackageOfMatchesGo checks that the loader (lib/internal/permission.js)
// and capability.PackageOf name the same package for each module path.
func TestPackageOfMatchesGo(t *testing.T) {
	paths := []string{
		"node_modules/a/index.js",
		"node_modules/a/lib/deep/x.js",
		"node_modules/@s/b/index.js",
		"node_modules/a/node_modules/c/index.js",
		"node_modules/a/node_modules/@s/d/i.js",
		"node_modules/.pnpm/e@1.0.0/node_modules/e/index.js",
		"vendor/node_modules/f/index.js",
		"src/node_modules_like/g.js",
	}
	files := map[string]string{}
	var app strings.Builder
	for _, p := range paths {
		files[p] = "module.exports = () => { try { require('child_process').execSync('true'); return '(app)'; } catch (e) { return e.package; } };"
		app.WriteString("console.log(require('./" + p + "')());\n")
	}
	files["app.js"] = app.String()
	out, errOut, code := runPerm(t, files, "app.js", map[string][]string{}, nil)
	var want strings.Builder
	for _, p := range paths {
		name := capability.PackageOf("/project/" + p)
		if name == "" {
			name = "(app)"
		}
		want.WriteString(name + "\n")
	}
	if out != want.String() || code != 0 {
		t.Errorf("code %d\n got:\n%s\nwant (capability.PackageOf):\n%s\nstderr: %s", code, out, want.String(), errOut)
	}
}
