package store

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gnode/internal/npm/integrity"
	"gnode/internal/npm/tarball"
)

type tfile struct {
	name string
	body string
	mode int64
}

// mkPkg builds a package tarball the way npm packs one: everything under
// "package/". The output is deterministic, so two processes building the
// same package get the same bytes and the same integrity.
func mkPkg(t testing.TB, files ...tfile) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, f := range files {
		mode := f.mode
		if mode == 0 {
			mode = 0o644
		}
		if err := tw.WriteHeader(&tar.Header{Name: "package/" + f.name, Mode: mode, Size: int64(len(f.body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(f.body))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return buf.Bytes()
}

func sriOf(b []byte) string {
	h, _ := integrity.FromBytes(b).Get(integrity.SHA512)
	return h.String()
}

func sha1Of(b []byte) string {
	h, _ := integrity.FromBytes(b).Get(integrity.SHA1)
	return h.String()
}

var simple = []tfile{
	{name: "package.json", body: `{"name":"simple","version":"1.0.0","bin":{"simple":"bin/cli.js"}}`},
	{name: "bin/cli.js", body: "#!/usr/bin/env node\nconsole.log(1)\n", mode: 0o755},
	{name: "lib/index.js", body: "module.exports = 1\n"},
	{name: "lib/deep/er/x.js", body: "x"},
}

func openStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "cache"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkTree verifies that pkg holds exactly the files of simple.
func checkTree(t testing.TB, pkg string, files []tfile) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(pkg, filepath.FromSlash(f.name))
		b, err := os.ReadFile(p)
		if err != nil || string(b) != f.body {
			t.Fatalf("%s = %q, %v; want %q", f.name, b, err, f.body)
		}
		fi, _ := os.Stat(p)
		want := fs.FileMode(0o644)
		if f.mode&0o111 != 0 {
			want = 0o755
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s mode %v, want %v", f.name, fi.Mode().Perm(), want)
		}
	}
}

// tmpEmpty fails when a Put left something in the store's tmp folder.
func tmpEmpty(t testing.TB, s *Store) {
	t.Helper()
	ents, _ := os.ReadDir(filepath.Join(s.Dir(), tmpDir))
	if len(ents) != 0 {
		t.Errorf("tmp folder not cleaned: %d entries", len(ents))
	}
}

// countEntries counts package entries in the content folder.
func countEntries(t testing.TB, s *Store) int {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(s.Dir(), contentDir, "sha512", "*", "*"))
	return len(m)
}

type failReader struct{}

func (failReader) Read([]byte) (int, error) { return 0, errors.New("must not be read") }

func TestPutHasIndex(t *testing.T) {
	s := openStore(t)
	data := mkPkg(t, simple...)
	sri := sriOf(data)
	if _, ok := s.Has(sri); ok {
		t.Fatal("Has before Put")
	}
	p, err := s.Put(context.Background(), sri, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	checkTree(t, p, simple)
	if got, ok := s.Has(sri); !ok || got != p {
		t.Fatalf("Has = %q, %v; want %q", got, ok, p)
	}
	// A second Put of a present package does not read the tarball.
	if p2, err := s.Put(context.Background(), sri, failReader{}); err != nil || p2 != p {
		t.Fatalf("second Put = %q, %v", p2, err)
	}
	idx, err := s.Index(p)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range idx.Files {
		names = append(names, fmt.Sprintf("%s:%d:%v", f.Path, f.Size, f.Exec()))
	}
	if got := strings.Join(names, " "); got != "bin/cli.js:35:true lib/deep/er/x.js:1:false lib/index.js:19:false package.json:65:false" {
		t.Errorf("Files = %s", got)
	}
	if strings.Join(idx.Dirs, " ") != "bin lib lib/deep lib/deep/er" {
		t.Errorf("Dirs = %v", idx.Dirs)
	}
	// Verified against sha512: sha1 is not computed (Import records it).
	if idx.Integrity != sri || idx.Shasum != "" || idx.TarballSize != int64(len(data)) {
		t.Errorf("index sums = %s %s %d", idx.Integrity, idx.Shasum, idx.TarballSize)
	}
	if string(idx.PackageJSON) != simple[0].body || idx.HasInstallScripts || idx.HasBindingGyp {
		t.Errorf("index package.json = %s, scripts %v, gyp %v", idx.PackageJSON, idx.HasInstallScripts, idx.HasBindingGyp)
	}
	// The index on disk reads back the same (not only the cached copy).
	s2, _ := Open(s.Dir())
	idx2, err := s2.Index(p)
	if err != nil || idx2.Integrity != idx.Integrity || len(idx2.Files) != 4 {
		t.Fatalf("reopened index = %+v, %v", idx2, err)
	}
	tmpEmpty(t, s)
}

func TestPutSha1Only(t *testing.T) {
	s := openStore(t)
	data := mkPkg(t, simple...)
	p, err := s.Put(context.Background(), sha1Of(data), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// The entry is keyed by the computed sha512, and the sha1 finds it.
	if got, ok := s.Has(sriOf(data)); !ok || got != p {
		t.Fatalf("Has(sha512) = %q, %v", got, ok)
	}
	if got, ok := s.Has(sha1Of(data)); !ok || got != p {
		t.Fatalf("Has(sha1) = %q, %v", got, ok)
	}
	idx, _ := s.Index(p)
	if idx.Integrity != sriOf(data) {
		t.Fatalf("index integrity %s, want the sha512 %s", idx.Integrity, sriOf(data))
	}
	// Verified against sha1, the entry records it.
	if want := integrity.MustParse(sha1Of(data)).Hashes[0].Hex(); idx.Shasum != want {
		t.Fatalf("index shasum %q, want %q", idx.Shasum, want)
	}
	// A sha1 of other bytes finds nothing.
	if _, ok := s.Has(sha1Of([]byte("x"))); ok {
		t.Fatal("Has(other sha1)")
	}
}

func TestPutMismatch(t *testing.T) {
	s := openStore(t)
	data := mkPkg(t, simple...)
	other := mkPkg(t, tfile{name: "package.json", body: "{}"})
	for _, tc := range []struct{ name, sri string }{{"sha512", sriOf(other)}, {"sha1", sha1Of(other)}} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Put(context.Background(), tc.sri, bytes.NewReader(data))
			var me *integrity.MismatchError
			if !errors.As(err, &me) {
				t.Fatalf("err = %v, want *integrity.MismatchError", err)
			}
			actual := sriOf(data)
			if tc.name == "sha1" {
				actual = sha1Of(data)
			}
			if !strings.Contains(err.Error(), tc.sri) || !strings.Contains(err.Error(), actual) {
				t.Errorf("message %q must name expected %s and actual %s", err, tc.sri, actual)
			}
			if n := countEntries(t, s); n != 0 {
				t.Errorf("%d entries after a mismatch", n)
			}
			if _, ok := s.Has(sriOf(data)); ok {
				t.Error("the mismatching data is in the store")
			}
			tmpEmpty(t, s)
		})
	}
}

func TestPutTruncatedDownloadIsMismatch(t *testing.T) {
	s := openStore(t)
	data := mkPkg(t, simple...)
	_, err := s.Put(context.Background(), sriOf(data), bytes.NewReader(data[:len(data)/2]))
	var me *integrity.MismatchError
	if !errors.As(err, &me) {
		t.Fatalf("err = %v, want a mismatch (the cause) rather than the extraction error", err)
	}
	tmpEmpty(t, s)
}

func TestPutHostileTarball(t *testing.T) {
	s := openStore(t)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	tw.WriteHeader(&tar.Header{Name: "package/../../../escape", Size: 1, Mode: 0o644, Typeflag: tar.TypeReg})
	tw.Write([]byte("x"))
	tw.Close()
	zw.Close()
	data := buf.Bytes()
	_, err := s.Put(context.Background(), sriOf(data), bytes.NewReader(data))
	if !errors.Is(err, tarball.ErrUnsafePath) {
		t.Fatalf("err = %v, want ErrUnsafePath", err)
	}
	if !strings.Contains(err.Error(), "extracting package tarball sha512-") {
		t.Errorf("message %q should say what failed", err)
	}
	if countEntries(t, s) != 0 {
		t.Error("hostile tarball entered the store")
	}
	tmpEmpty(t, s)
}

func TestPutBadIntegrity(t *testing.T) {
	s := openStore(t)
	for _, sri := range []string{"", "sha512-!!", "md5-XrY7u+Ae7tCTyyK7j1rNww=="} {
		if _, err := s.Put(context.Background(), sri, failReader{}); err == nil {
			t.Errorf("Put(%q) succeeded", sri)
		}
	}
	if _, err := s.Put(context.Background(), "md5-XrY7u+Ae7tCTyyK7j1rNww==", failReader{}); !errors.Is(err, integrity.ErrNoKnownAlgorithm) {
		t.Errorf("md5 only: err = %v", err)
	}
}

func TestPutCanceled(t *testing.T) {
	s := openStore(t)
	data := mkPkg(t, simple...)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Put(ctx, sriOf(data), bytes.NewReader(data)); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	tmpEmpty(t, s)
}

func TestImport(t *testing.T) {
	s := openStore(t)
	data := mkPkg(t, simple...)
	p, sum, err := s.Import(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if sum.String() != integrity.FromBytes(data).String() {
		t.Fatalf("Import sum %s, want %s", sum, integrity.FromBytes(data))
	}
	if got, ok := s.Has(sum.String()); !ok || got != p {
		t.Fatalf("Has(imported) = %q, %v", got, ok)
	}
}

func TestInstallScriptDetection(t *testing.T) {
	tests := []struct {
		name        string
		files       []tfile
		scripts     bool
		gyp         bool
		pkgJSONErr  string
		packageJSON string
	}{
		{"none", []tfile{{name: "package.json", body: `{"scripts":{"test":"x","prepare":"y"}}`}}, false, false, "", ""},
		{"postinstall", []tfile{{name: "package.json", body: `{"scripts":{"postinstall":"node x"}}`}}, true, false, "", ""},
		{"preinstall", []tfile{{name: "package.json", body: `{"scripts":{"preinstall":"node x"}}`}}, true, false, "", ""},
		{"empty script", []tfile{{name: "package.json", body: `{"scripts":{"install":""}}`}}, false, false, "", ""},
		{"binding.gyp", []tfile{{name: "package.json", body: `{}`}, {name: "binding.gyp", body: "{}"}}, true, true, "", ""},
		{"gypfile false", []tfile{{name: "package.json", body: `{"gypfile":false}`}, {name: "binding.gyp", body: "{}"}}, false, true, "", ""},
		{"nested binding.gyp", []tfile{{name: "package.json", body: `{}`}, {name: "deps/binding.gyp", body: "{}"}}, false, false, "", ""},
		{"bom", []tfile{{name: "package.json", body: "\ufeff{\"scripts\":{\"install\":\"x\"}}"}}, true, false, "", `{"scripts":{"install":"x"}}`},
		{"invalid json", []tfile{{name: "package.json", body: `{"name":`}}, false, false, "unexpected end", ""},
		{"no package.json", []tfile{{name: "index.js", body: `1`}}, false, false, "not found", ""},
	}
	s := openStore(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := mkPkg(t, tt.files...)
			p, err := s.Put(context.Background(), sriOf(data), bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			idx, err := s.Index(p)
			if err != nil {
				t.Fatal(err)
			}
			if idx.HasInstallScripts != tt.scripts || idx.HasBindingGyp != tt.gyp {
				t.Errorf("scripts %v gyp %v, want %v %v", idx.HasInstallScripts, idx.HasBindingGyp, tt.scripts, tt.gyp)
			}
			if !strings.Contains(idx.PackageJSONError, tt.pkgJSONErr) || (tt.pkgJSONErr == "") != (idx.PackageJSONError == "") {
				t.Errorf("PackageJSONError = %q, want %q", idx.PackageJSONError, tt.pkgJSONErr)
			}
			if tt.packageJSON != "" && string(idx.PackageJSON) != tt.packageJSON {
				t.Errorf("PackageJSON = %s", idx.PackageJSON)
			}
		})
	}
}

func TestConcurrentPutGoroutines(t *testing.T) {
	s := openStore(t)
	data := mkPkg(t, simple...)
	sri := sriOf(data)
	var wg sync.WaitGroup
	paths := make([]string, 8)
	errs := make([]error, 8)
	for i := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Separate Store values, as in separate processes: no shared cache.
			st, err := Open(s.Dir())
			if err != nil {
				errs[i] = err
				return
			}
			paths[i], errs[i] = st.put2(sri, data)
		}()
	}
	wg.Wait()
	for i := range paths {
		if errs[i] != nil || paths[i] != paths[0] {
			t.Fatalf("goroutine %d: %q, %v (want %q)", i, paths[i], errs[i], paths[0])
		}
	}
	checkTree(t, paths[0], simple)
	if n := countEntries(t, s); n != 1 {
		t.Fatalf("%d entries", n)
	}
	tmpEmpty(t, s)
}

// put2 calls put directly, bypassing Put's "already present" shortcut so
// that concurrent callers really race on the rename.
func (s *Store) put2(sri string, data []byte) (string, error) {
	want := integrity.MustParse(sri)
	r, err := s.put(context.Background(), &want, bytes.NewReader(data), nil)
	return r.Path, err
}

// helperPackages are the packages the helper processes put, in order.
func helperPackages(t testing.TB) [][]byte {
	var out [][]byte
	for i := 0; i < 20; i++ {
		files := []tfile{{name: "package.json", body: fmt.Sprintf(`{"name":"p%d","version":"1.0.0"}`, i)}}
		for j := 0; j < 30; j++ {
			files = append(files, tfile{name: fmt.Sprintf("lib/%d/f%d.js", j%5, j), body: strings.Repeat(fmt.Sprintf("// %d %d\n", i, j), 50+j)})
		}
		out = append(out, mkPkg(t, files...))
	}
	return out
}

// TestHelperProcess is not a test: TestConcurrentPutProcesses runs the test
// binary again with GNODE_STORE_HELPER_DIR set, and this function then puts
// the helper packages into that store, bypassing the "already present"
// shortcut so that the processes race.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv("GNODE_STORE_HELPER_DIR")
	if dir == "" {
		t.Skip("helper for TestConcurrentPutProcesses")
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 3; round++ {
		for _, data := range helperPackages(t) {
			p, err := s.put2(sriOf(data), data)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Println("PUT", p)
		}
	}
}

func TestConcurrentPutProcesses(t *testing.T) {
	if os.Getenv("GNODE_STORE_HELPER_DIR") != "" {
		t.Skip("inside a helper")
	}
	dir := filepath.Join(t.TempDir(), "cache")
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	const procs = 3
	var outs [procs]bytes.Buffer
	var cmds []*execCmd
	for i := 0; i < procs; i++ {
		c := startHelper(t, dir, &outs[i])
		cmds = append(cmds, c)
	}
	// While the helpers run, every package visible in the store must be
	// complete: readers never see a partial tree.
	pkgs := helperPackages(t)
	done := make(chan struct{})
	go func() {
		for _, c := range cmds {
			c.Wait()
		}
		close(done)
	}()
	checks := 0
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		for _, data := range pkgs {
			if p, ok := s.Has(sriOf(data)); ok {
				verifyPackage(t, s, p, data)
				checks++
			}
		}
		time.Sleep(time.Millisecond)
	}
	for i, c := range cmds {
		if c.err != nil {
			t.Fatalf("helper %d: %v\n%s", i, c.err, outs[i].String())
		}
	}
	// Every helper got the same path for each package.
	var lines [procs][]string
	for i := range outs {
		for _, l := range strings.Split(outs[i].String(), "\n") {
			if strings.HasPrefix(l, "PUT ") {
				lines[i] = append(lines[i], l)
			}
		}
		if len(lines[i]) != 3*len(pkgs) {
			t.Fatalf("helper %d printed %d puts:\n%s", i, len(lines[i]), outs[i].String())
		}
	}
	for i := 1; i < procs; i++ {
		if strings.Join(lines[i], "\n") != strings.Join(lines[0], "\n") {
			t.Fatalf("helpers disagree on paths")
		}
	}
	for _, data := range pkgs {
		p, ok := s.Has(sriOf(data))
		if !ok {
			t.Fatal("package missing after the helpers finished")
		}
		verifyPackage(t, s, p, data)
	}
	if n := countEntries(t, s); n != len(pkgs) {
		t.Fatalf("%d entries, want %d", n, len(pkgs))
	}
	tmpEmpty(t, s)
	t.Logf("%d processes, %d puts each; %d complete-tree checks while they ran", procs, 3*len(pkgs), checks)
}

// verifyPackage compares a store entry with the tarball it came from.
func verifyPackage(t testing.TB, s *Store, p string, data []byte) {
	t.Helper()
	want := map[string]string{}
	err := tarball.Walk(bytes.NewReader(data), tarball.Options{}, func(e tarball.Entry, r io.Reader) error {
		b, _ := io.ReadAll(r)
		want[e.Path] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	idx, err := s.Index(p)
	if err != nil {
		t.Fatalf("visible entry without a readable index: %v", err)
	}
	if len(idx.Files) != len(want) {
		t.Fatalf("index lists %d files, want %d", len(idx.Files), len(want))
	}
	for name, body := range want {
		b, err := os.ReadFile(filepath.Join(p, filepath.FromSlash(name)))
		if err != nil || string(b) != body {
			t.Fatalf("partial or wrong tree: %s: %v", name, err)
		}
	}
}

func TestOpenRemovesStaleTmp(t *testing.T) {
	s := openStore(t)
	stale := filepath.Join(s.Dir(), tmpDir, "put-stale")
	fresh := filepath.Join(s.Dir(), tmpDir, "put-fresh")
	os.MkdirAll(filepath.Join(stale, "package"), 0o755)
	os.MkdirAll(fresh, 0o755)
	old := time.Now().Add(-48 * time.Hour)
	os.Chtimes(stale, old, old)
	if _, err := Open(s.Dir()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("stale temporary folder kept")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("fresh temporary folder (maybe a live Put) removed")
	}
}

func TestOpenUnwritable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can write anywhere")
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o500)
	defer os.Chmod(dir, 0o755)
	if _, err := Open(filepath.Join(dir, "cache")); err == nil || !strings.Contains(err.Error(), "GNODE_CACHE_DIR") {
		t.Fatalf("err = %v", err)
	}
}

func putSimple(t testing.TB, s *Store, files []tfile) string {
	t.Helper()
	data := mkPkg(t, files...)
	p, err := s.Put(context.Background(), sriOf(data), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLinkHardlinks(t *testing.T) {
	s := openStore(t)
	p := putSimple(t, s, simple)
	dest := filepath.Join(t.TempDir(), "node_modules", "simple")
	// A stale file in the way is replaced.
	os.MkdirAll(filepath.Join(dest, "lib"), 0o755)
	os.WriteFile(filepath.Join(dest, "lib", "index.js"), []byte("stale"), 0o644)
	if err := s.Link(p, dest); err != nil {
		t.Fatal(err)
	}
	checkTree(t, dest, simple)
	for _, f := range simple {
		a, _ := os.Stat(filepath.Join(p, f.name))
		b, _ := os.Stat(filepath.Join(dest, f.name))
		if !os.SameFile(a, b) {
			t.Errorf("%s is not a hard link to the store", f.name)
		}
	}
}

func TestLinkCopyFallback(t *testing.T) {
	s := openStore(t)
	p := putSimple(t, s, simple)
	calls := 0
	linkFile = func(string, string) error {
		calls++
		return &os.LinkError{Op: "link", Err: syscall.EXDEV}
	}
	defer func() { linkFile = os.Link }()
	dest := filepath.Join(t.TempDir(), "simple")
	if err := s.Link(p, dest); err != nil {
		t.Fatal(err)
	}
	checkTree(t, dest, simple)
	a, _ := os.Stat(filepath.Join(p, "package.json"))
	b, _ := os.Stat(filepath.Join(dest, "package.json"))
	if os.SameFile(a, b) {
		t.Error("copy fallback produced a link")
	}
	if calls != 1 {
		t.Errorf("link tried %d times; after EXDEV the rest should be copied directly", calls)
	}
	// The store remembers: the next package is copied without a try.
	if err := s.Link(p, filepath.Join(t.TempDir(), "again")); err != nil || calls != 1 {
		t.Errorf("second Link: %v, %d link calls", err, calls)
	}
}

// TestLinkAcrossFileSystems uses /dev/shm (tmpfs) as a real second file
// system when there is one.
func TestLinkAcrossFileSystems(t *testing.T) {
	var st1, st2 syscall.Stat_t
	s := openStore(t)
	if syscall.Stat("/dev/shm", &st1) != nil || syscall.Stat(s.Dir(), &st2) != nil || st1.Dev == st2.Dev {
		t.Skip("no second file system at /dev/shm")
	}
	p := putSimple(t, s, simple)
	dest, err := os.MkdirTemp("/dev/shm", "gnode-store-test-")
	if err != nil {
		t.Skip(err)
	}
	defer os.RemoveAll(dest)
	if err := s.Link(p, filepath.Join(dest, "simple")); err != nil {
		t.Fatal(err)
	}
	checkTree(t, filepath.Join(dest, "simple"), simple)
}

func TestLinkLargeParallel(t *testing.T) {
	defer func(w int) { linkWorkers = w }(linkWorkers)
	linkWorkers = 4
	s := openStore(t)
	files := synthetic(300)
	p := putSimple(t, s, files)
	dest := filepath.Join(t.TempDir(), "big")
	if err := s.Link(p, dest); err != nil {
		t.Fatal(err)
	}
	checkTree(t, dest, files)
	var got []string
	filepath.WalkDir(dest, func(path string, d fs.DirEntry, err error) error {
		if !d.IsDir() {
			got = append(got, path)
		}
		return nil
	})
	if len(got) != len(files) {
		t.Fatalf("%d files linked, want %d", len(got), len(files))
	}
	sort.Strings(got)
}

func TestLinkNotInStore(t *testing.T) {
	s := openStore(t)
	if err := s.Link(filepath.Join(t.TempDir(), "package"), t.TempDir()); err == nil || !strings.Contains(err.Error(), "reading index") {
		t.Fatalf("err = %v", err)
	}
}

// synthetic returns n files shaped like a real package: nested folders,
// a few executables, sizes from a few bytes to a few KB.
func synthetic(n int) []tfile {
	files := []tfile{{name: "package.json", body: `{"name":"synthetic","version":"1.0.0"}`}}
	for i := 1; i < n; i++ {
		var mode int64
		if i%50 == 0 {
			mode = 0o755
		}
		body := strings.Repeat(fmt.Sprintf("export const v%d = %d;\n", i, i*7919%1000), 1+(i*37)%200)
		files = append(files, tfile{name: fmt.Sprintf("dist/m%d/sub%d/file%d.js", i%10, i%7, i), body: body, mode: mode})
	}
	return files
}

// TestPutSameIntegrityOnce: concurrent Puts of one integrity in a process
// extract it once; the others wait and get the same path without reading.
func TestPutSameIntegrityOnce(t *testing.T) {
	s := openStore(t)
	data := mkPkg(t, simple...)
	sri := sriOf(data)
	gate := make(chan struct{})
	first := &gatedReader{r: bytes.NewReader(data), gate: gate, started: make(chan struct{})}
	var wg sync.WaitGroup
	var p1 string
	var err1 error
	wg.Add(1)
	go func() { defer wg.Done(); p1, err1 = s.Put(context.Background(), sri, first) }()
	<-first.started
	results := make([]string, 4)
	errs := make([]error, 4)
	for i := range results {
		wg.Add(1)
		go func() { defer wg.Done(); results[i], errs[i] = s.Put(context.Background(), sri, failReader{}) }()
	}
	time.Sleep(20 * time.Millisecond) // let the waiters queue up (not a timing assertion)
	close(gate)
	wg.Wait()
	if err1 != nil {
		t.Fatal(err1)
	}
	for i := range results {
		if errs[i] != nil || results[i] != p1 {
			t.Fatalf("waiter %d: %q, %v", i, results[i], errs[i])
		}
	}
}

type gatedReader struct {
	r       io.Reader
	gate    chan struct{}
	started chan struct{}
	once    sync.Once
}

func (g *gatedReader) Read(p []byte) (int, error) {
	g.once.Do(func() { close(g.started); <-g.gate })
	return g.r.Read(p)
}

// TestPutNetworkErrorIsNotMismatch: a download that fails half way is
// reported as the read error (which a caller may retry), not as an
// integrity mismatch or a broken archive.
func TestPutNetworkErrorIsNotMismatch(t *testing.T) {
	s := openStore(t)
	data := mkPkg(t, synthetic(50)...)
	boom := errors.New("connection reset by peer")
	r := io.MultiReader(bytes.NewReader(data[:len(data)/2]), &errReader{boom})
	_, err := s.Put(context.Background(), sriOf(data), r)
	var me *integrity.MismatchError
	if !errors.Is(err, boom) || errors.As(err, &me) {
		t.Fatalf("err = %v, want the read error", err)
	}
	if !strings.Contains(err.Error(), "reading package tarball: connection reset") {
		t.Errorf("message %q", err)
	}
	tmpEmpty(t, s)
}

type errReader struct{ err error }

func (e *errReader) Read([]byte) (int, error) { return 0, e.err }

// TestLinkReplacesSymlinks: links in the destination (an "npm link"ed
// package, a planted folder link) are replaced, never written through.
func TestLinkReplacesSymlinks(t *testing.T) {
	s := openStore(t)
	p := putSimple(t, s, simple)
	root := t.TempDir()
	elsewhere := filepath.Join(root, "elsewhere")
	os.MkdirAll(filepath.Join(elsewhere, "lib"), 0o755)
	os.WriteFile(filepath.Join(elsewhere, "package.json"), []byte("user's own"), 0o644)
	os.WriteFile(filepath.Join(elsewhere, "lib", "index.js"), []byte("user's own"), 0o644)
	nm := filepath.Join(root, "node_modules")
	os.MkdirAll(nm, 0o755)
	if err := os.Symlink(elsewhere, filepath.Join(nm, "simple")); err != nil {
		t.Skip(err)
	}
	if err := s.Link(p, filepath.Join(nm, "simple")); err != nil {
		t.Fatal(err)
	}
	checkTree(t, filepath.Join(nm, "simple"), simple)
	// The same with a link one level down.
	other := filepath.Join(root, "node_modules", "other")
	os.MkdirAll(other, 0o755)
	os.Symlink(filepath.Join(elsewhere, "lib"), filepath.Join(other, "lib"))
	if err := s.Link(p, other); err != nil {
		t.Fatal(err)
	}
	checkTree(t, other, simple)
	for _, f := range []string{"package.json", "lib/index.js"} {
		if b, _ := os.ReadFile(filepath.Join(elsewhere, f)); string(b) != "user's own" {
			t.Errorf("%s behind the link was overwritten: %q", f, b)
		}
	}
}

// TestPutBytes checks that PutBytes (the in-memory path of a cold
// install) gives what Put gives: the same entry and index, and the same
// refusals (mismatch, truncation, hostile tarball), with nothing added.
func TestPutBytes(t *testing.T) {
	data := mkPkg(t, simple...)
	other := mkPkg(t, tfile{name: "package.json", body: "{}"})
	var hostile bytes.Buffer
	zw := gzip.NewWriter(&hostile)
	tw := tar.NewWriter(zw)
	tw.WriteHeader(&tar.Header{Name: "package/../../../escape", Size: 1, Mode: 0o644, Typeflag: tar.TypeReg})
	tw.Write([]byte("x"))
	tw.Close()
	zw.Close()
	cases := []struct {
		name string
		sri  string
		data []byte
		want func(error) bool
	}{
		{"ok sha512", sriOf(data), data, func(err error) bool { return err == nil }},
		{"ok sha1", sha1Of(data), data, func(err error) bool { return err == nil }},
		{"mismatch", sriOf(other), data, func(err error) bool { var me *integrity.MismatchError; return errors.As(err, &me) }},
		{"truncated", sriOf(data), data[:len(data)/2], func(err error) bool { var me *integrity.MismatchError; return errors.As(err, &me) }},
		{"hostile", sriOf(hostile.Bytes()), hostile.Bytes(), func(err error) bool { return errors.Is(err, tarball.ErrUnsafePath) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s1, s2 := openStore(t), openStore(t)
			p1, err1 := s1.Put(context.Background(), tc.sri, bytes.NewReader(tc.data))
			p2, err2 := s2.PutBytes(context.Background(), tc.sri, tc.data)
			if !tc.want(err1) || !tc.want(err2) {
				t.Fatalf("Put: %v; PutBytes: %v", err1, err2)
			}
			if err2 != nil {
				if countEntries(t, s2) != 0 {
					t.Error("a refused tarball entered the store")
				}
				tmpEmpty(t, s2)
				return
			}
			checkTree(t, p2, simple)
			i1, _ := s1.Index(p1)
			i2, _ := s2.Index(p2)
			b1, _ := json.Marshal(i1)
			b2, _ := json.Marshal(i2)
			if !bytes.Equal(b1, b2) {
				t.Errorf("indexes differ:\n%s\n%s", b1, b2)
			}
			if got, ok := s2.Has(tc.sri); !ok || got != p2 {
				t.Errorf("Has after PutBytes = %q, %v", got, ok)
			}
		})
	}
}
