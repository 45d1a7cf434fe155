//go:build linux

package install

import (
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"

	"gnode/internal/pm/store"
)

// atFDCWD is AT_FDCWD as a system call argument.
const atFDCWD = ^uintptr(99) // -100

// rawLink is the common case of laying a package out from the store: its
// folder made with mkdirat, then one mkdirat per folder and one linkat per
// file relative to two open folders, each a raw system call. A raw call
// keeps the goroutine's P: the Go scheduler does not hand it to another
// thread and sysmon does not poll every 20 µs to take it back, which for
// thousands of few-microsecond links cost more CPU (futex wake-ups,
// nanosleeps, extra threads) than the links themselves. These calls do not
// block for long on a local file system.
//
// ok=false means something differs from the common case (a name is taken
// by a file, an interrupted call, links refused): the caller then lays the
// package out with store.Link, which handles each of those and is safe to
// run over a partial result. refused says hard links were refused (another
// file system, a file system without them), so later packages should not
// try.
func rawLink(src, dest string, idx *store.Index) (ok, refused bool) {
	buf := make([]byte, 0, 256)
	cstr := func(s string) *byte {
		buf = append(buf[:0], s...)
		buf = append(buf, 0)
		return &buf[0]
	}
	// The package folder: new, or a real folder a nested package's layout
	// already made (packages are laid out in parallel).
	_, _, e := syscall.RawSyscall(syscall.SYS_MKDIRAT, atFDCWD, uintptr(unsafe.Pointer(cstr(dest))), 0o777)
	if e == syscall.ENOENT {
		// Its parent is missing (a nested package laid out before the one
		// holding it): made the ordinary way, then tried again.
		if os.MkdirAll(filepath.Dir(dest), 0o777) != nil {
			return false, false
		}
		_, _, e = syscall.RawSyscall(syscall.SYS_MKDIRAT, atFDCWD, uintptr(unsafe.Pointer(cstr(dest))), 0o777)
	}
	if e != 0 && !(e == syscall.EEXIST && isDirAt(atFDCWD, cstr(dest))) {
		return false, false
	}
	sfd, _, e := syscall.RawSyscall6(syscall.SYS_OPENAT, atFDCWD, uintptr(unsafe.Pointer(cstr(src))), uintptr(unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC), 0, 0, 0)
	if e != 0 {
		return false, false
	}
	defer syscall.RawSyscall(syscall.SYS_CLOSE, sfd, 0, 0)
	dfd, _, e := syscall.RawSyscall6(syscall.SYS_OPENAT, atFDCWD, uintptr(unsafe.Pointer(cstr(dest))), uintptr(unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC), 0, 0, 0)
	if e != 0 {
		return false, false
	}
	defer syscall.RawSyscall(syscall.SYS_CLOSE, dfd, 0, 0)
	// The index lists folders parents first, and every file's folder.
	for _, d := range idx.Dirs {
		p := cstr(d)
		_, _, e := syscall.RawSyscall(syscall.SYS_MKDIRAT, dfd, uintptr(unsafe.Pointer(p)), 0o777)
		if e != 0 && !(e == syscall.EEXIST && isDirAt(dfd, p)) {
			return false, false
		}
	}
	for i := range idx.Files {
		p := cstr(idx.Files[i].Path)
		_, _, e := syscall.RawSyscall6(syscall.SYS_LINKAT, sfd, uintptr(unsafe.Pointer(p)), dfd, uintptr(unsafe.Pointer(p)), 0, 0)
		if e != 0 {
			switch e {
			case syscall.EXDEV, syscall.EPERM, syscall.EMLINK, syscall.ENOTSUP, syscall.EACCES:
				return false, true
			}
			return false, false
		}
	}
	runtime.KeepAlive(buf)
	return true, false
}

// isDirAt reports whether name inside dirfd is a folder (not a link to one).
func isDirAt(dirfd uintptr, name *byte) bool {
	var st syscall.Stat_t
	_, _, e := syscall.RawSyscall6(syscall.SYS_NEWFSTATAT, dirfd, uintptr(unsafe.Pointer(name)), uintptr(unsafe.Pointer(&st)), unix.AT_SYMLINK_NOFOLLOW, 0, 0)
	return e == 0 && st.Mode&syscall.S_IFMT == syscall.S_IFDIR
}

// packageJSONsExist reports whether <dir>/<loc>/package.json exists (as
// anything, links not followed) for every loc: one fstatat each, relative
// to the open project folder, so the kernel does not walk the project's
// path again for each package (that walk was most of a no-op install's
// own time).
func packageJSONsExist(dir string, locs []string) bool {
	buf := make([]byte, 0, 256)
	cstr := func(s string) *byte {
		buf = append(buf[:0], s...)
		buf = append(buf, 0)
		return &buf[0]
	}
	dfd, _, e := syscall.RawSyscall6(syscall.SYS_OPENAT, atFDCWD, uintptr(unsafe.Pointer(cstr(dir))), uintptr(unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC), 0, 0, 0)
	if e != 0 {
		return false
	}
	defer syscall.RawSyscall(syscall.SYS_CLOSE, dfd, 0, 0)
	var st syscall.Stat_t
	for _, loc := range locs {
		buf = append(append(append(buf[:0], loc...), "/package.json"...), 0)
		_, _, e := syscall.RawSyscall6(syscall.SYS_NEWFSTATAT, dfd, uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&st)), unix.AT_SYMLINK_NOFOLLOW, 0, 0)
		if e != 0 {
			return false
		}
	}
	runtime.KeepAlive(buf)
	return true
}
