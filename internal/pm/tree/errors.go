package tree

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotFound is what a Source's error must wrap when the registry has no
// such package (HTTP 404).
var ErrNotFound = errors.New("package not found")

// NotFoundError is an unknown package, with the chain that required it.
type NotFoundError struct {
	Name, Spec string
	Chain      []string // root first
	Err        error
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("404 not found: %s@%s is not in the registry (required by %s)", e.Name, e.Spec, strings.Join(e.Chain, " > "))
}
func (e *NotFoundError) Unwrap() error { return e.Err }

// Hint says what to check.
func (e *NotFoundError) Hint() string {
	return fmt.Sprintf("check the spelling of %q in %s's dependencies, or whether the registry is the one you meant", e.Name, e.Chain[len(e.Chain)-1])
}

// NoVersionError is npm's ETARGET: the package exists but no version matches.
type NoVersionError struct {
	Name, Spec string
	Chain      []string
	Nearest    []string
	Latest     string
}

func (e *NoVersionError) Error() string {
	return fmt.Sprintf("ETARGET: no matching version found for %s@%s (required by %s); available versions include %s (latest %s)",
		e.Name, e.Spec, strings.Join(e.Chain, " > "), strings.Join(e.Nearest, ", "), e.Latest)
}

// Hint suggests the fix.
func (e *NoVersionError) Hint() string {
	return fmt.Sprintf("change the range for %s to one of the available versions", e.Name)
}

// PeerConflictError is npm's ERESOLVE for an unsatisfiable peer dependency.
type PeerConflictError struct {
	Name       string
	Found      string   // name@version already in the tree
	FoundBy    []string // who placed it, root first
	Peer       string   // the conflicting peer range
	RequiredBy []string // chain of the package whose peer conflicts
}

func (e *PeerConflictError) Error() string {
	return fmt.Sprintf("ERESOLVE unable to resolve dependency tree: found %s (required by %s), but %s has peer dependency %s@%s",
		e.Found, strings.Join(e.FoundBy, " > "), strings.Join(e.RequiredBy, " > "), e.Name, e.Peer)
}

// Hint suggests the fix.
func (e *PeerConflictError) Hint() string {
	return fmt.Sprintf("make the versions of %s agree (or add an \"overrides\" entry for it in package.json)", e.Name)
}

// PlatformError is npm's EBADPLATFORM for a required package built for another system.
type PlatformError struct {
	ID            string
	Os, CPU, Libc []string
	Host          Platform
	Chain         []string
}

func (e *PlatformError) Error() string {
	return fmt.Sprintf("EBADPLATFORM: unsupported platform for %s: wanted {os: %v, cpu: %v, libc: %v}, current {os: %s, cpu: %s, libc: %s} (required by %s)",
		e.ID, e.Os, e.CPU, e.Libc, e.Host.OS, e.Host.CPU, e.Host.Libc, strings.Join(e.Chain, " > "))
}

// OverrideConflictError is npm's EOVERRIDE: an override would change the
// spec of one of the project's own dependencies.
type OverrideConflictError struct {
	Name, Spec, Override string
}

func (e *OverrideConflictError) Error() string {
	return fmt.Sprintf("EOVERRIDE: override for %s@%s conflicts with direct dependency (the override says %s)", e.Name, e.Spec, e.Override)
}

// Hint suggests the fix.
func (e *OverrideConflictError) Hint() string {
	return fmt.Sprintf("make the override for %s the same as the dependency, or write it as \"$%s\" to follow the dependency's spec", e.Name, e.Name)
}

// NoConvergenceError reports placements that kept replacing each other:
// resolution was stopped instead of running forever.
type NoConvergenceError struct {
	Last string // name@version being resolved when the budget ran out
}

func (e *NoConvergenceError) Error() string {
	return fmt.Sprintf("could not settle the dependency tree: placements kept replacing each other (last at %s); this is a gnode resolver bug", e.Last)
}

// Hint suggests a way around it.
func (e *NoConvergenceError) Hint() string {
	return "pin the packages involved with \"overrides\" in package.json (or install with npm once and let gnode follow its package-lock.json), and report the package.json to gnode"
}
