// Package cryptotest compares gnode's node:crypto with Node's end to end:
// vectors.js runs under the system node and under gnode's runtime (in
// process), and the outputs are compared line by line; randomised outputs
// (ECDSA and PSS signatures, generated keys, AEAD ciphertexts) are written
// by one runtime and verified by the other, both ways.
package cryptotest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/js/runtime"
)

// knownDifferences are labels whose results differ from Node's on purpose
// or for a reason outside crypto.js, with the reason.
var knownDifferences = map[string]string{
	// Node 20 leaves an OpenSSL error from the preceding failed EC
	// "pkcs1" export on the thread's error queue and the next RSA Sign
	// fails with it; gnode signs.
	"sign rsa sha256 273": "node bug: stale OpenSSL error queue",
	// The global crypto is installed by lib/internal/bootstrap.js (RT-Q),
	// which gives it getRandomValues/randomUUID only; it must become
	// require('crypto').webcrypto to have subtle.
	"global subtle": "bootstrap's global crypto has no subtle yet",
}

func needNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found on PATH: install Node.js 20 to run the differential crypto tests")
	}
	return node
}

// makeKeys writes PEM keys (made by node) that both runtimes read.
func makeKeys(t *testing.T, node, dir string) {
	t.Helper()
	script := `
const c = require('crypto'), fs = require('fs'), p = require('path');
const d = process.argv[1];
const w = (n, k) => {
  fs.writeFileSync(p.join(d, n + '.pem'), k.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  fs.writeFileSync(p.join(d, n + '.pub.pem'), k.publicKey.export({ type: 'spki', format: 'pem' }));
};
const rsa = c.generateKeyPairSync('rsa', { modulusLength: 2048 }); w('rsa', rsa);
fs.writeFileSync(p.join(d, 'rsa.pkcs1.pem'), rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }));
const ec = c.generateKeyPairSync('ec', { namedCurve: 'P-256' }); w('ec256', ec);
fs.writeFileSync(p.join(d, 'ec256.sec1.pem'), ec.privateKey.export({ type: 'sec1', format: 'pem' }));
w('ec384', c.generateKeyPairSync('ec', { namedCurve: 'P-384' }));
w('ed25519', c.generateKeyPairSync('ed25519'));
`
	out, err := exec.Command(node, "-e", script, dir).CombinedOutput()
	if err != nil {
		t.Fatalf("making keys with node: %v\n%s", err, out)
	}
}

func runNode(t *testing.T, node string, args ...string) string {
	t.Helper()
	cmd := exec.Command(node, append([]string{"vectors.js"}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("node vectors.js %v: %v\n%s", args, err, errb.String())
	}
	return out.String()
}

func runGnode(t *testing.T, args ...string) string {
	t.Helper()
	script, err := filepath.Abs("vectors.js")
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := runtime.Run(runtime.Options{Script: script, Args: args, Stdout: &out, Stderr: &errb, Env: os.Environ(), CacheDir: ""})
	if code != 0 {
		t.Fatalf("gnode vectors.js %v: exit %d\n%s", args, code, errb.String())
	}
	return out.String()
}

func parse(out string) (labels []string, values map[string]string) {
	values = map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		label, value, _ := strings.Cut(l, "\t")
		labels = append(labels, label)
		values[label] = value
	}
	return labels, values
}

func TestVectors(t *testing.T) {
	node := needNode(t)
	keys := t.TempDir()
	makeKeys(t, node, keys)
	want := runNode(t, node, "print", keys)
	got := runGnode(t, "print", keys)
	wl, wv := parse(want)
	gl, gv := parse(got)
	if len(wl) != len(gl) {
		t.Errorf("node printed %d results, gnode %d", len(wl), len(gl))
	}
	mismatches := 0
	for _, l := range wl {
		g, ok := gv[l]
		if !ok {
			t.Errorf("%s: missing under gnode", l)
			mismatches++
			continue
		}
		if g == wv[l] {
			continue
		}
		if reason, known := knownDifferences[l]; known {
			t.Logf("%s: known difference (%s)", l, reason)
			continue
		}
		mismatches++
		if mismatches <= 30 {
			t.Errorf("%s\n  gnode: %.300s\n  node:  %.300s", l, g, wv[l])
		}
	}
	t.Logf("crypto vectors: %d cases, %d mismatches", len(wl), mismatches)
}

// TestCrossVerify: each runtime verifies and decrypts what the other
// produced with randomness.
func TestCrossVerify(t *testing.T) {
	node := needNode(t)
	keys := t.TempDir()
	makeKeys(t, node, keys)
	for _, dir := range []struct {
		name      string
		gen, chec func(args ...string) string
	}{
		{"node to gnode", func(a ...string) string { return runNode(t, node, a...) }, func(a ...string) string { return runGnode(t, a...) }},
		{"gnode to node", func(a ...string) string { return runGnode(t, a...) }, func(a ...string) string { return runNode(t, node, a...) }},
	} {
		t.Run(dir.name, func(t *testing.T) {
			work := t.TempDir()
			dir.gen("gen", work, keys)
			labels, values := parse(dir.chec("check", work, keys))
			if len(labels) < 40 {
				t.Fatalf("only %d checks ran", len(labels))
			}
			for _, l := range labels {
				v := values[l]
				if v != "boolean:true" && !strings.HasPrefix(v, `object:[true,true,true,`) {
					t.Errorf("%s: %s", l, v)
				}
			}
			t.Logf("%s: %d checks", dir.name, len(labels))
		})
	}
}
