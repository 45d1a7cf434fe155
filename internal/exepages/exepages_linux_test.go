package exepages

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestRelease: the binary's read-only mappings are dropped
// and the code (and read-only data) they held runs again afterwards.
func TestRelease(t *testing.T) {
	if n := Release(); n <= 0 {
		t.Fatalf("released %d bytes of the test binary's mappings, want some", n)
	}
	b, err := json.Marshal(map[string]any{"name": "after-trim", "versions": []string{"1.0.0"}})
	if err != nil || string(b) != `{"name":"after-trim","versions":["1.0.0"]}` {
		t.Fatalf("code after the trim: %s %v", b, err)
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil || !strings.Contains(string(status), "VmRSS") {
		t.Fatalf("process status after the trim: %v", err)
	}
}

// TestReleaseFileKeepsWrittenPages: a read-only mapping whose page was
// written before it was made read-only (as the dynamic loader does with
// relocations under RELRO) keeps its bytes; an untouched one is dropped and
// reads the file again.
func TestReleaseFileKeepsWrittenPages(t *testing.T) {
	page := os.Getpagesize()
	path := filepath.Join(t.TempDir(), "mapped")
	if err := os.WriteFile(path, bytes.Repeat([]byte{'f'}, 2*page), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	written, err := syscall.Mmap(int(f.Fd()), 0, page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE)
	if err != nil {
		t.Skipf("mmap: %v", err)
	}
	defer syscall.Munmap(written)
	written[0] = 'w' // copy-on-write: now an anonymous page
	if err := syscall.Mprotect(written, syscall.PROT_READ); err != nil {
		t.Fatal(err)
	}
	clean, err := syscall.Mmap(int(f.Fd()), int64(page), page, syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(clean)
	if clean[0] != 'f' {
		t.Fatalf("clean mapping reads %q", clean[0])
	}
	if n := ReleaseFile(path); n != page {
		t.Errorf("released %d bytes, want only the clean mapping's %d", n, page)
	}
	if written[0] != 'w' {
		t.Errorf("the written page lost its contents: %q", written[0])
	}
	if clean[0] != 'f' {
		t.Errorf("the released clean mapping reads %q after refault", clean[0])
	}
}

// TestReleaseStatic: for a static position-dependent binary the program
// headers give the same read-only segments smaps lists (whole pages inside
// them), and code runs again afterwards.
func TestReleaseStatic(t *testing.T) {
	n, ok := releaseStatic()
	if !ok {
		t.Skip("the test binary is not a static position-dependent executable")
	}
	if n <= 0 {
		t.Fatalf("released %d bytes", n)
	}
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		t.Fatal(err)
	}
	viaSmaps := ReleaseFile(exe)
	if n > viaSmaps || viaSmaps-n > 4*os.Getpagesize() {
		t.Errorf("program headers released %d bytes, smaps mappings %d", n, viaSmaps)
	}
	if b, err := json.Marshal([]int{1, 2}); err != nil || string(b) != "[1,2]" {
		t.Fatalf("code after the release: %s %v", b, err)
	}
}
