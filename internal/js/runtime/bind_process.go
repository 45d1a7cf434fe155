package runtime

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"gnode/internal/js/qjs"
)

// abs resolves p against the run's working directory (process.cwd()),
// which is virtual so runs can share one OS process.
func (r *rt) abs(p string) string {
	if p == "" {
		return r.opts.Cwd
	}
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(r.opts.Cwd, p)
}

// bindProcess is internalBinding('process'), see bindings/process.md.
func bindProcess(r *rt, obj qjs.Value) {
	vm := r.vm
	o := r.opts
	argv := []string{o.ExecPath}
	if o.Script != "" {
		p := o.Script
		if !filepath.IsAbs(p) {
			p = filepath.Join(o.Cwd, p)
		}
		argv = append(argv, p)
	}
	argv = append(argv, o.Args...)
	vm.Set(obj, "argv", vm.StringArray(argv))
	vm.Set(obj, "execArgv", vm.StringArray(o.ExecArgv))
	vm.Set(obj, "execPath", vm.String(o.ExecPath))
	env := vm.Object()
	for _, kv := range o.Env {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			vm.Set(env, k, vm.String(v))
		}
	}
	vm.Set(obj, "env", env)
	vm.Set(obj, "pid", qjs.Int(int32(os.Getpid())))
	vm.Set(obj, "ppid", qjs.Int(int32(os.Getppid())))
	vm.Set(obj, "platform", vm.String(goruntime.GOOS))
	arch := map[string]string{"amd64": "x64", "386": "ia32", "arm64": "arm64", "arm": "arm"}[goruntime.GOARCH]
	if arch == "" {
		arch = goruntime.GOARCH
	}
	vm.Set(obj, "arch", vm.String(arch))
	vm.Set(obj, "version", vm.String(o.NodeVersion))
	r.fn(obj, "cwd", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		return vm.String(r.opts.Cwd), nil
	})
	r.fn(obj, "chdir", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		d := r.abs(vm.Str(qjs.Arg(args, 0)))
		st, err := os.Stat(d)
		if err != nil {
			return qjs.Undefined, toSysError(err, "chdir", vm.Str(qjs.Arg(args, 0)))
		}
		if !st.IsDir() {
			return qjs.Undefined, &sysError{errno: syscall.ENOTDIR, syscall: "chdir", path: d, hasPath: true}
		}
		r.opts.Cwd = filepath.Clean(d)
		return qjs.Undefined, nil
	})
	r.fn(obj, "reallyExit", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		r.exit(int(vm.Int(qjs.Arg(args, 0))))
		return qjs.Undefined, qjs.ErrTerminate
	})
	r.fn(obj, "hrtime", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		return qjs.Float(float64(monoNow())), nil
	})
	r.fn(obj, "hrtimeBigInt", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		return vm.BigInt(monoNow()), nil
	})
	r.fn(obj, "uptime", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		return qjs.Float(time.Since(r.start).Seconds()), nil
	})
	// rusage: getrusage(RUSAGE_SELF) in the order of node's
	// process.resourceUsage() fields (times in µs, maxRSS in KiB).
	r.fn(obj, "rusage", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		var u syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
			return qjs.Undefined, err
		}
		us := func(t syscall.Timeval) qjs.Value { return qjs.Float(float64(t.Sec)*1e6 + float64(t.Usec)) }
		n := func(v int64) qjs.Value { return qjs.Float(float64(v)) }
		return vm.ArrayOf(us(u.Utime), us(u.Stime), n(u.Maxrss), n(u.Ixrss), n(u.Idrss), n(u.Isrss),
			n(u.Minflt), n(u.Majflt), n(u.Nswap), n(u.Inblock), n(u.Oublock), n(u.Msgsnd), n(u.Msgrcv),
			n(u.Nsignals), n(u.Nvcsw), n(u.Nivcsw)), nil
	})
	r.fn(obj, "memoryUsage", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		mu := vm.MemoryUsage()
		var ms goruntime.MemStats
		goruntime.ReadMemStats(&ms)
		m := vm.Object()
		vm.Set(m, "rss", qjs.Float(float64(residentBytes(ms.Sys))))
		vm.Set(m, "heapTotal", qjs.Float(float64(mu.MallocSize)))
		vm.Set(m, "heapUsed", qjs.Float(float64(mu.MemoryUsed)))
		vm.Set(m, "external", qjs.Float(float64(ms.HeapAlloc)))
		vm.Set(m, "arrayBuffers", qjs.Int(0))
		return m, nil
	})
	// writeStdout/writeStderr(chunk) write synchronously, as node writes
	// to files and pipes; a failed write returns the negative errno (EPIPE
	// when the reader is gone: SIGPIPE is ignored, as in node), which
	// process.js turns into the stream's 'error'.
	write := func(w io.Writer) qjs.Func {
		return func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
			a := qjs.Arg(args, 0)
			var err error
			if b, ok := vm.TypedArrayBytes(a); ok {
				_, err = w.Write(b)
			} else {
				_, err = io.WriteString(w, vm.Str(a))
			}
			var errno syscall.Errno
			if err != nil && errors.As(err, &errno) {
				return qjs.Int(-int32(errno)), nil
			}
			return qjs.Undefined, nil
		}
	}
	r.fn(obj, "writeStdout", write(o.Stdout))
	r.fn(obj, "writeStderr", write(o.Stderr))
	r.fn(obj, "readStdin", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		b, err := io.ReadAll(r.opts.Stdin)
		if err != nil {
			return qjs.Undefined, err
		}
		return vm.NewUint8Array(b), nil
	})
	r.fn(obj, "umask", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		return qjs.Int(0o022), nil
	})
	r.fn(obj, "getuid", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		return qjs.Int(int32(os.Getuid())), nil
	})
	r.fn(obj, "getgid", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		return qjs.Int(int32(os.Getgid())), nil
	})
	r.fn(obj, "takeRejections", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		// [promise, reason, handled, ...] triples, in the order they
		// happened; ownership moves to the array.
		a := vm.Array()
		for i, rj := range r.rejections {
			vm.SetIndex(a, uint32(i*3), rj.promise)
			vm.SetIndex(a, uint32(i*3+1), rj.reason)
			vm.SetIndex(a, uint32(i*3+2), qjs.Bool(rj.handled))
		}
		r.rejections = r.rejections[:0]
		return a, nil
	})
	r.fn(obj, "runMicrotasks", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		// An exception in a job is reported as uncaught and draining
		// goes on, as V8's microtask queue does.
		for {
			if r.exiting {
				return qjs.Undefined, qjs.ErrTerminate
			}
			ran, err := vm.RunJob()
			if err != nil {
				if r.exiting {
					if je, ok := err.(*qjs.JSError); ok {
						je.Release()
					}
					return qjs.Undefined, qjs.ErrTerminate
				}
				r.handleError(err)
				continue
			}
			if !ran {
				return qjs.Undefined, nil
			}
		}
	})
	r.fn(obj, "hasRejections", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		return qjs.Bool(len(r.rejections) > 0 && !r.exiting), nil
	})
	r.fn(obj, "setExitCode", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		r.exitCode = int(vm.Int(qjs.Arg(args, 0)))
		return qjs.Undefined, nil
	})
	r.fn(obj, "kill", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		pid := int(vm.Int(qjs.Arg(args, 0)))
		sig := syscall.Signal(vm.Int(qjs.Arg(args, 1)))
		if err := syscall.Kill(pid, sig); err != nil {
			return qjs.Undefined, toSysError(err, "kill", "")
		}
		return qjs.Undefined, nil
	})
	r.fn(obj, "watchSignal", r.watchSignal)
	// isatty(fd) and termSize(fd) -> [columns, rows] for the run's stdio.
	r.fn(obj, "isatty", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		_, ok := r.ttyFile(int(vm.Int(qjs.Arg(args, 0))))
		return qjs.Bool(ok), nil
	})
	r.fn(obj, "termSize", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		f, ok := r.ttyFile(int(vm.Int(qjs.Arg(args, 0))))
		if !ok {
			return qjs.Undefined, nil
		}
		ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
		if err != nil {
			return qjs.Undefined, nil
		}
		return vm.ArrayOf(qjs.Int(int32(ws.Col)), qjs.Int(int32(ws.Row))), nil
	})
	r.fn(obj, "readSourceLine", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		// The line of a file an uncaught exception points at.
		file := vm.Str(qjs.Arg(args, 0))
		if strings.HasPrefix(file, "file://") {
			file = fileURLToPath(file)
		}
		line := int(vm.Int(qjs.Arg(args, 1)))
		var src string
		if strings.HasPrefix(file, "node:") {
			src, _ = libSource(strings.TrimPrefix(file, "node:"))
		} else if b, err := os.ReadFile(file); err == nil {
			src = string(b)
		} else if file == "[eval]" || file == "[stdin]" {
			src = r.opts.Eval
		}
		lines := strings.Split(src, "\n")
		if line < 1 || line > len(lines) {
			return qjs.Undefined, nil
		}
		return vm.String(strings.TrimRight(lines[line-1], "\r")), nil
	})
}

// ttyFile returns the run's stdio stream fd when it is a terminal.
func (r *rt) ttyFile(fd int) (*os.File, bool) {
	var s any
	switch fd {
	case 0:
		s = r.opts.Stdin
	case 1:
		s = r.opts.Stdout
	case 2:
		s = r.opts.Stderr
	}
	f, ok := s.(*os.File)
	if !ok {
		return nil, false
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil, false
	}
	return f, true
}

var monoBase = time.Now()

// monoNow is a monotonic nanosecond clock for process.hrtime.
func monoNow() int64 { return int64(time.Since(monoBase)) + 1_000_000_000 }

// residentBytes is the process's resident set (what Node's rss reports),
// from /proc/self/statm; where that is missing, the memory Go obtained
// from the system (fallback) stands in.
func residentBytes(fallback uint64) uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return fallback
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return fallback
	}
	pages, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		return fallback
	}
	return pages * uint64(os.Getpagesize())
}
