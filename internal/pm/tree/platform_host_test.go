package tree

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestHasMuslLoader: the one-lstat check agrees with listing /lib for
// any musl loader, on hosts whose loaders (if any) are this
// architecture's.
func TestHasMuslLoader(t *testing.T) {
	if runtime.GOOS != "linux" || muslArch(runtime.GOARCH) == "" {
		t.Skip("linux architectures with a known loader name only")
	}
	all, _ := filepath.Glob("/lib/ld-musl-*")
	for _, m := range all {
		if !strings.HasSuffix(m, "/ld-musl-"+muslArch(runtime.GOARCH)+".so.1") {
			t.Skipf("%s is another architecture's loader", m)
		}
	}
	if got, want := hasMuslLoader(), len(all) > 0; got != want {
		t.Errorf("hasMuslLoader() = %v, /lib lists %v", got, all)
	}
}

func TestMuslArch(t *testing.T) {
	for goarch, want := range map[string]string{"amd64": "x86_64", "arm64": "aarch64", "386": "i386", "riscv64": "riscv64", "arm": "", "mips64": ""} {
		if got := muslArch(goarch); got != want {
			t.Errorf("muslArch(%q) = %q, want %q", goarch, got, want)
		}
	}
}
