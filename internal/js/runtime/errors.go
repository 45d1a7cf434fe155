package runtime

import (
	"errors"
	"io/fs"
	"os"
	"sync"
	"syscall"

	"gnode/internal/js/modresolve"
	"gnode/internal/js/qjs"
	"gnode/internal/js/transform"
)

// sysError is a failed system call in Node's shape:
// "ENOENT: no such file or directory, open 'x'".
type sysError struct {
	errno   syscall.Errno
	syscall string
	path    string
	dest    string
	hasPath bool
	hasDest bool
}

func (e *sysError) Error() string {
	code, desc := uvName(e.errno)
	s := code + ": " + desc + ", " + e.syscall
	if e.hasPath {
		s += " '" + e.path + "'"
	}
	if e.hasDest {
		s += " -> '" + e.dest + "'"
	}
	return s
}

// toSysError converts a Go file-system error for syscall on path (and
// dest); other errors pass through.
func toSysError(err error, call, path string, dest ...string) error {
	if err == nil {
		return nil
	}
	var se *sysError
	if errors.As(err, &se) {
		return se
	}
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			errno = syscall.ENOENT
		case errors.Is(err, fs.ErrExist):
			errno = syscall.EEXIST
		case errors.Is(err, fs.ErrPermission):
			errno = syscall.EACCES
		case errors.Is(err, os.ErrClosed):
			errno = syscall.EBADF
		default:
			return err
		}
	}
	e := &sysError{errno: errno, syscall: call, path: path, hasPath: path != ""}
	if len(dest) > 0 {
		e.dest, e.hasDest = dest[0], true
	}
	return e
}

// errorValue builds the JavaScript error thrown for a Go error.
func (r *rt) errorValue(vm *qjs.VM, err error) qjs.Value {
	var se *sysError
	if errors.As(err, &se) {
		e := vm.NewError("Error", se.Error())
		code, _ := uvName(se.errno)
		vm.Set(e, "errno", qjs.Int(-int32(se.errno)))
		vm.Set(e, "code", vm.String(code))
		vm.Set(e, "syscall", vm.String(se.syscall))
		if se.hasPath {
			vm.Set(e, "path", vm.String(se.path))
		}
		if se.hasDest {
			vm.Set(e, "dest", vm.String(se.dest))
		}
		return e
	}
	var me *modresolve.Error
	if errors.As(err, &me) {
		e := vm.NewError(me.JSType(), me.Msg)
		vm.Set(e, "code", vm.String(me.Code))
		if me.URL != "" {
			vm.Set(e, "url", vm.String(me.URL))
		}
		return e
	}
	var te *transform.Error
	if errors.As(err, &te) {
		return vm.NewError("SyntaxError", te.Error())
	}
	var ce *codedError
	if errors.As(err, &ce) {
		e := vm.NewError(ce.kind, ce.msg)
		vm.Set(e, "code", vm.String(ce.code))
		return e
	}
	return vm.NewError("Error", err.Error())
}

// codedError is a Node error with a code (ERR_INVALID_ARG_TYPE ...).
type codedError struct {
	kind, code, msg string
}

func (e *codedError) Error() string { return e.msg }

// uvErrors maps errno values to libuv's names and messages.
var uvErrors = sync.OnceValue(func() map[syscall.Errno][2]string {
	return map[syscall.Errno][2]string{
		syscall.EPERM:        {"EPERM", "operation not permitted"},
		syscall.ENOENT:       {"ENOENT", "no such file or directory"},
		syscall.EIO:          {"EIO", "i/o error"},
		syscall.EBADF:        {"EBADF", "bad file descriptor"},
		syscall.EAGAIN:       {"EAGAIN", "resource temporarily unavailable"},
		syscall.ENOMEM:       {"ENOMEM", "not enough memory"},
		syscall.EACCES:       {"EACCES", "permission denied"},
		syscall.EBUSY:        {"EBUSY", "resource busy or locked"},
		syscall.EEXIST:       {"EEXIST", "file already exists"},
		syscall.EXDEV:        {"EXDEV", "cross-device link not permitted"},
		syscall.ENOTDIR:      {"ENOTDIR", "not a directory"},
		syscall.EISDIR:       {"EISDIR", "illegal operation on a directory"},
		syscall.EINVAL:       {"EINVAL", "invalid argument"},
		syscall.EMFILE:       {"EMFILE", "too many open files"},
		syscall.ENOSPC:       {"ENOSPC", "no space left on device"},
		syscall.EROFS:        {"EROFS", "read-only file system"},
		syscall.EPIPE:        {"EPIPE", "broken pipe"},
		syscall.ENAMETOOLONG: {"ENAMETOOLONG", "name too long"},
		syscall.ENOTEMPTY:    {"ENOTEMPTY", "directory not empty"},
		syscall.ELOOP:        {"ELOOP", "too many symbolic links encountered"},
		syscall.ENOSYS:       {"ENOSYS", "function not implemented"},
		syscall.ENOTSUP:      {"ENOTSUP", "operation not supported on socket"},
		syscall.ECONNREFUSED: {"ECONNREFUSED", "connection refused"},
		syscall.ECONNRESET:   {"ECONNRESET", "connection reset by peer"},
		syscall.EADDRINUSE:   {"EADDRINUSE", "address already in use"},
		syscall.ETIMEDOUT:    {"ETIMEDOUT", "connection timed out"},
		syscall.ESRCH:        {"ESRCH", "no such process"},
		syscall.ETXTBSY:      {"ETXTBSY", "text file is busy"},
		syscall.EFBIG:        {"EFBIG", "file too large"},
		syscall.ESPIPE:       {"ESPIPE", "invalid seek"},
		syscall.ECHILD:       {"ECHILD", "no child processes"},
		syscall.EINTR:        {"EINTR", "interrupted system call"},
		syscall.ENOTCONN:     {"ENOTCONN", "socket is not connected"},
	}
})

func uvName(e syscall.Errno) (string, string) {
	if n, ok := uvErrors()[e]; ok {
		return n[0], n[1]
	}
	return "UNKNOWN", "unknown error"
}

// bindUV is internalBinding('uv'): errname(errno) and errmap(), a list of
// [errno, name, description] entries as lib/internal/errors.js reads it.
func bindUV(r *rt, obj qjs.Value) {
	r.fn(obj, "errname", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		n, _ := uvName(syscall.Errno(-vm.Int(qjs.Arg(args, 0))))
		return vm.String(n), nil
	})
	r.fn(obj, "errmap", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		m := vm.Array()
		i := uint32(0)
		for errno, n := range uvErrors() {
			vm.SetIndex(m, i, vm.ArrayOf(qjs.Int(-int32(errno)), vm.String(n[0]), vm.String(n[1])))
			i++
		}
		return m, nil
	})
}
