package install

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gnode/internal/cacheprune"
	"gnode/internal/pm/lockfile"
	"gnode/internal/pm/manifest"
)

// installMemo remembers what this gnode binary has already verified about
// one package.json and package-lock.json pair, so a warm install (cache
// and lockfile present, node_modules gone) need not work it out again:
//
//	'p'  the tree the lockfile describes has no problems (tree.Problems)
//	'c'  encoding that tree gives the lockfile's own bytes, so the full
//	     lockfile need not be encoded again to find that nothing changed
//	'b'  no package's package.json (in the store) names commands that its
//	     lockfile entry's "bin" does not: laying out the lockfile's tree
//	     need not search every package.json for a "bin" key
//	'h'  cutting the hidden lockfile out of package-lock.json's bytes
//	     (hiddenFromCanonical) gives what encoding it gives
//	'e'  an early plan (package early) was written for these inputs: an
//	     install whose process did not look for one (not started as a
//	     plain install, node_modules present) need not write it again
//
// Both are pure functions of the inputs the key digests: the gnode binary
// (path, size, modification time: another build may judge differently),
// the install's state key (omit, platform, resolved, layout, workspaces'
// package.json digests), the project folder's name (a nameless root entry
// takes it), package.json and package-lock.json. Lockfiles with linked
// folders are never memoised: a folder's own package.json is an input the
// key does not cover. A missing or unreadable memo only costs the checks.
type installMemo struct {
	path  string
	facts string
}

const (
	memoNoProblems = 'p'
	memoCanonical  = 'c'
	memoLockBins   = 'b'
	memoHiddenCut  = 'h'
	memoEarlyPlan  = 'e'
)

// loadInstallMemo finds the memo for these inputs (nil when memoising does
// not apply).
func loadInstallMemo(cacheDir, stateKey, dirName string, pkgRaw, lockRaw []byte, lf *lockfile.Lockfile) *installMemo {
	if cacheDir == "" || lf == nil {
		return nil
	}
	for _, p := range lf.Packages {
		if p.Link {
			return nil
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return nil
	}
	h := sha256.New()
	for _, part := range []string{"gnode-install-memo-v1", exe, strconv.FormatInt(fi.Size(), 10), strconv.FormatInt(fi.ModTime().UnixNano(), 10), stateKey, dirName} {
		h.Write([]byte(strconv.Itoa(len(part))))
		h.Write([]byte{':'})
		h.Write([]byte(part))
	}
	h.Write([]byte(strconv.Itoa(len(pkgRaw)) + ":"))
	h.Write(pkgRaw)
	h.Write(lockRaw)
	sum := hex.EncodeToString(h.Sum(nil))
	m := &installMemo{path: filepath.Join(cacheDir, "install-memo-v1", sum[:2], sum)}
	if b, err := os.ReadFile(m.path); err == nil {
		m.facts = string(b)
	}
	return m
}

func (m *installMemo) has(fact byte) bool {
	return m != nil && strings.IndexByte(m.facts, fact) >= 0
}

// add records fact (once; a failed write is only a missed shortcut).
func (m *installMemo) add(fact byte) {
	if m == nil || m.has(fact) {
		return
	}
	m.facts += string(fact)
	if os.MkdirAll(filepath.Dir(m.path), 0o755) == nil {
		manifest.WriteFileAtomic(m.path, []byte(m.facts))
	}
	pruneMemos(filepath.Dir(filepath.Dir(m.path)))
}

// memoMaxAge is how long unused install memo files are kept.
const memoMaxAge = 30 * 24 * time.Hour

// pruneMemos removes, at most once a day, the files under root (memo
// facts, index sets, layout and early plans) that no install has used for
// memoMaxAge: they are keyed by the binary and the lockfile's bytes, so
// every gnode upgrade and lockfile change leaves old ones behind. A pruned
// file is only a missed shortcut. The stamp sits beside root, not in it.
func pruneMemos(root string) {
	cacheprune.Daily(root+".pruned", cacheprune.Cache{
		Roots: []string{root},
		Ours:  func(string) bool { return true },
	}, memoMaxAge)
}
