package runtime

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"gnode/internal/js/qjs"
	"gnode/internal/trust/capability"
)

// Permissions are the capability checks of one run (Options.Permissions).
//
// Two layers apply. The per-package policy (gnode-policy.json) is enforced
// in the module loader (lib/internal/permission.js): a package that lacks a
// capability gets, for the core modules carrying it, a facade whose
// functions throw ERR_GNODE_PERMISSION; application code is not restricted
// by it. The process-wide flags (--allow-*, --deny-*) are checked here, in
// Go, where the bindings know the paths, hosts and programs, and bind
// application code as well.
type Permissions struct {
	// Policy grants capabilities per package; nil means no policy.
	Policy *capability.Policy
	// PolicyFile is where Policy was read, for messages.
	PolicyFile string
	// Flags are the process-wide flags; nil means none.
	Flags *capability.Flags

	// importToken marks the loader's own ES module facades of built-ins
	// (see permBuiltinSource); made on first use, one per run.
	importToken string
}

// gatedQuery marks an ES module import of a built-in that carries
// capabilities while a policy applies: "node:child_process?gnode-package=x"
// for a package x that lacks one, "node:child_process?gnode-package=" for
// everyone else. The restricted package's import gets its own module
// record holding its facade. The others get one too, rather than the
// plain "node:child_process" (whose facade asks the loader through a
// public hook that must gate by the stack, and could be evaluated first
// under a restricted package's frames, e.g. by its require() of an ES
// module, and so hold that package's facade for everyone).
const gatedQuery = "?gnode-package="

// tokenQuery carries the run's import token in the facade's request, so
// the loader knows the request comes from a facade gnode generated and
// not from code calling the hook with a made-up package name.
const tokenQuery = "&gnode-token="

// permissionError is the ERR_GNODE_PERMISSION error JavaScript sees.
func permissionError(err error) error {
	var de *capability.DeniedError
	if errors.As(err, &de) {
		return &codedError{"Error", "ERR_GNODE_PERMISSION", "gnode: " + de.Error()}
	}
	return err
}

// permFlags returns the process-wide flags when any was given.
func (r *rt) permFlags() *capability.Flags {
	if f := r.opts.Permissions.Flags; f != nil && f.Active() {
		return f
	}
	return nil
}

// permFS checks an fs binding call against --allow-read/--allow-write
// before preparing it. Calls on file descriptors are not checked: the
// descriptor came from an open that was.
func (r *rt) permFS(name string, a []qjs.Value, op fsOp) (func() (any, error), error) {
	if f := r.permFlags(); f != nil {
		if err := r.checkFSCall(f, name, a); err != nil {
			return nil, permissionError(err)
		}
	}
	return op(r, a)
}

// fsAccess lists which path arguments of each fs binding function are
// read ('r'), written ('w') or both ('b'); open decides by its flags.
var fsAccess = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"readFile": "r", "stat": "r", "lstat": "r", "readdir": "r", "readlink": "r", "realpath": "r", "access": "r",
		"writeFile": "w", "mkdir": "w", "rmdir": "w", "unlink": "w", "rm": "w", "chmod": "w", "utimes": "w",
		"truncate": "w", "mkdtemp": "w",
		"rename": "bw", "link": "rw", "copyFile": "rw", "cp": "rw", "symlink": "rw",
	}
})

func (r *rt) checkFSCall(f *capability.Flags, name string, a []qjs.Value) error {
	access := fsAccess()[name]
	if name == "open" {
		const writeFlags = syscall.O_WRONLY | syscall.O_RDWR | syscall.O_CREAT | syscall.O_TRUNC | syscall.O_APPEND
		flags := int(r.argInt(a, 1))
		switch {
		case flags&syscall.O_RDWR != 0:
			access = "b"
		case flags&writeFlags != 0:
			access = "w"
		default:
			access = "r"
		}
	}
	for i, c := range access {
		v := qjs.Arg(a, i)
		if v.IsNumber() || v.IsUndefined() {
			continue
		}
		p := r.argPath(a, i)
		if name == "symlink" && i == 0 && !filepath.IsAbs(p) {
			// A relative link target is relative to the link's folder.
			p = filepath.Join(filepath.Dir(r.abs(r.argPath(a, 1))), p)
		}
		full := r.abs(p)
		if c == 'r' || c == 'b' {
			if err := f.CheckRead(full); err != nil {
				return err
			}
		}
		if c == 'w' || c == 'b' {
			if err := f.CheckWrite(full); err != nil {
				return err
			}
		}
	}
	return nil
}

// permExists is existsSync under the flags: a path that may not be read
// does not exist, as Node's permission model answers.
func (r *rt) permExists(full string) bool {
	if f := r.permFlags(); f != nil && f.CheckRead(full) != nil {
		return false
	}
	_, err := os.Stat(full)
	return err == nil
}

// permNet checks a connect or listen on network/address against
// --allow-net; a Unix socket is a file to read and write.
func (r *rt) permNet(network, address string) error {
	f := r.permFlags()
	if f == nil {
		return nil
	}
	if network == "unix" {
		if err := f.CheckRead(address); err != nil {
			return permissionError(err)
		}
		return permissionError(f.CheckWrite(address))
	}
	return permissionError(f.CheckNet(address))
}

// permRun checks a child process's program against --allow-run.
func (r *rt) permRun(program string) error {
	if f := r.permFlags(); f != nil {
		return permissionError(f.CheckRun(program))
	}
	return nil
}

// permBuiltinName is the module name an ES module import of the built-in
// name ("node:fs") by importer gets: name itself, or a gated name when
// importer's package lacks a capability the built-in carries.
func (r *rt) permBuiltinName(name, importer string) string {
	p := r.opts.Permissions.Policy
	if p == nil {
		return name
	}
	id := strings.TrimPrefix(name, "node:")
	need := capability.CapsForModule(id)
	if len(need) == 0 {
		return name
	}
	pkg := capability.PackageOf(importer)
	if pkg != "" && len(p.Missing(pkg, need)) == 0 {
		pkg = ""
	}
	return "node:" + id + gatedQuery + pkg
}

// permImportToken is the run's import token.
func (r *rt) permImportToken() string {
	perm := &r.opts.Permissions
	if perm.importToken == "" {
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			panic(err)
		}
		perm.importToken = hex.EncodeToString(b[:])
	}
	return perm.importToken
}

// permBuiltinSource is the source of a gated built-in module name: the
// facade lib/internal/permission.js builds for the package, re-exported.
func (l *esmLoader) permBuiltinSource(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, "node:")
	if !ok || !strings.Contains(rest, gatedQuery) {
		return "", false
	}
	id, _, _ := strings.Cut(rest, gatedQuery)
	names := l.exportNames("builtinExportNames", id)
	q := jsonString(rest + tokenQuery + l.r.permImportToken())
	return reexportSource("globalThis[Symbol.for('gnode.require')]("+q+")", names), true
}

// bindPermission is internalBinding('permission'), see
// lib/bindings/permission.md.
func bindPermission(r *rt, obj qjs.Value) {
	vm := r.vm
	perm := r.opts.Permissions
	if perm.Policy == nil {
		vm.Set(obj, "policy", qjs.Null)
		return
	}
	pol := vm.Object()
	for name, caps := range perm.Policy.Packages {
		vm.Set(pol, name, vm.StringArray(caps))
	}
	vm.Set(obj, "policy", pol)
	vm.Set(obj, "policyFile", vm.String(perm.PolicyFile))
	vm.Set(obj, "importToken", vm.String(r.permImportToken()))
	mods := vm.Object()
	for _, id := range nodeBuiltins {
		if caps := capability.CapsForModule(id); len(caps) > 0 {
			vm.Set(mods, id, vm.StringArray(caps))
		}
	}
	vm.Set(obj, "moduleCaps", mods)
}

// gateFlags wraps the functions name of a binding object so that check
// runs on their arguments first; used for bindings registered before
// this file's init (fetch, dns), which need no edit to be checked.
func gateFlags(r *rt, obj qjs.Value, name string, check func(f *capability.Flags, a []qjs.Value) error) {
	f := r.permFlags()
	if f == nil {
		return
	}
	vm := r.vm
	orig := vm.GetV(obj, name)
	if !vm.IsFunction(orig) {
		vm.Free(orig)
		return
	}
	r.held = append(r.held, orig)
	r.fn(obj, name, func(vm *qjs.VM, this qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if err := check(f, a); err != nil {
			return qjs.Undefined, permissionError(err)
		}
		return vm.Call(orig, this, a...)
	})
}

// checkURL checks a fetch target's host and port.
func checkURL(f *capability.Flags, target string) error {
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		return fmt.Errorf("fetch: cannot check the host of %q", target)
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443", "ws": "80", "wss": "443"}[u.Scheme]
	}
	return f.CheckNet(net.JoinHostPort(u.Hostname(), port))
}
