package integrity

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// ssriDir finds the ssri module npm ships, to compare behaviour with it.
func ssriDir(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not on PATH: skipping the differential test against npm's ssri")
	}
	out, err := exec.Command("npm", "root", "-g").Output()
	if err != nil {
		t.Skip("npm not on PATH: skipping the differential test against npm's ssri")
	}
	return filepath.Join(strings.TrimSpace(string(out)), "npm", "node_modules", "ssri")
}

// TestDifferentialSsri parses the same strings with gnode and with npm's
// ssri and compares the printed form and the algorithm used to verify, and
// hashes random data with both.
func TestDifferentialSsri(t *testing.T) {
	dir := ssriDir(t)
	rng := rand.New(rand.NewSource(1))
	var blobs [][]byte
	for i := 0; i < 50; i++ {
		b := make([]byte, rng.Intn(5000))
		rng.Read(b)
		blobs = append(blobs, b)
	}
	var inputs []string
	for _, b := range blobs[:20] {
		all := NewHasherFor(MustParse(sri256))
		all.Write(b)
		sum := all.Sum()
		s512, _ := sum.Get(SHA512)
		s256, _ := sum.Get(SHA256)
		s1, _ := sum.Get(SHA1)
		inputs = append(inputs,
			s512.String(), s1.String(), s256.String(),
			s1.String()+" "+s512.String(),
			s256.String()+"\n"+s1.String(),
			s512.String()+"?opt",
			s1.String()+" "+s256.String()+" "+s512.String(),
		)
	}
	script := `
const ssri = require(process.argv[1]);
const crypto = require('crypto');
const inp = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = {parsed: inp.strings.map(s => { const p = ssri.parse(s); return [p.toString(), p.pickAlgorithm()]; }),
  sums: inp.blobs.map(b => ssri.fromData(Buffer.from(b, 'base64'), {algorithms: ['sha512', 'sha1']}).toString())};
process.stdout.write(JSON.stringify(out));`
	var b64s []string
	for _, b := range blobs {
		b64s = append(b64s, b64(b))
	}
	in, _ := json.Marshal(map[string]any{"strings": inputs, "blobs": b64s})
	cmd := exec.Command("node", "-e", script, dir)
	cmd.Stdin = bytes.NewReader(in)
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var got struct {
		Parsed [][2]string `json:"parsed"`
		Sums   []string    `json:"sums"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("node output %q: %v", raw, err)
	}
	for i, s := range inputs {
		p, err := Parse(s)
		if err != nil {
			t.Errorf("Parse(%q): %v; ssri accepts it", s, err)
			continue
		}
		h, _ := p.Strongest()
		if p.String() != got.Parsed[i][0] || h.Algorithm != got.Parsed[i][1] {
			t.Errorf("%q: gnode %q picks %s; ssri %q picks %s", s, p.String(), h.Algorithm, got.Parsed[i][0], got.Parsed[i][1])
		}
	}
	for i, b := range blobs {
		if g := FromBytes(b).String(); g != got.Sums[i] {
			t.Errorf("blob %d (%d bytes): gnode %s, ssri %s", i, len(b), g, got.Sums[i])
		}
	}
	t.Logf("compared %d strings and %d digests with ssri", len(inputs), len(blobs))
}
