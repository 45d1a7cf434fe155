// Package early starts a warm install's layout while the gnode process is
// still starting. cmd/gnode/internal/startup calls Start from its package
// initialisation, which runs ahead of the large packages' (the JavaScript
// engine, esbuild, x/text): when the command line is an install with
// nothing but flags, the project has no node_modules, and the last install
// of this project folder left an early plan (see Encode) for the same
// package.json and package-lock.json bytes, a goroutine lays the plan's
// packages out into a staging folder with raw system calls, on the core
// the initialisation leaves idle (~2-3 ms before the install itself
// starts). The install later hands that layout to the linker, which adopts
// it only when it is exactly the layout the install works out itself (see
// linker.Prestage); a plan is only ever a head start.
//
// The package imports nothing but the runtime's own packages, so that it
// (and startup) are initialised early.
package early

import (
	"math/bits"
	"path"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// Package is one folder of an early plan: where it goes, the store folder
// holding its files, and the folders and files to make, as in its store
// index (folders parents first).
type Package struct {
	Location string // "node_modules/a/node_modules/@s/b"
	Store    string // absolute store folder
	Dirs     []string
	Files    []string
}

// Layout is a layout started early.
type Layout struct {
	ProjectDir string // the project folder (as getcwd gave it)
	Staging    string // the staging folder, ProjectDir/.gnode-staging-…
	Plan       []Package
	// Next counts the packages claimed so far (Plan[Next-1] is the last
	// one a worker took); whoever lays out the rest claims them from it.
	Next   atomic.Int64
	failed atomic.Bool
	stop   atomic.Bool
	wg     sync.WaitGroup
	// loaded is closed once the plan is read and the staging folder made
	// (ok) or either failed.
	loaded chan struct{}
	ok     bool
}

// Loaded waits until the plan is read and the staging folder made, and
// reports whether both were.
func (l *Layout) Loaded() bool {
	<-l.loaded
	return l.ok
}

// Failed reports whether a package the early goroutine claimed could not
// be laid out (the layout is then not to be used).
func (l *Layout) Failed() bool { return l.failed.Load() }

// Wait waits for the early goroutine to run out of packages to claim (or
// to stop) and reports whether everything it claimed was laid out.
func (l *Layout) Wait() bool {
	l.wg.Wait()
	return !l.failed.Load()
}

var current atomic.Pointer[Layout]

// looked is the folder whose early plan the process looked for (nil when
// it did not look: not an install, node_modules present, no lockfile).
var looked atomic.Pointer[string]

// LookedIn returns the folder whose early plan this process looked for at
// start-up, with or without finding one ("" when it did not look).
func LookedIn() string {
	if p := looked.Load(); p != nil {
		return *p
	}
	return ""
}

// Current is the layout Start began (nil when none was).
func Current() *Layout { return current.Load() }

// Take returns the layout Start began and forgets it, so only one install
// uses it (nil when there is none).
func Take() *Layout { return current.Swap(nil) }

// Stop makes the early goroutine stop after the package it is laying out
// and waits for it. It reports whether everything that goroutine claimed
// was laid out.
func (l *Layout) Stop() bool {
	l.stop.Store(true)
	l.wg.Wait()
	return !l.failed.Load()
}

// Commands whose plain form ("gnode install [--flags]") lays out the
// project's lockfile.
var commands = []string{"install", "i", "add", "ci", "clean-install"}

// Start begins an early layout when the process's command line is a
// warm-install candidate (see the package comment). It never fails:
// anything unexpected only means no early layout.
func Start() {
	// Every gnode process comes here: the command line (the runtime's
	// copy, no system call) first, then getcwd and two lstats.
	if !Eligible(runtimeArgs()) {
		return
	}
	cwd, err := syscall.Getwd()
	if err != nil {
		return
	}
	var st syscall.Stat_t
	if syscall.Lstat(cwd+"/node_modules", &st) != syscall.ENOENT || syscall.Lstat(cwd+"/package-lock.json", &st) != nil {
		return
	}
	cache := CacheDir(cwd, syscall.Getenv)
	if cache == "" {
		return
	}
	StartIn(cwd, cache)
}

// Eligible reports whether a process's arguments (the program first) are
// an install of the project's lockfile: install (or an alias) or ci with
// nothing but flags.
func Eligible(args []string) bool {
	if len(args) < 2 {
		return false
	}
	ok := false
	for _, c := range commands {
		if args[1] == c {
			ok = true
		}
	}
	if !ok {
		return false
	}
	for _, a := range args[2:] {
		if len(a) < 2 || a[0] != '-' || a == "--help" || a == "-h" {
			return false // a spec, a flag's separate value, or no install
		}
	}
	return true
}

// StartIn begins an early layout of dir with the cache folder cache as
// Start does for the process (tests; Start's checks of the command line
// and node_modules are the caller's).
func StartIn(dir, cache string) *Layout {
	l := &Layout{ProjectDir: dir, loaded: make(chan struct{})}
	l.wg.Add(1)
	looked.Store(&l.ProjectDir)
	current.Store(l)
	go l.run(cache)
	return l
}

// run reads the plan and lays it out; a plan that is missing, for other
// inputs or broken leaves no layout.
func (l *Layout) run(cache string) {
	defer l.wg.Done()
	plan, ok := l.load(cache)
	if ok {
		staging := l.ProjectDir + "/.gnode-staging-" + suffix()
		if ok = syscall.Mkdir(staging, 0o755) == nil; ok {
			l.Plan, l.Staging = plan, staging
		}
	}
	l.ok = ok
	if !ok {
		current.CompareAndSwap(l, nil)
		l.failed.Store(true)
	}
	close(l.loaded)
	if ok {
		l.work()
	}
}

// load reads package.json, package-lock.json and the project's early plan
// and checks they go together.
func (l *Layout) load(cache string) ([]Package, bool) {
	pkgRaw, ok := readFile(l.ProjectDir + "/package.json")
	if !ok {
		return nil, false
	}
	lockRaw, ok := readFile(l.ProjectDir + "/package-lock.json")
	if !ok {
		return nil, false
	}
	b, ok := MapFile(PlanPath(cache, l.ProjectDir))
	if !ok {
		return nil, false
	}
	return Decode(b, pkgRaw, lockRaw)
}

// work claims and lays out packages until none is left, it is stopped or
// one fails (which is left for the linker's own, careful layout).
func (l *Layout) work() {
	buf := make([]byte, 0, 512)
	// Paths are walked from open folders: the staging folder's, and the
	// store's above its packages' folders (a name from the root costs a
	// dentry lookup per part: ~10 for each of a package's three).
	root, ok := openPath(atFDCWD, &buf, l.Staging)
	if !ok {
		l.failed.Store(true)
		return
	}
	defer syscall.Close(root)
	var stores storeRoot
	defer stores.close()
	for !l.stop.Load() {
		i := int(l.Next.Add(1)) - 1
		if i >= len(l.Plan) {
			return
		}
		if !link(&buf, root, &stores, &l.Plan[i]) {
			l.failed.Store(true)
			return
		}
	}
}

// storeRoot is the last store folder link opened: the one three levels
// above a package's store folder (<store>/<algorithm>/<xx>/<rest>/package),
// which every package of a plan usually shares.
type storeRoot struct {
	dir    string
	fd     int
	isOpen bool
}

// open returns a folder to walk store (an absolute folder) from, and the
// rest of the path below it.
func (s *storeRoot) open(buf *[]byte, store string) (int, string, bool) {
	dir := store
	for k := 0; k < 3 && dir != ""; k++ {
		i := len(dir) - 1
		for i >= 0 && dir[i] != '/' {
			i--
		}
		dir = dir[:max(i, 0)]
	}
	if dir == "" {
		return atFDCWD, store, true // "/a/b": walked from the root
	}
	if dir != s.dir || !s.isOpen {
		s.close()
		fd, ok := openPath(atFDCWD, buf, dir)
		if !ok {
			return 0, "", false
		}
		s.dir, s.fd, s.isOpen = dir, fd, true
	}
	return s.fd, store[len(dir)+1:], true
}

func (s *storeRoot) close() {
	if s.isOpen {
		syscall.Close(s.fd)
	}
	*s = storeRoot{}
}

const atFDCWD = -100

func cstr(buf *[]byte, s string) *byte {
	*buf = append((*buf)[:0], s...)
	*buf = append(*buf, 0)
	return &(*buf)[0]
}

func mkdirat(dirfd int, buf *[]byte, name string) syscall.Errno {
	p := cstr(buf, name)
	_, _, e := syscall.RawSyscall(syscall.SYS_MKDIRAT, uintptr(dirfd), uintptr(unsafe.Pointer(p)), 0o777)
	return e
}

func openPath(dirfd int, buf *[]byte, name string) (int, bool) {
	p := cstr(buf, name)
	fd, _, e := syscall.RawSyscall6(syscall.SYS_OPENAT, uintptr(dirfd), uintptr(unsafe.Pointer(p)), uintptr(syscall.O_DIRECTORY|syscall.O_CLOEXEC|0x200000 /* O_PATH */), 0, 0, 0)
	return int(fd), e == 0
}

// link lays one package out under the staging folder root (open): its
// folder (and any missing parent), its folders, and a hard link per file.
// Anything but success on the common path reports false.
func link(buf *[]byte, root int, stores *storeRoot, p *Package) bool {
	rel := p.Location[len("node_modules/"):]
	if e := mkdirat(root, buf, rel); e != 0 {
		if e != syscall.ENOENT || !mkdirAll(buf, root, rel) {
			return false
		}
	}
	from, srel, ok := stores.open(buf, p.Store)
	if !ok {
		return false
	}
	sfd, ok := openPath(from, buf, srel)
	if !ok {
		return false
	}
	defer syscall.Close(sfd)
	dfd, ok := openPath(root, buf, rel)
	if !ok {
		return false
	}
	defer syscall.Close(dfd)
	for _, d := range p.Dirs {
		if mkdirat(dfd, buf, d) != 0 {
			return false
		}
	}
	for _, f := range p.Files {
		q := cstr(buf, f)
		_, _, e := syscall.RawSyscall6(syscall.SYS_LINKAT, uintptr(sfd), uintptr(unsafe.Pointer(q)), uintptr(dfd), uintptr(unsafe.Pointer(q)), 0, 0)
		if e != 0 {
			return false
		}
	}
	return true
}

// mkdirAll makes rel under the staging folder root (open) and the folders
// above it that are missing.
func mkdirAll(buf *[]byte, root int, rel string) bool {
	for i := 0; i <= len(rel); i++ {
		if i == len(rel) || rel[i] == '/' {
			e := mkdirat(root, buf, rel[:i])
			if e != 0 && e != syscall.EEXIST {
				return false
			}
		}
	}
	return true
}

func readFile(path string) ([]byte, bool) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, false
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil || st.Size > 64<<20 {
		return nil, false
	}
	b := make([]byte, st.Size+512)
	n := 0
	for {
		if n == len(b) {
			b = append(b, make([]byte, len(b))...) // grew since the stat
		}
		k, err := syscall.Read(fd, b[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, false
		}
		if k == 0 {
			return b[:n], true
		}
		n += k
	}
}

// MapFile maps the file at path read-only into memory, for good (the
// early plan's names and the install's index set share their bytes): no
// fresh pages to fault in and fill, as reading into a buffer needs. Only
// for the cache's files, which are replaced (a rename) or removed, never
// changed in place. Empty, missing and over-64 MB files map nothing.
func MapFile(path string) ([]byte, bool) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, false
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil || st.Size <= 0 || st.Size > 64<<20 {
		return nil, false
	}
	b, err := syscall.Mmap(fd, 0, int(st.Size), syscall.PROT_READ, syscall.MAP_PRIVATE)
	return b, err == nil
}

func suffix() string {
	var tv syscall.Timeval
	syscall.Gettimeofday(&tv)
	return itoa(uint64(tv.Sec)*1000000+uint64(tv.Usec), 36) + "-e" + itoa(uint64(syscall.Getpid()), 10)
}

func itoa(v uint64, base uint64) string {
	var b [24]byte
	i := len(b)
	for {
		i--
		b[i] = "0123456789abcdefghijklmnopqrstuvwxyz"[v%base]
		v /= base
		if v == 0 {
			return string(b[i:])
		}
	}
}

// runtimeArgs is the process's arguments (os.Args, which package os sets
// only in its own initialisation, after this package's): a copy of the
// runtime's, as os gets them.
//
//go:linkname runtimeArgs os.runtime_args
func runtimeArgs() []string

// CacheDir is gnode's cache folder for this environment, as
// npmrc.Config.CacheDir works it out ("" when HOME is not set either).
func CacheDir(cwd string, getenv func(string) (string, bool)) string {
	if d, _ := getenv("GNODE_CACHE_DIR"); d != "" {
		if d[0] != '/' {
			d = cwd + "/" + d
		}
		return path.Clean(d)
	}
	if x, _ := getenv("XDG_CACHE_HOME"); x != "" && x[0] == '/' {
		return path.Clean(x + "/gnode")
	}
	if h, _ := getenv("HOME"); h != "" {
		return path.Clean(h + "/.cache/gnode")
	}
	return ""
}

// The early plan file: "gnodeearly", a version byte, the length and hash
// of package.json and of package-lock.json (uint64 each), a uvarint
// count, and per package its location, store folder, folders and files
// (uvarint counts, uvarint-length strings), then the hash of everything
// before. The hash (sum) is not cryptographic: a plan for other inputs
// that passed it would only be a layout the linker does not adopt.
const (
	magic   = "gnodeearly"
	version = 2
)

// PlanPath is where the early plan of the project folder dir (as getcwd
// gives it) is kept under the cache folder.
func PlanPath(cache, dir string) string {
	return cache + "/install-memo-v1/early/" + itoa(sum([]byte(dir)), 16) + ".early"
}

// sum hashes b: four independent lanes over 32-byte blocks (so the
// multiplications overlap: ~4x the speed of one chain), then the tail
// eight bytes at a time, zero-padded; the length is mixed in.
func sum(b []byte) uint64 {
	const k1, k2 = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F
	n := uint64(len(b))
	h0, h1, h2, h3 := n*k1, n*k2, ^n*k1, ^n*k2
	for len(b) >= 32 {
		h0 = bits.RotateLeft64((h0^le64(b[0:8]))*k1, 29) * k2
		h1 = bits.RotateLeft64((h1^le64(b[8:16]))*k1, 29) * k2
		h2 = bits.RotateLeft64((h2^le64(b[16:24]))*k1, 29) * k2
		h3 = bits.RotateLeft64((h3^le64(b[24:32]))*k1, 29) * k2
		b = b[32:]
	}
	h := h0 ^ bits.RotateLeft64(h1, 17) ^ bits.RotateLeft64(h2, 31) ^ bits.RotateLeft64(h3, 47)
	for len(b) >= 8 {
		h = bits.RotateLeft64((h^le64(b))*k1, 29) * k2
		b = b[8:]
	}
	var w uint64
	for i, c := range b {
		w |= uint64(c) << (8 * i)
	}
	h = bits.RotateLeft64((h^w)*k1, 29) * k2
	h ^= h >> 33
	h *= k1
	h ^= h >> 29
	return h
}

func le64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 | uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

func appendU64(b []byte, v uint64) []byte {
	for i := 0; i < 8; i++ {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

func appendUvarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func appendStr(b []byte, s string) []byte {
	return append(appendUvarint(b, uint64(len(s))), s...)
}

// Encode makes the early plan of pkgs for these package.json and
// package-lock.json bytes.
func Encode(pkgRaw, lockRaw []byte, pkgs []Package) []byte {
	b := append([]byte(magic), version)
	b = appendU64(appendU64(b, uint64(len(pkgRaw))), sum(pkgRaw))
	b = appendU64(appendU64(b, uint64(len(lockRaw))), sum(lockRaw))
	b = appendUvarint(b, uint64(len(pkgs)))
	for _, p := range pkgs {
		b = appendStr(appendStr(b, p.Location), p.Store)
		b = appendUvarint(b, uint64(len(p.Dirs)))
		for _, d := range p.Dirs {
			b = appendStr(b, d)
		}
		b = appendUvarint(b, uint64(len(p.Files)))
		for _, f := range p.Files {
			b = appendStr(b, f)
		}
	}
	return appendU64(b, sum(b))
}

// Decode reads an early plan, checking that it is for these package.json
// and package-lock.json bytes and that every name in it stays where it
// belongs (locations under node_modules/, absolute store folders, folder
// and file names inside the package). The strings share b's memory.
func Decode(b, pkgRaw, lockRaw []byte) ([]Package, bool) {
	head := len(magic) + 1 + 32
	if len(b) < head+1+8 || string(b[:len(magic)]) != magic || b[len(magic)] != version {
		return nil, false
	}
	body := b[:len(b)-8]
	if u64(b[len(b)-8:]) != sum(body) {
		return nil, false
	}
	h := b[len(magic)+1:]
	if u64(h) != uint64(len(pkgRaw)) || u64(h[8:]) != sum(pkgRaw) || u64(h[16:]) != uint64(len(lockRaw)) || u64(h[24:]) != sum(lockRaw) {
		return nil, false
	}
	d := decoder{r: body[head:]}
	n := d.uvarint()
	if d.bad || n > uint64(len(d.r)) {
		return nil, false
	}
	pkgs := make([]Package, n)
	// The folder and file names go in one backing array, sized for names
	// of ~15 bytes (it grows if they are shorter; the lists already made
	// keep the old one).
	names := make([]string, 0, len(d.r)/16)
	for i := range pkgs {
		p := &pkgs[i]
		p.Location, p.Store = d.str(), d.str()
		if d.bad || len(p.Location) <= len("node_modules/") || p.Location[:len("node_modules/")] != "node_modules/" || !SafeRel(p.Location) || p.Store[0] != '/' || !SafeRel(p.Store[1:]) {
			return nil, false
		}
		for _, list := range [2]*[]string{&p.Dirs, &p.Files} {
			k := d.uvarint()
			if d.bad || k > uint64(len(d.r)) {
				return nil, false
			}
			start := len(names)
			for j := uint64(0); j < k; j++ {
				s := d.str()
				if d.bad || !SafeRel(s) {
					return nil, false
				}
				names = append(names, s)
			}
			*list = names[start:len(names):len(names)]
		}
	}
	if len(d.r) != 0 {
		return nil, false
	}
	return pkgs, true
}

// decoder reads a plan's uvarints and strings; bad is set by the first
// thing that is not one.
type decoder struct {
	r   []byte
	bad bool
}

func (d *decoder) uvarint() uint64 {
	var v uint64
	for s := uint(0); s < 64; s += 7 {
		if len(d.r) == 0 {
			d.bad = true
			return 0
		}
		c := d.r[0]
		d.r = d.r[1:]
		v |= uint64(c&0x7f) << s
		if c < 0x80 {
			return v
		}
	}
	d.bad = true
	return 0
}

// str reads a non-empty string sharing the plan's bytes.
func (d *decoder) str() string {
	n := d.uvarint()
	if d.bad || n == 0 || n > uint64(len(d.r)) {
		d.bad = true
		return ""
	}
	s := unsafe.String(&d.r[0], int(n))
	d.r = d.r[n:]
	return s
}

func u64(b []byte) uint64 {
	var v uint64
	for i := 0; i < 8; i++ {
		v |= uint64(b[i]) << (8 * i)
	}
	return v
}

// SafeRel reports whether p is a relative slash path that stays inside
// its folder (no "..", ".", empty or absolute parts, no NUL or backslash).
func SafeRel(p string) bool {
	if p == "" || p[0] == '/' || p[len(p)-1] == '/' {
		return false
	}
	// A part is bad when it is empty or all dots (one or two); only the
	// bytes after a '/' (and the first) can start one.
	dots := 0 // dots since the part began, -1 once it has anything else
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '/':
			if dots >= 0 && dots <= 2 {
				return false // "", "." or ".."
			}
			dots = 0
		case '.':
			if dots >= 0 {
				dots++
			}
		case 0, '\\':
			return false
		default:
			dots = -1
		}
	}
	return !(dots >= 0 && dots <= 2)
}

// Discard stops a layout begun at start-up that no install took and
// removes its staging folder with removeAll (os.RemoveAll: this package
// does not import os). The process calls it before exiting, so a command
// that looked like an install but did not become one (a bad flag,
// --help) leaves nothing behind.
func Discard(removeAll func(string) error) {
	l := Take()
	if l == nil {
		return
	}
	l.Stop()
	if l.ok {
		removeAll(l.Staging)
	}
}
