// Package spec parses package specifiers the way npm-package-arg does:
// command-line arguments ("express@^4", "@types/node", "alias@npm:pkg@1",
// "./dir", "../pkg.tgz", "https://host/pkg.tgz", "user/repo") and
// package.json dependency entries (name plus raw spec).
//
// Git specifiers are recognised so they can be refused with a clear
// message: gnode does not fetch git dependencies yet (see Unsupported).
package spec

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gnode/internal/npm/pkgname"
	"gnode/internal/npm/semver"
)

// Type is what a specifier points at; the values are npm-package-arg's.
type Type string

const (
	TypeVersion   Type = "version"   // an exact registry version: "1.2.3"
	TypeRange     Type = "range"     // a registry semver range: "^1.2.3", "*"
	TypeTag       Type = "tag"       // a registry dist-tag: "latest"
	TypeAlias     Type = "alias"     // "npm:other@range", see SubSpec
	TypeDirectory Type = "directory" // a local folder
	TypeFile      Type = "file"      // a local tarball (.tgz, .tar.gz, .tar)
	TypeRemote    Type = "remote"    // an http(s) tarball URL
	TypeGit       Type = "git"       // a git repository (not supported yet)
)

// Errors, each matching an npm-package-arg error code (see Code).
var (
	ErrInvalidPackageName  = errors.New("invalid package name")
	ErrInvalidTagName      = errors.New("invalid tag name")
	ErrUnsupportedProtocol = errors.New("unsupported URL type")
	ErrInvalidURL          = errors.New("invalid URL")
	ErrInvalidFileURL      = errors.New("invalid file: URL, must comply with RFC 8089")
	ErrInvalidAlias        = errors.New("invalid alias")
	ErrInvalidGitSpec      = errors.New("invalid git specifier")
	// ErrGitUnsupported is returned by Unsupported for git specifiers.
	ErrGitUnsupported = errors.New("git dependencies are not supported yet")
)

// Code returns npm's error code for an error from this package ("" when it
// has none), so messages can name the same code npm would.
func Code(err error) string {
	switch {
	case errors.Is(err, ErrInvalidPackageName):
		return "EINVALIDPACKAGENAME"
	case errors.Is(err, ErrInvalidTagName):
		return "EINVALIDTAGNAME"
	case errors.Is(err, ErrUnsupportedProtocol):
		return "EUNSUPPORTEDPROTOCOL"
	case errors.Is(err, ErrGitUnsupported):
		return "EUNSUPPORTEDPROTOCOL"
	}
	return ""
}

// Spec is a parsed specifier. Text fields npm leaves null are "".
type Spec struct {
	Type Type
	// Name is the package name, "" when the specifier does not say (a bare
	// folder, tarball or URL argument).
	Name        string
	Scope       string // "@scope" for scoped names
	EscapedName string // the name with its slash escaped, for registry URLs
	Raw         string // the whole argument, or "name@rawSpec"
	RawSpec     string // the part after the name ("" for a bare name argument)
	// FetchSpec is what to fetch: the trimmed range, version or tag for
	// registry types, the absolute path for files and folders, the URL for
	// remote tarballs and git URLs.
	FetchSpec string
	// SaveSpec is what npm writes into package.json for non-registry types
	// ("file:../x" relative to Where, "github:user/repo"); registry types
	// are saved from the version actually installed, so theirs is "".
	SaveSpec string
	Where    string // the folder relative specifiers resolve against
	Registry bool   // version, range, tag and alias specifiers

	// Version is the normalised version of a TypeVersion spec; Range the
	// normalised range of a TypeRange spec (as semver.validRange prints
	// it); Tag the dist-tag of a TypeTag spec.
	Version, Range, Tag string
	// Path is the absolute path of a TypeFile or TypeDirectory spec.
	Path string
	// URL is the tarball URL of a TypeRemote spec, or the repository URL of
	// a TypeGit spec (without its #committish; "" for host shortcuts).
	URL string
	// SubSpec is the registry spec an alias points at.
	SubSpec *Spec
	// Git details: the host ("github", "gitlab", ...; "" for other hosts),
	// and the #committish, #semver:range and ::path: parts.
	GitHost, GitCommittish, GitRange, GitSubdir string
}

// Parse parses a command-line argument like npa(arg, where). where is the
// folder relative paths resolve against ("" means the current directory).
func Parse(arg, where string) (*Spec, error) {
	nameEnd := -1
	if len(arg) > 1 {
		if i := strings.IndexByte(arg[1:], '@'); i >= 0 {
			nameEnd = i + 1
		}
	}
	namePart := arg
	if nameEnd > 0 {
		namePart = arg[:nameEnd]
	}
	var name, spec string
	switch {
	case isURL(arg):
		spec = arg
	case isSCPGit(arg):
		spec = "git+ssh://" + arg
	case !strings.HasPrefix(namePart, "@") && (strings.Contains(namePart, "/") || isFileType(namePart)):
		spec = arg
	case nameEnd > 0:
		name = namePart
		spec = arg[nameEnd+1:]
		if spec == "" {
			spec = "*"
		}
	default:
		if pkgname.Validate(arg).ValidForOldPackages {
			name, spec = arg, "*"
		} else {
			spec = arg
		}
	}
	return resolve(name, spec, where, arg, true)
}

// Resolve parses a package.json dependency entry like
// npa.resolve(name, rawSpec, where).
func Resolve(name, rawSpec, where string) (*Spec, error) {
	raw := rawSpec
	if name != "" {
		raw = name + "@" + rawSpec
	}
	return resolve(name, rawSpec, where, raw, false)
}

func resolve(name, rawSpec, where, raw string, fromArg bool) (*Spec, error) {
	s := &Spec{Raw: raw, RawSpec: rawSpec}
	if name != "" {
		if err := s.setName(name); err != nil {
			return nil, err
		}
	}
	if where == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("resolving %q: finding the current directory: %w", raw, err)
		}
		where = wd
	}
	spec := rawSpec
	switch {
	case isFileSpec(spec):
		return s.fromFile(where)
	case len(spec) >= 4 && strings.EqualFold(spec[:4], "npm:"):
		return s.fromAlias(where)
	}
	if h := parseHosted(spec); h != nil {
		return s.fromHosted(h)
	}
	switch {
	case spec != "" && isURL(spec):
		return s.fromURL()
	case spec != "" && (strings.Contains(spec, "/") || isFileType(spec)):
		return s.fromFile(where)
	}
	return s.fromRegistry()
}

func (s *Spec) setName(name string) error {
	if r := pkgname.Validate(name); !r.ValidForOldPackages {
		return fmt.Errorf("%w %q of package %q: %s", ErrInvalidPackageName, name, s.Raw, strings.Join(r.Errors, "; "))
	}
	s.Name = name
	if name[0] == '@' {
		if i := strings.IndexByte(name, '/'); i >= 0 {
			s.Scope = name[:i]
		} else {
			s.Scope = name
		}
	}
	s.EscapedName = strings.Replace(name, "/", "%2f", 1)
	return nil
}

func (s *Spec) fromRegistry() (*Spec, error) {
	s.Registry = true
	spec := trimJS(s.RawSpec)
	s.FetchSpec = spec
	if v, ok := semver.Valid(spec, true); ok {
		s.Type = TypeVersion
		s.Version = v
		return s, nil
	}
	if r, ok := semver.ValidRange(spec, semver.Options{Loose: true}); ok {
		s.Type = TypeRange
		s.Range = r
		return s, nil
	}
	if !uriComponentSafe(spec) {
		return nil, fmt.Errorf("%w %q of package %q: tags may not have any characters that encodeURIComponent encodes", ErrInvalidTagName, spec, s.Raw)
	}
	s.Type = TypeTag
	s.Tag = spec
	return s, nil
}

func (s *Spec) fromAlias(where string) (*Spec, error) {
	sub, err := Parse(s.RawSpec[4:], where)
	if err != nil {
		return nil, err
	}
	switch {
	case sub.Type == TypeAlias:
		return nil, fmt.Errorf("%w %q: nested aliases are not supported", ErrInvalidAlias, s.Raw)
	case !sub.Registry:
		return nil, fmt.Errorf("%w %q: aliases only work for registry dependencies", ErrInvalidAlias, s.Raw)
	case sub.Name == "":
		return nil, fmt.Errorf("%w %q: aliases must have a name", ErrInvalidAlias, s.Raw)
	}
	s.SubSpec = sub
	s.Registry = true
	s.Type = TypeAlias
	return s, nil
}

// Unsupported returns an error for specifiers gnode cannot install yet
// (git), and nil for the others.
func (s *Spec) Unsupported() error {
	if s.Type == TypeGit {
		return fmt.Errorf("%w: %q (depend on a registry version or a tarball URL instead)", ErrGitUnsupported, s.Raw)
	}
	if s.SubSpec != nil {
		return s.SubSpec.Unsupported()
	}
	return nil
}

// SemverRange returns the range a version, range or alias specifier asks
// the registry for (parsed loosely, as npm does), or an error for other
// types.
func (s *Spec) SemverRange() (*semver.Range, error) {
	switch s.Type {
	case TypeVersion, TypeRange:
		return semver.ParseRangeLoose(s.FetchSpec)
	case TypeAlias:
		return s.SubSpec.SemverRange()
	}
	return nil, fmt.Errorf("%q is a %s specifier, not a semver range", s.Raw, s.Type)
}

// String is npa's toString: "name@saveSpec", falling back to the fetch
// spec and the raw spec, e.g. "express@^4.0.0" or "file:../pkg".
func (s *Spec) String() string {
	var parts []string
	if s.Name != "" {
		parts = append(parts, s.Name)
	}
	spec := s.SaveSpec
	if spec == "" {
		spec = s.FetchSpec
	}
	if spec == "" {
		spec = s.RawSpec
	}
	if spec != "" {
		parts = append(parts, spec)
	}
	if len(parts) == 0 {
		return s.Raw
	}
	return strings.Join(parts, "@")
}

// isURL is /^(?:git[+])?[a-z]+:/i.
func isURL(s string) bool {
	if len(s) >= 4 && strings.EqualFold(s[:4], "git+") {
		s = s[4:]
	}
	i := 0
	for i < len(s) && isAlpha(s[i]) {
		i++
	}
	return i > 0 && i < len(s) && s[i] == ':'
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isSCPGit is /^[^@]+@[^:.]+\.[^:]+:.+$/i: "git@host.tld:user/repo".
func isSCPGit(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 {
		return false
	}
	rest := s[at+1:]
	colon := strings.IndexByte(rest, ':')
	if colon < 0 || colon == len(rest)-1 {
		return false
	}
	host := rest[:colon]
	// [^:.]+ then a dot then [^:]+: the host has a dot that is neither
	// first nor last.
	dot := strings.IndexByte(host, '.')
	return dot > 0 && dot < len(host)-1 && !strings.ContainsAny(rest[colon+1:], "\n\r\u2028\u2029") && !strings.ContainsAny(host, "\n\r\u2028\u2029")
}

// isFileType is /[.](?:tgz|tar\.gz|tar)$/i.
func isFileType(s string) bool {
	l := strings.ToLower(s)
	return strings.HasSuffix(l, ".tgz") || strings.HasSuffix(l, ".tar.gz") || strings.HasSuffix(l, ".tar")
}

// isFileSpec: "file:" or a path-looking start (POSIX rules).
func isFileSpec(s string) bool {
	if s == "" {
		return false
	}
	if len(s) >= 5 && strings.EqualFold(s[:5], "file:") {
		return true
	}
	return s[0] == '.' || s[0] == '/' || strings.HasPrefix(s, "~/") || (len(s) >= 2 && isAlpha(s[0]) && s[1] == ':')
}

// uriComponentSafe reports whether encodeURIComponent leaves s unchanged.
func uriComponentSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlpha(c) || c >= '0' && c <= '9' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

func isJSSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

func trimJS(s string) string { return strings.TrimFunc(s, isJSSpace) }

// homeDir is os.homedir(); a variable so tests can pin it.
var homeDir = func() string {
	h, err := os.UserHomeDir()
	if err != nil {
		return "/"
	}
	return h
}

func (s *Spec) fromFile(where string) (*Spec, error) {
	s.Type = TypeDirectory
	if isFileType(s.RawSpec) {
		s.Type = TypeFile
	}
	s.Where = where
	absWhere, err := filepath.Abs(where)
	if err != nil {
		return nil, fmt.Errorf("resolving %q against %q: %w", s.Raw, where, err)
	}
	// npm turns the spec into a file: URL, resolves it against where and
	// decodes the path again; the encoding round-trips, so the path text
	// is the spec without its "file:" prefix.
	p := s.RawSpec
	hadPrefix := strings.HasPrefix(p, "file:")
	if hadPrefix {
		p = p[5:]
	}
	if hadPrefix || strings.HasPrefix(p, "/") {
		if strings.HasPrefix(p, "/") {
			// file://host/path is read as /host/path.
			if len(p) > 2 && p[1] == '/' && p[2] != '/' {
				p = "/" + p
			}
			// file:/../x, file:///./x are relative after all.
			if k := leadingSlashes(p); k >= 1 && k <= 3 && isDotSegmentStart(p[k:]) {
				p = p[k:]
			}
		}
	}
	absolute := strings.HasPrefix(p, "/")
	var specPath, resolvedPath string
	if absolute {
		path := p
		if strings.HasPrefix(path, "//") {
			// An empty host, then the path.
			path = path[2:]
			if path == "" {
				path = "/"
			}
		}
		specPath = removeDotSegments(path)
		resolvedPath = specPath
	} else {
		specPath = removeDotSegments("/" + p)
		base := absWhere
		if !strings.HasSuffix(base, "/") {
			base += "/"
		}
		if startsWithDriveLetter(p) {
			// A relative file: URL starting with a Windows drive letter
			// ("c:", "c:/x") does not keep the base path, on every OS.
			base = "/"
		}
		resolvedPath = removeDotSegments(base + p)
	}
	switch {
	case specPath == "/~" || strings.HasPrefix(specPath, "/~/"):
		s.SaveSpec = "file:" + specPath[1:]
		rest := ""
		if len(specPath) > 3 {
			rest = specPath[3:]
		}
		resolvedPath = resolvePath(homeDir(), rest)
	case !absolute:
		s.SaveSpec = "file:" + relativePath(absWhere, resolvedPath)
	default:
		s.SaveSpec = "file:" + resolvePath(resolvedPath)
	}
	s.FetchSpec = resolvePath(absWhere, resolvedPath)
	s.Path = s.FetchSpec
	return s, nil
}

func leadingSlashes(s string) int {
	n := 0
	for n < len(s) && s[n] == '/' {
		n++
	}
	return n
}

// isDotSegmentStart matches /^\.\.?(\/|$)/.
func isDotSegmentStart(s string) bool {
	switch {
	case s == "." || s == "..":
		return true
	case strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../"):
		return true
	}
	return false
}

// removeDotSegments resolves "." and ".." in an absolute URL path like the
// WHATWG URL parser: empty segments stay, a trailing dot segment leaves a
// trailing slash.
func removeDotSegments(p string) string {
	segs := strings.Split(p[1:], "/")
	out := make([]string, 0, len(segs))
	for i, seg := range segs {
		last := i == len(segs)-1
		switch seg {
		case "..":
			// A drive letter at the start of a file: path is never popped.
			if len(out) > 0 && !(len(out) == 1 && isDriveLetter(out[0])) {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		case ".":
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, seg)
		}
	}
	return "/" + strings.Join(out, "/")
}

// resolvePath is node's path.resolve for absolute results.
func resolvePath(parts ...string) string {
	p := ""
	for i := len(parts) - 1; i >= 0; i-- {
		if parts[i] == "" {
			continue
		}
		if p == "" {
			p = parts[i]
		} else {
			p = parts[i] + "/" + p
		}
		if strings.HasPrefix(parts[i], "/") {
			break
		}
	}
	if !strings.HasPrefix(p, "/") {
		wd, _ := os.Getwd()
		p = wd + "/" + p
	}
	return filepath.Clean(p)
}

// relativePath is node's path.relative between absolute paths ("" when
// they are the same).
func relativePath(from, to string) string {
	from, to = resolvePath(from), resolvePath(to)
	if from == to {
		return ""
	}
	r, err := filepath.Rel(from, to)
	if err != nil {
		return to
	}
	return r
}

// isDriveLetter reports whether seg is a normalised Windows drive letter
// ("c:"), which file: URLs treat specially.
func isDriveLetter(seg string) bool {
	return len(seg) == 2 && isAlpha(seg[0]) && seg[1] == ':'
}

// startsWithDriveLetter is the URL standard's "starts with a Windows drive
// letter" for the characters a file spec can still contain.
func startsWithDriveLetter(p string) bool {
	return len(p) >= 2 && isAlpha(p[0]) && p[1] == ':' && (len(p) == 2 || p[2] == '/')
}
