package tarball

import (
	"archive/tar"
	"bytes"
	"errors"
	"flag"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "regenerate testdata fixtures")

type hostileCase struct {
	name    string
	data    []byte
	opts    Options
	wantErr error  // errors.Is target; nil when the entry is neutralised
	errText string // substring of the message
	check   func(t *testing.T, dest string, res *Result)
}

func hostile(t testing.TB) []hostileCase {
	ok := file("package/package.json", `{"name":"ok"}`)
	many := []ent{}
	for i := 0; i < 101; i++ {
		many = append(many, file("package/f"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+itoa(i), "x"))
	}
	truncGz := mkTgz(t, ok, file("package/big.js", strings.Repeat("data ", 20000)))
	truncGz = truncGz[:len(truncGz)/2]
	truncTar := mkTar(t, []ent{ok, file("package/big.js", strings.Repeat("data ", 20000))}, tar.FormatUnknown)
	truncTar = gz(t, truncTar[:len(truncTar)-20000])
	cutTrailer := mkTgz(t, ok)
	cutTrailer = cutTrailer[:len(cutTrailer)-4] // gzip length field missing

	return []hostileCase{
		{name: "path-traversal", data: mkTgz(t, ok, file("package/../outside/target", "pwned")),
			wantErr: ErrUnsafePath, errText: `"package/../outside/target": unsafe path: path contains ".."`},
		{name: "traversal-first-component", data: mkTgz(t, file("../outside/target", "pwned")),
			wantErr: ErrUnsafePath, errText: `contains ".."`},
		{name: "absolute-path", data: mkTgz(t, file("/tmp/gnode-abs-evil", "pwned")),
			wantErr: ErrUnsafePath, errText: "absolute path"},
		{name: "backslash-traversal", data: mkTgz(t, file(`package\..\outside\target`, "pwned")),
			wantErr: ErrUnsafePath, errText: `contains ".."`},
		{name: "drive-letter", data: mkTgz(t, file(`C:\outside\target`, "pwned")),
			wantErr: ErrUnsafePath, errText: "drive letter"},
		{name: "symlink-escape", data: mkTgz(t, ok,
			ent{name: "package/lib", typ: tar.TypeSymlink, link: "../outside"},
			file("package/lib/target", "written inside")),
			check: func(t *testing.T, dest string, res *Result) {
				fi, err := os.Lstat(filepath.Join(dest, "lib"))
				if err != nil || !fi.IsDir() {
					t.Fatalf("lib should be a real folder: %v %v", fi, err)
				}
				wantSkipped(t, res, "package/lib", "symbolic link")
			}},
		{name: "hardlink-escape", data: mkTgz(t, ok,
			ent{name: "package/passwd", typ: tar.TypeLink, link: "/etc/passwd"},
			ent{name: "package/target", typ: tar.TypeLink, link: "../outside/target"}),
			check: func(t *testing.T, dest string, res *Result) {
				noFile(t, dest, "passwd")
				noFile(t, dest, "target")
				wantSkipped(t, res, "package/passwd", "hard link")
			}},
		{name: "device-and-fifo", data: mkTgz(t, ok,
			ent{name: "package/null", typ: tar.TypeChar},
			ent{name: "package/disk", typ: tar.TypeBlock},
			ent{name: "package/pipe", typ: tar.TypeFifo}),
			check: func(t *testing.T, dest string, res *Result) {
				for _, n := range []string{"null", "disk", "pipe"} {
					noFile(t, dest, n)
				}
				wantSkipped(t, res, "package/null", "character device")
				wantSkipped(t, res, "package/disk", "block device")
				wantSkipped(t, res, "package/pipe", "fifo")
			}},
		{name: "truncated-gzip", data: truncGz, errText: "truncated"},
		{name: "truncated-gzip-trailer", data: cutTrailer, errText: "truncated"},
		{name: "truncated-tar", data: truncTar, errText: "truncated"},
		{name: "lying-header", data: gz(t, mkTar(t, []ent{ok, {name: "package/x", body: "short", size: 4096}}, tar.FormatUnknown)),
			errText: "truncated"},
		{name: "zip-bomb", data: mkTgz(t, ok, file("package/zeros", strings.Repeat("\x00", 4<<20))),
			opts: Options{MaxBytes: 1 << 20}, wantErr: ErrTooLarge, errText: "more than the size limit (1048576 bytes)",
		},
		{name: "huge-header", data: gz(t, mkTar(t, []ent{ok, {name: "package/huge", size: 5 << 30}}, tar.FormatUnknown)),
			wantErr: ErrTooLarge},
		{name: "bomb-many-files", data: mkTgz(t, append([]ent{ok}, many[:40]...)...), opts: Options{MaxBytes: 30},
			wantErr: ErrTooLarge},
		{name: "too-many-entries", data: mkTgz(t, many...), opts: Options{MaxEntries: 100},
			wantErr: ErrTooManyEntries, errText: "more entries than the limit (100 entries)"},
		{name: "duplicate-entries", data: mkTgz(t, ok,
			file("package/dup.js", "first"),
			ent{name: "package/dup.js", body: "second", mode: 0o755},
			file("package/a", "file"), ent{name: "package/a/", typ: tar.TypeDir}, file("package/a/b", "in dir"),
			ent{name: "package/d/", typ: tar.TypeDir}, file("package/d/x", "x"), file("package/d", "file wins")),
			check: func(t *testing.T, dest string, res *Result) {
				// The second copy is written over the first, which keeps its mode, as with npm.
				wantFile(t, dest, "dup.js", "second", mode(0o644))
				wantFile(t, dest, "a/b", "in dir", mode(0o644))
				wantFile(t, dest, "d", "file wins", mode(0o644))
				var paths []string
				for _, f := range res.Files {
					paths = append(paths, f.Path)
				}
				if got := strings.Join(paths, ","); got != "a/b,d,dup.js,package.json" {
					t.Errorf("Files = %s", got)
				}
			}},
		{name: "not-a-tarball", data: []byte("<!doctype html><title>502 Bad Gateway</title>"), errText: "reading tarball"},
		{name: "empty", data: nil, errText: "tarball is empty"},
	}
}

// mode is the permission npm gives a file whose archive mode is m:
// m | 0666, masked by the umask (0744 for 0700 with the usual 022).
func mode(m fs.FileMode) fs.FileMode { return (m | 0o666) &^ umask() }

func itoa(i int) string {
	return strings.TrimLeft(string([]byte{byte('0' + i/100), byte('0' + i/10%10), byte('0' + i%10)}), "0")
}

func wantSkipped(t *testing.T, res *Result, name, reason string) {
	t.Helper()
	for _, s := range res.Skipped {
		if s.Name == name && s.Reason == reason {
			return
		}
	}
	t.Errorf("Skipped = %+v, want %s (%s)", res.Skipped, name, reason)
}

func noFile(t *testing.T, dest, rel string) {
	t.Helper()
	if _, err := os.Lstat(filepath.Join(dest, rel)); err == nil {
		t.Errorf("%s exists, want it skipped", rel)
	}
}

func wantFile(t *testing.T, dest, rel, body string, mode fs.FileMode) {
	t.Helper()
	p := filepath.Join(dest, filepath.FromSlash(rel))
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm() != mode {
		t.Errorf("%s mode = %v, want regular %v", rel, fi.Mode(), mode)
	}
	if b, _ := os.ReadFile(p); string(b) != body {
		t.Errorf("%s = %q, want %q", rel, b, body)
	}
}

func TestHostile(t *testing.T) {
	for _, tc := range hostile(t) {
		t.Run(tc.name, func(t *testing.T) {
			root, dest := sandbox(t)
			res, err := Extract(bytes.NewReader(tc.data), dest, tc.opts)
			defer checkContained(t, root)
			if tc.check != nil {
				if err != nil {
					t.Fatalf("Extract: %v (want the bad entries neutralised)", err)
				}
				tc.check(t, dest, res)
				return
			}
			if err == nil {
				t.Fatalf("Extract succeeded, want an error")
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("error %q is not %v", err, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.errText) {
				t.Errorf("error %q does not contain %q", err, tc.errText)
			}
			t.Logf("error: %v", err)
			// The same refusals hold when only reading.
			werr := Walk(bytes.NewReader(tc.data), tc.opts, func(Entry, io.Reader) error { return nil })
			if tc.wantErr != nil && !errors.Is(werr, tc.wantErr) {
				t.Errorf("Walk error = %v, want %v", werr, tc.wantErr)
			}
		})
	}
	if _, err := os.Lstat("/tmp/gnode-abs-evil"); err == nil {
		t.Errorf("absolute path entry was written to /tmp/gnode-abs-evil")
	}
}

// TestHostileFixtureFiles runs the committed testdata/*.tgz through
// Extract: each must fail or be neutralised without writing outside dest.
func TestHostileFixtureFiles(t *testing.T) {
	cases := map[string]hostileCase{}
	for _, tc := range hostile(t) {
		cases[tc.name] = tc
	}
	files, _ := filepath.Glob("testdata/*.tgz")
	if len(files) != len(cases) {
		t.Fatalf("%d fixtures in testdata for %d cases; regenerate with -run WriteFixtures -update", len(files), len(cases))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".tgz")
		t.Run(name, func(t *testing.T) {
			tc, ok := cases[name]
			if !ok {
				t.Fatalf("no case named %s", name)
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			root, dest := sandbox(t)
			_, err = Extract(bytes.NewReader(data), dest, tc.opts)
			if (err == nil) != (tc.check != nil) {
				t.Errorf("Extract error = %v; want an error: %v", err, tc.check == nil)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("error %v is not %v", err, tc.wantErr)
			}
			checkContained(t, root)
		})
	}
}

func TestExtract(t *testing.T) {
	long := "package/" + strings.Repeat("deep/", 40) + "file.js" // > 100 bytes: needs PAX or GNU names
	for _, format := range []tar.Format{tar.FormatPAX, tar.FormatGNU} {
		t.Run(format.String(), func(t *testing.T) {
			ents := []ent{
				{name: "package/", typ: tar.TypeDir},
				file("package/package.json", `{"name":"x","version":"1.0.0"}`),
				ent{name: "package/bin/cli.js", body: "#!/usr/bin/env node\n", mode: 0o700},
				ent{name: "package/lib/private.js", body: "p", mode: 0o600},
				ent{name: "package/lib/group-exec", body: "g", mode: 0o610},
				file("package/./lib\\win.js", "w"),
				file(long, "long"),
				ent{name: "package/empty/", typ: tar.TypeDir},
			}
			if format == tar.FormatPAX {
				// npm's own tarballs start with one (git archive style).
				ents = append([]ent{{name: "pax_global_header", typ: tar.TypeXGlobalHeader, body: "c0ffee"}}, ents...)
			}
			tarData := mkTar(t, ents, format)
			for _, compressed := range []bool{true, false} {
				data := tarData
				if compressed {
					data = gz(t, tarData)
				}
				dest := filepath.Join(t.TempDir(), "pkg")
				res, err := Extract(bytes.NewReader(data), dest, Options{})
				if err != nil {
					t.Fatalf("Extract (gzip %v): %v", compressed, err)
				}
				wantFile(t, dest, "package.json", `{"name":"x","version":"1.0.0"}`, mode(0o644))
				wantFile(t, dest, "bin/cli.js", "#!/usr/bin/env node\n", mode(0o700))
				wantFile(t, dest, "lib/private.js", "p", mode(0o644))
				wantFile(t, dest, "lib/group-exec", "g", mode(0o610))
				wantFile(t, dest, "lib/win.js", "w", mode(0o644))
				wantFile(t, dest, strings.TrimPrefix(long, "package/"), "long", mode(0o644))
				// npm creates folders only to hold files.
				if _, err := os.Stat(filepath.Join(dest, "empty")); err == nil {
					t.Errorf("empty folder created")
				}
				if string(res.PackageJSON) != `{"name":"x","version":"1.0.0"}` {
					t.Errorf("PackageJSON = %q", res.PackageJSON)
				}
				if len(res.Files) != 6 || res.Entries != len(ents) || len(res.Skipped) != 0 {
					t.Errorf("Files = %d, Entries = %d, Skipped = %v", len(res.Files), res.Entries, res.Skipped)
				}
				if res.Size != int64(len(`{"name":"x","version":"1.0.0"}`)+len("#!/usr/bin/env node\n")+1+1+1+4) {
					t.Errorf("Size = %d", res.Size)
				}
			}
		})
	}
}

func TestFirstComponentAnyName(t *testing.T) {
	data := mkTgz(t, file("node-v1.2.3/package.json", "{}"), file("./x/y.js", "y"))
	dest := t.TempDir()
	if _, err := Extract(bytes.NewReader(data), dest, Options{}); err != nil {
		t.Fatal(err)
	}
	wantFile(t, dest, "package.json", "{}", mode(0o644))
	wantFile(t, dest, "y.js", "y", mode(0o644))
}

// TestPlantedLinksInDest: links already in dest (not from the archive) are
// replaced, never written through.
func TestPlantedLinksInDest(t *testing.T) {
	root, dest := sandbox(t)
	os.MkdirAll(dest, 0o755)
	if err := os.Symlink(filepath.Join(root, "outside"), filepath.Join(dest, "lib")); err != nil {
		t.Skip("symlinks not supported:", err)
	}
	os.Symlink(filepath.Join(root, "outside", "target"), filepath.Join(dest, "index.js"))
	data := mkTgz(t, file("package/lib/target", "pwned"), file("package/index.js", "pwned"))
	if _, err := Extract(bytes.NewReader(data), dest, Options{}); err != nil {
		t.Fatal(err)
	}
	wantFile(t, dest, "lib/target", "pwned", mode(0o644))
	wantFile(t, dest, "index.js", "pwned", mode(0o644))
	checkContained(t, root)
}

func TestTrailingGarbageAccepted(t *testing.T) {
	data := append(mkTgz(t, file("package/a", "a")), "garbage after the gzip member"...)
	if _, err := Extract(bytes.NewReader(data), t.TempDir(), Options{}); err != nil {
		t.Fatal(err)
	}
}

// TestExtractReadsWholeGzip: a caller hashing the input must see every byte
// of the gzip member, even though tar stops at its end-of-archive blocks.
func TestExtractReadsWholeGzip(t *testing.T) {
	data := mkTgz(t, file("package/a", "a"))
	r := &countingReader{r: bytes.NewReader(data)}
	if _, err := Extract(r, t.TempDir(), Options{}); err != nil {
		t.Fatal(err)
	}
	if r.n != int64(len(data)) {
		t.Fatalf("read %d of %d bytes", r.n, len(data))
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func TestReadFileAndWalk(t *testing.T) {
	data := mkTgz(t,
		file("package/package.json", `{"v":1}`),
		file("package/lib/a.js", "a"),
		ent{name: "package/link", typ: tar.TypeSymlink, link: "/etc/passwd"},
		file("package/package.json", `{"v":2}`))
	b, err := ReadFile(bytes.NewReader(data), "package.json", Options{})
	if err != nil || string(b) != `{"v":2}` {
		t.Fatalf("ReadFile = %q, %v (want the last duplicate)", b, err)
	}
	if b, err := ReadFile(bytes.NewReader(data), "./lib/a.js", Options{}); err != nil || string(b) != "a" {
		t.Fatalf("ReadFile lib/a.js = %q, %v", b, err)
	}
	if _, err := ReadFile(bytes.NewReader(data), "missing.js", Options{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing: err = %v", err)
	}
	if _, err := ReadFile(bytes.NewReader(data), "link", Options{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a link must not be readable: err = %v", err)
	}
	if _, err := ReadFile(bytes.NewReader(data), "../x", Options{}); err == nil {
		t.Fatal("ReadFile accepted ../x")
	}
	var seen []string
	err = Walk(bytes.NewReader(data), Options{}, func(e Entry, r io.Reader) error {
		seen = append(seen, e.Path)
		if e.Path == "lib/a.js" {
			return fs.SkipAll
		}
		return nil
	})
	if err != nil || strings.Join(seen, ",") != "package.json,lib/a.js" {
		t.Fatalf("Walk saw %v, %v", seen, err)
	}
}

func TestCleanPath(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"package/a.js", "a.js", ""},
		{"package", "", ""},
		{"package/", "", ""},
		{"./package/./lib//x.js", "lib/x.js", ""},
		{`package\lib\x.js`, "lib/x.js", ""},
		{"other/x", "x", ""},
		{"package/a/../b", "", ".."},
		{"..", "", ".."},
		{"/package/x", "", "absolute"},
		{`\\server\share\x`, "", "absolute"},
		{"c:/x/y", "", "drive letter"},
		{"package/c:/y", "c:/y", ""},
		{"package/..foo/x", "..foo/x", ""},
	}
	for _, tt := range tests {
		got, err := CleanPath(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, ErrUnsafePath) {
				t.Errorf("CleanPath(%q) = %q, %v; want error %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CleanPath(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// TestLargeFiles covers files written while streaming (above asyncMax)
// mixed with queued small ones, including duplicates across both paths.
func TestLargeFiles(t *testing.T) {
	big := strings.Repeat("0123456789abcdef", (asyncMax+1000)/16)
	data := mkTgz(t,
		file("package/small", "s1"),
		ent{name: "package/big", body: big, mode: 0o755},
		file("package/small", big), // small then big: the big one wins
		file("package/big", "now small"),
		file("package/big2", big))
	dest := t.TempDir()
	res, err := Extract(bytes.NewReader(data), dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantFile(t, dest, "small", big, mode(0o644))
	wantFile(t, dest, "big", "now small", mode(0o755)) // keeps the first copy's mode
	wantFile(t, dest, "big2", big, mode(0o644))
	if res.Size != int64(2*len(big)+len("now small")) {
		t.Errorf("Size = %d", res.Size)
	}
}

// TestWriterPool runs the extraction tests again with files written by a
// pool of goroutines.
func TestWriterPool(t *testing.T) {
	defer func(w int) { writers = w }(writers)
	writers = 3
	t.Run("hostile", TestHostile)
	t.Run("fixtures", TestHostileFixtureFiles)
	t.Run("extract", TestExtract)
	t.Run("large", TestLargeFiles)
	t.Run("planted", TestPlantedLinksInDest)
	t.Run("pacote", TestDifferentialPacote)
}
