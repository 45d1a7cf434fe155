package install

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gnode/internal/pm/early"
	"gnode/internal/pm/linker"
	"gnode/internal/pm/manifest"
	"gnode/internal/pm/store"
)

// A layout plan is the list of package folders (location and store
// folder, in layout order) a warm install of one package.json,
// package-lock.json and set of install settings laid out. The next warm
// install of the same inputs starts laying those folders out into a
// staging folder (linker.Prestage) as soon as the store indexes are
// loaded, while it decodes the lockfile and works out its layout itself;
// the linker adopts the staged folder only when the layout it is given is
// the plan's, so a plan never decides what is installed, only how early
// the links start.
//
// File: "gnodeplan", a version byte, a uvarint count, per package a
// uvarint-length location and a uvarint-length store folder relative to
// the store, then the CRC-32C of everything before (little-endian).
const (
	planMagic   = "gnodeplan"
	planVersion = 1
)

// layoutPlanPath is where the plan of these inputs is kept ("" without a
// cache folder): the key digests the install's state key (omit, platform,
// layout, workspaces), the project folder's name, package.json and the
// lockfile.
func layoutPlanPath(cacheDir, stateKey, dirName string, pkgRaw, lockRaw []byte) string {
	if cacheDir == "" {
		return ""
	}
	h := sha256.New()
	for _, part := range []string{"gnode-layout-plan-v1", stateKey, dirName, string(pkgRaw)} {
		h.Write([]byte(strconv.Itoa(len(part))))
		h.Write([]byte{':'})
		h.Write([]byte(part))
	}
	h.Write(lockRaw)
	sum := hex.EncodeToString(h.Sum(nil))
	return filepath.Join(cacheDir, "install-memo-v1", sum[:2], sum+".plan")
}

// crcTable is the CRC-32C table (made on first use and kept by crc32).
func crcTable() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) }

// encodeLayoutPlan encodes pkgs as a plan (nil when one of them is a
// symlink or not a folder of the store in storeDir).
func encodeLayoutPlan(storeDir string, pkgs []linker.Package) []byte {
	out := append([]byte(planMagic), planVersion)
	out = binary.AppendUvarint(out, uint64(len(pkgs)))
	for _, p := range pkgs {
		rel, ok := strings.CutPrefix(p.StorePath, storeDir+string(filepath.Separator))
		if p.LinkTarget != "" || !ok || rel == "" || p.Location == "" {
			return nil
		}
		out = binary.AppendUvarint(out, uint64(len(p.Location)))
		out = append(out, p.Location...)
		out = binary.AppendUvarint(out, uint64(len(rel)))
		out = append(out, rel...)
	}
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, crcTable()))
}

var errBadPlan = errors.New("not a layout plan")

// decodeLayoutPlan decodes a plan written by encodeLayoutPlan, with store
// folders under storeDir. Anything unexpected (magic, version, checksum,
// lengths, trailing bytes, a location or store folder that is empty or
// leaves its folder) is an error.
func decodeLayoutPlan(storeDir string, b []byte) ([]linker.Package, error) {
	if len(b) < len(planMagic)+1+1+4 || string(b[:len(planMagic)]) != planMagic || b[len(planMagic)] != planVersion {
		return nil, errBadPlan
	}
	body := b[:len(b)-4]
	if binary.LittleEndian.Uint32(b[len(b)-4:]) != crc32.Checksum(body, crcTable()) {
		return nil, errBadPlan
	}
	r := body[len(planMagic)+1:]
	str := func() (string, bool) {
		n, k := binary.Uvarint(r)
		if k <= 0 || n == 0 || n > uint64(len(r)-k) {
			return "", false
		}
		s := string(r[k : k+int(n)])
		r = r[k+int(n):]
		return s, true
	}
	n, k := binary.Uvarint(r)
	if k <= 0 || n > uint64(len(r)) {
		return nil, errBadPlan
	}
	r = r[k:]
	pkgs := make([]linker.Package, 0, n)
	for i := uint64(0); i < n; i++ {
		loc, ok1 := str()
		rel, ok2 := str()
		if !ok1 || !ok2 || !strings.HasPrefix(loc, "node_modules/") || !early.SafeRel(loc) || !early.SafeRel(rel) {
			return nil, errBadPlan
		}
		pkgs = append(pkgs, linker.Package{Location: loc, StorePath: filepath.Join(storeDir, filepath.FromSlash(rel))})
	}
	if len(r) != 0 {
		return nil, errBadPlan
	}
	return pkgs, nil
}

// readLayoutPlan reads and decodes the plan at path (nil when there is
// none or it does not decode).
func readLayoutPlan(path, storeDir string) []linker.Package {
	if path == "" {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	pkgs, err := decodeLayoutPlan(storeDir, b)
	if err != nil {
		return nil
	}
	return pkgs
}

// writeLayoutPlan records pkgs as the plan at path (atomically; a failed
// write only costs the next install its head start).
func writeLayoutPlan(path, storeDir string, pkgs []linker.Package) {
	if path == "" || len(pkgs) == 0 {
		return
	}
	data := encodeLayoutPlan(storeDir, pkgs)
	if data == nil {
		return
	}
	if os.MkdirAll(filepath.Dir(path), 0o755) == nil {
		manifest.WriteFileAtomic(path, data)
	}
}

// sameDir reports whether a and b name the same folder.
func sameDir(a, b string) bool {
	if a == b {
		return true
	}
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

// planIndexesMatch reports whether every package of an early plan lists
// the folders and files its store index lists (the plan laid them out
// before any index was read).
func planIndexesMatch(st *store.Store, plan []early.Package) bool {
	for i := range plan {
		p := &plan[i]
		idx, err := st.Index(p.Store)
		if err != nil || len(idx.Dirs) != len(p.Dirs) || len(idx.Files) != len(p.Files) {
			return false
		}
		for j := range p.Dirs {
			if idx.Dirs[j] != p.Dirs[j] {
				return false
			}
		}
		for j := range p.Files {
			if idx.Files[j].Path != p.Files[j] {
				return false
			}
		}
	}
	return true
}

// writeEarlyPlan records pkgs as the early plan of the project folder dir
// (see package early), with each package's folders and files from its
// store index (nothing when one is missing, a package is a symlink, or
// the folder's real path is unknown). It reports whether it wrote it.
func writeEarlyPlan(cache, dir string, st *store.Store, pkgRaw, lockRaw []byte, pkgs []linker.Package) bool {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil || cache == "" || len(pkgs) == 0 {
		return false
	}
	if real, err = filepath.Abs(real); err != nil {
		return false
	}
	plan := make([]early.Package, len(pkgs))
	for i, p := range pkgs {
		idx, err := st.Index(p.StorePath)
		if err != nil || p.LinkTarget != "" || !filepath.IsAbs(p.StorePath) {
			return false
		}
		files := make([]string, len(idx.Files))
		for j := range idx.Files {
			files[j] = idx.Files[j].Path
		}
		plan[i] = early.Package{Location: p.Location, Store: p.StorePath, Dirs: idx.Dirs, Files: files}
	}
	path := early.PlanPath(cache, real)
	return os.MkdirAll(filepath.Dir(path), 0o755) == nil && manifest.WriteFileAtomic(path, early.Encode(pkgRaw, lockRaw, plan)) == nil
}
