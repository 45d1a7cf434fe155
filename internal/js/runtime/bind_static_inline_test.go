package runtime

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"gnode/internal/js/qjs"
)

// The answers taken on the loop must be the thread pool's answers.

func TestStatCachedMatchesThreadPool(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f.txt")
	if err := os.WriteFile(file, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	// The kernel declines to follow a symlink under RESOLVE_CACHED while
	// the link's atime still needs its relatime update: one ordinary
	// follow makes that update.
	time.Sleep(20 * time.Millisecond)
	if _, err := os.Stat(link); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := statCached(file, true); !ok {
		t.Skipf("no inline stat on %s (file system not local, or openat2 missing): nothing to compare", dir)
	}
	cases := []struct {
		name   string
		path   string
		follow bool
	}{
		{"regular file", file, true},
		{"directory", dir, true},
		{"symlink followed", link, true},
		{"symlink itself", link, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, ok, err := statCached(c.path, c.follow)
			if !ok || err != nil {
				t.Fatalf("statCached(%q, %v) declined", c.path, c.follow)
			}
			got := statxResult(&x, false)
			want, err := statPath(c.path, c.follow, false)
			if err != nil {
				t.Fatal(err)
			}
			if got.fields != want.fields {
				t.Errorf("fields %v, thread pool %v", got.fields, want.fields)
			}
			if got.times[1] != want.times[1] || got.times[2] != want.times[2] || got.times[3] != want.times[3] {
				t.Errorf("times %v, thread pool %v", got.times, want.times)
			}
		})
	}
}

func TestStatCachedErrorsAndDeclines(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f.txt")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing")
	notDir := filepath.Join(file, "x")
	// Errors the cached walk settles are answered, with statx's errno.
	for _, p := range []string{missing, notDir} {
		_, werr := statPath(p, true, false)
		if _, ok, err := statCached(p, true); ok && err != werr {
			t.Errorf("statCached(%q) error %v, thread pool %v", p, err, werr)
		} else if ok && err == nil {
			t.Errorf("statCached(%q) answered a stat", p)
		}
	}
	cases := []struct {
		name   string
		path   string
		follow bool
	}{
		{"nul in path", file + "\x00x", true},
		// procfs is not a local disk file system.
		{"procfs", "/proc/self", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, ok, _ := statCached(c.path, c.follow); ok {
				t.Errorf("statCached(%q) answered; want the thread pool", c.path)
			}
		})
	}
	if inlineFSOff.Load() {
		t.Error("a declined path turned the inline answers off")
	}
}

func TestOpenReadCachedMatchesThreadPool(t *testing.T) {
	dir := t.TempDir()
	big := bytes.Repeat([]byte("0123456789abcdef"), 6000) // 96000 bytes
	cases := []struct {
		name string
		data []byte
		n    int
		pos  int64
	}{
		{"empty", nil, 65536, -1},
		{"small whole", []byte("small file\n"), 65536, -1},
		{"small at position", []byte("small file\n"), 65536, 3},
		{"range inside", big, 90, 10},
		{"larger than the chunk", big, 65536, -1},
		{"larger, at position", big, 65536, 40000},
		{"position past the end", []byte("abc"), 65536, 10},
		{"zero length", []byte("abc"), 0, -1},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, "f"+string(rune('a'+i)))
			if err := os.WriteFile(p, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			r := &rt{fds: newFDTable()}
			defer r.fds.closeAll()
			res, rest, ok := r.openReadCached(p, unix.O_RDONLY, c.n, c.pos, qjs.Undefined)
			if !ok {
				t.Skipf("no inline open on %s (file system not local, or openat2 missing)", dir)
			}
			if rest != nil {
				v, err := rest()
				if err != nil {
					t.Fatal(err)
				}
				res = v
			}
			got := res.(openReadResult)
			f, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			want := openReadResult{fd: int(f.Fd())}.read(f, c.n, c.pos)
			if !bytes.Equal(got.data, want.data) || (got.data == nil) != (want.data == nil) || got.eof != want.eof {
				t.Errorf("data %d bytes (nil %v) eof %v; thread pool %d bytes (nil %v) eof %v",
					len(got.data), got.data == nil, got.eof, len(want.data), want.data == nil, want.eof)
			}
			gf, ok := r.fds.get(got.fd)
			if !ok {
				t.Fatal("descriptor not in the table")
			}
			// The stream's next read without a position starts where
			// the thread pool's read left the file.
			gpos, _ := gf.Seek(0, 1)
			wpos, _ := f.Seek(0, 1)
			if gpos != wpos {
				t.Errorf("file position %d, thread pool %d", gpos, wpos)
			}
			fl, err := unix.FcntlInt(gf.Fd(), unix.F_GETFL, 0)
			if err != nil || fl&unix.O_NONBLOCK != 0 || fl&unix.O_ACCMODE != unix.O_RDONLY {
				t.Errorf("descriptor flags %#x (%v): want read-only, blocking", fl, err)
			}
		})
	}
}

func TestOpenReadCachedDeclines(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		path  string
		flags int
	}{
		// A FIFO's open waits for a writer: never on the loop.
		{"fifo", fifo, unix.O_RDONLY},
		{"missing", filepath.Join(dir, "missing"), unix.O_RDONLY},
		{"directory", dir, unix.O_RDONLY},
		{"read-write", file, unix.O_RDWR},
		{"create", file, unix.O_RDONLY | unix.O_CREAT},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := &rt{fds: newFDTable()}
			defer r.fds.closeAll()
			done := make(chan bool, 1)
			go func() {
				_, _, ok := r.openReadCached(c.path, c.flags, 65536, -1, qjs.Undefined)
				done <- ok
			}()
			select {
			case ok := <-done:
				if ok && c.name != "missing" {
					t.Errorf("openReadCached(%q, %#x) answered; want the thread pool", c.path, c.flags)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("openReadCached(%q) blocked", c.path)
			}
		})
	}
}

func TestReadFileCached(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		size   int
		flags  int
		answer bool
	}{
		{"empty", 0, unix.O_RDONLY, true},
		{"small", 11, unix.O_RDONLY, true},
		{"page", 4096, unix.O_RDONLY, true},
		{"large", 200000, unix.O_RDONLY, true},
		// Past inlineReadMax: the thread pool's.
		{"too large", inlineReadMax + 1, unix.O_RDONLY, false},
		{"read-write", 11, unix.O_RDWR, false},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, "f"+string(rune('a'+i)))
			data := bytes.Repeat([]byte{byte('a' + i)}, c.size)
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			got, ok := readFileCached(p, c.flags)
			if ok != c.answer {
				if c.answer && !ok {
					if _, sok, _ := statCached(p, true); !sok {
						t.Skipf("no inline stat on %s (file system not local, or openat2 missing)", dir)
					}
				}
				t.Fatalf("readFileCached answered %v, want %v", ok, c.answer)
			}
			if ok && !bytes.Equal(got, data) {
				t.Errorf("read %d bytes, file has %d", len(got), len(data))
			}
		})
	}
	for _, p := range []string{fifo, filepath.Join(dir, "missing"), dir} {
		done := make(chan bool, 1)
		go func() {
			_, ok := readFileCached(p, unix.O_RDONLY)
			done <- ok
		}()
		select {
		case ok := <-done:
			if ok {
				t.Errorf("readFileCached(%q) answered; want the thread pool", p)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("readFileCached(%q) blocked", p)
		}
	}
}

func TestReadCached(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	data := bytes.Repeat([]byte("0123456789"), 20000) // 200000 bytes
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, positioned := range []bool{false, true} {
		r := &rt{fds: newFDTable()}
		res, rest, ok := r.openReadCached(p, unix.O_RDONLY, 65536, -1, qjs.Undefined)
		if !ok || rest != nil {
			r.fds.closeAll()
			t.Skipf("no inline open on %s (file system not local, or openat2 missing)", dir)
		}
		o := res.(openReadResult)
		got := append([]byte(nil), o.data...)
		for {
			buf := make([]byte, 65536)
			at := int64(-1)
			if positioned {
				at = int64(len(got))
			}
			v, rest, ok := r.readCached(o.fd, buf, at)
			if !ok {
				t.Fatalf("read at %d declined", len(got))
			}
			if rest != nil {
				if v, err := rest(); err != nil {
					t.Fatal(err)
				} else {
					res = v
				}
			} else {
				res = v
			}
			k := res.(int)
			if k == 0 {
				break
			}
			// As read(2) on a regular file: all that was asked, or up to
			// the end.
			if want := min(len(buf), len(data)-len(got)); k != want {
				t.Fatalf("read %d bytes at %d, want %d", k, len(got), want)
			}
			got = append(got, buf[:k]...)
		}
		if !bytes.Equal(got, data) {
			t.Errorf("positioned %v: read %d bytes, file has %d (equal prefix: %v)", positioned, len(got), len(data), bytes.HasPrefix(data, got))
		}
		// A closed descriptor, and one opened elsewhere, are the thread pool's.
		f, _ := r.fds.remove(o.fd)
		f.Close()
		if _, _, ok := r.readCached(o.fd, make([]byte, 10), 0); ok {
			t.Error("read of a closed descriptor answered")
		}
		g, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		gfd := r.fds.add(g)
		if _, _, ok := r.readCached(gfd, make([]byte, 10), 0); ok {
			t.Error("read of a descriptor not opened by openReadCached answered")
		}
		r.fds.closeAll()
	}
}

func TestOpenFstatCloseCached(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("content"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &rt{fds: newFDTable()}
	defer r.fds.closeAll()
	f, _, ok, _ := openLocalRegular(p, unix.O_RDONLY)
	if !ok {
		t.Skipf("no inline open on %s (file system not local, or openat2 missing)", dir)
	}
	fd := r.fds.addCached(f)
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil || fl&unix.O_NONBLOCK != 0 || fl&unix.O_ACCMODE != unix.O_RDONLY {
		t.Errorf("descriptor flags %#x (%v): want read-only, blocking", fl, err)
	}
	x, ok := r.fstatCached(fd)
	if !ok {
		t.Fatal("fstat of an inline-opened descriptor declined")
	}
	want, err := statFile(f, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := statxResult(&x, false); got.fields != want.fields || got.times[1] != want.times[1] {
		t.Errorf("fstat %v, thread pool %v", got.fields, want.fields)
	}
	if _, ok := r.fds.removeCached(fd); !ok {
		t.Fatal("close of an inline-opened descriptor declined")
	}
	f.Close()
	if _, ok := r.fstatCached(fd); ok {
		t.Error("fstat of a closed descriptor answered")
	}
	// Opens that may write, create or truncate stay on the thread pool.
	for _, fl := range []int{unix.O_WRONLY, unix.O_RDWR, unix.O_RDONLY | unix.O_TRUNC, unix.O_RDONLY | unix.O_APPEND} {
		if g, _, ok, _ := openLocalRegular(p, fl); ok {
			g.Close()
			t.Errorf("open with flags %#x answered inline", fl)
		}
	}
	// A descriptor opened elsewhere is not closed here.
	g, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	gfd := r.fds.add(g)
	if _, ok := r.fds.removeCached(gfd); ok {
		t.Error("close of a descriptor not opened inline answered")
	}
}

// With a VM the first chunk is read into engine memory: the chunk handed to
// JavaScript holds exactly the bytes the thread pool's read returns, in a
// buffer of exactly that size (node's chunk.buffer.byteLength is its length).
func TestOpenReadCachedEngineChunk(t *testing.T) {
	vm, err := qjs.New(qjs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Close()
	dir := t.TempDir()
	big := bytes.Repeat([]byte("0123456789abcdef"), 6000)
	cases := []struct {
		name string
		data []byte
		n    int
		pos  int64
	}{
		{"small whole", []byte("small file\n"), 65536, -1},
		{"exact range", big[:4096], 4096, 0},
		{"at position", []byte("small file\n"), 65536, 3},
		{"larger than the chunk", big, 65536, -1},
		{"empty", nil, 65536, -1},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, "e"+string(rune('a'+i)))
			if err := os.WriteFile(p, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			r := &rt{fds: newFDTable(), vm: vm}
			defer r.fds.closeAll()
			res, rest, ok := r.openReadCached(p, unix.O_RDONLY, c.n, c.pos, qjs.Undefined)
			if !ok {
				t.Skipf("no inline open on %s", dir)
			}
			if rest != nil {
				if res, err = rest(); err != nil {
					t.Fatal(err)
				}
			}
			got := res.(openReadResult)
			want := c.data[min(int(max(c.pos, 0)), len(c.data)):]
			want = want[:min(len(want), c.n)]
			if got.data == nil {
				t.Fatal("no chunk read ahead")
			}
			v := got.chunk(vm)
			defer vm.Free(v)
			b, ok := vm.TypedArrayBytes(v)
			if !ok || !bytes.Equal(b, want) {
				t.Fatalf("chunk %q, want %q", b, want)
			}
			if len(want) == 0 {
				return // an empty view has no range to check
			}
			ab, off, n, ok := vm.Uint8ArrayRange(v)
			if size, _ := qjs.ArrayBufferLen(ab); !ok || off != 0 || n != len(want) || size != len(want) {
				t.Errorf("view %d+%d of a %d-byte buffer, want the whole %d-byte buffer", off, n, size, len(want))
			}
		})
	}
}

// A chunk whose bytes no longer fill the engine buffer read into (a file
// that shrank between its size and the read) is copied to a buffer of its
// own size; the engine buffer is released either way.
func TestOpenReadChunkShortOfItsBuffer(t *testing.T) {
	vm, err := qjs.New(qjs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Close()
	r := &rt{vm: vm}
	buf, ab := r.chunkMemory(8)
	if !ab.IsObject() {
		t.Fatal("no engine memory")
	}
	copy(buf, "abcdefgh")
	v := openReadResult{data: buf[:3], ab: ab}.chunk(vm)
	defer vm.Free(v)
	b, ok := vm.TypedArrayBytes(v)
	ab2, _, _, _ := vm.Uint8ArrayRange(v)
	if size, _ := qjs.ArrayBufferLen(ab2); !ok || string(b) != "abc" || size != 3 {
		t.Errorf("chunk %q in a %d-byte buffer, want \"abc\" in a 3-byte one", b, size)
	}
}

// readFile answered on the loop with a VM gives the Uint8Array itself, its
// bytes in engine memory: exactly the file, in a buffer of its size.
func TestReadFileCachedJS(t *testing.T) {
	vm, err := qjs.New(qjs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Close()
	dir := t.TempDir()
	for i, data := range [][]byte{[]byte("hello\n"), bytes.Repeat([]byte("x"), 4096), bytes.Repeat([]byte("0123456789"), 10000), nil} {
		p := filepath.Join(dir, "r"+string(rune('a'+i)))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		r := &rt{vm: vm}
		res, ok := r.readFileCachedJS(p, unix.O_RDONLY)
		if !ok {
			t.Skipf("no inline read on %s", dir)
		}
		var v qjs.Value
		switch x := res.(type) {
		case qjs.Value:
			v = x
		case jsBytes:
			if len(data) > 0 {
				t.Fatalf("%d bytes: answered in Go memory", len(data))
			}
			v = vm.NewUint8Array(x)
		}
		b, ok := vm.TypedArrayBytes(v)
		if !ok || !bytes.Equal(b, data) {
			t.Errorf("%d bytes: got %d", len(data), len(b))
		}
		if len(data) > 0 {
			ab, off, n, _ := vm.Uint8ArrayRange(v)
			if size, _ := qjs.ArrayBufferLen(ab); off != 0 || n != len(data) || size != len(data) {
				t.Errorf("%d bytes: view %d+%d of %d", len(data), off, n, size)
			}
		}
		vm.Free(v)
	}
}
