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
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
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
	tw := tar.NewWriter(gz)
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
		if bins[f] {
			mode |= 0o111
		}
		hdr := &tar.Header{
			Typeflag: tar.TypeReg,
			Name:     "package/" + f,
			Size:     int64(len(data)),
			Mode:     mode,
			ModTime:  MTime,
			Format:   tar.FormatUSTAR,
		}
		if len(hdr.Name) > 100 && !fitsUSTAR(hdr.Name) {
			hdr.Format = tar.FormatPAX
		}
		if err := tw.WriteHeader(hdr); err != nil {
			hdr.Format = tar.FormatPAX
			if err := tw.WriteHeader(hdr); err != nil {
				return nil, fmt.Errorf("pack %s: %w", f, err)
			}
		}
		if _, err := tw.Write(data); err != nil {
			return nil, err
		}
		res.Files = append(res.Files, File{Path: f, Size: int64(len(data)), Mode: mode})
		res.UnpackedSize += int64(len(data))
		if rest, ok := strings.CutPrefix(f, "node_modules/"); ok {
			if mm := bundledName.FindString(rest); mm != "" {
				if !bundled[mm] {
					bundled[mm] = true
					res.Bundled = append(res.Bundled, mm)
				}
			}
		}
	}
	if err := tw.Close(); err != nil {
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

var bundledName = regexp.MustCompile(`^(?:@[^/]+/)?[^/]+`)

func fitsUSTAR(name string) bool {
	i := strings.LastIndexByte(name[:min(len(name), 156)], '/')
	return i > 0 && i <= 155 && len(name)-i-1 <= 100
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
