package store

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unsafe"
)

// An index set holds the indexes of many store entries in one file, so a
// warm install of a lockfile it has installed before reads one file
// instead of one index.bin per package (~12 µs each: open, read, close).
// It is a cache of the entries' index.bin files and proves nothing about
// the entries themselves: an install that loaded its indexes from a set
// must treat a missing store file (ENOENT while linking) as a stale set
// and start again without it.
//
// Format: indexSetMagic, the set version, index.bin's version and the
// Index version (one byte each), a uvarint count, then per entry the
// package folder relative to the store (uvarint length, bytes) and the
// entry's index.bin encoding (uvarint length, bytes); last, the CRC-32C
// (little-endian) of everything before it. Anything else is refused whole.
const (
	indexSetMagic   = "gnodeset"
	indexSetVersion = 1
)

var errIndexSet = errors.New("package store: not an index set of this version")

// castagnoli is the CRC-32C table, made on first use (crc32 keeps it):
// not in the package's init, which every gnode process runs.
func castagnoli() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) }

// EncodeIndexSet encodes the loaded indexes of the given package folders
// (paths returned by Lookup, Has or Put) as an index set. Folders outside
// the store, without a readable index or named twice are left out.
func (s *Store) EncodeIndexSet(pkgPaths []string) []byte {
	type ent struct {
		rel string
		bin []byte
	}
	ents := make([]ent, 0, len(pkgPaths))
	seen := make(map[string]bool, len(pkgPaths))
	size := 0
	for _, p := range pkgPaths {
		rel, ok := strings.CutPrefix(p, s.dir+string(filepath.Separator))
		if !ok || rel == "" || seen[rel] {
			continue
		}
		seen[rel] = true
		idx, err := s.Index(p)
		if err != nil {
			continue
		}
		b := encodeIndexBin(idx)
		ents = append(ents, ent{rel, b})
		size += len(rel) + len(b) + 2*binary.MaxVarintLen64
	}
	out := make([]byte, 0, len(indexSetMagic)+3+binary.MaxVarintLen64+size+4)
	out = append(out, indexSetMagic...)
	out = append(out, indexSetVersion, indexBinVersion, IndexVersion)
	out = binary.AppendUvarint(out, uint64(len(ents)))
	for _, e := range ents {
		out = binary.AppendUvarint(out, uint64(len(e.rel)))
		out = append(out, e.rel...)
		out = binary.AppendUvarint(out, uint64(len(e.bin)))
		out = append(out, e.bin...)
	}
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, castagnoli()))
}

// LoadIndexSet decodes an index set and keeps its indexes loaded, as
// Lookup would after reading each entry's index.bin: Lookup and Index then
// read nothing for them. It returns how many were loaded; a set that is
// corrupt, truncated or of another version loads nothing and is an error.
// The loaded indexes keep data: the caller must not change it afterwards.
func (s *Store) LoadIndexSet(data []byte) (int, error) {
	head := len(indexSetMagic) + 3
	if len(data) < head+4 || string(data[:len(indexSetMagic)]) != indexSetMagic ||
		data[len(indexSetMagic)] != indexSetVersion || data[len(indexSetMagic)+1] != indexBinVersion ||
		data[len(indexSetMagic)+2] != IndexVersion {
		return 0, errIndexSet
	}
	body := data[:len(data)-4]
	if crc32.Checksum(body, castagnoli()) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return 0, errIndexSet
	}
	// The indexes' strings share data itself (one read, no copy): the
	// caller hands it over.
	d := binDecoder{s: unsafe.String(&body[head], len(body)-head)}
	n := d.count(4)
	type ent struct {
		pkg string
		idx *Index
	}
	ents := make([]ent, 0, n)
	for i := 0; i < n && !d.bad; i++ {
		rel := d.str()
		bin := d.str()
		if d.bad || rel == "" || filepath.IsAbs(rel) || strings.Contains("/"+rel+"/", "/../") {
			return 0, errIndexSet
		}
		idx, err := decodeIndexBinString(bin)
		if err != nil {
			return 0, errIndexSet
		}
		ents = append(ents, ent{s.dir + string(filepath.Separator) + rel, idx})
	}
	if d.bad || d.i != len(d.s) {
		return 0, errIndexSet
	}
	for _, e := range ents {
		s.indexes.LoadOrStore(e.pkg, e.idx)
	}
	return len(ents), nil
}

// DropIncomplete checks the entry holding pkgPath after a layout from it
// met a missing file: an entry without its index.json, or missing any
// file its index lists, is incomplete (pruned or damaged by hand) and is
// removed whole, so the next lookup misses and the package is fetched and
// verified again. It also forgets the entry's loaded index. It reports
// whether the entry is now absent (dropped here, or already gone).
func (s *Store) DropIncomplete(pkgPath string) bool {
	entry := filepath.Dir(pkgPath)
	if rel, ok := strings.CutPrefix(entry, s.dir+string(filepath.Separator)+contentDir+string(filepath.Separator)); !ok || rel == "" {
		return false // not a store entry
	}
	idx, _ := s.Index(pkgPath)
	s.indexes.Delete(pkgPath)
	if _, err := os.Lstat(entry); errors.Is(err, fs.ErrNotExist) {
		return true
	}
	complete := idx != nil && exists(filepath.Join(entry, indexFile))
	for i := 0; complete && i < len(idx.Files); i++ {
		complete = exists(filepath.Join(pkgPath, filepath.FromSlash(idx.Files[i].Path)))
	}
	if complete {
		return false
	}
	// Moved aside first, so no other process sees a half-removed entry.
	aside, err := os.MkdirTemp(filepath.Join(s.dir, tmpDir), "drop-")
	if err != nil {
		return false
	}
	defer os.RemoveAll(aside)
	if err := os.Rename(entry, filepath.Join(aside, "entry")); err != nil {
		return errors.Is(err, fs.ErrNotExist)
	}
	return true
}

// IndexLoaded reports whether the index of pkgPath is in memory (Index
// then reads nothing).
func (s *Store) IndexLoaded(pkgPath string) bool {
	_, ok := s.indexes.Load(pkgPath)
	return ok
}
