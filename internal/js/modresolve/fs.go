package modresolve

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// FS is the file system the resolver reads. Paths are absolute, in the
// resolver's path style (Unix or Windows).
type FS interface {
	// Stat reports whether path exists and whether it is a directory,
	// following symbolic links.
	Stat(path string) (isDir bool, exists bool)
	// ReadFile returns a file's contents (used for package.json only).
	ReadFile(path string) ([]byte, error)
	// Realpath resolves every symbolic link in path.
	Realpath(path string) (string, error)
}

// OSFS is the real file system.
type OSFS struct{}

var _ FS = OSFS{}

// Stat implements FS.
func (OSFS) Stat(path string) (bool, bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return false, false
	}
	return fi.IsDir(), true
}

// ReadFile implements FS.
func (OSFS) ReadFile(path string) ([]byte, error) { return os.ReadFile(path) }

// Realpath implements FS.
func (OSFS) Realpath(path string) (string, error) {
	p, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", err
	}
	return filepath.Abs(p)
}

// MemFS is an in-memory file system for tests: a map of file path to
// contents plus symbolic links. Directories are implied by the files under
// them. Paths use the style given to NewMemFS (Unix "/a/b" or Windows
// `C:\a\b`); Windows lookups are case-insensitive as on NTFS.
type MemFS struct {
	mu       sync.Mutex
	windows  bool
	files    map[string][]byte
	dirs     map[string]bool
	symlinks map[string]string
	// Reads counts ReadFile calls, so tests can check the cache.
	Reads int
}

var _ FS = (*MemFS)(nil)

// NewMemFS builds a MemFS from a map of path to contents.
func NewMemFS(files map[string]string, windows bool) *MemFS {
	m := &MemFS{windows: windows, files: map[string][]byte{}, dirs: map[string]bool{}, symlinks: map[string]string{}}
	for p, c := range files {
		m.AddFile(p, c)
	}
	return m
}

func (m *MemFS) key(p string) string {
	if m.windows {
		return strings.ToLower(strings.ReplaceAll(p, "/", `\`))
	}
	return p
}

func (m *MemFS) po() pathOps { return pathOps{windows: m.windows} }

// AddFile adds a file and its parent directories.
func (m *MemFS) AddFile(p, contents string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p = m.po().clean(p)
	m.files[m.key(p)] = []byte(contents)
	for d := m.po().dir(p); ; d = m.po().dir(d) {
		m.dirs[m.key(d)] = true
		if m.po().dir(d) == d {
			break
		}
	}
}

// AddSymlink makes link point at target (an absolute path).
func (m *MemFS) AddSymlink(link, target string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	link = m.po().clean(link)
	m.symlinks[m.key(link)] = m.po().clean(target)
	for d := m.po().dir(link); ; d = m.po().dir(d) {
		m.dirs[m.key(d)] = true
		if m.po().dir(d) == d {
			break
		}
	}
}

// resolveLinks follows symbolic links in every component of p.
func (m *MemFS) resolveLinks(p string) (string, bool) {
	po := m.po()
	p = po.clean(p)
	for hops := 0; hops < 40; hops++ {
		changed := false
		// Walk prefixes from the root so links in parents resolve first.
		parts := po.split(p)
		cur := parts[0]
		for i := 1; i < len(parts); i++ {
			cur = po.join(cur, parts[i])
			if t, ok := m.symlinks[m.key(cur)]; ok {
				rest := parts[i+1:]
				p = po.join(append([]string{t}, rest...)...)
				changed = true
				break
			}
		}
		if !changed {
			return p, true
		}
	}
	return p, false
}

// Stat implements FS.
func (m *MemFS) Stat(p string) (bool, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.resolveLinks(p)
	if !ok {
		return false, false
	}
	k := m.key(r)
	if _, ok := m.files[k]; ok {
		return false, true
	}
	if m.dirs[k] {
		return true, true
	}
	return false, false
}

// ReadFile implements FS.
func (m *MemFS) ReadFile(p string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Reads++
	r, _ := m.resolveLinks(p)
	if c, ok := m.files[m.key(r)]; ok {
		return c, nil
	}
	if m.dirs[m.key(r)] {
		return nil, &fs.PathError{Op: "read", Path: p, Err: errors.New("is a directory")}
	}
	return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
}

// Realpath implements FS.
func (m *MemFS) Realpath(p string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.resolveLinks(p)
	if !ok {
		return "", &fs.PathError{Op: "realpath", Path: p, Err: errors.New("too many levels of symbolic links")}
	}
	k := m.key(r)
	if _, ok := m.files[k]; !ok && !m.dirs[k] {
		return "", &fs.PathError{Op: "realpath", Path: p, Err: fs.ErrNotExist}
	}
	return r, nil
}

// Paths lists the files, sorted (for test failure messages).
func (m *MemFS) Paths() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for k := range m.files {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
