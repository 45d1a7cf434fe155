package packument

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync"
	"syscall"
	"testing"
)

// sameLazy checks DecodeLazy and DecodeLazyCompact against
// DecodeForInstall on data: they refuse what it refuses (and only invalid
// JSON besides), and otherwise every accessor gives what the eager
// decoder's packument holds, the compacted document is
// DecodeForInstallCompact's, and no version fails to decode.
func sameLazy(data []byte) error {
	want, werr := DecodeForInstall(bytes.Clone(data))
	lazy, lerr := DecodeLazy(bytes.Clone(data))
	buf := bytes.Clone(data)
	lc, lean, cerr := DecodeLazyCompact(buf)
	if (lerr == nil) != (cerr == nil) {
		return fmt.Errorf("DecodeLazy error %v, DecodeLazyCompact error %v", lerr, cerr)
	}
	if werr != nil && lerr == nil {
		return fmt.Errorf("DecodeLazy accepts what DecodeForInstall refuses (%v)", werr)
	}
	if lerr != nil {
		if werr == nil && json.Valid(data) {
			return fmt.Errorf("DecodeLazy refuses valid JSON DecodeForInstall accepts: %v", lerr)
		}
		if !bytes.Equal(buf, data) {
			return fmt.Errorf("a failed DecodeLazyCompact changed the document")
		}
		return nil
	}
	_, wantLean, err := DecodeForInstallCompact(bytes.Clone(data))
	if err != nil {
		return fmt.Errorf("DecodeForInstallCompact: %v", err)
	}
	if !bytes.Equal(lean, wantLean) {
		return fmt.Errorf("compacted documents differ:\n lazy %s\neager %s", lean, wantLean)
	}
	if !bytes.Equal(buf, data) {
		return fmt.Errorf("DecodeLazyCompact changed the document")
	}
	head := []byte("{\"format\":1}\n")
	la, out, err := DecodeLazyCompactAfter(head, data)
	if err != nil {
		return fmt.Errorf("DecodeLazyCompactAfter: %v", err)
	}
	if !bytes.Equal(out, append(bytes.Clone(head), lean...)) {
		return fmt.Errorf("DecodeLazyCompactAfter gave %q, want %q then %q", out, head, lean)
	}
	for j := range buf {
		buf[j] = 'x' // the compacting packument keeps its own copy
	}
	for _, c := range []struct {
		name string
		p    *Packument
	}{{"DecodeLazy", lazy}, {"DecodeLazyCompact", lc}, {"DecodeLazyCompactAfter", la}} {
		if err := sameAccessors(c.p, want); err != nil {
			return fmt.Errorf("%s: %v", c.name, err)
		}
	}
	return nil
}

// sameAccessors compares lazy with the eagerly decoded want.
func sameAccessors(lazy, want *Packument) error {
	if lazy.lazy == nil {
		return fmt.Errorf("not lazy")
	}
	if lazy.ID != want.ID || lazy.Name != want.Name || lazy.Rev != want.Rev || lazy.Modified != want.Modified ||
		lazy.Description != want.Description || !reflect.DeepEqual(lazy.DistTags, want.DistTags) {
		return fmt.Errorf("top-level fields differ: %+v vs %+v", lazy, want)
	}
	if lazy.NumVersions() != len(want.Versions) {
		return fmt.Errorf("%d versions, want %d", lazy.NumVersions(), len(want.Versions))
	}
	keys := slices.Sorted(lazy.VersionKeys())
	if wk := slices.Sorted(maps.Keys(want.Versions)); !slices.Equal(keys, wk) {
		return fmt.Errorf("version keys %q, want %q", keys, wk)
	}
	// heads first, before anything is decoded
	for v, m := range want.Versions {
		h, ok := lazy.Head(v)
		wh := Head{Version: m.Version, Deprecated: m.Deprecated, Engines: m.Engines, Attestations: m.Dist.Attestations}
		if !ok || !reflect.DeepEqual(h, wh) {
			return fmt.Errorf("head of %q: %+v, want %+v", v, h, wh)
		}
		if !lazy.HasVersion(v) {
			return fmt.Errorf("HasVersion(%q) false", v)
		}
	}
	for v, m := range want.Versions {
		got := lazy.Manifest(v)
		if got == nil {
			return fmt.Errorf("version %q does not decode: %v", v, lazy.lazy.err)
		}
		if !reflect.DeepEqual(got, m) {
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(m)
			return fmt.Errorf("version %q:\n lazy %s\neager %s", v, gb, wb)
		}
		if lazy.Manifest(v) != got {
			return fmt.Errorf("version %q decoded twice", v)
		}
	}
	if lazy.Manifest("no such version") != nil || lazy.HasVersion("no such version") {
		return fmt.Errorf("a missing version is found")
	}
	// TimeOf and HasTimes before Times builds its map
	if lazy.HasTimes() != (len(want.Time) > 0) {
		return fmt.Errorf("HasTimes %v with times %v", lazy.HasTimes(), want.Time)
	}
	for k := range want.Versions {
		got, ok := lazy.TimeOf(k)
		if w, wok := want.Time[k]; got != w || ok != wok {
			return fmt.Errorf("TimeOf(%q) = %q, %v; want %q, %v", k, got, ok, w, wok)
		}
		gt, gok := lazy.PublishTime(k)
		wt, wok := want.PublishTime(k)
		if !gt.Equal(wt) || gok != wok {
			return fmt.Errorf("PublishTime(%q) = %v, %v; want %v, %v", k, gt, gok, wt, wok)
		}
	}
	for k, w := range want.Time {
		if got, ok := lazy.TimeOf(k); !ok || got != w {
			return fmt.Errorf("TimeOf(%q) = %q, %v; want %q", k, got, ok, w)
		}
	}
	if !reflect.DeepEqual(lazy.Times(), want.Time) {
		return fmt.Errorf("times %v, want %v", lazy.Times(), want.Time)
	}
	if lazy.lazy.err != nil {
		return fmt.Errorf("decode error %v", lazy.lazy.err)
	}
	lb, err := json.Marshal(lazy)
	if err != nil {
		return err
	}
	if wb, _ := json.Marshal(want); string(lb) != string(wb) {
		return fmt.Errorf("JSON differs:\n lazy %s\neager %s", lb, wb)
	}
	if eb := Encode(lazy); string(eb) != string(Encode(want)) {
		return fmt.Errorf("Encode differs")
	}
	return nil
}

var lazySeeds = []string{
	`{"name":"a","versions":{"1.0.0":{"bin":"x","deprecated":true,"engines":["node 1"],"bundleDependencies":true,"dependencies":["x"]}}}`,
	`{"name":"@s/a","dist-tags":{"latest":"1"},"versions":{"1":{"bin":{"../a":"../../b"},"os":"linux","license":[{"type":"MIT"}]}}}`,
	`{"versions":null,"time":{"unpublished":{}}}`,
	`{"name":"a","versions":{"1":{"dependencies":{"x":"1"},"engines":{"node":">=8"},"os":["linux"]},"2":{"dependencies":{"x":"1"},"dependencies":{"y":"2"},"engines":{"node":">=8"},"os":["linux"]}}}`,
	`{"name":"a","versions":{"1":{"peerDependenciesMeta":{"p":{"optional":true}}},"2":{"peerDependenciesMeta":{"p":{"optional":true}},"peerDependenciesMeta":{"q":{}}}}}`,
	`{"name":"a","versions":{"1":{"scripts":{"test":"npm install","postinstall":"x"}},"2":{"scripts":{"inst\u0061ll":"x"}},"3":{"scripts":{"preinstall":""}}}}`,
	// a key given again: the last value is the version (as encoding/json
	// and JSON.parse have it); null then an object: a new version
	`{"name":"a","versions":{"1":{"version":"1","dependencies":{"x":"1"}},"2":null,"1":{"deprecated":"no","dist":{"attestations":{"url":"u"}}},"2":{"engines":{"node":"1"}},"3":{},"3":null}}`,
	`{"name":"a","time":{"1":"2020-01-01T00:00:00Z"},"versions":{"1":{"version":"v1","deprecated":"old","engines":{"node":">=99"},"dist":{"tarball":"t","attestations":{"url":"u","provenance":{"predicateType":"p"}},"attestations":{"url":"w"}}}},"time":{"2":"x","created":5}}`,
	// unknown members cut around known ones
	`{"readme":"r","name":"a","versions":{"1.0.0":{"readme":"x","name":"a","devDependencies":{"x":"1"},"version":"1.0.0","scripts":{"test":"t"},"gitHead":"g","dist":{"tarball":"t","npm-signature":"s"}}},"users":{"u":true}}`,
	`{"name":"a","versions":{"1":{"dist":"x","engines":"node","deprecated":5,"version":7,"funding":{"url":[1,2]},"bin":{"a":1,"b":"c"}}}}`,
	// invalid JSON inside fields read later: refused up front
	`{"name":"a","versions":{"1":{"dependencies":{"x":"1" "y":"2"}}}}`,
	`{"name":"a","versions":{"1":{"dependencies":{"x":[1,,2]}}}}`,
	`{"name":"a","versions":{"1":{"bin":{"x":"a\qb"}}}}`,
	`{"name":"a","time":{"1":tru},"versions":{}}`,
	`{"name":"a","versions":{"1":{"dist":{"tarball":"a` + "\x01" + `"}}}}`,
	`{"name":"a","versions":{"1":{"license":{"type":"MIT",}}}}`,
	`{"name":"a","versions":{"1":{"os":["linux"],"cpu":[-01]}}}`,
	"{\"name\":\"\xff\\u00e9\\ud800x\",\"versions\":{\"\xfe\":{\"name\":\"\xfd\",\"bin\":{\"\\u0000x\":\"y\"}}}}",
	// times of versions: empty, not a string, repeated, of a null version,
	// in two "time" objects, and none at all
	`{"name":"a","time":{"1":"2020-01-01T00:00:00Z","2":"","3":5,"1":7,"4":"y","created":"c"},"versions":{"1":{},"2":{},"3":{},"4":null,"5":{}},"time":{"3":"z","6":"w"}}`,
	`{"name":"a","time":{"created":"c"},"versions":{"1":{}}}`,
	`{"name":"a","time":{"1":null},"versions":{"1":{}}}`,
	`{"name":"a","versions":{"1":{}}}`,
	// a version given null and then an object again lies after the ones
	// read since: its span moves by a search when the document is compacted
	`{"readme":"r","versions":{"1":{"x":1,"version":"1"},"2":{"y":2,"version":"2"},"1":null,"3":{"q":[1]},"1":{"z":3,"version":"1b","w":4},"2":{"v":5,"deprecated":"d"}},"a":1,"time":{"x":"y"},"b":2,"time":{"1":"z"}}`,
	// times before and after the versions, with cuts around each
	`{"readme":"r","time":{"1":"t"},"x":1,"versions":{"1":{"y":2,"version":"1"},"2":{"w":[3],"version":"2"}},"z":3,"time":{"2":"u"},"q":{}}`,
}

func TestDecodeLazy(t *testing.T) {
	for i, s := range lazySeeds {
		if err := sameLazy([]byte(s)); err != nil {
			t.Errorf("seed %d %s: %v", i, s, err)
		}
	}
	for i, doc := range generatedDocs() {
		if err := sameLazy(doc); err != nil {
			t.Errorf("generated doc %d: %v", i, err)
		}
	}
	// the invalid seeds are refused, with the offset
	for _, s := range lazySeeds[10:17] {
		if _, err := DecodeLazy([]byte(s)); err == nil {
			t.Errorf("%s: accepted", s)
		}
	}
}

func TestDecodeLazyOldShapes(t *testing.T) {
	doc := `{"name":"@s/pkg","versions":{
	  "1.0.0":{"bin":"./bin/cli.js","deprecated":true,"engines":["node >= 0.6"],"bundleDependencies":true,"dependencies":{"a":"^1"},"scripts":{"postinstall":"x"}},
	  "0.1.0":{"version":"0.1.0","dist":{"tarball":"http://r/x.tgz","attestations":{"url":"http://r/a","provenance":{"predicateType":"https://slsa.dev/provenance/v1"}}}},
	  "0.0.1":null}}`
	p, err := DecodeLazy([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	h, _ := p.Head("1.0.0")
	if h.Version != "1.0.0" || h.Deprecated != "deprecated" || !reflect.DeepEqual(h.Engines, Engines{"node": ">= 0.6"}) {
		t.Errorf("head %+v", h)
	}
	if h, _ := p.Head("0.1.0"); h.Attestations == nil || h.Attestations.URL != "http://r/a" {
		t.Errorf("attestations %+v", h.Attestations)
	}
	if p.HasVersion("0.0.1") || p.NumVersions() != 2 {
		t.Errorf("null version kept")
	}
	m := p.Manifest("1.0.0")
	if m.Name != "@s/pkg" || !reflect.DeepEqual(m.Bin, Bin{"pkg": "bin/cli.js"}) || !m.HasInstallScript || !reflect.DeepEqual(m.Bundled(), []string{"a"}) {
		t.Errorf("manifest %+v", m)
	}
	if p.Latest() != nil {
		t.Errorf("latest without dist-tags")
	}
}

// TestLazyClone: a clone's versions and dist-tags change alone; the
// manifests are shared.
func TestLazyClone(t *testing.T) {
	doc := []byte(`{"name":"a","dist-tags":{"latest":"2.0.0"},"versions":{"1.0.0":{},"2.0.0":{}}}`)
	for _, dec := range []func([]byte) (*Packument, error){DecodeLazy, DecodeForInstall} {
		p, err := dec(bytes.Clone(doc))
		if err != nil {
			t.Fatal(err)
		}
		cp := p.Clone()
		cp.DeleteVersion("2.0.0")
		cp.DistTags["latest"] = "1.0.0"
		if !p.HasVersion("2.0.0") || p.DistTags["latest"] != "2.0.0" || p.NumVersions() != 2 {
			t.Errorf("the original changed")
		}
		if cp.HasVersion("2.0.0") || cp.Manifest("2.0.0") != nil || cp.NumVersions() != 1 || len(cp.AllVersions()) != 1 {
			t.Errorf("the copy kept the deleted version")
		}
		if slices.Collect(cp.VersionKeys())[0] != "1.0.0" {
			t.Errorf("copy's keys %q", slices.Collect(cp.VersionKeys()))
		}
		if cp.Manifest("1.0.0") != p.Manifest("1.0.0") || cp.Latest() != p.Manifest("1.0.0") {
			t.Errorf("manifests not shared")
		}
	}
}

// TestLazyConcurrent: many goroutines asking for the same versions get
// one manifest each (run with -race).
func TestLazyConcurrent(t *testing.T) {
	doc := generatedDocs()[19]
	p, err := DecodeLazy(doc)
	if err != nil {
		t.Fatal(err)
	}
	keys := slices.Collect(p.VersionKeys())
	got := make([][]*Manifest, 8)
	var wg sync.WaitGroup
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, v := range keys {
				got[g] = append(got[g], p.Manifest(v))
				p.Times()
			}
		}()
	}
	wg.Wait()
	for g := range got {
		for i, m := range got[g] {
			if m == nil || m != got[0][i] {
				t.Fatalf("goroutine %d version %s: %p vs %p", g, keys[i], m, got[0][i])
			}
		}
	}
}

func FuzzDecodeLazy(f *testing.F) {
	for _, s := range lazySeeds {
		f.Add([]byte(s))
	}
	for _, doc := range generatedDocs()[:5] {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := sameLazy(data); err != nil {
			t.Fatalf("%q: %v", data, err)
		}
	})
}

func FuzzValidate(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":[1,-2.5e+3,true,false,null,"x\u00e9\n"]}`, `[1,]`, `{"a":1,}`, `"\x"`, `01`, `[[[[]]]]`, `{"a" 1}`, "\"\x01\"", `tru`, `-`, `1.`, `1e`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := &decoder{data: data}
		d.ws()
		d.validate()
		if d.err == nil {
			d.ws()
		}
		ok := d.err == nil && d.pos == len(data)
		// encoding/json's Valid also checks UTF-8 only where it must
		// not: it accepts invalid UTF-8, as validate does
		if want := json.Valid(data); ok != want {
			t.Fatalf("%q: validate %v (%v), json.Valid %v", data, ok, d.err, want)
		}
	})
}

// TestLazyCorpus runs sameLazy over $PACKUMENT_CORPUS.
func TestLazyCorpus(t *testing.T) {
	for i, data := range readCorpus(t) {
		if err := sameLazy(data); err != nil {
			t.Fatalf("doc %d: %v", i, err)
		}
	}
}

// BenchmarkDecodeLazyCorpus is BenchmarkDecodeForInstallCorpus for
// DecodeLazyCompact (what a cold install runs on each document), plus the
// manifest of each document's latest version.
func BenchmarkDecodeLazyCorpus(b *testing.B) {
	docs := readCorpus(b)
	var n int64
	for _, d := range docs {
		n += int64(len(d))
	}
	bufs := make([][]byte, len(docs))
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		for j, d := range docs {
			bufs[j] = append(bufs[j][:0], d...)
			p, _, err := DecodeLazyCompact(bufs[j])
			if err != nil {
				b.Fatal(err)
			}
			p.Latest()
		}
	}
}

// BenchmarkDecodeForInstallCompactCorpus is the eager counterpart of
// BenchmarkDecodeLazyCorpus.
func BenchmarkDecodeForInstallCompactCorpus(b *testing.B) {
	docs := readCorpus(b)
	var n int64
	for _, d := range docs {
		n += int64(len(d))
	}
	bufs := make([][]byte, len(docs))
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, d := range docs {
			bufs[j] = append(bufs[j][:0], d...)
			p, _, err := DecodeForInstallCompact(bufs[j])
			if err != nil {
				b.Fatal(err)
			}
			p.Latest()
		}
	}
}

// reportCPU starts counting the process's CPU time (both cores: the
// garbage collector's work too) and returns the function that reports it
// per iteration as cpu-ns/op.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() { b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op") }
}

func cpuTime() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}
