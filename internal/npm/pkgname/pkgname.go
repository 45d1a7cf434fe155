// Package pkgname validates npm package names with the rules of
// validate-npm-package-name, which npm applies when it parses a specifier
// (names valid for old packages) and the registry applies on publish
// (names valid for new packages).
package pkgname

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
)

// MaxLength is the longest name a new package may have.
const MaxLength = 214

// ErrInvalidName is wrapped by Check and CheckNew errors.
var ErrInvalidName = errors.New("invalid package name")

// Result is the outcome of Validate. Errors make a name invalid for every
// package; Warnings record rules that only apply to new packages (capital
// letters, core module names, length, special characters).
type Result struct {
	ValidForNewPackages bool
	ValidForOldPackages bool
	Warnings            []string
	Errors              []string
}

// excluded are names refused outright, compared lowercased.
var excluded = []string{"node_modules", "favicon.ico"}

// coreModules are the names new packages may not take because Node's
// require would load the builtin instead (validate-npm-package-name 7's
// list, including the node:-only modules).
// It is built on first use, not at package init: every gnode command links this
// package and most never validate a name.
var coreModules = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, name := range strings.Fields(`_http_agent _http_client _http_common _http_incoming
		_http_outgoing _http_server _stream_duplex _stream_passthrough _stream_readable
		_stream_transform _stream_wrap _stream_writable _tls_common _tls_wrap assert
		assert/strict async_hooks buffer child_process cluster console constants crypto
		dgram diagnostics_channel dns dns/promises domain events fs fs/promises http http2
		https inspector inspector/promises module net os path path/posix path/win32
		perf_hooks process punycode querystring readline readline/promises repl stream
		stream/consumers stream/promises stream/web string_decoder sys timers
		timers/promises tls trace_events tty url util util/types v8 vm wasi
		worker_threads zlib node:sea node:sqlite node:test node:test/reporters`) {
		m[name] = true
	}
	return m
})

// Validate checks name against npm's package name rules.
func Validate(name string) Result {
	var warnings, errs []string
	if name == "" {
		errs = append(errs, "name length must be greater than zero")
	}
	if strings.HasPrefix(name, ".") {
		errs = append(errs, "name cannot start with a period")
	}
	if strings.HasPrefix(name, "-") {
		errs = append(errs, "name cannot start with a hyphen")
	}
	if strings.HasPrefix(name, "_") {
		errs = append(errs, "name cannot start with an underscore")
	}
	if strings.TrimFunc(name, isJSSpace) != name {
		errs = append(errs, "name cannot contain leading or trailing spaces")
	}
	lower := strings.ToLower(name)
	for _, x := range excluded {
		if lower == x {
			errs = append(errs, x+" is not a valid package name")
		}
	}
	if coreModules()[lower] {
		warnings = append(warnings, name+" is a core module name")
	}
	if jsLength(name) > MaxLength {
		warnings = append(warnings, fmt.Sprintf("name can no longer contain more than %d characters", MaxLength))
	}
	if lower != name {
		warnings = append(warnings, "name can no longer contain capital letters")
	}
	last := name[strings.LastIndexByte(name, '/')+1:]
	if strings.ContainsAny(last, "~'!()*") {
		warnings = append(warnings, `name can no longer contain special characters ("~'!()*")`)
	}
	if !urlSafe(name) {
		ok := false
		scope, pkg, found := strings.Cut(name, "/")
		if !found {
			// Matched as a name without a scope: its first character gets
			// checked again, and it cannot be fine as a scoped name.
			if strings.HasPrefix(name, ".") {
				errs = append(errs, "name cannot start with a period")
			}
		} else if len(scope) > 1 && scope[0] == '@' && pkg != "" && !strings.Contains(pkg, "/") {
			// A scoped name "@scope/name" is fine when both halves are.
			if strings.HasPrefix(pkg, ".") {
				errs = append(errs, "name cannot start with a period")
			}
			ok = urlSafe(scope[1:]) && urlSafe(pkg)
		}
		if !ok {
			errs = append(errs, "name can only contain URL-friendly characters")
		}
	}
	return Result{
		ValidForNewPackages: len(errs) == 0 && len(warnings) == 0,
		ValidForOldPackages: len(errs) == 0,
		Warnings:            warnings,
		Errors:              errs,
	}
}

// Check returns an error when name cannot name any package, old or new: the
// rule npm applies to dependencies it installs.
func Check(name string) error {
	r := Validate(name)
	if r.ValidForOldPackages {
		return nil
	}
	return fmt.Errorf("%w %q: %s", ErrInvalidName, name, strings.Join(r.Errors, "; "))
}

// CheckNew returns an error when name cannot be used for a new package: the
// rule for publishing and for `npm init`.
func CheckNew(name string) error {
	r := Validate(name)
	if r.ValidForNewPackages {
		return nil
	}
	return fmt.Errorf("%w %q for a new package: %s", ErrInvalidName, name, strings.Join(append(r.Errors, r.Warnings...), "; "))
}

// IsScoped reports whether name has the "@scope/name" form.
func IsScoped(name string) bool {
	return strings.HasPrefix(name, "@") && strings.Contains(name, "/")
}

// urlSafe reports whether encodeURIComponent would leave s unchanged.
func urlSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("-_.!~*'()", c) >= 0:
		default:
			return false
		}
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

// jsLength is the length of s in UTF-16 code units, as JavaScript counts.
func jsLength(s string) int {
	n := 0
	for _, r := range s {
		if r > 0xffff {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// TarballFile is the file name npm's registry layout gives name@version's
// tarball: the name without its scope, the version, ".tgz".
func TarballFile(name, version string) string {
	base := name
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		base = name[i+1:]
	}
	return base + "-" + version + ".tgz"
}

// TarballPath is where an npm registry serves name@version's tarball,
// relative to the registry's root: name/-/TarballFile.
func TarballPath(name, version string) string {
	return name + "/-/" + TarballFile(name, version)
}

// Escape is a package name as it goes into registry URLs: npm escapes the
// scope's slash as a lowercase %2f (@scope%2fname) and path-escapes the
// rest.
func Escape(name string) string {
	if strings.HasPrefix(name, "@") {
		if scope, rest, ok := strings.Cut(name[1:], "/"); ok {
			return "@" + url.PathEscape(scope) + "%2f" + url.PathEscape(rest)
		}
	}
	return url.PathEscape(name)
}
