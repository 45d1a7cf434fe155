package runtime

// internalBinding('process_wrap'): child processes for lib/child_process.js
// (see lib/bindings/process_wrap.md). A child's piped stdio are sockets of
// the tcp binding (the same reader/writer goroutines, the same dispatcher),
// so child.stdout is a net.Socket as in Node. The child's exit comes back
// through the loop as an evExit event on the process handle.

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"gnode/internal/js/qjs"
)

const evExit = 12 // (exitCode|null, signalName|null)

type childProc struct {
	cmd  *exec.Cmd
	hold loopHold
}

func (c *childProc) close() { c.hold.unref() }

// pipeConn adapts one end of an os.Pipe to net.Conn for tcpSock.
type pipeConn struct {
	r *os.File // read end, or nil
	w *os.File // write end, or nil
}

func (p *pipeConn) Read(b []byte) (int, error) {
	if p.r == nil {
		return 0, io.EOF
	}
	n, err := p.r.Read(b)
	if err != nil && errors.Is(err, os.ErrClosed) {
		err = io.EOF
	}
	return n, err
}

func (p *pipeConn) Write(b []byte) (int, error) {
	if p.w == nil {
		return 0, syscall.EPIPE
	}
	return p.w.Write(b)
}

func (p *pipeConn) CloseWrite() error {
	if p.w != nil {
		return p.w.Close()
	}
	return nil
}

func (p *pipeConn) Close() error {
	if p.r != nil {
		p.r.Close()
	}
	if p.w != nil {
		p.w.Close()
	}
	return nil
}

func (p *pipeConn) LocalAddr() net.Addr                { return &net.UnixAddr{Net: "pipe"} }
func (p *pipeConn) RemoteAddr() net.Addr               { return &net.UnixAddr{Net: "pipe"} }
func (p *pipeConn) SetDeadline(t time.Time) error      { return nil }
func (p *pipeConn) SetReadDeadline(t time.Time) error  { return nil }
func (p *pipeConn) SetWriteDeadline(t time.Time) error { return nil }

var _ net.Conn = (*pipeConn)(nil)

// envLookupList finds name in a KEY=VALUE list.
func envLookupList(env []string, name string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(env[i], "="); ok && k == name {
			return v, true
		}
	}
	return "", false
}

// lookPath resolves file against the child's PATH (Node uses the PATH of
// the environment given to the child).
func lookPath(file string, env []string, cwd string) (string, error) {
	if strings.Contains(file, "/") {
		p := file
		if !filepath.IsAbs(p) {
			p = filepath.Join(cwd, p)
		}
		if _, err := os.Stat(p); err != nil {
			return "", syscall.ENOENT
		}
		return p, nil
	}
	path, ok := envLookupList(env, "PATH")
	if !ok {
		path = "/usr/local/bin:/usr/bin:/bin"
	}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, file)
		if !filepath.IsAbs(p) {
			p = filepath.Join(cwd, p)
		}
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", syscall.ENOENT
}

type spawnOpts struct {
	file     string
	args     []string
	cwd      string
	env      []string
	stdio    [3]string // pipe, ignore, inherit
	detached bool
	ipc      int // the child's descriptor of the IPC channel (>= 3), or 0
}

func (r *rt) readSpawnOpts(o qjs.Value) spawnOpts {
	vm := r.vm
	var so spawnOpts
	so.file = vm.Str(vm.GetV(o, "file"))
	argsV := vm.GetV(o, "args")
	for i := 0; i < vm.Len(argsV); i++ {
		v, _ := vm.GetIndex(argsV, uint32(i))
		so.args = append(so.args, vm.Str(v))
		vm.Free(v)
	}
	vm.Free(argsV)
	cwd := vm.GetV(o, "cwd")
	if s := vm.Str(cwd); cwd != qjs.Undefined && s != "" && s != "undefined" {
		so.cwd = r.abs(s)
	} else {
		so.cwd = r.opts.Cwd
	}
	vm.Free(cwd)
	envV := vm.GetV(o, "envPairs")
	if vm.IsArray(envV) {
		so.env = []string{}
		for i := 0; i < vm.Len(envV); i++ {
			v, _ := vm.GetIndex(envV, uint32(i))
			so.env = append(so.env, vm.Str(v))
			vm.Free(v)
		}
	} else {
		so.env = r.opts.Env
	}
	vm.Free(envV)
	stdioV := vm.GetV(o, "stdio")
	for i := 0; i < 3; i++ {
		so.stdio[i] = "pipe"
		if vm.IsArray(stdioV) {
			v, _ := vm.GetIndex(stdioV, uint32(i))
			if s := vm.Str(v); s == "ignore" || s == "inherit" {
				so.stdio[i] = s
			}
			vm.Free(v)
		}
	}
	vm.Free(stdioV)
	so.detached = vm.Truthy(vm.GetV(o, "detached"))
	if n := vm.Int(vm.GetV(o, "ipc")); n >= 3 && n < 64 {
		so.ipc = int(n)
	}
	return so
}

func exitInfo(st *os.ProcessState) (code int, sig string) {
	ws, ok := st.Sys().(syscall.WaitStatus)
	if ok && ws.Signaled() {
		return -1, signalName(ws.Signal())
	}
	return st.ExitCode(), ""
}

func signalName(s syscall.Signal) string {
	for name, v := range killSignals() {
		if v == s {
			return name
		}
	}
	return ""
}

var killSignals = sync.OnceValue(func() map[string]syscall.Signal {
	return map[string]syscall.Signal{
		"SIGHUP": syscall.SIGHUP, "SIGINT": syscall.SIGINT, "SIGQUIT": syscall.SIGQUIT, "SIGILL": syscall.SIGILL,
		"SIGTRAP": syscall.SIGTRAP, "SIGABRT": syscall.SIGABRT, "SIGBUS": syscall.SIGBUS, "SIGFPE": syscall.SIGFPE,
		"SIGKILL": syscall.SIGKILL, "SIGUSR1": syscall.SIGUSR1, "SIGSEGV": syscall.SIGSEGV, "SIGUSR2": syscall.SIGUSR2,
		"SIGPIPE": syscall.SIGPIPE, "SIGALRM": syscall.SIGALRM, "SIGTERM": syscall.SIGTERM, "SIGCHLD": syscall.SIGCHLD,
		"SIGCONT": syscall.SIGCONT, "SIGSTOP": syscall.SIGSTOP, "SIGTSTP": syscall.SIGTSTP, "SIGTTIN": syscall.SIGTTIN,
		"SIGTTOU": syscall.SIGTTOU, "SIGURG": syscall.SIGURG, "SIGXCPU": syscall.SIGXCPU, "SIGXFSZ": syscall.SIGXFSZ,
		"SIGVTALRM": syscall.SIGVTALRM, "SIGPROF": syscall.SIGPROF, "SIGWINCH": syscall.SIGWINCH, "SIGIO": syscall.SIGIO,
		"SIGSYS": syscall.SIGSYS,
	}
})

func (r *rt) newCmd(so spawnOpts) (*exec.Cmd, error) {
	path, err := lookPath(so.file, so.env, so.cwd)
	if err != nil {
		return nil, err
	}
	cmd := &exec.Cmd{Path: path, Args: so.args, Dir: so.cwd, Env: so.env}
	if len(cmd.Args) == 0 {
		cmd.Args = []string{so.file}
	}
	if so.detached {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	}
	if fi, err := os.Stat(so.cwd); err != nil || !fi.IsDir() {
		return nil, syscall.ENOENT
	}
	return cmd, nil
}

// bindProcessWrap is internalBinding('process_wrap').
func bindProcessWrap(r *rt, obj qjs.Value) {
	// spawn(options) → [pid, handleId, stdinId, stdoutId, stderrId,
	// ipcChannelId] or [0, errno, code].
	r.fn(obj, "spawn", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		so := r.readSpawnOpts(qjs.Arg(a, 0))
		if err := r.permRun(so.file); err != nil {
			return qjs.Undefined, err
		}
		cmd, err := r.newCmd(so)
		fail := func(err error) (qjs.Value, error) {
			n, code := netErr(err)
			return vm.ArrayOf(qjs.Int(0), qjs.Int(n), vm.String(code)), nil
		}
		if err != nil {
			return fail(err)
		}
		var parentEnds [3]*os.File
		var childEnds []*os.File
		for i := 0; i < 3; i++ {
			switch so.stdio[i] {
			case "inherit":
				switch i {
				case 0:
					cmd.Stdin = r.opts.Stdin
				case 1:
					cmd.Stdout = r.opts.Stdout
				case 2:
					cmd.Stderr = r.opts.Stderr
				}
			case "pipe":
				pr, pw, err := os.Pipe()
				if err != nil {
					return fail(err)
				}
				if i == 0 {
					cmd.Stdin, parentEnds[0] = pr, pw
					childEnds = append(childEnds, pr)
				} else {
					parentEnds[i] = pr
					childEnds = append(childEnds, pw)
					if i == 1 {
						cmd.Stdout = pw
					} else {
						cmd.Stderr = pw
					}
				}
			}
		}
		var ipcParent *os.File
		if so.ipc >= 3 {
			p, c, err := socketpairFiles()
			if err != nil {
				return fail(err)
			}
			ipcParent = p
			cmd.ExtraFiles = make([]*os.File, so.ipc-2)
			cmd.ExtraFiles[so.ipc-3] = c
			childEnds = append(childEnds, c)
		}
		err = cmd.Start()
		for _, f := range childEnds {
			f.Close()
		}
		if err != nil {
			for _, f := range parentEnds {
				if f != nil {
					f.Close()
				}
			}
			if ipcParent != nil {
				ipcParent.Close()
			}
			return fail(err)
		}
		ns := r.netState()
		ns.next++
		id := ns.next
		cp := &childProc{cmd: cmd}
		ns.handles[id] = cp
		cp.hold.ref(r.loop)
		ids := [3]int32{}
		for i, f := range parentEnds {
			if f == nil {
				continue
			}
			pc := &pipeConn{}
			if i == 0 {
				pc.w = f
			} else {
				pc.r = f
			}
			ids[i] = r.newSock(pc).id
		}
		ipcID := int32(0)
		var ipc *ipcChan
		if ipcParent != nil {
			if uc, err := unixConnOf(ipcParent); err == nil {
				ipc = r.newIPCChan(uc)
				ipcID = ipc.id
			}
		}
		go func() {
			cmd.Wait()
			if ipc != nil {
				// Messages the child sent before it exited are read and
				// queued first (its end of the channel closed with it).
				ipc.drained(100 * time.Millisecond)
			}
			code, sig := exitInfo(cmd.ProcessState)
			r.loop.Enqueue(func() {
				if _, ok := ns.handles[id]; !ok {
					return
				}
				cp.close()
				delete(ns.handles, id)
				codeV, sigV := qjs.Null, qjs.Null
				if sig != "" {
					sigV = vm.String(sig)
				} else {
					codeV = qjs.Int(int32(code))
				}
				r.netEmit(id, evExit, codeV, sigV)
			})
		}()
		return vm.ArrayOf(qjs.Int(int32(cmd.Process.Pid)), qjs.Int(id), qjs.Int(ids[0]), qjs.Int(ids[1]), qjs.Int(ids[2]), qjs.Int(ipcID)), nil
	})
	// kill(handleId, signalName) → 0 or negative errno.
	r.fn(obj, "kill", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		id := int32(vm.Int(qjs.Arg(a, 0)))
		sig, ok := killSignals()[vm.Str(qjs.Arg(a, 1))]
		if !ok {
			sig = syscall.SIGTERM
		}
		cp, ok := r.netState().handles[id].(*childProc)
		if !ok {
			return qjs.Int(-int32(syscall.ESRCH)), nil
		}
		if err := cp.cmd.Process.Signal(sig); err != nil {
			return qjs.Int(-int32(syscall.ESRCH)), nil
		}
		return qjs.Int(0), nil
	})
	// spawnSync(options, input, timeoutMs, killSignal, maxBuffer) →
	// {pid, status, signal, stdout, stderr, errno, code}.
	r.fn(obj, "spawnSync", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		so := r.readSpawnOpts(qjs.Arg(a, 0))
		if err := r.permRun(so.file); err != nil {
			return qjs.Undefined, err
		}
		res := vm.Object()
		cmd, err := r.newCmd(so)
		setErr := func(err error) {
			n, code := netErr(err)
			vm.Set(res, "errno", qjs.Int(n))
			vm.Set(res, "code", vm.String(code))
		}
		if err != nil {
			setErr(err)
			return res, nil
		}
		var stdout, stderr bytes.Buffer
		input := r.argBytes(a, 1)
		for i, kind := range so.stdio {
			switch {
			case kind == "inherit" && i == 0:
				cmd.Stdin = r.opts.Stdin
			case kind == "inherit" && i == 1:
				cmd.Stdout = r.opts.Stdout
			case kind == "inherit" && i == 2:
				cmd.Stderr = r.opts.Stderr
			case kind == "pipe" && i == 0:
				cmd.Stdin = bytes.NewReader(append([]byte(nil), input...))
			case kind == "pipe" && i == 1:
				cmd.Stdout = &stdout
			case kind == "pipe" && i == 2:
				cmd.Stderr = &stderr
			}
		}
		if err := cmd.Start(); err != nil {
			setErr(err)
			return res, nil
		}
		vm.Set(res, "pid", qjs.Int(int32(cmd.Process.Pid)))
		timeout := vm.Int(qjs.Arg(a, 2))
		done := make(chan struct{})
		timedOut := false
		if timeout > 0 {
			sig, ok := killSignals()[vm.Str(qjs.Arg(a, 3))]
			if !ok {
				sig = syscall.SIGTERM
			}
			t := time.AfterFunc(time.Duration(timeout)*time.Millisecond, func() {
				select {
				case <-done:
				default:
					timedOut = true
					cmd.Process.Signal(sig)
				}
			})
			defer t.Stop()
		}
		cmd.Wait()
		close(done)
		code, sig := exitInfo(cmd.ProcessState)
		if sig != "" {
			vm.Set(res, "status", qjs.Null)
			vm.Set(res, "signal", vm.String(sig))
		} else {
			vm.Set(res, "status", qjs.Int(int32(code)))
			vm.Set(res, "signal", qjs.Null)
		}
		if timedOut {
			vm.Set(res, "errno", qjs.Int(-int32(syscall.ETIMEDOUT)))
			vm.Set(res, "code", vm.String("ETIMEDOUT"))
		}
		if so.stdio[1] == "pipe" {
			vm.Set(res, "stdout", vm.NewUint8Array(stdout.Bytes()))
		}
		if so.stdio[2] == "pipe" {
			vm.Set(res, "stderr", vm.NewUint8Array(stderr.Bytes()))
		}
		return res, nil
	})
	bindChildIPC(r, obj)
}
