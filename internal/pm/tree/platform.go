package tree

import (
	"os"
	"path/filepath"
	"runtime"
)

// Platform is what os/cpu/libc fields are checked against.
type Platform struct{ OS, CPU, Libc string }

// HostPlatform describes this machine in npm's terms (process.platform,
// process.arch and the libc family).
func HostPlatform() Platform {
	p := Platform{OS: runtime.GOOS, CPU: runtime.GOARCH}
	switch p.OS {
	case "windows":
		p.OS = "win32"
	}
	switch p.CPU {
	case "amd64":
		p.CPU = "x64"
	case "386":
		p.CPU = "ia32"
	}
	if p.OS == "linux" {
		p.Libc = "glibc"
		if hasMuslLoader() {
			p.Libc = "musl"
		} else if _, err := os.Stat("/etc/alpine-release"); err == nil {
			p.Libc = "musl"
		}
	}
	return p
}

// muslArch is the architecture in the name of musl's dynamic loader,
// /lib/ld-musl-<arch>.so.1, for the GOARCH values where it is one name.
func muslArch(goarch string) string {
	switch goarch {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	case "386":
		return "i386"
	case "ppc64le":
		return "powerpc64le"
	case "loong64":
		return "loongarch64"
	case "riscv64", "s390x":
		return goarch
	}
	return ""
}

// hasMuslLoader reports whether musl's dynamic loader is in /lib: one
// lstat of this architecture's loader where its name is known, instead
// of listing /lib (often /usr/lib, hundreds of entries) on every install;
// any ld-musl-* otherwise.
func hasMuslLoader() bool {
	if a := muslArch(runtime.GOARCH); a != "" {
		_, err := os.Lstat("/lib/ld-musl-" + a + ".so.1")
		return err == nil
	}
	m, _ := filepath.Glob("/lib/ld-musl-*")
	return len(m) > 0
}

// listAllows applies npm-install-checks' rule to one os/cpu/libc list:
// a "!x" entry rejects x; when positive entries exist one must match.
func listAllows(list []string, value string) bool {
	if len(list) == 0 {
		return true
	}
	positive, match := false, false
	for _, e := range list {
		if len(e) > 0 && e[0] == '!' {
			if e[1:] == value {
				return false
			}
			continue
		}
		positive = true
		if e == value || e == "any" {
			match = true
		}
	}
	return !positive || match
}

// Allows reports whether a package with these lists can install here.
func (p Platform) Allows(osList, cpuList, libcList []string) bool {
	if !listAllows(osList, p.OS) || !listAllows(cpuList, p.CPU) {
		return false
	}
	if p.OS == "linux" && len(libcList) > 0 && !listAllows(libcList, p.Libc) {
		return false
	}
	return true
}
