package pack

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"gnode/internal/pm/manifest"
)

// MTime is the modification time npm writes on every entry (zip tools
// choke on the Unix epoch, so npm picked a date in the 1980s).
var MTime = time.Date(1985, 10, 26, 8, 15, 0, 0, time.UTC)

// File is one entry of a packed tarball.
type File struct {
	Path string `json:"path"`
	Size int64  `json:"size"`
	Mode int64  `json:"mode"`
}

// Result is a packed package: what `npm pack --json` reports plus the bytes.
type Result struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Version      string   `json:"version"`
	Size         int      `json:"size"`
	UnpackedSize int64    `json:"unpackedSize"`
	Shasum       string   `json:"shasum"`
	Integrity    string   `json:"integrity"`
	Filename     string   `json:"filename"`
	Files        []File   `json:"files"`
	EntryCount   int      `json:"entryCount"`
	Bundled      []string `json:"bundled"`
	// Tarball is the gzipped tar; Manifest is the package.json as read.
	Tarball  []byte             `json:"-"`
	Manifest *manifest.Manifest `json:"-"`
	// Readmes holds the README files of a package read from a tarball
	// (FromTarball), since there is no folder to read them from.
	Readmes map[string][]byte `json:"-"`
}

// Filename is npm's tarball name: "@scope/name" becomes "scope-name".
func Filename(name, version string) string {
	return strings.Replace(strings.Replace(name, "@", "", 1), "/", "-", 1) + "-" + version + ".tgz"
}

// Pack selects dir's files and builds the tarball in memory.
func Pack(dir string) (*Result, error) {
	m, err := manifest.Read(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, err
	}
	if m.Name == "" {
		return nil, fmt.Errorf("%s has no \"name\": npm cannot pack a package without one", m.Path)
	}
	if m.Version == "" {
		return nil, fmt.Errorf("%s has no \"version\": npm cannot pack a package without one", m.Path)
	}
	files, err := Files(dir)
	if err != nil {
		return nil, err
	}
	p, err := readPkg(dir)
	if err != nil {
		return nil, err
	}
	bins := map[string]bool{}
	for _, v := range p.bins(dir) {
		bins[v] = true
	}
	var buf bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	res := &Result{ID: m.Name + "@" + m.Version, Name: m.Name, Version: m.Version, Filename: Filename(m.Name, m.Version), Bundled: []string{}, Manifest: m}
	bundled := map[string]bool{}
	for _, f := range files {
		abs := filepath.Join(dir, filepath.FromSlash(f))
		st, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("pack %s: %w", f, err)
		}
		data, err := os.ReadFile(abs)
		if err != nil {
			return nil, fmt.Errorf("pack %s: %w", f, err)
		}
		// node-tar's portable mode: owner rw, no group/other write; bins
		// are made executable.
		mode := int64(st.Mode().Perm()|0o600) &^ 0o022
		// pacote's isPackageBin strips everything up to the first slash
		// before comparing with the bin targets, so only bins at the package
		// root (or, oddly, files one folder down whose remaining path equals
		// a target) become executable. Matched as npm does it.
		if bins[binPathKey(f)] {
			mode |= 0o111
		}
		if err := writeEntry(gz, "package/"+f, mode, data); err != nil {
			return nil, fmt.Errorf("pack %s: %w", f, err)
		}
		res.Files = append(res.Files, File{Path: f, Size: int64(len(data)), Mode: mode})
		res.UnpackedSize += int64(len(data))
		if rest, ok := strings.CutPrefix(f, "node_modules/"); ok {
			if mm := bundledName().FindString(rest); mm != "" {
				if !bundled[mm] {
					bundled[mm] = true
					res.Bundled = append(res.Bundled, mm)
				}
			}
		}
	}
	// The archive ends with two zero blocks.
	if _, err := gz.Write(make([]byte, 1024)); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	res.Tarball = buf.Bytes()
	res.Size = len(res.Tarball)
	res.EntryCount = len(res.Files)
	s1 := sha1.Sum(res.Tarball)
	res.Shasum = hex.EncodeToString(s1[:])
	s512 := sha512.Sum512(res.Tarball)
	res.Integrity = "sha512-" + base64.StdEncoding.EncodeToString(s512[:])
	sortListing(res.Files)
	return res, nil
}

var bundledName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:@[^/]+/)?[^/]+`) })

// writeEntry writes one file as node-tar does in portable mode: a ustar
// header with node-tar's number formatting (zero-padded octal followed by a
// space and a NUL, uid/gid/uname/gname left empty), long names split into
// prefix and name, and a PAX extended header (path, mtime, size) before the
// entry when the name cannot be stored exactly. The uncompressed stream is
// then byte-identical to npm's.
func writeEntry(w io.Writer, name string, mode int64, data []byte) error {
	base, prefix, needPax := splitPrefix(name)
	if !isASCII(name) {
		needPax = true
	}
	if needPax {
		body := paxField("path", name) + paxField("mtime", strconv.FormatInt(MTime.Unix(), 10)) + paxField("size", strconv.Itoa(len(data)))
		ph := header(truncUTF16("PaxHeader/"+path.Base(name), 99), "", 0o644, int64(len(body)), 'x')
		if err := writeBlocks(w, ph[:], []byte(body)); err != nil {
			return err
		}
	}
	h := header(base, prefix, mode, int64(len(data)), '0')
	return writeBlocks(w, h[:], data)
}

func writeBlocks(w io.Writer, hdr, data []byte) error {
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	if pad := (512 - len(data)%512) % 512; pad > 0 {
		_, err := w.Write(make([]byte, pad))
		return err
	}
	return nil
}

func header(name, prefix string, mode, size int64, typ byte) [512]byte {
	var h [512]byte
	copy(h[0:100], name)
	octal(h[100:108], mode)
	octal(h[124:136], size)
	octal(h[136:148], MTime.Unix())
	h[156] = typ
	copy(h[257:265], "ustar\x0000")
	octal(h[329:337], 0)
	octal(h[337:345], 0)
	copy(h[345:500], prefix)
	sum := int64(8 * 0x20)
	for i, b := range h {
		if i < 148 || i >= 156 {
			sum += int64(b)
		}
	}
	octal(h[148:156], sum)
	return h
}

// paxField is one "<len> key=value\n" record; len counts its own digits.
func paxField(key, val string) string {
	s := " " + key + "=" + val + "\n"
	n := len(s)
	digits := len(strconv.Itoa(n))
	if n+digits >= pow10(digits) {
		digits++
	}
	return strconv.Itoa(n+digits) + s
}

func pow10(n int) int {
	p := 1
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// truncUTF16 is JavaScript's s.slice(0, n) for ASCII-dominant names: it cuts
// at n UTF-16 code units.
func truncUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		u := 1
		if r >= 0x10000 {
			u = 2
		}
		if units+u > n {
			return s[:i]
		}
		units += u
	}
	return s
}

// octal writes n zero-padded to len(field)-2 digits, then ' ' and NUL.
func octal(field []byte, n int64) {
	s := strconv.FormatInt(n, 8)
	for len(s) < len(field)-2 {
		s = "0" + s
	}
	copy(field, s+" \x00")
}

// splitPrefix is node-tar's split of a long path into ustar's name (100
// bytes) and prefix (155 bytes); needPax reports a name that had to be
// truncated.
func splitPrefix(p string) (name, prefix string, needPax bool) {
	if len(p) < 100 {
		return p, "", false
	}
	prefix, name = path.Dir(p), path.Base(p)
	for prefix != "." {
		switch {
		case len(name) <= 100 && len(prefix) <= 155:
			return name, prefix, false
		case len(name) > 100 && len(prefix) <= 155:
			return truncUTF16(name, 99), prefix, true
		}
		name = path.Join(path.Base(prefix), name)
		prefix = path.Dir(prefix)
	}
	return truncUTF16(p, 99), "", true
}

// sortListing orders the listing as npm prints it: paths starting with a
// character that is its own upper case first, each group in locale order
// with numeric collation.
func sortListing(files []File) {
	isUpper := func(s string) bool {
		if s == "" {
			return true
		}
		r := []rune(s)[0]
		return unicode.ToUpper(r) == r
	}
	sort.SliceStable(files, func(i, j int) bool {
		ui, uj := isUpper(files[i].Path), isUpper(files[j].Path)
		if ui != uj {
			return ui
		}
		return manifest.LocaleCompare(files[i].Path, files[j].Path) < 0
	})
}

// FormatBytes is npm's size formatting for the summary; space puts a
// blank between the number and the unit.
func FormatBytes(n int64, space bool) string {
	sp := ""
	if space {
		sp = " "
	}
	switch {
	case n < 1000:
		return fmt.Sprintf("%d%sB", n, sp)
	case n < 999950:
		return fmt.Sprintf("%.1f%skB", float64(n)/1000, sp)
	case n < 999950000:
		return fmt.Sprintf("%.1f%sMB", float64(n)/1000000, sp)
	default:
		return fmt.Sprintf("%.1f%sGB", float64(n)/1000000000, sp)
	}
}

// Write saves the tarball into dir through a temporary file and returns
// its path.
func (r *Result) Write(dir string) (string, error) {
	dst := filepath.Join(dir, r.Filename)
	if err := manifest.WriteFileAtomic(dst, r.Tarball); err != nil {
		return "", err
	}
	return dst, nil
}

func binPathKey(f string) string {
	if i := strings.IndexAny(f, "/\\"); i >= 0 {
		return f[i+1:]
	}
	return f
}

// FromTarball reads an existing package tarball (what `npm publish x.tgz`
// uploads): its package.json, its file listing and its README, with the
// integrity of the file as it is.
func FromTarball(tgz []byte, name string) (*Result, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, fmt.Errorf("%s is not a gzipped tarball: %w", name, err)
	}
	tr := tar.NewReader(zr)
	res := &Result{Bundled: []string{}, Tarball: tgz, Size: len(tgz)}
	var pj []byte
	readmes := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		if h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeRegA {
			continue
		}
		p := h.Name
		if i := strings.IndexByte(p, '/'); i >= 0 {
			p = p[i+1:] // the top folder is "package" by convention, not always
		}
		res.Files = append(res.Files, File{Path: p, Size: h.Size, Mode: h.Mode & 0o7777})
		res.UnpackedSize += h.Size
		if p == "package.json" || (!strings.Contains(p, "/") && strings.HasPrefix(strings.ToLower(p), "readme")) {
			b, err := io.ReadAll(io.LimitReader(tr, 8<<20))
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", name, err)
			}
			if p == "package.json" {
				pj = b
			} else {
				readmes[p] = b
			}
		}
	}
	if pj == nil {
		return nil, fmt.Errorf("%s has no package/package.json", name)
	}
	m, err := manifest.Parse(name+":package/package.json", pj)
	if err != nil {
		return nil, err
	}
	res.Manifest = m
	res.Name, res.Version = m.Name, m.Version
	res.ID = m.Name + "@" + m.Version
	res.Filename = Filename(m.Name, m.Version)
	res.EntryCount = len(res.Files)
	res.Readmes = readmes
	s1 := sha1.Sum(tgz)
	res.Shasum = hex.EncodeToString(s1[:])
	s512 := sha512.Sum512(tgz)
	res.Integrity = "sha512-" + base64.StdEncoding.EncodeToString(s512[:])
	sortListing(res.Files)
	return res, nil
}
